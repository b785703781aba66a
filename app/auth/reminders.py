"""The person's reminder choices on the account page, and this device's web push subscription
(static/js/reminders.js subscribes and sends it here)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import ChangePasswordForm, ReminderForm
from app.care.reminders import DEFAULT_DAILY_LOG_AT, DEFAULT_QUIET_FROM, DEFAULT_QUIET_UNTIL
from app.extensions import db
from app.forms import printable
from app.models import PushSubscription, ReminderPreference, User
from app.services import audit
from app.services.between_visits.reminders import has_reminders_on


def preference_of(user: User) -> ReminderPreference:
    """The stored choices, or the defaults (reminders off) for someone who never chose."""
    stored = db.session.get(ReminderPreference, user.id)
    if stored is not None:
        return stored
    return ReminderPreference(
        user_id=user.id,
        by_email=False,
        by_push=False,
        daily_log_at=DEFAULT_DAILY_LOG_AT,
        quiet_from=DEFAULT_QUIET_FROM,
        quiet_until=DEFAULT_QUIET_UNTIL,
        timezone=None,
    )


def reminder_form_for(user: User) -> ReminderForm:
    preference = preference_of(user)
    form = ReminderForm(formdata=None, obj=preference)
    form.timezone.data = preference.timezone or ""
    return form


@bp.app_context_processor
def reminder_helpers() -> dict[str, Any]:
    def reminders_on(user_id: int) -> ReminderPreference | None:
        return has_reminders_on([user_id]).get(user_id)

    return {"reminder_form_for": reminder_form_for, "reminders_on": reminders_on}


@bp.post("/account/reminders")
@login_required
def save_reminders() -> Response | tuple[str, int]:
    user: User = current_user._get_current_object()
    form = ReminderForm()
    if not form.validate():
        page = render_template(
            "auth/account.html", form=ChangePasswordForm(formdata=None), reminder_form=form
        )
        return page, 422
    preference = db.session.get(ReminderPreference, user.id) or ReminderPreference(user_id=user.id)
    db.session.add(preference)
    preference.by_email, preference.by_push = form.by_email.data, form.by_push.data
    preference.daily_log_at, preference.quiet_from = form.daily_log_at.data, form.quiet_from.data
    preference.quiet_until = form.quiet_until.data
    preference.timezone = form.timezone.data or None
    channels = [name for name, on in (("email", preference.by_email), ("push", preference.by_push)) if on]
    audit.record(
        "reminders_update", patient_id=audit.patient_id_of(user), detail=f"on={','.join(channels) or 'none'}"
    )
    db.session.commit()
    flash("Your reminder choices are saved." if channels else "Reminders are off.", "success")
    return redirect(url_for("auth.account") + "#reminders", code=303)


def subscription_from_request() -> tuple[str, str, str]:
    body = request.get_json(silent=True)
    try:
        endpoint, keys = str(body["endpoint"]), body["keys"]  # type: ignore[index]
        p256dh, auth = str(keys["p256dh"]), str(keys["auth"])
    except (KeyError, TypeError):
        abort(400, "That request was not understood.")
    too_long = len(endpoint) > 1000 or len(p256dh) > 200 or len(auth) > 100
    unprintable = any(printable(value) != value for value in (endpoint, p256dh, auth))
    if not endpoint.startswith("https://") or too_long or unprintable:
        abort(400, "That request was not understood.")
    return endpoint, p256dh, auth


@bp.post("/account/push-subscriptions")
@login_required
def add_push_subscription() -> tuple[Response, int]:
    """This device's subscription; turning it on also turns the push channel on."""
    endpoint, p256dh, auth = subscription_from_request()
    user: User = current_user._get_current_object()
    existing = db.session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if existing is not None and existing.user_id != user.id:
        db.session.delete(existing)  # the phone changed hands: it now notifies this person only
        db.session.flush()
        existing = None
    if existing is None:
        db.session.add(PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth))
    preference = db.session.get(ReminderPreference, user.id)
    if preference is None:
        preference = preference_of(user)
        db.session.add(preference)
    preference.by_push = True
    audit.record("push_subscribe", patient_id=audit.patient_id_of(user))
    db.session.commit()
    return jsonify({"ok": True}), 201


@bp.post("/account/push-subscriptions/remove")
@login_required
def remove_push_subscription() -> tuple[Response, int]:
    endpoint, _p256dh, _auth = subscription_from_request()
    db.session.execute(
        sa.delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == current_user.id
        )
    )
    audit.record("push_unsubscribe", patient_id=audit.patient_id_of(current_user))
    db.session.commit()
    return jsonify({"ok": True}), 200
