"""A patient's lesson reads: which lessons they marked as read, and when (app/care/lessons.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import LessonRead


def reads_of(patient_id: int) -> dict[str, datetime]:
    """Lesson key → when the patient read it, in one query (a patient has at most one row a lesson)."""
    rows = db.session.execute(
        sa.select(LessonRead.lesson, LessonRead.read_at).where(LessonRead.patient_id == patient_id)
    )
    return dict(rows.all())


def read_at(patient_id: int, lesson: str) -> datetime | None:
    """When the patient read this lesson, or None: one query on the primary key, however many
    lessons, logs or days there are (Today asks it only on a day with a lesson)."""
    return db.session.scalar(
        sa.select(LessonRead.read_at).where(LessonRead.patient_id == patient_id, LessonRead.lesson == lesson)
    )


def mark_read(patient_id: int, lesson: str) -> datetime:
    """Record the first reading; reading again keeps the first time. Two taps at once (two tabs)
    meet the primary key: the loser keeps the winner's row."""
    known = read_at(patient_id, lesson)
    if known is not None:
        return known
    row = LessonRead(patient_id=patient_id, lesson=lesson)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return read_at(patient_id, lesson) or row.read_at
    return row.read_at
