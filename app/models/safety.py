"""The safety net's own data: the clinic's on-call rota."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.care.on_call import Shift
from app.models.base import Model, utcnow
from app.models.users import User


class OnCallShift(Model):
    """One clinician on call on one weekday from `starts_at` to `ends_at` (clinic time); an end
    not after the start runs past midnight (the same time: 24 hours). Kept as rows, not a
    setting: each names an account (a deactivated one drops off the rota), and adding or removing
    one is its own audited change."""

    __tablename__ = "on_call_shifts"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        Index("ix_on_call_shifts_weekday", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    weekday: Mapped[int]
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    clinician: Mapped[User] = relationship()

    @property
    def shift(self) -> Shift:
        return Shift(self.clinician_id, self.weekday, self.starts_at, self.ends_at)
