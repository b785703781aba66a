"""The language each page speaks: the signed-in person's choice; before sign-in, the choice made
on the sign-in page (a cookie), else the browser's `Accept-Language`; else the clinic's default.
Translations are gettext catalogues under app/translations (Flask-Babel), compiled at install.

A response whose words depend on `Accept-Language` or the language cookie says so in `Vary`, so
that a shared cache never serves one person's language to another."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from app.services.clinic import languages

LANGUAGE_COOKIE = "backtrack_language"

babel = Babel()


def chosen_language() -> str | None:
    """The person's own choice, while it is ready: on their account, or on the sign-in page
    before they sign in (a cookie)."""
    if current_user and current_user.is_authenticated:
        stored = getattr(current_user, "language", None)
        if stored and languages.is_ready(stored):
            return str(stored)
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    return cookie if cookie and languages.is_ready(cookie) else None


def select_locale() -> str:
    chosen = chosen_language()
    if chosen is not None:
        return chosen
    g.language_from_headers = True  # the page depends on Accept-Language and the cookie
    # Matched among the offered languages first: only a non-English match costs a look at its sign-off.
    best = request.accept_languages.best_match(languages.offered())
    return best if best and languages.is_ready(best) else languages.default_language()


def page_language() -> str:
    """The language of the page being rendered (`<html lang>`)."""
    return str(get_locale() or languages.default_language())


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale, default_locale="en")
    # The templates' _(), ngettext and pgettext, as Flask-Babel installs them, with the request's
    # catalogue looked up once (languages.page_translations) instead of once a text.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: languages.page_translations().gettext(s),
        ngettext=lambda s, p, n: languages.page_translations().ngettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: languages.page_translations().pgettext(c, s),
        npgettext=lambda c, s, p, n: languages.page_translations().npgettext(c, s, p, n),
    )

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"page_language": page_language, "language_names": languages.SHIPPED}

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        if g.get("language_from_headers"):
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        if response.mimetype == "text/html" and "Content-Language" not in response.headers:
            # The service worker reads it to show the offline page in the language last read.
            response.headers["Content-Language"] = page_language()
        return response
