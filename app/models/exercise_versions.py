"""The clinic's own exercise library: each exercise's texts and default doses as numbered versions.

A version is written as a draft, signed by the clinic's physician, and retired when a newer one is
signed. Patients only ever read a version that was signed: a plan item keeps the version it was
prescribed with until the therapist updates it (app/services/treatment/library.py). Version 1 of
every exercise that ships with the app is the built-in text: its words are read from the content
catalogue (app/care/content.py), so they keep their translations; a clinic-written version is shown
in the language it was written in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, sql_in, utcnow
from app.models.users import User

VERSION_STATUSES = ("draft", "signed", "retired")
TEXT_LANGUAGES = ("en", "es")
NAME_MAX = 120
PURPOSE_MAX = 500
STEP_MAX = 300
STEPS_MAX = 12
STOP_IF_MAX = 500


class ExerciseVersion(Model):
    """One version of one exercise's texts and its default dose in each phase."""

    __tablename__ = "exercise_versions"
    __table_args__ = (
        UniqueConstraint("exercise_id", "number", name="uq_exercise_versions_exercise_number"),
        CheckConstraint(sql_in("status", VERSION_STATUSES), name="status_known"),
        CheckConstraint(sql_in("language", TEXT_LANGUAGES), name="language_known"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    purpose: Mapped[str] = mapped_column(Text)
    steps: Mapped[list[str]] = mapped_column(JSON)
    stop_if: Mapped[str] = mapped_column(Text)
    doses: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON)  # phase key -> Dose fields
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    builtin: Mapped[bool] = mapped_column(default=False)  # the app's own text, read from the catalogue
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None]

    written_by: Mapped[User | None] = relationship(foreign_keys=[written_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])

    @property
    def was_signed(self) -> bool:
        """Signed now or before a newer version took its place: patients may read it."""
        return self.signed_at is not None and self.status in ("signed", "retired")
