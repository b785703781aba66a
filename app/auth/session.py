"""How a session cookie becomes a user, and where each role starts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from app.extensions import db
from app.models import Role, User


def load_user(session_token: str) -> User | None:
    """The session holds the user's session token, not their id: a new token ends every session."""
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.active.is_(True))
    )


def home_url_for(user: User) -> str:
    return {
        Role.PATIENT.value: url_for("patient.today"),
        Role.THERAPIST.value: url_for("therapist.home"),
        Role.ADMIN.value: url_for("admin.home"),
    }[user.role]
