"""Alerts: raised from what a log or a message reports, answered by the patient ("Did you get
help?"), acknowledged by staff; every change on the audit trail.

One alert per sign per daily log (saving the log again does not repeat it), and none for a sign
that already has an open alert for this patient: the open one stays at the top of every list
until someone acknowledges it, so a sign reported again the next day, or in a message, adds no
second alert and no second round of notifications.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import sqlalchemy as sa

from app.care.content import ALL_ALERT_FLAGS, HELP_ANSWERS
from app.care.escalation import CLINICIAN
from app.care.warnings import Reported
from app.database import insert_unless_present
from app.extensions import db
from app.models import Alert, AlertNotice, User
from app.models.base import utcnow
from app.models.logs import QUOTE_MAX_LENGTH
from app.services import audit
from app.services.audit import day_words

NOTICE_LEASE = timedelta(minutes=10)  # the request that raised it sends step 0; a job takes over after


def alert_words(alert: Alert) -> str:
    """What an alert is about, for the audit trail and staff lists."""
    question = ALL_ALERT_FLAGS[alert.symptom].question if alert.symptom in ALL_ALERT_FLAGS else alert.symptom
    if alert.in_words:
        return f"possible warning sign, in the patient's words: “{alert.quote}” ({question})"
    return f"“{question}”"


def open_signs(patient_id: int) -> set[str]:
    """The signs with an open alert for this patient (one query)."""
    return set(
        db.session.scalars(
            sa.select(Alert.symptom).where(Alert.patient_id == patient_id, Alert.acknowledged_at.is_(None))
        )
    )


def raise_alerts(
    patient_id: int,
    day: date,
    reports: Iterable[Reported],
    daily_log_id: int | None = None,
    message_id: int | None = None,
    still_open: list[Alert] | None = None,
) -> list[Alert]:
    """The alerts these reports raise (the new ones), each claimed for its first notification by
    this request, which sends it once the response is out (app/services/safety/notify.py).
    `still_open`: the patient's open alerts, when the caller has them already."""
    wanted = list(reports)
    if not wanted:
        return []
    already_open = (
        {alert.symptom for alert in still_open} if still_open is not None else open_signs(patient_id)
    )
    raised: list[Alert] = []
    for report in wanted:
        if report.flag.key in already_open:
            continue
        alert = insert_unless_present(
            Alert(
                patient_id=patient_id,
                daily_log_id=daily_log_id,
                message_id=message_id,
                day=day,
                symptom=report.flag.key,
                urgency=report.flag.urgency,
                source=report.source,
                quote=report.quote[:QUOTE_MAX_LENGTH],
                raised_at=utcnow(),
                acknowledgement_note="",
            )
        )
        if alert is None:  # this log raised it already
            continue
        already_open.add(alert.symptom)
        raised.append(alert)
        now = utcnow()
        db.session.add(
            AlertNotice(alert_id=alert.id, step=CLINICIAN, claimed_at=now, lease_until=now + NOTICE_LEASE)
        )
        where = "a message" if message_id else f"the log for {day_words(day)}"
        audit.record(
            "alert_raise",
            patient_id=patient_id,
            detail=f"{alert.urgency.replace('_', '-').capitalize()} alert from {where}: {alert_words(alert)}",
        )
    db.session.flush()
    return raised


def open_alerts(patient_id: int) -> list[Alert]:
    """This patient's alerts nobody has acknowledged yet, oldest first (one query)."""
    return list(
        db.session.scalars(
            sa.select(Alert)
            .where(Alert.patient_id == patient_id, Alert.acknowledged_at.is_(None))
            .order_by(Alert.raised_at, Alert.id)
        )
    )


def answer_help(patient: User, answer: str) -> int:
    """The patient's answer to "Did you get help?", recorded on each of their open alerts; returns
    how many. The answer can change (not yet, then I went)."""
    if answer not in HELP_ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    alerts = open_alerts(patient.id)
    now = utcnow()
    for alert in alerts:
        alert.help_answer, alert.help_answered_at = answer, now
    if alerts:
        signs = "; ".join(alert_words(alert) for alert in alerts)
        audit.record(
            "alert_help_answer", patient_id=patient.id, detail=f"“{HELP_ANSWERS[answer]}” about {signs}"
        )
    return len(alerts)


def acknowledge(alert: Alert, staff: User, note: str) -> bool:
    """False when someone acknowledged it already (their note and time stand)."""
    if alert.acknowledged_at is not None:
        return False
    alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), staff.id
    alert.acknowledgement_note = note
    detail = f"{alert_words(alert)}, reported {day_words(alert.day)}"
    audit.record("acknowledge_alert", patient_id=alert.patient_id, detail=detail)
    return True
