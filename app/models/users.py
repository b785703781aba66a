"""People who sign in: patients, therapists and admins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask import g
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, sql_in, utcnow


class Role(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"
    ADMIN = "admin"


class User(UserMixin, Model):
    """An account. Its sign-ins are `UserSession` rows; the session cookie holds the random key of
    one of them, never the account's id."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(sql_in("role", [r.value for r in Role]), name="role_known"),
        Index("ix_users_role_active_name", "role", "active", "full_name"),
        Index("ix_users_full_name", "full_name"),
        # The admin's search by any part of a name or e-mail (migration 0026; PostgreSQL only).
        Index(
            "ix_users_name_trigrams",
            "full_name",
            postgresql_using="gin",
            postgresql_ops={"full_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_users_email_trigrams",
            "email",
            postgresql_using="gin",
            postgresql_ops={"email": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    passkey_offered_at: Mapped[datetime | None]  # Today offered a passkey once (issue 12)
    language: Mapped[str | None] = mapped_column(String(8))  # chosen on the account page; None: not chosen

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the key of the sign-in this request runs under,
        which app.services.accounts.sessions puts in `g` (the account's id never goes in a cookie)."""
        key = g.get("session_key")
        if not key:
            raise RuntimeError("a user is signed in only through app.services.accounts.sessions")
        return str(key)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name.strip() else ""

    def has_role(self, *roles: Role) -> bool:
        return self.role in {r.value for r in roles}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
