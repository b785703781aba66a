"""What staff record for remote monitoring: minutes in the time log and the one set-up and
education visit per episode (the report reading them is app/services/pages/rtm.py). Each is put on
the audit trail here, with the record itself."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.care.rtm import CONSENT_HOW
from app.extensions import db
from app.models import RtmSetup, TimeLogEntry, Treatment, User
from app.services import audit


def log_time(
    treatment: Treatment, staff: User, day: date, minutes: int, what: str, interactive: bool
) -> None:
    db.session.add(
        TimeLogEntry(
            patient_id=treatment.patient_id,
            treatment_id=treatment.id,
            staff_id=staff.id,
            day=day,
            minutes=minutes,
            what=what,
            interactive=interactive,
        )
    )
    detail = f"{day} {minutes} min interactive={interactive}"
    audit.record("time_log_add", patient_id=treatment.patient_id, detail=detail)


def record_consent(treatment: Treatment, staff: User, day: date, how: str) -> bool:
    """The patient's consent to remote monitoring, once: False when it was already recorded."""
    if treatment.rtm_consent_on is not None:
        return False
    treatment.rtm_consent_on = day
    treatment.rtm_consent_how = how
    treatment.rtm_consent_by_id = staff.id
    audit.record("rtm_consent", patient_id=treatment.patient_id, detail=f"{day}, {CONSENT_HOW[how]}")
    return True


def record_setup(treatment: Treatment, staff: User, day: date) -> bool:
    """Once per episode: False when it was already recorded."""
    if db.session.scalar(sa.select(RtmSetup.id).where(RtmSetup.treatment_id == treatment.id)):
        return False
    db.session.add(RtmSetup(treatment_id=treatment.id, day=day, recorded_by_id=staff.id))
    audit.record("rtm_setup", patient_id=treatment.patient_id, detail=f"{day}")
    return True
