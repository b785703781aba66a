"""FHIR R4 resources built from Backtrack's rows: one builder per resource, used by the API, the
bulk export and the patient's own FHIR download alike, so the three never disagree.

Codes: LOINC wherever a code was confirmed (pain 72514-3; the PEG panel 91148-7, its items
75893-8, 91145-3, 91146-1 and its score 91147-9), otherwise Backtrack's own CodeSystem, which the
API serves at `{base}/CodeSystem/backtrack` (so every code resolves). Profiles from US Core 6.1
are named in `meta.profile` where the resource carries what the profile asks for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from app.care import content
from app.care.measures import KINDS, mean_score
from app.care.protocol import PHASES, Phase
from app.models import (
    Alert,
    DailyLog,
    ExerciseTick,
    Message,
    PlanItem,
    QuestionnaireResponse,
    Role,
    Treatment,
    User,
)
from app.services.treatment.library import exercise_name

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
US_CORE_CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
SCREENING_PROFILE = US_CORE + "us-core-observation-screening-assessment"
QUESTIONNAIRE_RESPONSE_PROFILE = US_CORE + "us-core-questionnaireresponse"
CAREPLAN_PROFILE = US_CORE + "us-core-careplan"
PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PEG_PANEL_LOINC = "91148-7"
PEG_SCORE_LOINC = "91147-9"
PEG_ITEM_LOINC = {"pain": "75893-8", "enjoyment": "91145-3", "activity": "91146-1"}
MEASURE_TITLES = {
    "peg": "PEG 3-item pain scale (pain, enjoyment of life, general activity)",
    "psfs": "Patient-Specific Functional Scale (PSFS)",
    "pgic": "Patient Global Impression of Change (PGIC)",
}
GROUP_ID = "clinic"
CODE_SYSTEM_ID = "backtrack"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Context:
    """What every builder needs besides the row: the API's base URL (references, canonical URLs)
    and the clinic's today (where a care plan's phases stand)."""

    base: str
    today: date

    @property
    def code_system(self) -> str:
        return f"{self.base}/CodeSystem/{CODE_SYSTEM_ID}"

    def questionnaire_url(self, kind: str) -> str:
        return f"{self.base}/Questionnaire/{kind}"

    def full_url(self, resource: dict[str, Any]) -> str:
        return f"{self.base}/{resource['resourceType']}/{resource['id']}"


def instant(moment: datetime | None) -> str | None:
    """A stored naive-UTC time as a FHIR instant."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds")


def meta(updated: datetime | None = None, profile: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if updated is not None:
        found["lastUpdated"] = instant(updated)
    if profile:
        found["profile"] = [profile]
    return found


def own(ctx: Context, code: str, display: str | None = None) -> dict[str, Any]:
    """A coding in Backtrack's CodeSystem (its display is the CodeSystem's)."""
    return {"system": ctx.code_system, "code": code, "display": display or CODES[code]}


def patient_ref(patient_id: int) -> dict[str, str]:
    return {"reference": f"Patient/{patient_id}"}


def practitioner_ref(user_id: int) -> dict[str, str]:
    return {"reference": f"Practitioner/{user_id}"}


def person_ref(user: User) -> dict[str, str]:
    return patient_ref(user.id) if user.role == Role.PATIENT.value else practitioner_ref(user.id)


def narrative(text: str) -> dict[str, str]:
    return {"status": "generated", "div": f'<div xmlns="{XHTML}"><p>{escape(text)}</p></div>'}


# --- Backtrack's CodeSystem -------------------------------------------------------------------------

PHASE_CODE = {phase.key: f"phase-{phase.key}" for phase in PHASES}
CODES: dict[str, str] = {
    "back-pain": "Back pain now, 0-10 (0 = no pain, 10 = worst imaginable)",
    "leg-pain": "Leg pain now, 0-10 (0 = no pain, 10 = worst imaginable)",
    "peg": MEASURE_TITLES["peg"] + ", score = mean of the three items",
    "peg-pain": "PEG item: pain on average in the past week, 0-10",
    "peg-enjoyment": "PEG item: pain's interference with enjoyment of life in the past week, 0-10",
    "peg-activity": "PEG item: pain's interference with general activity in the past week, 0-10",
    "psfs": MEASURE_TITLES["psfs"] + ", score = mean of the activities, 0-10",
    "psfs-activity": "PSFS activity named by the patient, rated 0 (unable) to 10 (as before)",
    "pgic": MEASURE_TITLES["pgic"]
    + f", 1 = {content.PGIC_LABELS[1].lower()} to 7 = {content.PGIC_LABELS[7].lower()}",
    **{f"pgic-{value}": label for value, label in content.PGIC_CHOICES},
    "exercise-completion": "Home exercise sessions done on one day",
    "prp-course": "A PRP injection course followed by home physical therapy",
    **{PHASE_CODE[phase.key]: f"Protocol phase: {phase.title}" for phase in PHASES},
    **{f"exercise-{text.slug}": f"Home exercise: {text.name}" for text in content.ALL_EXERCISES},
    **{key: f"Warning sign: {flag.question}" for key, flag in content.ALL_ALERT_FLAGS.items()},
    "urgency-emergency": "Warning sign urgency: emergency (go to the emergency department)",
    "urgency-same_day": "Warning sign urgency: call the clinic the same day",
}


def code_system(ctx: Context) -> dict[str, Any]:
    return {
        "resourceType": "CodeSystem",
        "id": CODE_SYSTEM_ID,
        "url": ctx.code_system,
        "name": "Backtrack",
        "title": "Backtrack's own codes",
        "status": "active",
        "experimental": False,
        "publisher": "Backtrack",
        "description": (
            "Codes for what Backtrack records where no standard code was confirmed: the daily "
            "pain log, PSFS and PGIC, exercise completion, the PRP protocol's phases, the home "
            "exercises and the warning signs."
        ),
        "caseSensitive": True,
        "content": "complete",
        "count": len(CODES),
        "concept": [{"code": code, "display": display} for code, display in CODES.items()],
    }


# --- People -----------------------------------------------------------------------------------------


def patient(ctx: Context, user: User) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": str(user.id),
        "meta": meta(user.created_at),
        "identifier": [{"system": f"{ctx.base}/identifiers/patient", "value": str(user.id)}],
        "active": user.active,
        "name": [{"text": user.full_name}],
        "telecom": [{"system": "email", "value": user.email}],
    }


def practitioner(ctx: Context, user: User) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": str(user.id),
        "meta": meta(user.created_at),
        "identifier": [{"system": f"{ctx.base}/identifiers/staff", "value": str(user.id)}],
        "active": user.active,
        "name": [{"text": user.full_name}],
    }


def group(ctx: Context, patient_count: int) -> dict[str, Any]:
    """The clinic's patients: the group a backend system exports."""
    return {
        "resourceType": "Group",
        "id": GROUP_ID,
        "identifier": [{"system": f"{ctx.base}/identifiers/group", "value": GROUP_ID}],
        "type": "person",
        "actual": True,
        "name": "Every patient of the clinic",
        "quantity": patient_count,
    }


# --- The care plan ----------------------------------------------------------------------------------

CAREPLAN_STATUS = {"active": "active", "completed": "completed", "cancelled": "revoked"}


def phase_period(phase: Phase, treatment: Treatment) -> tuple[date, date | None]:
    day0 = treatment.injection_date
    start = treatment.evaluation_date if phase.first_day is None else day0 + timedelta(days=phase.first_day)
    end = None if phase.last_day is None else day0 + timedelta(days=phase.last_day)
    return start, end


def activity_status(treatment: Treatment, start: date, end: date | None, today: date) -> str:
    if treatment.status == "cancelled":
        return "cancelled"
    if treatment.status == "completed" or (end is not None and end < today):
        return "completed"
    return "not-started" if start > today else "in-progress"


def period(start: date, end: date | None) -> dict[str, str]:
    found = {"start": start.isoformat()}
    if end is not None:
        found["end"] = end.isoformat()
    return found


def careplan(ctx: Context, treatment: Treatment, plan: Iterable[PlanItem]) -> dict[str, Any]:
    """The PRP course: its phases, then each exercise of the plan, as activities."""
    condition = content.CONDITIONS.get(treatment.condition, treatment.condition)
    phases = {phase.key: phase for phase in PHASES}
    activities = []
    for phase in PHASES:
        start, end = phase_period(phase, treatment)
        activities.append(
            {
                "detail": {
                    "code": {"coding": [own(ctx, PHASE_CODE[phase.key])], "text": phase.title},
                    "status": activity_status(treatment, start, end, ctx.today),
                    "scheduledPeriod": period(start, end),
                }
            }
        )
    for item in plan:
        if item.removed_at is not None:
            continue
        name = exercise_name(item)  # as prescribed: the version's name
        start, end = phase_period(phases[item.phase], treatment)
        activities.append(
            {
                "detail": {
                    "code": {
                        "coding": [own(ctx, f"exercise-{item.exercise.slug}", f"Home exercise: {name}")]
                    },
                    "status": activity_status(treatment, start, end, ctx.today),
                    "scheduledPeriod": period(start, end),
                    "description": f"{phases[item.phase].title}: {content.dose_text(item.dose)}",
                }
            }
        )
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(treatment.id),
        "meta": meta(treatment.created_at, CAREPLAN_PROFILE),
        "text": narrative(
            f"PRP course for {condition}: evaluation {treatment.evaluation_date.isoformat()}, "
            f"injection {treatment.injection_date.isoformat()}, then home physical therapy."
        ),
        "status": CAREPLAN_STATUS.get(treatment.status, "unknown"),
        "intent": "plan",
        "category": [
            {"coding": [{"system": US_CORE_CAREPLAN_CATEGORY, "code": "assess-plan"}]},
            {"coding": [own(ctx, "prp-course")]},
        ],
        "title": f"PRP course: {condition}",
        "description": condition,
        "subject": patient_ref(treatment.patient_id),
        "period": {"start": treatment.evaluation_date.isoformat()},
        "created": instant(treatment.created_at),
        "activity": activities,
    }
    if treatment.therapist_id is not None:
        resource["author"] = practitioner_ref(treatment.therapist_id)
    return resource


# --- Observations -----------------------------------------------------------------------------------

# What each kind of observation is coded as (a search by code finds these kinds).
OBSERVATION_KINDS = ("back-pain", "leg-pain", "peg", "psfs", "pgic", "exercise")


def observation_codings(ctx: Context, kind: str) -> list[dict[str, Any]]:
    if kind in ("back-pain", "leg-pain"):
        return [{"system": LOINC, "code": PAIN_LOINC, "display": PAIN_LOINC_DISPLAY}, own(ctx, kind)]
    if kind == "peg":
        return [{"system": LOINC, "code": PEG_SCORE_LOINC}, own(ctx, "peg")]
    if kind == "exercise":
        return [own(ctx, "exercise-completion")]
    return [own(ctx, kind)]


def observation_category(kind: str) -> str:
    return "activity" if kind == "exercise" else "survey"


def observation(
    ctx: Context,
    kind: str,
    resource_id: str,
    patient_id: int,
    day: date,
    updated: datetime | None,
    **values: Any,
) -> dict[str, Any]:
    category = observation_category(kind)
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "meta": meta(updated, SCREENING_PROFILE if category == "survey" else None),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "code": {"coding": observation_codings(ctx, kind), "text": values.pop("text")},
        "subject": patient_ref(patient_id),
        "effectiveDateTime": day.isoformat(),
        "performer": [patient_ref(patient_id)],  # the patient reported it
        **values,
    }


def pain_observations(ctx: Context, log: DailyLog) -> list[dict[str, Any]]:
    """Back pain, and leg pain where it was asked: LOINC 72514-3 with the body site."""
    found = [
        observation(
            ctx,
            "back-pain",
            f"back-pain-{log.id}",
            log.patient_id,
            log.day,
            log.updated_at,
            text="Back pain",
            valueInteger=log.back_pain,
            bodySite={"text": "Lower back"},
            **({"note": [{"text": log.note}]} if log.note else {}),
        )
    ]
    if log.leg_pain is not None:
        found.append(
            observation(
                ctx,
                "leg-pain",
                f"leg-pain-{log.id}",
                log.patient_id,
                log.day,
                log.updated_at,
                text="Leg pain",
                valueInteger=log.leg_pain,
                bodySite={"text": "Leg"},
            )
        )
    return found


def round_words(response: QuestionnaireResponse) -> str:
    return "evaluation" if response.week == 0 else f"week {response.week}"


PEG_QUESTIONS = {key: question for key, question, _low, _high in content.PEG_ITEMS}


def peg_key(label: str, position: int) -> str:
    """Which PEG item an answer is: by its stored key, else by its place."""
    if label in PEG_QUESTIONS:
        return label
    keys = list(PEG_QUESTIONS)
    return keys[position] if 0 <= position < len(keys) else keys[0]


def peg_component(ctx: Context, label: str, position: int, value: int) -> dict[str, Any]:
    key = peg_key(label, position)
    return {
        "code": {
            "coding": [{"system": LOINC, "code": PEG_ITEM_LOINC[key]}, own(ctx, f"peg-{key}")],
            "text": PEG_QUESTIONS[key],
        },
        "valueInteger": value,
    }


def questionnaire_observation(ctx: Context, response: QuestionnaireResponse) -> dict[str, Any]:
    """PEG and PSFS: the score, each item a component. PGIC: the answer as a coded concept."""
    values: dict[str, Any]
    if response.kind == "pgic":
        value = response.items[0].value if response.items else 4
        values = {
            "valueCodeableConcept": {
                "coding": [own(ctx, f"pgic-{value}")] if f"pgic-{value}" in CODES else [],
                "text": content.PGIC_LABELS.get(value, str(value)),
            },
            "component": [{"code": {"text": content.PGIC_QUESTION}, "valueInteger": value}],
        }
    else:
        score = mean_score(item.value for item in response.items) or 0.0
        if response.kind == "peg":
            components = [
                peg_component(ctx, item.label, item.position, item.value) for item in response.items
            ]
        else:
            components = [
                {
                    "code": {"coding": [own(ctx, "psfs-activity")], "text": item.label},
                    "valueInteger": item.value,
                }
                for item in response.items
            ]
        values = {
            "valueQuantity": {"value": score, "unit": "score", "system": UCUM, "code": "{score}"},
            "component": components,
        }
    return observation(
        ctx,
        response.kind,
        f"{response.kind}-{response.id}",
        response.patient_id,
        response.day,
        response.updated_at,
        text=MEASURE_TITLES[response.kind],
        derivedFrom=[{"reference": f"QuestionnaireResponse/{response.id}"}],
        note=[{"text": f"Round: {round_words(response)}."}],
        **values,
    )


def exercise_observation_id(patient_id: int, day: date) -> str:
    return f"exercise-{patient_id}-{day.isoformat()}"


def exercise_observation(
    ctx: Context, patient_id: int, day: date, ticks: list[tuple[ExerciseTick, str]]
) -> dict[str, Any]:
    """One day's exercise sessions: how many were done, and which."""
    names: dict[str, int] = {}
    for _tick, name in ticks:
        names[name] = names.get(name, 0) + 1
    return observation(
        ctx,
        "exercise",
        exercise_observation_id(patient_id, day),
        patient_id,
        day,
        max(tick.created_at for tick, _name in ticks),
        text="Home exercise sessions done",
        valueInteger=len(ticks),
        component=[{"code": {"text": name}, "valueInteger": count} for name, count in names.items()],
    )


# --- Questionnaires and their answers ---------------------------------------------------------------


def questionnaire(ctx: Context, kind: str) -> dict[str, Any]:
    """The instrument as Backtrack asks it (the patient-facing wording in app/care/content.py)."""
    texts = content.QUESTIONNAIRES[kind]
    items: list[dict[str, Any]]
    if kind == "peg":
        items = [
            {
                "linkId": key,
                "code": [{"system": LOINC, "code": PEG_ITEM_LOINC[key]}],
                "text": question,
                "type": "integer",
                "required": True,
            }
            for key, question, _low, _high in content.PEG_ITEMS
        ]
        code = [{"system": LOINC, "code": PEG_PANEL_LOINC}]
    elif kind == "psfs":
        items = [
            {
                "linkId": "activity",
                "text": texts.intro,
                "type": "group",
                "repeats": True,
                "item": [
                    {"linkId": "activity.name", "text": "Activity", "type": "string", "required": True},
                    {
                        "linkId": "activity.rating",
                        "text": f"{content.PSFS_SCALE_LOW}; {content.PSFS_SCALE_HIGH}",
                        "type": "integer",
                        "required": True,
                    },
                ],
            }
        ]
        code = [own(ctx, "psfs")]
    else:
        items = [
            {
                "linkId": "change",
                "text": content.PGIC_QUESTION,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": own(ctx, f"pgic-{value}")} for value, _ in content.PGIC_CHOICES
                ],
            }
        ]
        code = [own(ctx, "pgic")]
    return {
        "resourceType": "Questionnaire",
        "id": kind,
        "url": ctx.questionnaire_url(kind),
        "name": kind.upper(),
        "title": MEASURE_TITLES[kind],
        "status": "active",
        "subjectType": ["Patient"],
        "code": code,
        "description": texts.why,
        "item": items,
    }


def questionnaire_response(ctx: Context, response: QuestionnaireResponse) -> dict[str, Any]:
    """Every answer of one round, as the questionnaire above lays it out."""
    items: list[dict[str, Any]]
    if response.kind == "peg":
        items = [
            {"linkId": peg_key(item.label, item.position), "answer": [{"valueInteger": item.value}]}
            for item in response.items
        ]
    elif response.kind == "psfs":
        items = [
            {
                "linkId": "activity",
                "item": [
                    {"linkId": "activity.name", "answer": [{"valueString": item.label}]},
                    {"linkId": "activity.rating", "answer": [{"valueInteger": item.value}]},
                ],
            }
            for item in response.items
        ]
    else:
        items = [
            {"linkId": "change", "answer": [{"valueCoding": own(ctx, f"pgic-{item.value}")}]}
            for item in response.items
            if f"pgic-{item.value}" in CODES
        ]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.id),
        "meta": meta(response.updated_at, QUESTIONNAIRE_RESPONSE_PROFILE),
        "questionnaire": ctx.questionnaire_url(response.kind),
        "status": "completed",
        "subject": patient_ref(response.patient_id),
        "authored": instant(response.updated_at),
        "author": patient_ref(response.patient_id),
        "source": patient_ref(response.patient_id),
        "item": items,
    }


QUESTIONNAIRE_KINDS = KINDS


# --- Warning signs and messages ---------------------------------------------------------------------


def alert_updated(alert: Alert) -> datetime:
    return alert.acknowledged_at or alert.raised_at


def flag(ctx: Context, alert: Alert) -> dict[str, Any]:
    """A warning sign the patient reported (or a derived one): active until staff acknowledge it."""
    red_flag = content.ALL_ALERT_FLAGS.get(alert.symptom)
    question = red_flag.question if red_flag else alert.symptom
    coding = [own(ctx, alert.symptom)] if alert.symptom in CODES else []
    resource: dict[str, Any] = {
        "resourceType": "Flag",
        "id": str(alert.id),
        "meta": meta(alert_updated(alert)),
        "status": "inactive" if alert.acknowledged_at else "active",
        "category": [
            {"coding": [{"system": FLAG_CATEGORY, "code": "clinical"}]},
            {"coding": [own(ctx, f"urgency-{alert.urgency}")] if f"urgency-{alert.urgency}" in CODES else []},
        ],
        "code": {"coding": coding, "text": question},
        "subject": patient_ref(alert.patient_id),
        "period": {"start": instant(alert.raised_at)},
    }
    if alert.acknowledged_at:
        resource["period"]["end"] = instant(alert.acknowledged_at)
    if not resource["category"][1]["coding"]:
        resource["category"].pop()
    return resource


def message_updated(message: Message) -> datetime:
    return message.read_at or message.created_at


def communication(ctx: Context, message: Message) -> dict[str, Any]:  # noqa: ARG001 (one signature for every builder)
    """One message of the patient's thread with their care team."""
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": str(message.id),
        "meta": meta(message_updated(message)),
        "status": "completed",
        "subject": patient_ref(message.patient_id),
        "sent": instant(message.created_at),
        "sender": person_ref(message.author),
        "payload": [{"contentString": message.body}],
    }
    if not message.from_patient:
        resource["recipient"] = [patient_ref(message.patient_id)]
    if message.read_at:
        resource["received"] = instant(message.read_at)
    return resource
