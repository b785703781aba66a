"""Which request bodies each route takes, checked before any view reads one (docs/security.md#input).

A form route takes a form (`application/x-www-form-urlencoded`, or `multipart/form-data`, whose
files are never read); a route marked `@takes_json` (the browser's fetch for passkeys and push)
takes JSON only, at most MAX_JSON_DEPTH deep (Python's parser would recurse until it crashes on a
deeply nested body). Anything else with a body answers 415, too deep or unreadable JSON 400, and a
body past MAX_CONTENT_LENGTH 413 (Werkzeug). So no view meets a body it was not written for: a JSON
body never reaches a form (Flask-WTF would read it as the form's data), and nothing an attacker
sends can reach the 500 handler through the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, jsonify, request
from flask.wrappers import Response

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
JSON_TYPES = frozenset({"application/json"})
MAX_JSON_DEPTH = 20
WITH_BODIES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MARK = "backtrack_takes_json"
NOT_THIS_TYPE = "This address takes a form, sent the way the page sends it."
NOT_JSON = "This address takes JSON."
TOO_DEEP = "That request was not understood."
TOO_BIG = "That was more than this address takes."

View = TypeVar("View", bound=Callable[..., object])


def takes_json(view: View) -> View:
    """Mark a view (directly under its route decorator) as taking a JSON body."""
    setattr(view, MARK, True)
    return view


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
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        return refuse(wants_json, 413, TOO_BIG)
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


def register(app: Flask) -> None:
    app.before_request(check_body)
