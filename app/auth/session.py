"""How a session cookie becomes a user, and where each role starts."""

from __future__ import annotations

from flask import flash, url_for

from app.extensions import db
from app.models import Role, User
from app.services import audit
from app.services.accounts import sessions
from app.services.accounts.sign_in_throttle import tries_since_last_sign_in


def home_url_for(user: User) -> str:
    return {
        Role.PATIENT.value: url_for("patient.today"),
        Role.THERAPIST.value: url_for("therapist.home"),
        Role.ADMIN.value: url_for("admin.home"),
    }[user.role]


def start_session(user: User, method: str) -> None:
    """The one way a sign-in begins, by password, passkey or setup link: a new server-side session
    and a new cookie, and the owner told of failed tries on the account since their last visit."""
    tries = tries_since_last_sign_in(user)  # before this sign-in becomes the last one
    sessions.begin(user)
    audit.record("sign_in", actor_id=user.id, detail=f"With a {method}")
    db.session.commit()
    if tries is not None:
        flash(
            f"There were {tries.count} failed tries to sign in to your account since you last signed "
            f"in, the latest from {tries.last_address or 'an unknown address'}. If that was not you, "
            "change your password on your account page.",
            "error",
        )
