"""One handler for every HTTP error, plus CSRF failures."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.web.bodies import is_photo_upload, too_big_words

TITLES = {
    400: "That request did not work",
    403: "You do not have access to this page",
    404: "We could not find that page",
    405: "That action is not allowed here",
    413: "That was too much to send",
    415: "That request did not work",
    422: "Please check your answers",
    429: "Too many tries",
    500: "Something went wrong on our side",
}
CSRF_MESSAGE = (
    "This form had expired or was sent from somewhere else, so nothing was saved. "
    "Go back, reload the page and try again."
)


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
    title = TITLES.get(code, "That request did not work")
    return render_template("errors/error.html", code=code, title=title, message=message), code
