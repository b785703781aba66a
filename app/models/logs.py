"""What a patient records each day, and the alerts it raises for staff."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.care.content import MEDICATION_KEYS, RED_FLAG_KEYS, URGENCY_KEYS
from app.models.base import Model, sql_in, utcnow
from app.models.users import User

NOTE_MAX_LENGTH = 500


class DailyLog(Model):
    """One entry per patient per clinic day; warning-symptom answers are stored on the entry."""

    __tablename__ = "daily_logs"
    __table_args__ = (
        UniqueConstraint("patient_id", "day", name="uq_daily_logs_patient_day"),
        CheckConstraint("back_pain BETWEEN 0 AND 10", name="back_pain_range"),
        CheckConstraint("leg_pain BETWEEN 0 AND 10", name="leg_pain_range"),
        CheckConstraint(sql_in("medication", MEDICATION_KEYS), name="medication_known"),
        CheckConstraint(f"length(note) <= {NOTE_MAX_LENGTH}", name="note_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    treatment_id: Mapped[int | None] = mapped_column(ForeignKey("treatments.id"))
    day: Mapped[date]
    back_pain: Mapped[int]
    leg_pain: Mapped[int | None]
    medication: Mapped[str] = mapped_column(String(20), default="none")
    note: Mapped[str] = mapped_column(String(NOTE_MAX_LENGTH), default="")
    saddle_numbness: Mapped[bool] = mapped_column(default=False)
    bladder_bowel: Mapped[bool] = mapped_column(default=False, server_default=false())
    leg_weakness: Mapped[bool] = mapped_column(default=False)
    chest_symptoms: Mapped[bool] = mapped_column(default=False, server_default=false())
    fever: Mapped[bool] = mapped_column(default=False)
    injection_site: Mapped[bool] = mapped_column(default=False)
    positional_headache: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped on every save; a form (or a log queued offline) carries the version it was based on,
    # so an older copy can never overwrite a newer entry.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    patient: Mapped[User] = relationship(foreign_keys=[patient_id])
    # Loaded with the entry where a page needs them (services.daily_logs), never changed through it.
    alerts: Mapped[list[Alert]] = relationship(viewonly=True, order_by="Alert.id")

    @property
    def red_flags(self) -> list[str]:
        """The warning symptoms answered "yes", in the order they are asked."""
        return [key for key in RED_FLAG_KEYS if getattr(self, key)]


class Alert(Model):
    """A warning symptom (or a derived one) that staff must see until someone acknowledges it."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(sql_in("urgency", URGENCY_KEYS), name="urgency_known"),
        UniqueConstraint("patient_id", "day", "symptom", name="uq_alerts_patient_day_symptom"),
        Index("ix_alerts_patient_open", "patient_id", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    daily_log_id: Mapped[int | None] = mapped_column(ForeignKey("daily_logs.id"))
    day: Mapped[date]
    symptom: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledgement_note: Mapped[str] = mapped_column(String(500), default="")

    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])


class LogSubmission(Model):
    """One save of the daily log form, by its idempotency key: a replay (an offline queue sending
    again, a double tap) finds its key here and gets the stored result instead of a second save."""

    __tablename__ = "log_submissions"
    __table_args__ = (UniqueConstraint("patient_id", "key", name="uq_log_submissions_patient_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(64))
    # What was saved with this key: the same key with other answers is not a replay.
    answers_hash: Mapped[str | None] = mapped_column(String(64))
    daily_log_id: Mapped[int] = mapped_column(ForeignKey("daily_logs.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
