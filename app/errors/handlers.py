"""One handler for every HTTP error, plus CSRF failures. The page speaks the reader's language:
its words are catalogue texts, and so are the messages the app's own refusals give (`abort(400,
content.NOT_UNDERSTOOD)`), which it shows translated."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.care import content
from app.extensions import db
from app.web.bodies import is_photo_upload, too_big_words
from app.web.page_context import say

TITLES = {
    400: content.ERROR_BAD_REQUEST,
    403: content.ERROR_NO_ACCESS,
    404: content.ERROR_NOT_FOUND,
    405: content.ERROR_NOT_ALLOWED,
    413: content.ERROR_TOO_LARGE,
    415: content.ERROR_BAD_REQUEST,
    422: content.ERROR_CHECK_ANSWERS,
    429: content.ERROR_TOO_MANY,
    500: content.ERROR_OUR_SIDE,
}
CSRF_MESSAGE = content.FORM_EXPIRED


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        default = error.description if error.description != type(error).description else None
        if code == 413 and default is None and is_photo_upload():  # past it while the body was read
            default = too_big_words()
        return render_error(code, default)

    @app.errorhandler(Exception)
    def unexpected_error(_error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(500, None, InternalServerError())


def render_error(code: int, message: str | None, _error: Exception | None = None) -> tuple[str, int]:
    """The error page. A message that is a catalogue text is shown in the reader's language (one
    already translated, or not in the catalogue, is shown as it is)."""
    title = say(TITLES.get(code, content.ERROR_BAD_REQUEST))
    shown = gettext(message) if message else None
    return render_template("errors/error.html", code=code, title=title, message=shown), code
