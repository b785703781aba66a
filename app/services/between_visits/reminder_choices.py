"""A person's reminder choices and the phones they receive push notifications on. A push
subscription belongs to one person: a phone that changes hands notifies its new owner only."""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa

from app.care.reminders import DEFAULT_DAILY_LOG_AT, DEFAULT_QUIET_FROM, DEFAULT_QUIET_UNTIL
from app.extensions import db
from app.models import PushSubscription, ReminderPreference, User
from app.services import audit


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


def stored_preference(user: User) -> ReminderPreference:
    """The person's row, made (with the defaults) when they never chose."""
    preference = db.session.get(ReminderPreference, user.id)
    if preference is None:
        preference = preference_of(user)
        db.session.add(preference)
    return preference


def save_choices(
    user: User,
    by_email: bool,
    by_push: bool,
    daily_log_at: time,
    quiet_from: time,
    quiet_until: time,
    timezone: str | None,
) -> list[str]:
    """Store the choices; returns the channels now on."""
    preference = stored_preference(user)
    preference.by_email, preference.by_push = by_email, by_push
    preference.daily_log_at, preference.quiet_from, preference.quiet_until = (
        daily_log_at,
        quiet_from,
        quiet_until,
    )
    preference.timezone = timezone or None
    channels = [name for name, on in (("email", by_email), ("push", by_push)) if on]
    audit.record(
        "reminders_update", patient_id=audit.patient_id_of(user), detail=f"on={','.join(channels) or 'none'}"
    )
    return channels


def subscribe(user: User, endpoint: str, p256dh: str, auth: str) -> None:
    """This device's subscription for `user`; turning it on also turns the push channel on."""
    existing = db.session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if existing is not None and existing.user_id != user.id:
        db.session.delete(existing)  # the phone changed hands: it now notifies this person only
        db.session.flush()
        existing = None
    if existing is None:
        db.session.add(PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth))
    stored_preference(user).by_push = True
    audit.record("push_subscribe", patient_id=audit.patient_id_of(user))


def unsubscribe(user: User, endpoint: str) -> None:
    """Only the person's own subscription goes; another person's endpoint is left alone."""
    db.session.execute(
        sa.delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id
        )
    )
    audit.record("push_unsubscribe", patient_id=audit.patient_id_of(user))
