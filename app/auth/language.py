"""Choosing the language of the pages: on the account page (kept on the account), and on the
sign-in and set-password pages before signing in (a cookie, taken onto the account at sign-in).
Only the languages ready for patients are offered (app/services/clinic/languages.py)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import LanguageForm
from app.care import content
from app.extensions import db
from app.services.accounts.accounts import choose_language
from app.services.clinic import languages
from app.web.i18n import LANGUAGE_COOKIE, page_language
from app.web.page_context import say
from app.web.security import is_safe_next

COOKIE_DAYS = 365


def language_form() -> LanguageForm | None:
    """The chooser for the page being drawn, or None while only one language is ready."""
    ready = languages.ready_languages()
    if len(ready) < 2:
        return None
    here = page_language()
    form = LanguageForm(formdata=None, language=here, next=request.full_path.rstrip("?"))
    form.language.choices = [(code, languages.SHIPPED[code]) for code in ready]
    form.label_elsewhere = [
        (code, languages.translation_of(content.LANGUAGE_LABEL, code) or content.LANGUAGE_LABEL)
        for code in ready
        if code != here
    ]
    return form


@bp.app_context_processor
def language_chooser() -> dict[str, Any]:
    return {"language_form": language_form}


@bp.post("/language")
def choose() -> Response:
    """Keep the choice, then back to the page it was made on. A language that is not ready (or
    not one at all) is refused plainly: the chooser only ever offers ready ones."""
    form = LanguageForm()
    form.language.choices = [(code, languages.SHIPPED[code]) for code in languages.ready_languages()]
    if not form.validate():
        abort(400, say(content.LANGUAGE_NOT_OFFERED))
    target = form.next.data if is_safe_next(form.next.data) else url_for("auth.home")
    response = redirect(target, code=303)
    if current_user.is_authenticated:
        choose_language(current_user._get_current_object(), form.language.data)
        db.session.commit()
    response.set_cookie(
        LANGUAGE_COOKIE,
        form.language.data,
        max_age=COOKIE_DAYS * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
