"""A patient's records as a FHIR R4 `collection` Bundle: the same resources, with the same ids,
codes and profiles, as the FHIR API serves (app/services/api/resources.py builds both): the
Patient, each care plan, an Observation per pain rating (LOINC 72514-3), each questionnaire with
its items as components and as a QuestionnaireResponse, exercise completion per day, and the
warning signs as Flags."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from app.models import ExerciseTick
from app.services.api import resources
from app.services.api.resources import Context
from app.services.api.urls import fhir_base
from app.services.clinic.settings import clinic_today_now
from app.services.records.csv_export import exercise_name
from app.services.records.patient_data import PatientData


def exercise_days(data: PatientData) -> dict[date, list[tuple[ExerciseTick, str]]]:
    by_day: dict[date, list[tuple[ExerciseTick, str]]] = {}
    for tick in data.ticks:
        by_day.setdefault(tick.day, []).append((tick, exercise_name(data.plan_item(tick.plan_item_id))))
    return by_day


def fhir_resources(ctx: Context, data: PatientData) -> list[dict[str, Any]]:
    plans: dict[int, list[Any]] = {treatment.id: [] for treatment in data.treatments}
    for item in data.plan:
        plans.setdefault(item.treatment_id, []).append(item)
    observations = [o for log in data.logs for o in resources.pain_observations(ctx, log)]
    observations += [resources.questionnaire_observation(ctx, response) for response in data.responses]
    observations += [
        resources.exercise_observation(ctx, data.patient.id, day, ticks)
        for day, ticks in sorted(exercise_days(data).items())
    ]
    return [
        resources.patient(ctx, data.patient),
        *(resources.careplan(ctx, treatment, plans[treatment.id]) for treatment in data.treatments),
        *observations,
        *(resources.questionnaire_response(ctx, response) for response in data.responses),
        *(resources.flag(ctx, alert) for alert in data.alerts),
    ]


def fhir_bundle(data: PatientData, now: datetime | None = None, ctx: Context | None = None) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle: the Patient first, then everything about them."""
    ctx = ctx or Context(fhir_base(), clinic_today_now())
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": ctx.full_url(r), "resource": r} for r in fhir_resources(ctx, data)],
    }
