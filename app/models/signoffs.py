"""The clinic physician's sign-off of a version of the clinical content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow
from app.models.users import User


class ContentSignoff(Model):
    """ "I have reviewed version X": who, when, and the fingerprint of what they read."""

    __tablename__ = "content_signoffs"
    __table_args__ = (Index("ix_content_signoffs_signed_at", "signed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    signed_by: Mapped[User] = relationship(lazy="joined")
