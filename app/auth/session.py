"""How a session cookie becomes a user, and where each role starts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_login import login_user

from app.extensions import db
from app.models import Role, User
from app.services import audit


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


def start_session(user: User, method: str) -> None:
    """The one way a sign-in begins, by password or by passkey: what a session needs is added here
    once and holds for both."""
    login_user(user)
    audit.record("sign_in", actor_id=user.id, detail=f"With a {method}")
    db.session.commit()
