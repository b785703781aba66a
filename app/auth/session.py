"""How a session cookie becomes a user, and where each role starts."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import after_this_request, current_app, flash, request, url_for
from flask.wrappers import Response
from flask_babel import force_locale

from app.care import content
from app.models import Role, User
from app.services.accounts import devices
from app.services.accounts.accounts import choose_language
from app.services.accounts.sign_in import begin_session
from app.services.clinic import languages
from app.web.i18n import LANGUAGE_COOKIE
from app.web.page_context import say, say_count


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
        with speaking_as_the_next_page(user):
            address = tries.last_address or say(content.UNKNOWN_ADDRESS)
            flash(say_count(content.FAILED_TRIES, tries.count, address=address), "error")


def speaking_as_the_next_page(user: User) -> AbstractContextManager[object]:
    """Words said at sign-in (a flash) in the language of the page that shows them: the account's
    choice once signed in, else the one this page was drawn in (the browser's, or the cookie's)."""
    chosen = user.language
    return force_locale(chosen) if chosen and languages.is_ready(chosen) else nullcontext()


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
