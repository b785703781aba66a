"""Claiming a send (a reminder, an alert notice) so that two runs on two hosts never both send
it: a new claim is a row the unique key lets only one run insert; a claim whose run died is
taken over once its lease has run out, a bounded number of times."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import AlertNotice, ReminderSend

Claimable = ReminderSend | AlertNotice


def insert_claim(row: Claimable) -> bool:
    """Add a freshly claimed row; False when another run inserted the same one first."""
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def take_over(row: Claimable, now: datetime, lease: timedelta, max_attempts: int) -> bool:
    """Take an unfinished claim whose lease has run out (one UPDATE: only one run wins)."""
    model = type(row)
    taken = db.session.execute(
        sa.update(model)
        .where(
            model.id == row.id,
            model.done_at.is_(None),
            model.lease_until <= now,
            model.attempts < max_attempts,
        )
        .values(lease_until=now + lease, attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return False
    db.session.refresh(row)
    return True
