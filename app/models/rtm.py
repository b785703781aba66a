"""Remote therapeutic monitoring: the minutes staff spend on a patient, and the set-up visit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow
from app.models.users import User

TIME_LOG_MAX_MINUTES = 240
TIME_LOG_WHAT_MAX = 200


class TimeLogEntry(Model):
    """Time a therapist spent managing a patient's remote monitoring on one day."""

    __tablename__ = "time_log_entries"
    __table_args__ = (
        CheckConstraint(f"minutes BETWEEN 1 AND {TIME_LOG_MAX_MINUTES}", name="minutes_range"),
        CheckConstraint(f"length(what) BETWEEN 1 AND {TIME_LOG_WHAT_MAX}", name="what_length"),
        Index("ix_time_log_entries_patient_day", "patient_id", "day"),
        Index("ix_time_log_entries_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatments.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    day: Mapped[date]
    minutes: Mapped[int]
    what: Mapped[str] = mapped_column(String(TIME_LOG_WHAT_MAX))
    interactive: Mapped[bool] = mapped_column(default=False)  # a live call or video visit
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[User] = relationship(foreign_keys=[staff_id], lazy="joined")


class RtmSetup(Model):
    """Set-up and education for remote monitoring, recorded once per treatment (episode)."""

    __tablename__ = "rtm_setups"

    id: Mapped[int] = mapped_column(primary_key=True)
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatments.id"), unique=True)
    day: Mapped[date]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined")
