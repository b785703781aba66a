"""Sending the reminders that are due now (`flask send-reminders`, run every 5–15 minutes).

The rules live in app/care/reminders.py; this module gathers each person's facts in a fixed
number of queries, claims each due reminder, and sends it. Safe on several hosts at once:
a reminder is one unique (person, kind, day) row, inserted (or, for a retry, taken over once its
lease has run out) before anything is sent, so only one run ever sends it. A channel that fails
is logged and tried again by a later run; the channel that worked is not repeated. A push
subscription the push service no longer knows (404/410) is removed.

To add a kind (a questionnaire that is due): one entry in REMINDER_KINDS, and the fact its rule
reads gathered in `gather_facts` below.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from app.care import content, follow_up
from app.care.protocol import clinic_today
from app.care.reminders import DueReminder, ReminderFacts, ReminderKind, due_reminders
from app.extensions import db
from app.models import (
    DailyLog,
    Message,
    PushSubscription,
    ReminderPreference,
    ReminderSend,
    Role,
    Treatment,
    User,
)
from app.models.base import utcnow
from app.services.between_visits.channels import (
    ChannelError,
    PushPayload,
    SubscriptionGone,
    send_email,
    send_push,
)
from app.services.between_visits.leases import insert_claim, take_over
from app.services.between_visits.messages import unread_for_staff
from app.services.clinic.languages import speaking
from app.services.clinic.settings import ClinicSettings

log = logging.getLogger("backtrack.reminders")

LEASE = timedelta(minutes=10)  # a run that died mid-send is taken over after this
RETRY_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 6


@dataclass
class Recipient:
    user: User
    preference: ReminderPreference
    facts: ReminderFacts


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)  # "email@example.com daily_log"
    failed: list[str] = field(default_factory=list)
    claimed_elsewhere: int = 0


def gather_facts(now: datetime, settings: ClinicSettings) -> list[Recipient]:
    """Everyone with a reminder channel on, with what the rules need (six queries in all)."""
    rows = db.session.execute(
        sa.select(User, ReminderPreference)
        .join(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(
            User.active.is_(True),
            sa.or_(ReminderPreference.by_email.is_(True), ReminderPreference.by_push.is_(True)),
        )
        .order_by(User.id)
    ).all()
    if not rows:
        return []
    ids = [user.id for user, _ in rows]
    patients = [user.id for user, _ in rows if user.role == Role.PATIENT.value]
    today = clinic_today(now, settings.timezone)
    stamp = naive_utc(now)
    treatments = {
        t.patient_id: t
        for t in db.session.scalars(
            sa.select(Treatment).where(Treatment.patient_id.in_(patients), Treatment.status == "active")
        )
    }
    logged: dict[int, set[date]] = defaultdict(set)
    for patient_id, day in db.session.execute(
        sa.select(DailyLog.patient_id, DailyLog.day).where(
            DailyLog.patient_id.in_(patients), DailyLog.day >= today - timedelta(days=follow_up.WEEKLY)
        )
    ):
        logged[patient_id].add(day)
    unread_patients = dict(
        db.session.execute(
            sa.select(Message.patient_id, sa.func.count())
            .where(
                Message.patient_id.in_(patients),
                Message.author_id != Message.patient_id,
                Message.read_at.is_(None),
            )
            .group_by(Message.patient_id)
        ).all()
    )
    unread_staff = unread_for_staff([user.id for user, _ in rows if user.role == Role.THERAPIST.value])
    sent: dict[int, set[tuple[str, date]]] = defaultdict(set)
    for send in db.session.scalars(
        sa.select(ReminderSend).where(
            ReminderSend.user_id.in_(ids), ReminderSend.day >= today - timedelta(days=2)
        )
    ):
        if send.done_at is not None or send.attempts >= MAX_ATTEMPTS or send.lease_until > stamp:
            sent[send.user_id].add((send.kind, send.day))
    recipients = []
    for user, preference in rows:
        treatment = treatments.get(user.id)
        is_patient = user.role == Role.PATIENT.value
        facts = ReminderFacts(
            timezone=preference.timezone or settings.timezone,
            is_patient=is_patient,
            daily_log_at=preference.daily_log_at,
            quiet_from=preference.quiet_from,
            quiet_until=preference.quiet_until,
            logged_days=frozenset(logged[user.id]),
            injection_date=treatment.injection_date if treatment else None,
            log_every=follow_up.log_every((today - treatment.injection_date).days, treatment.log_every_days)
            if treatment
            else follow_up.DAILY,
            nsaid_window_starts=settings.nsaid_window(treatment.injection_date).starts if treatment else None,
            unread_messages=unread_patients.get(user.id, 0) if is_patient else unread_staff.get(user.id, 0),
            sent=frozenset(sent[user.id]),
        )
        recipients.append(Recipient(user, preference, facts))
    return recipients


def naive_utc(now: datetime) -> datetime:
    """The stored form of a moment (naive UTC); `now` may be aware or naive UTC."""
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now


def claim(user_id: int, due: DueReminder, now: datetime) -> ReminderSend | None:
    """Take this reminder for this run, or None when another run has it (or had it)."""
    now = naive_utc(now)
    kind = due.kind.key
    existing = db.session.scalar(
        sa.select(ReminderSend).where(
            ReminderSend.user_id == user_id, ReminderSend.kind == kind, ReminderSend.day == due.day
        )
    )
    if existing is None:
        row = ReminderSend(user_id=user_id, kind=kind, day=due.day, claimed_at=now, lease_until=now + LEASE)
        row.attempts = 1
        return row if insert_claim(row) else None
    return existing if take_over(existing, now, LEASE, MAX_ATTEMPTS) else None


def link_for(kind: ReminderKind, user: User, config: Mapping[str, Any]) -> str:
    path = kind.patient_path if user.role == Role.PATIENT.value else kind.staff_path
    return public_url(config) + path


def public_url(config: Mapping[str, Any]) -> str:
    return str(config.get("PUBLIC_URL") or "http://localhost:5000").rstrip("/")


def email_body(kind: ReminderKind, user: User, config: Mapping[str, Any]) -> str:
    return content.render(
        gettext(content.REMINDER_EMAIL_BODY),
        subject=gettext(kind.subject),
        link=link_for(kind, user, config),
        account_link=public_url(config) + "/account#reminders",
    )


def push_payload(kind: ReminderKind, user: User) -> PushPayload:
    title, _, words = gettext(kind.subject).partition(": ")
    path = kind.patient_path if user.role == Role.PATIENT.value else kind.staff_path
    return PushPayload(title=title, body=words[:1].upper() + words[1:], url=path, tag=kind.key)


def deliver(
    row: ReminderSend, recipient: Recipient, kind: ReminderKind, config: Mapping[str, Any]
) -> list[str]:
    """Send on every chosen channel not yet done, in the recipient's language; returns the errors
    (empty: all delivered)."""
    with speaking(recipient.user):
        return deliver_in_language(row, recipient, kind, config)


def deliver_in_language(
    row: ReminderSend, recipient: Recipient, kind: ReminderKind, config: Mapping[str, Any]
) -> list[str]:
    user, preference = recipient.user, recipient.preference
    errors: list[str] = []
    if preference.by_email and row.email_sent_at is None:
        try:
            send_email(config, user.email, gettext(kind.subject), email_body(kind, user, config))
            row.email_sent_at = utcnow()
        except ChannelError as error:
            errors.append(str(error))
    if preference.by_push and row.push_sent_at is None:
        errors.extend(push_to_devices(row, user, kind, config))
    return errors


def push_to_devices(
    row: ReminderSend, user: User, kind: ReminderKind, config: Mapping[str, Any]
) -> list[str]:
    subscriptions = list(
        db.session.scalars(sa.select(PushSubscription).where(PushSubscription.user_id == user.id))
    )
    errors: list[str] = []
    delivered = False
    for subscription in subscriptions:
        try:
            send_push(config, subscription, push_payload(kind, user))
            delivered = True
        except SubscriptionGone as gone:
            log.info("removing push subscription %s of user %s: %s", subscription.id, user.id, gone)
            db.session.delete(subscription)
        except ChannelError as error:
            errors.append(str(error))
    if delivered or not errors:  # a device that got it is not sent it twice
        row.push_sent_at = utcnow()
        return []
    return errors


def send_due_reminders(now: datetime, settings: ClinicSettings, config: Mapping[str, Any]) -> RunReport:
    """Decide and send everything due at `now` (aware); the CLI passes the real time."""
    report = RunReport()
    for recipient in gather_facts(now, settings):
        decision = due_reminders(recipient.facts, now)
        for due in decision.due:
            row = claim(recipient.user.id, due, now)
            if row is None:
                report.claimed_elsewhere += 1
                continue
            errors = deliver(row, recipient, due.kind, config)
            label = f"{recipient.user.email} {due.kind.key}"
            if errors:
                row.last_error = "; ".join(errors)[:500]
                row.lease_until = naive_utc(now) + RETRY_AFTER
                log.warning("reminder %s (attempt %s) failed: %s", label, row.attempts, row.last_error)
                report.failed.append(label)
            else:
                row.done_at = utcnow()
                row.last_error = ""
                report.sent.append(label)
            db.session.commit()
    return report


def has_reminders_on(user_ids: list[int]) -> dict[int, ReminderPreference]:
    """For staff pages: whose reminders are on (one query)."""
    if not user_ids:
        return {}
    return {
        pref.user_id: pref
        for pref in db.session.scalars(
            sa.select(ReminderPreference).where(
                ReminderPreference.user_id.in_(user_ids),
                sa.or_(ReminderPreference.by_email.is_(True), ReminderPreference.by_push.is_(True)),
            )
        )
    }
