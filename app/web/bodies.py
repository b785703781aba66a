"""Which request bodies each route takes, checked before any view reads one (docs/security.md#input).

A form route takes a form (`application/x-www-form-urlencoded`, or `multipart/form-data`, whose
files are never read, except on a route marked `@takes_photo`: the exercise photo upload, whose
multipart body may be as large as EXERCISE_PHOTO_MAX_BYTES and a little more); a route marked
`@takes_json` (the browser's fetch for passkeys and push) takes JSON only, at most MAX_JSON_DEPTH
deep (Python's parser would recurse until it crashes on a deeply nested body). Anything else with
a body answers 415, too deep or unreadable JSON 400, and a body past MAX_CONTENT_LENGTH 413
(Werkzeug). So no view meets a body it was not written for: a JSON body never reaches a form
(Flask-WTF would read it as the form's data), and nothing an attacker sends can reach the 500
handler through the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, jsonify, request
from flask.wrappers import Response
from flask_babel import gettext

from app.services.treatment.photos import megabytes

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
JSON_TYPES = frozenset({"application/json"})
MAX_JSON_DEPTH = 20
WITH_BODIES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MARK = "backtrack_takes_json"
NOT_THIS_TYPE = "This address takes a form, sent the way the page sends it."
NOT_JSON = "This address takes JSON."
TOO_DEEP = "That request was not understood."
TOO_BIG = "That was more than this address takes."
PHOTO = "backtrack_takes_photo"
PHOTO_FORM_ALLOWANCE = 64 * 1024  # the form's other fields and the multipart boundaries

View = TypeVar("View", bound=Callable[..., object])


def takes_json(view: View) -> View:
    """Mark a view (directly under its route decorator) as taking a JSON body."""
    setattr(view, MARK, True)
    return view


def takes_photo(view: View) -> View:
    """Mark a view (directly under its route decorator) as taking one uploaded photo in a
    multipart form, up to EXERCISE_PHOTO_MAX_BYTES (app/services/treatment/photos.py reads it)."""
    setattr(view, PHOTO, True)
    return view


def is_photo_upload() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, PHOTO, False)) and request.mimetype == "multipart/form-data"


def photo_request_limit() -> int:
    return int(current_app.config["EXERCISE_PHOTO_MAX_BYTES"]) + PHOTO_FORM_ALLOWANCE


def too_big_words() -> str:
    """What a request past its limit is told; on the photo upload, the photo's limit and what to do."""
    if not is_photo_upload():
        return TOO_BIG
    limit = int(current_app.config["EXERCISE_PHOTO_MAX_BYTES"])
    words = gettext(
        "That photo is larger than %(limit)s, so nothing was saved. Go back, choose a smaller photo "
        "(or save this one smaller) and upload it again.",
        limit=megabytes(limit),
    )
    return str(words)


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest


def has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")


def refuse(wants_json: bool, code: int, message: str) -> Response | None:
    if wants_json:
        response = jsonify({"error": message})
        response.status_code = code
        return response
    abort(code, message)


def check_body() -> Response | None:
    if request.method not in WITH_BODIES or request.endpoint is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    wants_json = bool(getattr(view, MARK, False))
    if not has_body():
        return None
    limit = request.max_content_length
    if limit and (request.content_length or 0) > limit:
        return refuse(wants_json, 413, too_big_words())
    if wants_json:
        if request.mimetype not in JSON_TYPES:
            return refuse(True, 415, NOT_JSON)
        text = request.get_data(as_text=True)  # bounded by MAX_CONTENT_LENGTH (413 past it)
        if json_depth(text) > MAX_JSON_DEPTH:
            return refuse(True, 400, TOO_DEEP)
        return None
    if request.mimetype not in FORM_TYPES:
        return refuse(False, 415, NOT_THIS_TYPE)
    return None


def allow_a_photo() -> None:
    """On the photo upload, a multipart body may be as large as a photo: set before anything reads
    the body (the CSRF check reads the form first), and Werkzeug holds a body that gives no length
    to the same limit. Every other body keeps MAX_CONTENT_LENGTH."""
    if is_photo_upload():
        request.max_content_length = photo_request_limit()
        if (request.content_length or 0) > request.max_content_length:
            abort(413, too_big_words())


def register(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, allow_a_photo)
    app.before_request(check_body)
