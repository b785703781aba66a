"""Scheduling treatments and finding a patient's current one (shared by the CLI and every page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.care.content import EXERCISES
from app.extensions import db
from app.models import Exercise, PlanItem, Treatment, User


def ensure_exercise_library() -> dict[str, Exercise]:
    """One library row per exercise in the content module (idempotent)."""
    existing = {e.slug: e for e in db.session.scalars(sa.select(Exercise))}
    for text in EXERCISES:
        if text.slug not in existing:
            existing[text.slug] = Exercise(slug=text.slug)
            db.session.add(existing[text.slug])
    db.session.flush()
    return existing


def add_default_plan(treatment: Treatment) -> None:
    """Copy the library's default dose for every exercise and phase into this treatment's plan."""
    library = ensure_exercise_library()
    for position, text in enumerate(EXERCISES):
        for phase, dose in text.doses.items():
            item = PlanItem(treatment=treatment, exercise=library[text.slug], phase=phase, position=position)
            item.dose = dose
            db.session.add(item)


@dataclass(frozen=True)
class TreatmentDetails:
    """What an admin schedules or changes: the two visits, condition, sites, baseline, therapist."""

    evaluation_date: date
    injection_date: date
    condition: str
    sites: tuple[str, ...]
    baseline_pain: int | None
    therapist_id: int | None


class TreatmentRuleError(ValueError):
    """A scheduling change the clinic's rules forbid (the message says why, for the admin)."""


ONE_ACTIVE = (
    "This patient already has an active treatment. Mark it completed or cancelled first, then start "
    "the new one."
)


def schedule_treatment(patient: User, details: TreatmentDetails) -> Treatment:
    """A new active course with the library's default plan; one active course per patient."""
    if active_treatment(patient.id) is not None:
        raise TreatmentRuleError(ONE_ACTIVE)
    treatment = Treatment(patient=patient)
    apply_details(treatment, details)
    db.session.add(treatment)
    add_default_plan(treatment)
    db.session.flush()
    return treatment


def apply_details(treatment: Treatment, details: TreatmentDetails) -> None:
    treatment.evaluation_date = details.evaluation_date
    treatment.injection_date = details.injection_date
    treatment.condition = details.condition
    treatment.sites = ",".join(details.sites)
    treatment.baseline_pain = details.baseline_pain
    treatment.therapist_id = details.therapist_id


def active_treatment(patient_id: int) -> Treatment | None:
    return db.session.scalar(
        sa.select(Treatment).where(Treatment.patient_id == patient_id, Treatment.status == "active")
    )


def current_treatment(patient_id: int) -> Treatment | None:
    """The active treatment, else the most recent one (what staff see on the record)."""
    return db.session.scalar(
        sa.select(Treatment)
        .where(Treatment.patient_id == patient_id)
        .order_by((Treatment.status == "active").desc(), Treatment.injection_date.desc(), Treatment.id.desc())
        .limit(1)
    )
