"""Saving a day's log: one entry per patient per day, and the alerts its answers raise.

Every save carries an idempotency key: a replay (an offline queue sending again, a double tap) gets
the stored result instead of a second save. A save based on an older version of the entry than
the one stored never overwrites it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.care.content import ALL_ALERT_FLAGS, MEDICATION_NAMES, RED_FLAG_KEYS, SEVERE_PAIN_STREAK
from app.care.log_answers import LogAnswers
from app.care.medication import stored_answers, took_nsaid
from app.care.warnings import (
    SEVERE_PAIN_DAYS,
    Reported,
    flags_for,
    has_severe_pain_streak,
    read_in_words,
    reports_for,
)
from app.database import insert_unless_present
from app.extensions import db
from app.models import Alert, DailyLog, LogSubmission, Treatment
from app.services import audit, summaries
from app.services.safety.alerts import open_alerts, raise_alerts


@dataclass
class SaveOutcome:
    log: DailyLog
    reports: list[Reported] = field(default_factory=list)  # ticked, in the note's words, worked out
    raised: list[Alert] = field(default_factory=list)  # the alerts this save raised (to notify)
    # The patient's open alerts after this save, when it reports a sign or reported one before
    # (the page's urgent card then changes); None when neither (the card stays as it was).
    open_alerts: list[Alert] | None = None
    replayed: bool = False  # this key was saved before: nothing changed now
    conflict: bool = False  # a newer entry was stored: nothing changed now
    key_reused: bool = False  # this key was saved before with other answers: nothing changed now
    scores: dict[date, int] | None = None  # the recent back-pain scores, this save's included


def editable_days(today: date) -> tuple[date, date]:
    """A patient may write today's entry and still correct yesterday's."""
    return today, today - timedelta(days=1)


def is_editable(day: date, today: date) -> bool:
    return day in editable_days(today)


def log_for(patient_id: int, day: date) -> DailyLog | None:
    return db.session.scalar(
        sa.select(DailyLog).where(DailyLog.patient_id == patient_id, DailyLog.day == day)
    )


def apply_answers(log: DailyLog, answers: LogAnswers, asks_leg_pain: bool) -> None:
    log.back_pain = answers.back_pain
    if asks_leg_pain:
        log.leg_pain = answers.leg_pain
    log.medication = stored_answers(answers.medicines)
    log.other_medicine = answers.other_medicine
    log.nsaid = took_nsaid(answers.medicines, answers.other_medicine)
    log.note = answers.note
    for key in RED_FLAG_KEYS:
        setattr(log, key, key in answers.warning_signs)


def outcome_for_key(log: DailyLog, stored_answers: str | None, answers: LogAnswers) -> SaveOutcome:
    """This key was saved before: a replay of the same answers gets the stored result; the same key
    with other answers is refused, never silently dropped (nor applied over a newer entry)."""
    if stored_answers in (None, answers.fingerprint()):
        return SaveOutcome(log, replayed=True)
    return SaveOutcome(log, key_reused=True)


def previous_result(patient_id: int, answers: LogAnswers) -> SaveOutcome | None:
    """The outcome for a key saved before (see outcome_for_key); None for a key not seen yet."""
    if not answers.key:
        return None
    found = db.session.execute(
        sa.select(LogSubmission.daily_log_id, LogSubmission.answers_hash).where(
            LogSubmission.patient_id == patient_id, LogSubmission.key == answers.key
        )
    ).first()
    if found is None:
        return None
    log = db.session.get(DailyLog, found.daily_log_id)
    if log is None:  # pragma: no cover - a submission always points at its log
        return None
    return outcome_for_key(log, found.answers_hash, answers)


def entries_since(
    patient_id: int, first_day: date, injection_date: date | None = None
) -> dict[date, DailyLog]:
    """The entries from `first_day` on, and every one before the injection (the baseline), with
    their alerts: one query for a page's chart, its progress and today's entry."""
    in_range = DailyLog.day >= first_day
    if injection_date is not None:
        in_range = sa.or_(in_range, DailyLog.day < injection_date)
    entries = db.session.scalars(
        sa.select(DailyLog)
        .where(DailyLog.patient_id == patient_id, in_range)
        .options(joinedload(DailyLog.alerts))
    ).unique()
    return {entry.day: entry for entry in entries}


@dataclass
class BeforeSave:
    """What a save needs to know, from one query: the recent entries (the severe-pain streak, and
    the entry being saved), the patient's usual pain when no baseline was recorded (the mean of
    their logs before the injection) and, when this save's key was stored before, its entry and
    answers (a key belongs to one day, the day saved, which is always among the recent ones)."""

    entries: dict[date, DailyLog]
    key_log: DailyLog | None = None
    key_answers: str | None = None
    logged_baseline: float | None = None


def before_save(patient_id: int, day: date, key: str | None, injection: date | None = None) -> BeforeSave:
    same_key = (
        sa.and_(LogSubmission.daily_log_id == DailyLog.id, LogSubmission.key == key) if key else sa.false()
    )
    before_injection = (
        sa.select(sa.func.avg(DailyLog.back_pain))
        .where(DailyLog.patient_id == patient_id, DailyLog.day < injection)
        .scalar_subquery()
        if injection is not None
        else sa.null()
    )
    rows = db.session.execute(
        sa.select(DailyLog, LogSubmission.id, LogSubmission.answers_hash, before_injection)
        .outerjoin(LogSubmission, same_key if key else sa.false())
        .where(DailyLog.patient_id == patient_id, DailyLog.day >= day - timedelta(days=SEVERE_PAIN_DAYS - 1))
        .options(joinedload(DailyLog.alerts))
    ).unique()
    found = BeforeSave({})
    for entry, submission_id, answers_hash, logged_baseline in rows:
        found.entries[entry.day] = entry
        if logged_baseline is not None:
            found.logged_baseline = round(float(logged_baseline), 1)
        if submission_id is not None:
            found.key_log, found.key_answers = entry, answers_hash
    return found


def answers_words(log: DailyLog) -> dict[str, str]:
    """An entry's answers in words, for saying what an edit changed."""
    flags = ", ".join(ALL_ALERT_FLAGS[key].question for key in log.red_flags) or "none"
    medicines = ", ".join(MEDICATION_NAMES.get(key, key) for key in log.medicines)
    if log.other_medicine:
        medicines += f" ({log.other_medicine})"
    return {
        "Back pain": str(log.back_pain),
        "Leg pain": "not given" if log.leg_pain is None else str(log.leg_pain),
        "Medicine": medicines,
        "Warning signs": flags,
        "Note": "written" if log.note else "none",
    }


def change_words(before: dict[str, str] | None, log: DailyLog) -> str:
    """ "New entry for Tue, Nov 24: …", or what an edit changed ("Warning signs changed from … to
    none"): so a warning sign overwritten later stays visible to staff in the audit trail."""
    after = answers_words(log)
    if before is None:
        return f"New entry for {log.day.isoformat()}: " + "; ".join(f"{k} {v}" for k, v in after.items())
    changes = [f"{k} changed from {before[k]} to {after[k]}" for k in after if before[k] != after[k]]
    if before["Note"] == after["Note"] == "written" and log.note != before.get("_note"):
        changes.append("Note rewritten")
    return f"Entry for {log.day.isoformat()}: " + ("; ".join(changes) or "saved with no change")


def save_daily_log(
    patient_id: int, day: date, answers: LogAnswers, treatment: Treatment | None, asks_leg_pain: bool
) -> SaveOutcome:
    """Create or update the entry for (patient, day), unless this is a replay or stale. What the
    answers report (the ticks, the note read for warning signs in words, a severe-pain streak)
    raises alerts; the ticks are stored as ticked, whatever the note says."""
    injection = treatment.injection_date if treatment else None
    recorded_baseline = treatment.baseline_pain if treatment else None
    known = before_save(patient_id, day, answers.key, injection if recorded_baseline is None else None)
    if known.key_log is not None:
        return outcome_for_key(known.key_log, known.key_answers, answers)
    log = known.entries.get(day)
    expected = answers.expected_version
    if log is not None and expected is not None and expected != log.version:
        return SaveOutcome(log, conflict=True)
    before = None if log is None else {**answers_words(log), "_note": log.note}
    reported_before = log is not None and bool(log.red_flags or log.alerts or read_in_words(log.note))
    if log is None:
        fresh = DailyLog(patient_id=patient_id, day=day, treatment_id=treatment.id if treatment else None)
        apply_answers(fresh, answers, asks_leg_pain)
        log = insert_unless_present(fresh)
        summaries.mark_day("patient", patient_id, day)  # inserted by a statement the flush cannot see
        if log is None:  # another request saved this day first: that one stands
            db.session.rollback()
            # The same save sent twice at once (the page and the service worker, say) is a
            # replay, answered with the stored result; a different save is a conflict.
            same_save = previous_result(patient_id, answers)
            if same_save is not None:
                return same_save
            return SaveOutcome(stored_log(patient_id, day), conflict=True)
        set_committed_value(log, "alerts", [])  # a new entry has raised none yet
    else:
        apply_answers(log, answers, asks_leg_pain)
        log.version += 1
        db.session.flush()
    submission = LogSubmission(
        patient_id=patient_id, key=answers.key, answers_hash=answers.fingerprint(), daily_log_id=log.id
    )
    if answers.key and insert_unless_present(submission) is None:
        db.session.rollback()  # the same key raced in beside us: answer as its result says
        return previous_result(patient_id, answers) or SaveOutcome(stored_log(patient_id, day), replayed=True)
    audit.record("log_save", patient_id=patient_id, detail=change_words(before, log))
    scores = {entry.day: entry.back_pain for entry in known.entries.values()} | {day: log.back_pain}
    baseline = float(recorded_baseline) if recorded_baseline is not None else known.logged_baseline
    streak = has_severe_pain_streak(scores, day, baseline, injection)
    reports = reports_for(
        flags_for(log.red_flags), read_in_words(log.note), [SEVERE_PAIN_STREAK] if streak else []
    )
    still_open = open_alerts(patient_id) if reports or reported_before else None
    raised = raise_alerts(patient_id, day, reports, daily_log_id=log.id, still_open=still_open)
    db.session.commit()
    now_open = None if still_open is None else [*still_open, *raised]
    return SaveOutcome(log, reports, raised, open_alerts=now_open, scores=scores)


def stored_log(patient_id: int, day: date) -> DailyLog:
    """The entry another request has just stored for this day."""
    log = log_for(patient_id, day)
    if log is None:  # pragma: no cover - only reached after an insert for this day
        raise LookupError(f"no log for patient {patient_id} on {day}")
    return log


def scores_for(patient_id: int, first_day: date, injection_date: date | None) -> dict[date, int]:
    """Back-pain scores from `first_day` on, plus every score before the injection (baseline)."""
    in_range = DailyLog.day >= first_day
    if injection_date is not None:
        in_range = sa.or_(in_range, DailyLog.day < injection_date)
    rows = db.session.execute(
        sa.select(DailyLog.day, DailyLog.back_pain).where(DailyLog.patient_id == patient_id, in_range)
    )
    return {row.day: row.back_pain for row in rows}
