"""The account page's list of apps that can read this person's records through the FHIR API,
each with a button that stops it (every token it holds for this person is revoked)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth import bp
from app.care import content
from app.extensions import db
from app.models import ApiClient, User
from app.services import audit
from app.services.api import tokens
from app.web.page_context import say


@bp.app_context_processor
def connected_app_helpers() -> dict[str, Any]:
    return {"connected_apps_of": tokens.connected_apps}


@bp.post("/account/apps/<int:client_id>/stop")
@login_required
def stop_app(client_id: int) -> Response:
    user: User = current_user._get_current_object()
    client = db.session.get(ApiClient, client_id)
    ended = tokens.disconnect(user, client_id) if client is not None else 0
    if client is None or not ended:
        abort(404)
    audit.record(
        "api_app_disconnect",
        patient_id=audit.patient_id_of(user),
        detail=f"{client.name} ({client.client_id}): {ended} tokens ended",
    )
    db.session.commit()
    flash(say(content.APP_STOPPED, app=client.name), "success")
    return redirect(url_for("auth.account") + "#apps", code=303)
