"""The person's reminder choices on the account page, and this device's web push subscription
(static/js/reminders.js subscribes and sends it here)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import ChangePasswordForm, ReminderForm
from app.care import content
from app.extensions import db
from app.forms import printable
from app.models import ReminderPreference, User
from app.services.between_visits.reminder_choices import preference_of, save_choices, subscribe, unsubscribe
from app.services.between_visits.reminders import has_reminders_on
from app.web.bodies import takes_json
from app.web.page_context import say


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
    channels = save_choices(
        user,
        by_email=form.by_email.data,
        by_push=form.by_push.data,
        daily_log_at=form.daily_log_at.data,
        quiet_from=form.quiet_from.data,
        quiet_until=form.quiet_until.data,
        timezone=form.timezone.data,
    )
    db.session.commit()
    flash(say(content.REMINDERS_SAVED if channels else content.REMINDERS_OFF), "success")
    return redirect(url_for("auth.account") + "#reminders", code=303)


def subscription_from_request() -> tuple[str, str, str]:
    body = request.get_json(silent=True)
    try:
        endpoint, keys = str(body["endpoint"]), body["keys"]  # type: ignore[index]
        p256dh, auth = str(keys["p256dh"]), str(keys["auth"])
    except (KeyError, TypeError):
        abort(400, say(content.NOT_UNDERSTOOD))
    too_long = len(endpoint) > 1000 or len(p256dh) > 200 or len(auth) > 100
    unprintable = any(printable(value) != value for value in (endpoint, p256dh, auth))
    if not endpoint.startswith("https://") or too_long or unprintable:
        abort(400, say(content.NOT_UNDERSTOOD))
    return endpoint, p256dh, auth


@bp.post("/account/push-subscriptions")
@takes_json
@login_required
def add_push_subscription() -> tuple[Response, int]:
    """This device's subscription; turning it on also turns the push channel on."""
    endpoint, p256dh, auth = subscription_from_request()
    subscribe(current_user._get_current_object(), endpoint, p256dh, auth)
    db.session.commit()
    return jsonify({"ok": True}), 201


@bp.post("/account/push-subscriptions/remove")
@takes_json
@login_required
def remove_push_subscription() -> tuple[Response, int]:
    endpoint, _p256dh, _auth = subscription_from_request()
    unsubscribe(current_user._get_current_object(), endpoint)
    db.session.commit()
    return jsonify({"ok": True}), 200
