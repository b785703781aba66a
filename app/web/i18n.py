"""The language each page speaks: the signed-in person's choice; before sign-in, the choice made
on the sign-in page (a cookie), else the browser's `Accept-Language`; else the clinic's default.
Translations are gettext catalogues under app/translations (Flask-Babel), compiled at install.

A response whose words depend on `Accept-Language` or the language cookie says so in `Vary`, so
that a shared cache never serves one person's language to another."""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_babel import Babel, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

LANGUAGES = {"en": "English", "es": "Español"}
LANGUAGE_COOKIE = "backtrack_language"

babel = Babel()


def available_languages() -> tuple[str, ...]:
    """The languages a person may choose (the clinic's setting `LANGUAGES`, of those shipped)."""
    configured = current_app.config.get("LANGUAGES") or ("en",)
    return tuple(code for code in configured if code in LANGUAGES)


def default_language() -> str:
    configured = current_app.config.get("DEFAULT_LANGUAGE", "en")
    return configured if configured in available_languages() else "en"


def chosen_language() -> str | None:
    """The person's own choice: on their account, or on the sign-in page before they sign in."""
    if current_user and current_user.is_authenticated:
        stored = getattr(current_user, "language", None)
        if stored in available_languages():
            return str(stored)
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    return cookie if cookie in available_languages() else None


def select_locale() -> str:
    chosen = chosen_language()
    if chosen is not None:
        return chosen
    g.language_from_headers = True  # the page depends on Accept-Language and the cookie
    return request.accept_languages.best_match(available_languages()) or default_language()


def page_language() -> str:
    """The language of the page being rendered (`<html lang>`)."""
    return str(get_locale() or default_language())


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, default_locale="en")

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"page_language": page_language, "languages": LANGUAGES}

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        if g.get("language_from_headers"):
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response
