"""Scheduling treatments and finding a patient's current one (shared by the CLI and every page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.care.content import CONDITIONS, INJECTION_SITES
from app.care.programmes import default_plan
from app.care.staff_words import N_
from app.extensions import db
from app.models import Exercise, PlanItem, Treatment, User
from app.services import audit
from app.services.audit import day_words
from app.services.clinic.settings import clinic_today_now
from app.services.treatment import library


def ensure_exercise_library() -> dict[str, Exercise]:
    """One library row per exercise in the content module, each with its built-in version 1
    (idempotent; app/services/treatment/library.py)."""
    return library.ensure_library()


def add_default_plan(treatment: Treatment) -> None:
    """Copy the condition's default programme (app/care/programmes.py: the core set, with what the
    condition adds and leaves out, at the library's doses) into this treatment's plan, each item
    with its exercise's signed version in force (and that version's dose, when the clinic wrote one)."""
    exercises = ensure_exercise_library()
    signed = library.current_versions()
    order: dict[tuple[str, str], int] = {}
    for slug, phase, dose in default_plan(treatment.condition):
        position = order.setdefault((phase, slug), sum(1 for key in order if key[0] == phase))
        exercise = exercises[slug]
        version = signed.get(exercise.id)
        item = PlanItem(
            treatment=treatment, exercise=exercise, exercise_version=version, phase=phase, position=position
        )
        item.dose = library.version_doses(version, slug).get(phase, dose) if version else dose
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


ONE_ACTIVE = N_(  # the rules' refusals are staff words: shown in the reader's language
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


NO_CLINICIAN = N_("Choose the responsible clinician: they are told of every warning sign.")


def require_clinician(details: TreatmentDetails) -> None:
    """Every active course has a responsible clinician, who is told of each of its alerts."""
    if details.therapist_id is None:
        raise TreatmentRuleError(NO_CLINICIAN)


def schedule(patient: User, details: TreatmentDetails) -> Treatment:
    """An admin schedules a course: `schedule_treatment`, on the audit trail."""
    require_clinician(details)
    treatment = schedule_treatment(patient, details)
    audit.record("treatment_create", patient_id=patient.id, detail="Scheduled " + treatment_words(details))
    return treatment


def change(treatment: Treatment, details: TreatmentDetails) -> None:
    """An admin's edit of an active course (the injection moved, the therapist changed), on the
    audit trail with each change in words."""
    require_clinician(details)
    before = details_of(treatment)
    apply_details(treatment, details)
    detail = "; ".join(treatment_changes(before, details)) or "Saved with no change"
    audit.record("treatment_update", patient_id=treatment.patient_id, detail=detail)


def close(treatment: Treatment, status: str) -> None:
    """Mark an active course completed or cancelled; its record stays as it was, with the day (a
    course cancelled after its injection still counts in the outcomes)."""
    treatment.status = status
    treatment.ended_on = clinic_today_now()
    audit.record("treatment_status", patient_id=treatment.patient_id, detail=f"Treatment marked {status}")


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


def item_of_active_treatment(patient_id: int, item_id: int) -> tuple[PlanItem, Treatment] | None:
    """The plan item with this id and the patient's active treatment it belongs to, in one
    statement (a tick, the patient's most frequent write, needs both); None when it is not theirs."""
    found = db.session.execute(
        sa.select(PlanItem, Treatment)
        .join(Treatment, PlanItem.treatment_id == Treatment.id)
        .where(PlanItem.id == item_id, Treatment.patient_id == patient_id, Treatment.status == "active")
    ).first()
    return None if found is None else (found[0], found[1])


def all_of(patient_id: int) -> list[Treatment]:
    """Every course of this patient, latest injection first."""
    return list(
        db.session.scalars(
            sa.select(Treatment)
            .where(Treatment.patient_id == patient_id)
            .order_by(Treatment.injection_date.desc())
        )
    )


def current_first() -> tuple[sa.UnaryExpression[Any], ...]:
    """The order that puts a patient's current treatment first: the active one, else the most
    recent (the one rule for the record, the access checks and the FHIR API's searches)."""
    return ((Treatment.status == "active").desc(), Treatment.injection_date.desc(), Treatment.id.desc())


def current_treatment(patient_id: int) -> Treatment | None:
    """The active treatment, else the most recent one (what staff see on the record)."""
    return db.session.scalar(
        sa.select(Treatment).where(Treatment.patient_id == patient_id).order_by(*current_first()).limit(1)
    )


def details_of(treatment: Treatment) -> TreatmentDetails:
    return TreatmentDetails(
        treatment.evaluation_date,
        treatment.injection_date,
        treatment.condition,
        tuple(treatment.site_keys),
        treatment.baseline_pain,
        treatment.therapist_id,
    )


def therapist_name(therapist_id: int | None) -> str:
    therapist = db.session.get(User, therapist_id) if therapist_id else None
    return therapist.full_name if therapist else "no therapist"


def sites_words(sites: tuple[str, ...]) -> str:
    return ", ".join(INJECTION_SITES.get(site, site) for site in sites) or "none"


def baseline_words(baseline: int | None) -> str:
    return "not recorded" if baseline is None else str(baseline)


def treatment_words(details: TreatmentDetails) -> str:
    """A scheduled treatment in a sentence, for the audit trail."""
    return (
        f"{CONDITIONS.get(details.condition, details.condition)}: evaluation "
        f"{day_words(details.evaluation_date)}, injection {day_words(details.injection_date)}, sites "
        f"{sites_words(details.sites)}, baseline pain {baseline_words(details.baseline_pain)}, "
        f"therapist {therapist_name(details.therapist_id)}."
    )


def treatment_changes(before: TreatmentDetails, after: TreatmentDetails) -> list[str]:
    """What an edit changed, one sentence each, with names and dates rather than ids."""
    changes = []
    for name, label in (("evaluation_date", "Evaluation"), ("injection_date", "Injection")):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append(f"{label} moved from {day_words(old)} to {day_words(new)}")
    if before.condition != after.condition:
        old, new = (CONDITIONS.get(key, key) for key in (before.condition, after.condition))
        changes.append(f"Condition changed from {old} to {new}")
    if set(before.sites) != set(after.sites):
        changes.append(f"Sites changed from {sites_words(before.sites)} to {sites_words(after.sites)}")
    if before.baseline_pain != after.baseline_pain:
        old, new = baseline_words(before.baseline_pain), baseline_words(after.baseline_pain)
        changes.append(f"Baseline pain changed from {old} to {new}")
    if before.therapist_id != after.therapist_id:
        old, new = therapist_name(before.therapist_id), therapist_name(after.therapist_id)
        changes.append(f"Therapist changed from {old} to {new}")
    return changes
