"""How a session cookie becomes a user, and who may see what."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Role, User


def load_user(session_token: str) -> User | None:
    """The session holds the user's session token, not their id: a new token ends every session."""
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.active.is_(True))
    )


def role_required(*roles: Role) -> Callable:
    """Deny by default: signed-out people go to sign-in, other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def home_url_for(user: User) -> str:
    return {
        Role.PATIENT.value: url_for("patient.today"),
        Role.THERAPIST.value: url_for("therapist.home"),
        Role.ADMIN.value: url_for("admin.home"),
    }[user.role]


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no `//` or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
