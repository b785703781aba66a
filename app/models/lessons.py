"""Which lessons a patient has read, and when (app/care/lessons.py): the therapist's record shows it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, utcnow

LESSON_KEY_LENGTH = 32


class LessonRead(Model):
    """A lesson the patient marked as read ("Got it"): once, at its first reading. The lesson is
    named by its key in the catalogue (`Lesson.key`), which never changes once shipped."""

    __tablename__ = "lesson_reads"

    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    lesson: Mapped[str] = mapped_column(String(LESSON_KEY_LENGTH), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
