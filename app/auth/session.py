"""How a session cookie becomes a user, and where each role starts."""

from __future__ import annotations

from flask import after_this_request, current_app, flash, request, url_for
from flask.wrappers import Response

from app.models import Role, User
from app.services.accounts import devices
from app.services.accounts.accounts import choose_language
from app.services.accounts.sign_in import begin_session
from app.services.clinic import languages
from app.web.i18n import LANGUAGE_COOKIE


def home_url_for(user: User) -> str:
    return {
        Role.PATIENT.value: url_for("patient.today"),
        Role.THERAPIST.value: url_for("therapist.home"),
        Role.ADMIN.value: url_for("admin.home"),
    }[user.role]


def start_session(user: User, method: str) -> None:
    """A sign-in by password, passkey or setup link: a new session and cookie, and the owner told of
    failed tries on the account since their last visit. A language chosen on the sign-in page
    becomes the account's, unless the account has one."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if user.language is None and chosen and languages.is_ready(chosen):
        choose_language(user, chosen)
    tries = begin_session(user, method)
    remember_device(user)
    if tries is not None:
        flash(
            f"There were {tries.count} failed tries to sign in to your account since you last signed "
            f"in, the latest from {tries.last_address or 'an unknown address'}. If that was not you, "
            "change your password on your account page.",
            "error",
        )


def remember_device(user: User) -> None:
    """The long-lived cookie that lets this browser's next correct password through the guessing
    limits (app/services/accounts/devices.py)."""
    value = devices.remembered(request.cookies.get(devices.COOKIE), user)

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            devices.COOKIE,
            value,
            max_age=int(devices.LIFETIME.total_seconds()),
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE", True)),
            httponly=True,
            samesite="Lax",
        )
        return response
