"""The clinic-wide alert queue: every open alert, oldest emergency first, with who was told when,
and the alerts acknowledged lately with who acknowledged them. Admins and whoever is on call now
see the whole clinic; another therapist sees their own patients' alerts. A fixed number of
queries however many alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.care.content import ALL_ALERT_FLAGS, RedFlag
from app.extensions import db
from app.models import Alert, AlertNotice, Role, Treatment, User
from app.models.base import utcnow
from app.services.clinic.settings import ClinicSettings
from app.services.safety.notify import on_call_now

OPEN_LIMIT = 500  # more open alerts than this is a clinic in trouble: the page says how many
RECENT_DAYS = 7
RECENT_LIMIT = 50


@dataclass
class QueueItem:
    alert: Alert
    patient: User
    clinician: User | None  # the responsible clinician of the patient's active treatment

    @property
    def flag(self) -> RedFlag | None:
        return ALL_ALERT_FLAGS.get(self.alert.symptom)

    @property
    def notices(self) -> list[AlertNotice]:
        return self.alert.notices


@dataclass
class AlertQueue:
    open: list[QueueItem]
    open_total: int
    acknowledged: list[QueueItem]
    whole_clinic: bool
    on_call: list[User]
    unassigned: int  # active treatments with no responsible clinician (old data)


def viewer_sees_clinic(viewer: User, on_call: list[User]) -> bool:
    return viewer.has_role(Role.ADMIN) or any(person.id == viewer.id for person in on_call)


def load_queue(viewer: User, now: datetime, settings: ClinicSettings) -> AlertQueue:
    on_call = on_call_now(now, settings)
    whole = viewer_sees_clinic(viewer, on_call)
    clinician = aliased(User)
    base = (
        sa.select(Alert, User, clinician)
        .join(User, Alert.patient_id == User.id)
        .outerjoin(Treatment, (Treatment.patient_id == Alert.patient_id) & (Treatment.status == "active"))
        .outerjoin(clinician, Treatment.therapist_id == clinician.id)
        .options(selectinload(Alert.notices), joinedload(Alert.acknowledged_by))
    )
    if not whole:
        base = base.where(Treatment.therapist_id == viewer.id)
    still_open = Alert.acknowledged_at.is_(None)
    emergency_first = sa.case((Alert.urgency == "emergency", 0), else_=1)
    rows = db.session.execute(
        base.where(still_open).order_by(emergency_first, Alert.raised_at, Alert.id).limit(OPEN_LIMIT)
    ).all()
    since = utcnow() - timedelta(days=RECENT_DAYS)
    recent = db.session.execute(
        base.where(Alert.acknowledged_at >= since).order_by(Alert.acknowledged_at.desc()).limit(RECENT_LIMIT)
    ).all()
    total = len(rows)
    if total == OPEN_LIMIT:
        counted = sa.select(sa.func.count()).select_from(base.where(still_open).subquery())
        total = db.session.scalar(counted) or total
    unassigned = 0
    if whole:
        unassigned = (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Treatment)
                .where(Treatment.status == "active", Treatment.therapist_id.is_(None))
            )
            or 0
        )
    return AlertQueue(
        open=[QueueItem(alert, patient, person) for alert, patient, person in rows],
        open_total=total,
        acknowledged=[QueueItem(alert, patient, person) for alert, patient, person in recent],
        whole_clinic=whole,
        on_call=on_call,
        unassigned=unassigned,
    )
