"""Saving a day's log: one entry per patient per day, and the alerts its answers raise."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.care.content import RED_FLAG_KEYS, RedFlag
from app.care.warnings import SEVERE_PAIN_DAYS, urgent_flags
from app.extensions import db
from app.models import Alert, DailyLog, Treatment
from app.patient.forms import DailyLogForm


def editable_days(today: date) -> tuple[date, date]:
    """A patient may write today's entry and still correct yesterday's."""
    return today, today - timedelta(days=1)


def log_for(patient_id: int, day: date) -> DailyLog | None:
    return db.session.scalar(
        sa.select(DailyLog).where(DailyLog.patient_id == patient_id, DailyLog.day == day)
    )


def apply_answers(log: DailyLog, form: DailyLogForm, show_leg_pain: bool) -> None:
    log.back_pain = form.pain_score("back_pain")
    log.leg_pain = form.pain_score("leg_pain") if show_leg_pain else log.leg_pain
    log.medication = form.medication.data
    log.note = form.note.data or ""
    answered = set(form.warning_answers())
    for key in RED_FLAG_KEYS:
        setattr(log, key, key in answered)


def save_daily_log(
    patient_id: int, day: date, form: DailyLogForm, treatment: Treatment | None, show_leg_pain: bool
) -> tuple[DailyLog, list[RedFlag]]:
    """Create or update the entry for (patient, day); the unique constraint settles a race."""
    log = log_for(patient_id, day)
    if log is None:
        log = DailyLog(patient_id=patient_id, day=day, treatment_id=treatment.id if treatment else None)
        apply_answers(log, form, show_leg_pain)
        try:
            with db.session.begin_nested():
                db.session.add(log)
        except IntegrityError:  # a second tab saved the same day first: update that entry
            log = log_for(patient_id, day)
            assert log is not None
    apply_answers(log, form, show_leg_pain)
    db.session.flush()
    flags = urgent_flags(log.red_flags, recent_scores(patient_id, day), day)
    raise_alerts(patient_id, log, flags)
    db.session.commit()
    return log, flags


def recent_scores(patient_id: int, day: date) -> dict[date, int]:
    first = day - timedelta(days=SEVERE_PAIN_DAYS - 1)
    rows = db.session.execute(
        sa.select(DailyLog.day, DailyLog.back_pain).where(
            DailyLog.patient_id == patient_id, DailyLog.day.between(first, day)
        )
    )
    return {row.day: row.back_pain for row in rows}


def raise_alerts(patient_id: int, log: DailyLog, flags: list[RedFlag]) -> None:
    """One alert per symptom per day; saving the same day again does not duplicate it."""
    if not flags:
        return
    existing = set(
        db.session.scalars(
            sa.select(Alert.symptom).where(Alert.patient_id == patient_id, Alert.day == log.day)
        )
    )
    for flag in flags:
        if flag.key not in existing:
            db.session.add(
                Alert(
                    patient_id=patient_id,
                    daily_log_id=log.id,
                    day=log.day,
                    symptom=flag.key,
                    urgency=flag.urgency,
                )
            )
