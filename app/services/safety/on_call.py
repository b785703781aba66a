"""The on-call rota: adding and removing shifts, each on the audit trail."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from app.care.on_call import Shift
from app.extensions import db
from app.models import OnCallShift, User
from app.services import audit


def rota() -> list[OnCallShift]:
    """Every shift, by weekday and start (one query, with the clinicians)."""
    return list(
        db.session.scalars(
            sa.select(OnCallShift)
            .options(sa.orm.joinedload(OnCallShift.clinician))
            .order_by(OnCallShift.weekday, OnCallShift.starts_at, OnCallShift.id)
        )
    )


def add_shifts(clinician: User, weekdays: list[int], starts: time, ends: time) -> list[OnCallShift]:
    """One shift per weekday for this clinician."""
    added = [
        OnCallShift(clinician_id=clinician.id, weekday=day, starts_at=starts, ends_at=ends)
        for day in sorted(weekdays)
    ]
    db.session.add_all(added)
    db.session.flush()
    words = "; ".join(Shift(clinician.id, day, starts, ends).words for day in sorted(weekdays))
    audit.record("on_call_add", detail=f"{clinician.full_name} on call: {words}")
    return added


def remove_shift(shift: OnCallShift) -> None:
    detail = f"{shift.clinician.full_name} no longer on call: {shift.shift.words}"
    db.session.delete(shift)
    audit.record("on_call_remove", detail=detail)
