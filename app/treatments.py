"""Scheduling treatments and finding a patient's active one (shared by the CLI and staff pages)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.care.content import EXERCISES, EXERCISES_BY_SLUG, Dose
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


def schedule_treatment(
    patient: User,
    therapist: User | None,
    evaluation_date: date,
    injection_date: date,
    condition: str,
    sites: list[str],
    baseline_pain: int | None,
) -> Treatment:
    treatment = Treatment(
        patient=patient,
        therapist=therapist,
        evaluation_date=evaluation_date,
        injection_date=injection_date,
        condition=condition,
        sites=",".join(sites),
        baseline_pain=baseline_pain,
    )
    db.session.add(treatment)
    add_default_plan(treatment)
    db.session.flush()
    return treatment


def active_treatment(patient_id: int) -> Treatment | None:
    return db.session.scalar(
        sa.select(Treatment).where(Treatment.patient_id == patient_id, Treatment.status == "active")
    )


def add_plan_item(treatment_id: int, exercise: Exercise, phase: str) -> PlanItem:
    """Add at the end of the phase, with the library's dose for that phase when it has one."""
    last = db.session.scalar(
        sa.select(sa.func.max(PlanItem.position)).where(
            PlanItem.treatment_id == treatment_id, PlanItem.phase == phase
        )
    )
    item = PlanItem(treatment_id=treatment_id, exercise=exercise, phase=phase, position=(last or 0) + 1)
    item.dose = EXERCISES_BY_SLUG[exercise.slug].doses.get(phase, Dose())
    db.session.add(item)
    return item
