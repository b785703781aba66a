"""The one place every write passes through: each change to a log, a tick, an answer, a plan item
or a treatment's dates marks the days it touches, and the session brings their summaries up to
date just before it commits, in the same transaction, so they are never stale. Changes made
through the ORM are seen at the flush; a write made with a plain statement (a tick stored by
INSERT … ON CONFLICT, an untick by DELETE) marks its day itself (`mark_day`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import (
    AuditEvent,
    DailyLog,
    ExerciseTick,
    PlanItem,
    QuestionnaireItem,
    QuestionnaireResponse,
    Treatment,
)
from app.services.audit.chain import LOCK_KEY
from app.services.summaries.store import DayKey, refresh

PENDING = "backtrack.summaries_pending"
LOG_FIELDS = ("patient_id", "treatment_id", "day", "back_pain", "leg_pain", "nsaid")
PLAN_FIELDS = ("treatment_id", "phase", "times_per_day", "days_per_week", "removed_at")
TREATMENT_FIELDS = ("patient_id", "evaluation_date", "injection_date", "baseline_pain")
ITEM_FIELDS = ("label", "value")


@dataclass
class Pending:
    days: set[DayKey] = field(default_factory=set)
    whole: list[Treatment | int] = field(default_factory=list)  # objects: new ones have no id yet


def pending(session: Session) -> Pending:
    found: Pending = session.info.setdefault(PENDING, Pending())
    return found


def mark_day(of: str, id_: int, day: date, session: Session | None = None) -> None:
    """The day `day` changed for the treatments of this patient (`of="patient"`), of this plan
    item (`"item"`) or for this treatment (`"treatment"`)."""
    pending(session or db.session()).days.add(DayKey(of, id_, day))


def mark_treatment(treatment: Treatment | int, session: Session | None = None) -> None:
    """Every day of this treatment changed (its plan or its dates did)."""
    pending(session or db.session()).whole.append(treatment)


def changed(obj: Any, names: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def before_values(obj: Any, name: str) -> list[Any]:
    """The values an attribute had before this flush (for a row moved to another day)."""
    return [value for value in sa.inspect(obj).attrs[name].history.deleted if value is not None]


def note_changes(session: Session, _context: Any, _instances: Any) -> None:
    """At each flush: mark what the new, changed and deleted rows touch."""
    found = pending(session)
    for obj, how in (
        *((o, "new") for o in session.new),
        *((o, "dirty") for o in session.dirty),
        *((o, "deleted") for o in session.deleted),
    ):
        note(found, obj, how)
    if not found.days and not found.whole:
        session.info.pop(PENDING, None)


def note(found: Pending, obj: Any, how: str) -> None:
    if isinstance(obj, DailyLog) and (how != "dirty" or changed(obj, LOG_FIELDS)):
        for patient_id in {obj.patient_id, *before_values(obj, "patient_id")}:
            for day in {obj.day, *before_values(obj, "day")}:
                found.days.add(DayKey("patient", patient_id, day))
    elif isinstance(obj, ExerciseTick) and how != "dirty":
        found.days.add(DayKey("item", obj.plan_item_id, obj.day))
    elif isinstance(obj, QuestionnaireResponse) and (how != "dirty" or changed(obj, ("day", "treatment_id"))):
        for treatment_id in {obj.treatment_id, *before_values(obj, "treatment_id")}:
            for day in {obj.day, *before_values(obj, "day")}:
                found.days.add(DayKey("treatment", treatment_id, day))
    elif isinstance(obj, QuestionnaireItem) and (how != "dirty" or changed(obj, ITEM_FIELDS)):
        response = obj.response  # in the session already: the item was added to it or loaded by it
        if response is not None and response.treatment_id is not None:
            found.days.add(DayKey("treatment", response.treatment_id, response.day))
    elif isinstance(obj, PlanItem) and (how != "dirty" or changed(obj, PLAN_FIELDS)):
        found.whole.append(obj.treatment if obj.treatment_id is None else obj.treatment_id)
        found.whole.extend(before_values(obj, "treatment_id"))
    elif isinstance(obj, Treatment) and how != "deleted" and (how == "new" or changed(obj, TREATMENT_FIELDS)):
        found.whole.append(obj)


def bring_up_to_date(session: Session) -> None:
    """Before the commit: flush what is left, then write the marked days' summaries.

    Two writes for one treatment at once must not each summarise without the other's rows. On
    SQLite writes are serial (BEGIN IMMEDIATE). On PostgreSQL every write that changes a summary is
    on the audit trail, whose rows are added by the audit's own before-commit hook (registered
    first) and stamped at the flush below under the trail's transaction lock: the statements that
    follow start after any other such write has committed, and read its rows (READ COMMITTED).
    A write not on the trail (a questionnaire answer) takes the same lock itself."""
    if session.in_nested_transaction():
        return
    audited = any(isinstance(obj, AuditEvent) for obj in session.new)
    if session.new or session.dirty or session.deleted:
        session.flush()  # the changes not flushed yet mark their days now
    if PENDING not in session.info:
        return
    found: Pending = session.info.pop(PENDING, Pending())
    whole = {item if isinstance(item, int) else item.id for item in found.whole}
    if found.days or whole:
        if not audited and session.get_bind().dialect.name == "postgresql":
            session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        refresh(session, found.days, whole)


def forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def register() -> None:
    """Listen on every session (idempotent)."""
    for name, listener in (
        ("before_flush", note_changes),
        ("before_commit", bring_up_to_date),
        ("after_rollback", forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
