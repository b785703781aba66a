"""What every FHIR response shares: JSON as `application/fhir+json`, never cached, errors as an
OperationOutcome (never an HTML page, never a 500), the bearer token turned into a caller, the
per-client rate limit, and one audit row per read naming the client and the patients returned."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, NoReturn

from flask import Response, abort, g, request
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager
from app.services import audit
from app.services.api import rate_limits, tokens
from app.services.api.access import Reader
from app.services.api.resources import Context
from app.services.api.scopes import Scopes
from app.services.api.urls import fhir_base
from app.services.clinic.settings import clinic_today_now

FHIR_JSON = "application/fhir+json"
ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
               413: "too-costly", 429: "throttled", 500: "exception"}  # fmt: skip
MAX_IDS_IN_AUDIT = 40


class Refusal(HTTPException):
    """An answer other than success, as an OperationOutcome."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.code = status
        self.issue = code or ISSUE_CODES.get(status, "processing")
        self.extra_headers = headers or {}

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:  # noqa: ARG002
        response = fhir_json(outcome(self.issue, str(self.description)), self.code or 400)
        response.headers.update(self.extra_headers)
        return response


def refuse(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> NoReturn:
    raise Refusal(status, message, code, headers)


def outcome(code: str, message: str, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }


def fhir_json(resource: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(resource, separators=(",", ":")), status=status, mimetype=FHIR_JSON)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers or {})
    return response


def context() -> Context:
    return Context(fhir_base(), clinic_today_now())


def anonymous_session() -> None:
    """The API answers to bearer tokens only: a browser's session cookie counts for nothing here
    (and so can never be recorded as the reader)."""
    g._login_user = login_manager.anonymous_user()


def bearer_secret() -> str:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


CHALLENGE = 'Bearer realm="backtrack"'


def current_reader() -> Reader:
    """The caller behind the bearer token, counted against its client's rate limit."""
    secret = bearer_secret()
    if not secret:
        refuse(
            401,
            "This needs an access token (Authorization: Bearer ...).",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    token = tokens.live_access_token(secret)
    if token is None:
        refuse(
            401,
            "That access token is not valid: expired, revoked or unknown.",
            headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'},
        )
    verdict = rate_limits.count_call(token.client)
    db.session.commit()
    if not verdict.allowed:
        refuse(
            429,
            f"Too many requests: this client may make {verdict.limit} a minute. Try again shortly.",
            headers={"Retry-After": str(verdict.retry_after)},
        )
    return Reader(token, token.client, token.user, Scopes.of(token.scope))


def require(reader: Reader, resource_type: str, interaction: str) -> None:
    if not reader.allows(resource_type, interaction):
        words = "read" if interaction == "r" else "search"
        refuse(403, f"This token's scopes do not allow {words} of {resource_type}.", "forbidden")


def ids_words(patient_ids: Iterable[int]) -> str:
    ids = sorted(set(patient_ids))
    shown = ",".join(map(str, ids[:MAX_IDS_IN_AUDIT]))
    more = f" (+{len(ids) - MAX_IDS_IN_AUDIT} more)" if len(ids) > MAX_IDS_IN_AUDIT else ""
    return f"patients {shown}{more}" if ids else "no patients"


def audit_read(reader: Reader, action: str, patient_ids: Iterable[int], outcome_words: str = "") -> None:
    """One row per API call: the client, what was asked, the patients it returned."""
    ids = sorted(set(patient_ids))
    query = request.query_string.decode("utf-8", "replace")
    asked = request.path + (f"?{query}" if query else "")
    who = f"{reader.client.name} ({reader.client.client_id})"
    detail = f"{who}: {request.method} {asked[:200]} -> {ids_words(ids)}"
    if outcome_words:
        detail += f"; {outcome_words}"
    audit.record(
        action,
        patient_id=ids[0] if len(ids) == 1 else None,
        actor_id=reader.actor_id(),
        detail=detail,
    )
    db.session.commit()


def not_found(reader: Reader, resource_type: str, resource_id: str) -> NoReturn:
    audit_read(reader, "fhir_refused", [], f"{resource_type}/{resource_id[:64]} answered 404")
    refuse(404, f"{resource_type}/{resource_id[:64]} is not here, or this token may not see it.")


def query_args() -> dict[str, list[str]]:
    return {key: request.args.getlist(key) for key in request.args}


def no_body_expected() -> None:
    if request.method in ("GET", "DELETE") and request.content_length:
        abort(400)
