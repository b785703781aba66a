"""Server-side sign-in sessions: one row per sign-in, so that signing out ends it for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow
from app.models.users import User


class UserSession(Model):
    """A sign-in on one device. The cookie holds a random id; only its SHA-256 is stored, so a copy
    of the database lets nobody take over a session. Revoked rows stay, for the account page's
    history and the audit trail."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_revoked", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(String(40), default="")

    user: Mapped[User] = relationship(lazy="joined")


class SignInAttempt(Model):
    """A failed password check on an account (sign-in, or the current password on the account
    page), from an address: what sign-in throttling counts. Attempts are *on* an account: the
    person trying may not be its owner."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_email_address_at", "email", "ip_address", "at"),
        Index("ix_sign_in_attempts_address_at", "ip_address", "at"),
        Index("ix_sign_in_attempts_user_at", "user_id", "at"),
        Index("ix_sign_in_attempts_device_at", "device", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    device: Mapped[str | None] = mapped_column(String(32))  # the recognised device it came from


class SignInLink(Model):
    """A one-time link e-mailed to the account's owner when password guessing on the account made
    the password alone not enough (app/services/accounts/sign_in_links.py). Only a hash of its
    token is stored."""

    __tablename__ = "sign_in_links"
    __table_args__ = (Index("ix_sign_in_links_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
