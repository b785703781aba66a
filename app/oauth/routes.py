"""Thin views over Authlib's server (app/services/api/oauth.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from flask import current_app, make_response, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.care import content
from app.extensions import csrf, db
from app.models import Role, User
from app.oauth import bp
from app.services import audit
from app.services.api import scopes as smart_scopes
from app.services.api.oauth import AuthorizationCodeGrant, scopes_for_person, server
from app.services.api.params import printable_ascii
from app.services.api.rate_limits import forget_old_windows
from app.services.api.tokens import token_by_any_secret
from app.services.clinic.settings import current_settings
from app.web.security import content_security_policy

MAX_AUTHORIZE_QUERY = 4000


@bp.record_once
def set_up(state: Any) -> None:
    from app.services.api.oauth import init_app

    init_app(state.app)


def scope_lines(scope: str) -> list[str]:
    """What the app may read, in the patient's words (one line per kind of record)."""
    lines = []
    for name in scope.split():
        parsed = smart_scopes.parse(name)
        if parsed is None:
            continue
        words = content.SCOPE_WORDS.get(parsed.resource_type)
        if words and words not in lines:
            lines.append(words)
    return lines


def policy_allowing(redirect_uri: str) -> str:
    """The site's policy, with the app's own origin added to `form-action`: browsers hold the
    redirect that follows the consent form to it, and the app's callback is elsewhere."""
    parts = urlsplit(redirect_uri)
    policy = content_security_policy(current_app.config["HTMX_URL"])
    return policy.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


def error_page(error: OAuth2Error) -> tuple[str, int]:
    """The person reads the catalogue's words; the library's own (English, for the app's makers)
    come below them."""
    detail = error.description or error.error
    return render_template("oauth/error.html", message=content.OAUTH_ERROR_MESSAGE, detail=detail), 400


def consent_or_error(user: User) -> Any:
    """The validated request (Authlib's grant) or an error answer: redirected to the app once its
    redirect URI is known to be its own, shown here before that."""
    try:
        return server.get_consent_grant(end_user=user)
    except OAuth2Error as error:
        if error.redirect_uri:
            return server.handle_error_response(None, error)
        return error_page(error)


@bp.route("/authorize", methods=["GET", "POST"])
@login_required
def authorize() -> Any:
    """Sign-in is the app's own (login_required sends a signed-out person to it and back); then
    the consent screen names the app and what it may read. Approve or deny, both audited."""
    if len(request.query_string) > MAX_AUTHORIZE_QUERY:
        return render_template("oauth/error.html", message=content.OAUTH_REQUEST_TOO_LONG), 400
    if not all(printable_ascii(value) for values in request.values.listvalues() for value in values):
        return render_template("oauth/error.html", message=content.OAUTH_REQUEST_UNREADABLE), 400
    user: User = current_user._get_current_object()
    grant = consent_or_error(user)
    if not isinstance(grant, AuthorizationCodeGrant):
        return grant
    client = grant.request.client.row
    granted = scopes_for_person(grant.request.scope or "", user)
    if not any(smart_scopes.parse(name) for name in granted):
        error = OAuth2Error()
        error.error, error.description = "invalid_scope", "None of the requested scopes fits this person."
        error.redirect_uri, error.state = grant.redirect_uri, grant.request.payload.state
        grant.request.scope = ""
        return server.handle_error_response(None, error)
    if request.method == "GET":
        page = make_response(
            render_template(
                "oauth/consent.html",
                client=client,
                lines=scope_lines(" ".join(granted)),
                offline="offline_access" in granted,
                staff=user.role != Role.PATIENT.value,
                clinic_name=current_settings().name,
                action=request.full_path,
            )
        )
        page.headers["Content-Security-Policy"] = policy_allowing(grant.redirect_uri)
        return page
    approved = request.form.get("decision") == "approve"
    audit.record(
        "oauth_consent_approved" if approved else "oauth_consent_denied",
        patient_id=audit.patient_id_of(user),
        detail=f"{client.name} ({client.client_id}): {' '.join(granted)}"[:500],
    )
    response = server.create_authorization_response(grant_user=user if approved else None, grant=grant)
    db.session.commit()
    return response


# The token, revocation and introspection endpoints are called by the app's or the backend
# system's own HTTP client, never by a browser form: they carry no session cookie and no CSRF
# token. Each authenticates the client itself (PKCE verifier, JWT assertion), so CSRF does not
# apply (OAuth 2 RFC 6749 §3.2; SMART Backend Services).
@csrf.exempt
@bp.post("/token")
def token() -> Response:
    response: Response = server.create_token_response()
    body = response.get_json(silent=True) or {}
    client_id = request.form.get("client_id", "")[:64]
    if response.status_code == 200:
        row = token_by_any_secret(str(body.get("access_token", "")))
        if row is not None:
            forget_old_windows(row.client)
            audit.record(
                "api_token_issued",
                patient_id=row.patient_id,
                actor_id=row.user_id,
                detail=f"{row.client.name} ({row.client.client_id}): "
                f"{request.form.get('grant_type', '')[:40]}, scope {row.scope}"[:500],
            )
    elif body.get("error") == "invalid_grant" and request.form.get("grant_type") == "authorization_code":
        audit.record(
            "api_token_refused", detail=f"client {client_id}: {body.get('error_description', '')}"[:500]
        )
    db.session.commit()
    response.headers["Cache-Control"] = "no-store"
    return response


@csrf.exempt
@bp.post("/revoke")
def revoke() -> Response:
    response: Response = server.create_endpoint_response("revocation")
    db.session.commit()
    return response


@csrf.exempt
@bp.post("/introspect")
def introspect() -> Response:
    response: Response = server.create_endpoint_response("introspection")
    db.session.commit()
    return response
