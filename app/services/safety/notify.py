"""Telling staff about alerts: the responsible clinician at once, then, for an emergency nobody has
acknowledged, the on-call clinician and the admins (the rules: app/care/escalation.py).

A notification names no patient and no symptom ("Backtrack: a patient needs attention" and a
link to the alert queue): e-mail to the person's address and web push to their devices, through
the reminders' channels. Each step is one `AlertNotice` row, claimed before anything is sent
(inserted, or taken over once its lease has run out), so a step goes out once however many hosts
run `flask send-alerts`; a step is done once anyone it names was reached by any channel, and is
tried again (up to MAX_ATTEMPTS) when nobody was. Every step is on the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import selectinload

from app.care import content
from app.care.escalation import CLINICIAN, ON_CALL, STEP_NAMES, AlertFacts, escalation_wait, next_step
from app.care.on_call import on_call_at
from app.extensions import db
from app.models import Alert, AlertNotice, OnCallShift, PushSubscription, Role, User
from app.services import audit
from app.services.audit import day_words
from app.services.between_visits.channels import (
    ChannelError,
    PushPayload,
    SubscriptionGone,
    send_email,
    send_push,
)
from app.services.between_visits.leases import insert_claim, take_over
from app.services.between_visits.reminders import naive_utc, public_url
from app.services.clinic.languages import speaking
from app.services.clinic.settings import ClinicSettings
from app.services.safety.alerts import NOTICE_LEASE
from app.services.treatment.treatments import current_treatment

log = logging.getLogger("backtrack.alerts")

MAX_ATTEMPTS = 6
RETRY_AFTER = timedelta(minutes=5)
QUEUE_PATH = "/therapist/alerts"
STAFF_ROLES = (Role.THERAPIST.value, Role.ADMIN.value)


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)  # "alert 12 step 1"
    failed: list[str] = field(default_factory=list)
    claimed_elsewhere: int = 0


# --- Who is told ------------------------------------------------------------------------------------


def local_time(moment: datetime, settings: ClinicSettings) -> datetime:
    """A stored (naive UTC) or aware moment on the clinic's clock."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(ZoneInfo(settings.timezone))


def on_call_now(now: datetime, settings: ClinicSettings) -> list[User]:
    """The active staff on call at `now` by the rota (one query)."""
    rows = db.session.execute(
        sa.select(OnCallShift, User)
        .join(User, OnCallShift.clinician_id == User.id)
        .where(User.active.is_(True), User.role.in_(STAFF_ROLES))
        .order_by(OnCallShift.weekday, OnCallShift.starts_at, OnCallShift.id)
    ).all()
    people = {user.id: user for _shift, user in rows}
    return [people[i] for i in on_call_at([shift.shift for shift, _user in rows], local_time(now, settings))]


def admins() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.ADMIN.value, User.active.is_(True)).order_by(User.id)
        )
    )


def responsible_clinician(patient_id: int) -> User | None:
    """The clinician of the patient's current treatment, while their account is active."""
    treatment = current_treatment(patient_id)
    clinician = treatment.therapist if treatment else None
    if clinician is None or not clinician.active or clinician.role not in STAFF_ROLES:
        return None
    return clinician


def recipients(step: int, alert: Alert, now: datetime, settings: ClinicSettings) -> list[User]:
    """Who this step tells. With no responsible clinician (an old treatment, a deactivated
    account), the first step goes to whoever is on call, else to the admins."""
    if step == CLINICIAN:
        clinician = responsible_clinician(alert.patient_id)
        if clinician is not None:
            return [clinician]
        return on_call_now(now, settings) or admins()
    if step == ON_CALL:
        return on_call_now(now, settings)
    return admins()


# --- Sending one step ---------------------------------------------------------------------------------


def push_payload() -> PushPayload:
    title, _, words = gettext(content.ALERT_NOTICE_SUBJECT).partition(": ")
    return PushPayload(title=title, body=words[:1].upper() + words[1:], url=QUEUE_PATH, tag="alert")


def email_body(config: Mapping[str, Any]) -> str:
    return content.render(
        gettext(content.ALERT_NOTICE_EMAIL_BODY),
        subject=gettext(content.ALERT_NOTICE_SUBJECT),
        link=public_url(config) + QUEUE_PATH,
    )


def tell(person: User, config: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """E-mail and push to one person, in their language: (the channels that worked, the errors)."""
    with speaking(person):
        return tell_in_language(person, config)


def tell_in_language(person: User, config: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    worked: list[str] = []
    errors: list[str] = []
    try:
        send_email(config, person.email, gettext(content.ALERT_NOTICE_SUBJECT), email_body(config))
        worked.append("e-mail")
    except ChannelError as error:
        errors.append(f"{person.full_name}: {error}")
    devices = list(
        db.session.scalars(sa.select(PushSubscription).where(PushSubscription.user_id == person.id))
    )
    pushed = False
    for subscription in devices:
        try:
            send_push(config, subscription, push_payload())
            pushed = True
        except SubscriptionGone as gone:
            log.info("removing push subscription %s of user %s: %s", subscription.id, person.id, gone)
            db.session.delete(subscription)
        except ChannelError as error:
            errors.append(f"{person.full_name}: {error}")
    if pushed:
        worked.append("push")
    return worked, errors


def told_words(results: list[tuple[User, list[str]]]) -> str:
    """ "Sam Patel by e-mail and push; Jordan Lee by e-mail" (those reached)."""
    return "; ".join(
        f"{person.full_name} by {' and '.join(channels)}" for person, channels in results if channels
    )


Results = list[tuple[User, list[str]]]  # each person told, with the channels that reached them


def tell_all(people: list[User], config: Mapping[str, Any]) -> tuple[Results, list[str]]:
    results, errors = [], []
    for person in people:
        worked, failed = tell(person, config)
        results.append((person, worked))
        errors.extend(failed)
    return results, errors


def record_step(
    notice: AlertNotice, alert: Alert, people: list[User], results: Results, errors: list[str], now: datetime
) -> bool:
    """Write what this step did on its row and the audit trail; True when it is done."""
    action = "alert_notify" if notice.step == CLINICIAN else "alert_escalate"
    about = f"{alert.urgency.replace('_', '-')} alert reported {day_words(alert.day)}"
    if not people:
        notice.nobody, notice.done_at, notice.told, notice.last_error = (
            True,
            naive_utc(now),
            "nobody to tell",
            "",
        )
        detail = f"{STEP_NAMES[notice.step].capitalize()}: nobody on the rota now, for the {about}"
        audit.record(action, patient_id=alert.patient_id, detail=detail)
        return True
    reached = told_words(results)
    notice.last_error = "; ".join(errors)[:500]
    if reached:
        notice.done_at, notice.told = naive_utc(now), reached[:500]
        detail = f"Told {STEP_NAMES[notice.step]}, {reached}, of an {about}"
    else:
        notice.last_error = notice.last_error or "no channel"
        notice.lease_until = naive_utc(now) + RETRY_AFTER
        names = ", ".join(person.full_name for person in people)
        detail = (
            f"Could not reach {STEP_NAMES[notice.step]} ({names}) about the {about}; trying again "
            f"(attempt {notice.attempts})"
        )
        log.warning(
            "alert %s step %s attempt %s failed: %s",
            alert.id,
            notice.step,
            notice.attempts,
            notice.last_error,
        )
    audit.record(action, patient_id=alert.patient_id, detail=detail)
    return bool(reached)


def send_step(
    notice: AlertNotice, alert: Alert, now: datetime, settings: ClinicSettings, config: Mapping[str, Any]
) -> bool:
    """Send this claimed step and record it; commits. True when done."""
    people = recipients(notice.step, alert, now, settings)
    results, errors = tell_all(people, config)
    done = record_step(notice, alert, people, results, errors, now)
    db.session.commit()
    return done


def send_first_notices(alert_ids: list[int], settings: ClinicSettings, config: Mapping[str, Any]) -> None:
    """Send the first notice of the alerts one request raised and claimed (run after its response):
    one message to each person for all of them (a note that names three signs is one e-mail),
    each alert's own row and audit entry."""
    rows = db.session.execute(
        sa.select(AlertNotice, Alert)
        .join(Alert, AlertNotice.alert_id == Alert.id)
        .where(
            AlertNotice.alert_id.in_(alert_ids), AlertNotice.step == CLINICIAN, AlertNotice.done_at.is_(None)
        )
        .order_by(AlertNotice.id)
    ).all()
    if not rows:
        return
    now = datetime.now(UTC)
    people = recipients(CLINICIAN, rows[0][1], now, settings)  # one request, one patient
    results, errors = tell_all(people, config)
    for notice, alert in rows:
        record_step(notice, alert, people, results, errors, now)
    db.session.commit()


# --- The scheduled job: escalation and retries -------------------------------------------------------


def claim(alert: Alert, step: int, existing: AlertNotice | None, now: datetime) -> AlertNotice | None:
    """Take this step for this run, or None when another run has it (or had it)."""
    stamp = naive_utc(now)
    if existing is None:
        notice = AlertNotice(alert_id=alert.id, step=step, claimed_at=stamp, lease_until=stamp + NOTICE_LEASE)
        return notice if insert_claim(notice) else None
    return existing if take_over(existing, stamp, NOTICE_LEASE, MAX_ATTEMPTS) else None


def facts_of(alert: Alert) -> AlertFacts:
    sent = {notice.step: notice.done_at or notice.claimed_at for notice in alert.notices}
    nobody = frozenset(notice.step for notice in alert.notices if notice.nobody)
    return AlertFacts(alert.urgency, alert.raised_at, alert.acknowledged_at is not None, sent, nobody)


def send_due_alerts(now: datetime, settings: ClinicSettings, config: Mapping[str, Any]) -> RunReport:
    """Everything due at `now` (aware): escalations, and steps whose sending failed or whose
    sender died (lease run out). The CLI passes the real time."""
    report = RunReport()
    stamp = naive_utc(now)

    def wait(moment: datetime) -> timedelta:
        return escalation_wait(
            settings.hours,
            local_time(moment, settings),
            settings.escalate_minutes_open,
            settings.escalate_minutes_closed,
        )

    open_alerts = list(
        db.session.scalars(
            sa.select(Alert)
            .where(Alert.acknowledged_at.is_(None))
            .options(selectinload(Alert.notices))
            .order_by(Alert.raised_at, Alert.id)
        )
    )
    for alert in open_alerts:
        by_step = {notice.step: notice for notice in alert.notices}
        retry = [
            n
            for n in alert.notices
            if n.done_at is None and n.lease_until <= stamp and n.attempts < MAX_ATTEMPTS
        ]
        step = next_step(facts_of(alert), stamp, wait)
        due = [(n.step, n) for n in retry] + (
            [(step, None)] if step is not None and step not in by_step else []
        )
        for step_number, existing in due:
            notice = claim(alert, step_number, existing, now)
            label = f"alert {alert.id} step {step_number}"
            if notice is None:
                report.claimed_elsewhere += 1
                continue
            if send_step(notice, alert, now, settings, config):
                report.sent.append(label)
            else:
                report.failed.append(label)
    return report
