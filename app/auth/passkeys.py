"""Passkeys: add and remove them on the account page, sign in with one on the sign-in page, and
the one-time offer on Today after a patient's first password sign-in on a phone. The browser side
is static/js/passkeys.js; the checks are in app/services/accounts/passkeys.py."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import PasskeyNameForm
from app.auth.session import home_url_for, start_session
from app.care import content
from app.extensions import db
from app.models import User
from app.services.accounts import passkeys as service
from app.services.accounts.sign_in import refuse_inactive
from app.services.clinic.settings import current_settings
from app.web.bodies import takes_json
from app.web.page_context import say
from app.web.security import is_safe_next

PHONE_WORDS = ("Mobile", "Android", "iPhone")
OFFER_KEY = "passkey_offer"


def rp() -> service.RelyingParty:
    return service.relying_party(
        current_app.config.get("PUBLIC_URL"), request.host_url, current_settings().name
    )


def credential_from_request() -> tuple[dict[str, Any], dict[str, Any]]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        abort(400, say(content.NOT_UNDERSTOOD))
    return body, body["credential"]


def refused(message: str, status: int = 400) -> tuple[Response, int]:
    """A refusal passkeys.js shows next to the button: a catalogue text, in the page's language."""
    return jsonify({"error": say(message)}), status


@bp.app_context_processor
def passkey_helpers() -> dict[str, Any]:
    return {"passkeys_of": service.passkeys_of, "passkey_offer_open": lambda: bool(session.get(OFFER_KEY))}


# --- Adding and removing -------------------------------------------------------------------------


@bp.post("/passkeys/register/options")
@takes_json
@login_required
def register_options() -> Response:
    options = service.registration_options(current_user._get_current_object(), rp())
    db.session.commit()
    return Response(options, mimetype="application/json")


@bp.post("/passkeys/register")
@takes_json
@login_required
def register() -> Response | tuple[Response, int]:
    body, credential = credential_from_request()
    form = PasskeyNameForm(data={"name": body.get("name")}, meta={"csrf": False})
    if not form.validate():
        return refused(" ".join(say(error) for error in form.name.errors), 422)
    user: User = current_user._get_current_object()
    try:
        passkey = service.add_passkey(user, credential, form.name.data, rp())
    except service.PasskeyError as error:
        db.session.commit()  # the used challenge stays used
        return refused(str(error))
    session.pop(OFFER_KEY, None)
    db.session.commit()
    flash(say(content.PASSKEY_ADDED, name=passkey.name), "success")
    return jsonify({"redirect": url_for("auth.account") + "#passkeys"})


@bp.post("/passkeys/<int(max=2147483647):passkey_id>/remove")
@login_required
def remove(passkey_id: int) -> Response:
    name = service.remove_passkey(current_user._get_current_object(), passkey_id)
    if name is None:
        abort(404)
    db.session.commit()
    flash(say(content.PASSKEY_REMOVED, name=name), "success")
    return redirect(url_for("auth.account") + "#passkeys", code=303)


# --- Signing in ------------------------------------------------------------------------------------


@bp.post("/passkeys/sign-in/options")
@takes_json
def sign_in_options() -> Response:
    options = service.authentication_options(rp())
    db.session.commit()
    return Response(options, mimetype="application/json")


@bp.post("/passkeys/sign-in")
@takes_json
def sign_in() -> Response | tuple[Response, int]:
    body, credential = credential_from_request()
    try:
        user = service.verify_sign_in(credential, rp())
    except service.PasskeyError as error:
        db.session.commit()  # the failure is on the record; the challenge stays used
        return refused(str(error))
    if not user.active:
        refuse_inactive(user)
        return refused(content.ACCOUNT_NOT_ACTIVE, 403)
    start_session(user, "passkey")
    target = body.get("next")
    return jsonify(
        {"redirect": target if isinstance(target, str) and is_safe_next(target) else home_url_for(user)}
    )


# --- The offer on Today --------------------------------------------------------------------------


def offer_passkey_on_phone(user: User, user_agent: str) -> None:
    """After a patient's first password sign-in on a phone, Today offers a passkey, once."""
    if service.offer_once(user, on_phone=any(word in user_agent for word in PHONE_WORDS)):
        session[OFFER_KEY] = True


@bp.post("/passkeys/offer/dismiss")
@login_required
def dismiss_offer() -> Response:
    session.pop(OFFER_KEY, None)
    return redirect(home_url_for(current_user), code=303)
