"""Filtering the audit trail, for the page and the CSV export alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from app.database import planned_per_value
from app.extensions import db
from app.models import AuditEvent, Role, User
from app.services.audit import ACTIONS

Actor, Patient = aliased(User), aliased(User)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of a name or email
    patient: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def matches(person: type[User], text: str) -> sa.ColumnElement[bool]:
    """Part of the person's name or email, in any case; % and _ are taken literally. ILIKE on
    PostgreSQL (served by the trigram indexes of migration 0026), lower() LIKE on SQLite."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(person.full_name.ilike(pattern, escape="\\"), person.email.ilike(pattern, escape="\\"))


def filtered_events(wanted: AuditFilter) -> sa.Select[AuditEvent]:
    """Events matching the filter, newest first, with the acting person and patient joined."""
    query = (
        sa.select(AuditEvent)
        .outerjoin(Actor, AuditEvent.actor_id == Actor.id)
        .outerjoin(Patient, AuditEvent.patient_id == Patient.id)
        .options(
            contains_eager(AuditEvent.actor.of_type(Actor)),
            contains_eager(AuditEvent.patient.of_type(Patient)),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return matching(query, wanted)


# A select of any columns, joined as filtered_events joins.
SelectAny = TypeVar("SelectAny", bound=sa.Select[*tuple[Any, ...]])


def matching(query: SelectAny, wanted: AuditFilter) -> SelectAny:
    """`query` (joined to Actor and Patient) narrowed to the filter; a search for part of a
    person's name is planned for its text (app/database.py planned_per_value)."""
    if wanted.actor or wanted.patient:
        planned_per_value()
    if wanted.actor:
        query = query.where(matches(Actor, wanted.actor))
    if wanted.patient:
        query = query.where(matches(Patient, wanted.patient))
    if wanted.action in ACTIONS:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.date_from:
        query = query.where(AuditEvent.at >= datetime.combine(wanted.date_from, time.min))
    if wanted.date_to:
        query = query.where(AuditEvent.at < datetime.combine(wanted.date_to + timedelta(days=1), time.min))
    return query


def patients_in(events: Iterable[AuditEvent]) -> set[int]:
    """The patients a page of the trail names: as the patient, or as the person acting."""
    return {event.patient_id for event in events if event.patient_id} | {
        event.actor_id
        for event in events
        if event.actor is not None and event.actor.role == Role.PATIENT.value and event.actor_id
    }


def patients_in_export(wanted: AuditFilter) -> set[int]:
    """The same for a whole export, asked of the database (the export itself is streamed)."""
    joined = (
        sa.select(AuditEvent.patient_id, AuditEvent.actor_id, Actor.role)
        .outerjoin(Actor, AuditEvent.actor_id == Actor.id)
        .outerjoin(Patient, AuditEvent.patient_id == Patient.id)
        .distinct()
    )
    found: set[int] = set()
    for patient_id, actor_id, actor_role in db.session.execute(matching(joined, wanted)):
        found.update({patient_id} if patient_id else set())
        found.update({actor_id} if actor_id and actor_role == Role.PATIENT.value else set())
    return found


CSV_HEADER = ["time (UTC)", "action", "person acting", "patient", "address", "detail"]


def csv_rows(query: sa.Select[AuditEvent]) -> Iterator[str]:
    """The export, streamed in batches so a long trail never sits in memory at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for event in db.session.scalars(query.execution_options(yield_per=500)):
        cells = (
            event.at.isoformat(sep=" ", timespec="seconds"),
            event.action,
            event.actor.email if event.actor else "",
            event.patient.email if event.patient else "",
            event.ip_address,
            event.detail,
        )
        writer.writerow([safe_cell(cell) for cell in cells])  # every column: people type emails too
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")  # ASVS 5.0 1.2.10, OWASP


def safe_cell(text: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection): a cell that starts
    with a formula character gets a leading apostrophe, which spreadsheets show as text."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
