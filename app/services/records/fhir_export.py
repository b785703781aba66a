"""A patient's records as a FHIR R4 `collection` Bundle: the Patient, an Observation per pain
rating (LOINC 72514-3), the questionnaires with their items as components, and exercise completion
per day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from app.care import content
from app.care.measures import mean_score
from app.models import QuestionnaireResponse
from app.services.records.csv_export import exercise_name
from app.services.records.patient_data import PatientData

LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
LOCAL = "urn:backtrack:code"  # our own codes where no standard one could be confirmed
ID_NAMESPACE = uuid.UUID("6f1c7a52-3c4e-4f0a-9a51-2f4b8d0c9e11")  # stable resource ids
MEASURE_TITLES = {
    "peg": "PEG 3-item pain scale (pain, enjoyment of life, general activity)",
    "psfs": "Patient-Specific Functional Scale (PSFS)",
    "pgic": "Patient Global Impression of Change (PGIC)",
}


def resource_id(*parts: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def concept(text: str, code: str | None = None, system: str = LOCAL) -> dict[str, Any]:
    found: dict[str, Any] = {"text": text}
    if code:
        found["coding"] = [{"system": system, "code": code, "display": text}]
    return found


def observation(
    key: str, patient_ref: str, code: dict[str, Any], day: date, category: str, **values: Any
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": key,
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "code": code,
        "subject": {"reference": patient_ref},
        "effectiveDateTime": day.isoformat(),
        **values,
    }


PAIN_SITES = (("pain", "Back pain", "back_pain", "Lower back"), ("leg-pain", "Leg pain", "leg_pain", "Leg"))


def pain_observations(data: PatientData, patient_ref: str) -> list[dict[str, Any]]:
    """One Observation per rating (back, and leg where asked), LOINC 72514-3."""
    code = {"coding": [{"system": LOINC, "code": PAIN_LOINC, "display": PAIN_LOINC_DISPLAY}]}
    found = []
    for log in data.logs:
        for key, text, field, site in PAIN_SITES:
            value = getattr(log, field)
            if value is None:
                continue
            extra: dict[str, Any] = {"note": [{"text": log.note}]} if log.note and key == "pain" else {}
            found.append(
                observation(
                    resource_id(key, log.id),
                    patient_ref,
                    {**code, "text": text},
                    log.day,
                    "survey",
                    valueInteger=value,
                    bodySite={"text": site},
                    **extra,
                )
            )
    return found


def questionnaire_observation(response: QuestionnaireResponse, patient_ref: str) -> dict[str, Any]:
    """PEG and PSFS: the score, with each item as a component. PGIC: the answer as a concept."""
    round_name = "evaluation" if response.week == 0 else f"week {response.week}"
    values: dict[str, Any]
    if response.kind == "pgic":
        value = response.items[0].value if response.items else 4
        values = {
            "valueCodeableConcept": concept(content.PGIC_LABELS.get(value, ""), f"pgic-{value}"),
            "component": [{"code": concept(content.PGIC_QUESTION), "valueInteger": value}],
            "note": [{"text": f"Round: {round_name}. 1 = very much better, 7 = very much worse."}],
        }
    else:
        score = mean_score(item.value for item in response.items) or 0.0
        values = {
            "valueQuantity": {"value": score, "unit": "score", "system": UCUM, "code": "{score}"},
            "component": [
                {"code": concept(item.label), "valueInteger": item.value} for item in response.items
            ],
            "note": [{"text": f"Round: {round_name}. Score = mean of the items, 0-10."}],
        }
    code = concept(MEASURE_TITLES[response.kind], response.kind)
    return observation(
        resource_id("questionnaire", response.id), patient_ref, code, response.day, "survey", **values
    )


def exercise_observations(data: PatientData, patient_ref: str) -> list[dict[str, Any]]:
    """One observation per day with ticks: how many exercises were done, and which."""
    by_day: dict[date, list[str]] = {}
    for tick in data.ticks:
        by_day.setdefault(tick.day, []).append(exercise_name(data.plan_item(tick.plan_item_id)))
    return [
        observation(
            resource_id("exercise", data.patient.id, day),
            patient_ref,
            concept("Home exercises done", "exercise-completion"),
            day,
            "activity",
            valueInteger=len(names),
            component=[{"code": concept(name), "valueBoolean": True} for name in names],
        )
        for day, names in sorted(by_day.items())
    ]


def fhir_bundle(data: PatientData, now: datetime | None = None) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle: the Patient, then their Observations."""
    patient_id = resource_id("patient", data.patient.id)
    patient_ref = f"urn:uuid:{patient_id}"
    patient = {
        "resourceType": "Patient",
        "id": patient_id,
        "identifier": [{"system": "urn:backtrack:patient", "value": str(data.patient.id)}],
        "name": [{"text": data.patient.full_name}],
        "telecom": [{"system": "email", "value": data.patient.email}],
        "active": data.patient.active,
    }
    resources = [
        patient,
        *pain_observations(data, patient_ref),
        *(questionnaire_observation(r, patient_ref) for r in data.responses),
        *exercise_observations(data, patient_ref),
    ]
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
