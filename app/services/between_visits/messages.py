"""The message thread between a patient and their care team: one thread per patient, read by the
patient, their therapist and admins (access is checked by the caller, in app/web/access.py).

Read receipts: a message is read when the other side first sees it. The patient reads what staff
wrote; the patient's own therapist reads what the patient wrote (an admin looking in leaves it
unread, so the therapist still sees it as new)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from app.care.warnings import Reported, read_in_words
from app.extensions import db
from app.models import Alert, Message, Role, Treatment, User
from app.models.base import utcnow
from app.services import audit
from app.services.safety.alerts import open_alerts, raise_alerts
from app.services.treatment.treatments import current_treatment

THREAD_PAGE_SIZE = 50


@dataclass
class Thread:
    patient: User
    messages: list[Message]  # oldest first: the newest sits at the bottom
    older: int  # how many earlier messages are not shown
    therapist: User | None

    @property
    def last_id(self) -> int:
        return self.messages[-1].id if self.messages else 0


def load_thread(patient: User, limit: int = THREAD_PAGE_SIZE) -> Thread:
    """The latest `limit` messages (3 queries, however long the thread)."""
    newest_first = list(
        db.session.scalars(
            sa.select(Message)
            .where(Message.patient_id == patient.id)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(limit)
        )
    )
    shown = newest_first[:limit]
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Message).where(Message.patient_id == patient.id)
    )
    older = max(0, (total or 0) - len(shown))
    treatment = current_treatment(patient.id)
    return Thread(patient, list(reversed(shown)), older, treatment.therapist if treatment else None)


@dataclass
class Sent:
    message: Message
    reports: list[Reported] = field(default_factory=list)  # warning signs read in the patient's words
    raised: list[Alert] = field(default_factory=list)  # the alerts they raised (to notify)
    open_alerts: list[Alert] = field(default_factory=list)  # the patient's open alerts, after


def send_message(patient: User, author: User, body: str, day: date) -> Sent:
    """Add a message to the patient's thread. Messages are read in clinic hours, so one from the
    patient is read for warning signs in words at once: each raises an alert, as a tick would."""
    message = Message(patient_id=patient.id, author_id=author.id, body=body, created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    audit.record("message_send", patient_id=patient.id)
    sent = Sent(message)
    if author.id == patient.id:
        sent.reports = read_in_words(body)
        if sent.reports:
            still_open = open_alerts(patient.id)
            sent.raised = raise_alerts(
                patient.id, day, sent.reports, message_id=message.id, still_open=still_open
            )
            sent.open_alerts = [*still_open, *sent.raised]
    return sent


def reads_for_care_team(reader: User, patient_id: int) -> bool:
    """The patient's own therapist marks the patient's messages read; an admin does not."""
    if not reader.has_role(Role.THERAPIST):
        return False
    treatment = current_treatment(patient_id)
    return treatment is not None and treatment.therapist_id == reader.id


def mark_read(thread: Thread, reader: User) -> int:
    """Mark what `reader` now sees as read; returns how many messages were new to them."""
    if reader.id == thread.patient.id:
        unread = [m for m in thread.messages if not m.from_patient and m.read_at is None]
    elif reads_for_care_team(reader, thread.patient.id):
        unread = [m for m in thread.messages if m.from_patient and m.read_at is None]
    else:
        return 0
    now = utcnow()
    if unread:
        db.session.execute(
            sa.update(Message).where(Message.id.in_([m.id for m in unread])).values(read_at=now)
        )
        for message in unread:
            message.read_at = now
    return len(unread)


def unread_for_patient_count(patient_id: int) -> sa.ScalarSelect[int]:
    """How many messages from the care team this patient has not seen: a column for a page's
    own query (Today reads it with the treatment)."""
    return (
        sa.select(sa.func.count())
        .select_from(Message)
        .where(
            Message.patient_id == patient_id,
            Message.author_id != patient_id,
            Message.read_at.is_(None),
        )
        .scalar_subquery()
    )


def unread_for_patient(patient_id: int) -> int:
    """Messages from the care team this patient has not seen."""
    return db.session.scalar(sa.select(unread_for_patient_count(patient_id))) or 0


@dataclass(frozen=True)
class Unread:
    count: int
    oldest: datetime


def unread_for_staff(user_ids: list[int]) -> dict[int, int]:
    """Per therapist: unread messages from their active patients (for reminders; one query)."""
    counts: dict[int, int] = defaultdict(int)
    if not user_ids:
        return counts
    rows = db.session.execute(
        sa.select(Treatment.therapist_id, sa.func.count())
        .join(Message, Message.patient_id == Treatment.patient_id)
        .where(
            Treatment.therapist_id.in_(user_ids),
            Treatment.status == "active",
            Message.author_id == Message.patient_id,
            Message.read_at.is_(None),
        )
        .group_by(Treatment.therapist_id)
    )
    counts.update({therapist_id: count for therapist_id, count in rows if therapist_id is not None})
    return counts
