"""A patient's own records: everything the app holds about them as CSV files in a zip and as a
FHIR R4 Bundle, their treatment dates as a calendar file, and the data for the printable summary.
Gathered in a fixed number of statements, whatever the amount of data."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.care import content
from app.care.measures import KIND_NAMES, mean_score
from app.care.protocol import PHASES
from app.extensions import db
from app.models import (
    Alert,
    DailyLog,
    ExerciseTick,
    PlanItem,
    QuestionnaireResponse,
    RtmSetup,
    TimeLogEntry,
    Treatment,
    User,
)
from app.services.audit.trail import safe_cell
from app.services.clinic.settings import ClinicSettings

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


@dataclass
class PatientData:
    patient: User
    treatments: list[Treatment]
    logs: list[DailyLog]
    plan: list[PlanItem]
    ticks: list[ExerciseTick]
    responses: list[QuestionnaireResponse]
    alerts: list[Alert]
    time_log: list[TimeLogEntry]
    setups: list[RtmSetup]

    def plan_item(self, item_id: int) -> PlanItem | None:
        if not hasattr(self, "_items"):
            self._items = {item.id: item for item in self.plan}
        return self._items.get(item_id)


def gather(patient: User) -> PatientData:
    """Everything about one patient: nine statements."""
    treatment_ids = sa.select(Treatment.id).where(Treatment.patient_id == patient.id)
    treatments = list(
        db.session.scalars(
            sa.select(Treatment)
            .where(Treatment.patient_id == patient.id)
            .options(joinedload(Treatment.therapist))
            .order_by(Treatment.evaluation_date)
        )
    )
    plan = list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(PlanItem.treatment_id.in_(treatment_ids))
            .order_by(PlanItem.treatment_id, PlanItem.phase, PlanItem.position, PlanItem.id)
        )
    )
    return PatientData(
        patient=patient,
        treatments=treatments,
        logs=list(
            db.session.scalars(
                sa.select(DailyLog).where(DailyLog.patient_id == patient.id).order_by(DailyLog.day)
            )
        ),
        plan=plan,
        ticks=list(
            db.session.scalars(
                sa.select(ExerciseTick)
                .where(
                    ExerciseTick.plan_item_id.in_(
                        sa.select(PlanItem.id).where(PlanItem.treatment_id.in_(treatment_ids))
                    )
                )
                .order_by(ExerciseTick.day, ExerciseTick.plan_item_id)
            )
        ),
        responses=list(
            db.session.scalars(
                sa.select(QuestionnaireResponse)
                .where(QuestionnaireResponse.patient_id == patient.id)
                .options(selectinload(QuestionnaireResponse.items))
                .order_by(QuestionnaireResponse.day, QuestionnaireResponse.kind)
            )
        ),
        alerts=list(
            db.session.scalars(
                sa.select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.raised_at)
            )
        ),
        time_log=list(
            db.session.scalars(
                sa.select(TimeLogEntry)
                .where(TimeLogEntry.patient_id == patient.id)
                .order_by(TimeLogEntry.day)
            )
        ),
        setups=list(db.session.scalars(sa.select(RtmSetup).where(RtmSetup.treatment_id.in_(treatment_ids)))),
    )


# --- CSV files in a zip ------------------------------------------------------------------------------


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """One CSV file; every cell formula-safe (patients and staff type some of them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell("" if value is None else str(value)) for value in row])
    return buffer.getvalue()


def exercise_name(item: PlanItem | None) -> str:
    if item is None:
        return ""
    text = content.EXERCISES_BY_SLUG.get(item.exercise.slug)
    return text.name if text else item.exercise.slug


def csv_files(data: PatientData) -> dict[str, str]:
    """One file per kind of record."""
    p = data.patient
    return {
        "account.csv": csv_text(
            ["name", "email", "role", "active", "account created (UTC)"],
            [(p.full_name, p.email, p.role, p.active, p.created_at.isoformat(timespec="seconds"))],
        ),
        "treatments.csv": csv_text(
            [
                "treatment",
                "visit 1 (evaluation)",
                "visit 2 (injection)",
                "condition",
                "injection sites",
                "pain at evaluation (0-10)",
                "therapist",
                "status",
            ],
            [
                (
                    t.id,
                    t.evaluation_date,
                    t.injection_date,
                    content.CONDITIONS.get(t.condition, t.condition),
                    "; ".join(content.INJECTION_SITES.get(k, k) for k in t.site_keys),
                    t.baseline_pain,
                    t.therapist.full_name if t.therapist else "",
                    t.status,
                )
                for t in data.treatments
            ],
        ),
        "daily_logs.csv": csv_text(
            [
                "day",
                "back pain (0-10)",
                "leg pain (0-10)",
                "medicine",
                "warning signs",
                "note",
                "saved (UTC)",
            ],
            [
                (
                    log.day,
                    log.back_pain,
                    log.leg_pain,
                    content.MEDICATION_NAMES.get(log.medication, log.medication),
                    "; ".join(content.ALL_ALERT_FLAGS[key].question for key in log.red_flags),
                    log.note,
                    log.updated_at.isoformat(timespec="seconds"),
                )
                for log in data.logs
            ],
        ),
        "exercise_plan.csv": csv_text(
            ["treatment", "phase", "exercise", "dose", "cue", "removed (UTC)"],
            [
                (
                    item.treatment_id,
                    item.phase,
                    exercise_name(item),
                    content.dose_text(item.dose),
                    item.cue,
                    item.removed_at.isoformat(timespec="seconds") if item.removed_at else "",
                )
                for item in data.plan
            ],
        ),
        "exercise_ticks.csv": csv_text(
            ["day", "exercise", "phase"],
            [
                (tick.day, exercise_name(item), item.phase if item else "")
                for tick in data.ticks
                for item in [data.plan_item(tick.plan_item_id)]
            ],
        ),
        "questionnaires.csv": csv_text(
            ["questionnaire", "round", "answered", "item", "answer", "score"],
            [
                (
                    KIND_NAMES[r.kind],
                    "evaluation" if r.week == 0 else f"week {r.week}",
                    r.day,
                    item.label,
                    item.value,
                    response_score(r),
                )
                for r in data.responses
                for item in r.items
            ],
        ),
        "warning_signs.csv": csv_text(
            ["day", "warning sign", "urgency", "acknowledged by staff (UTC)", "staff note"],
            [
                (
                    a.day,
                    content.ALL_ALERT_FLAGS[a.symptom].question
                    if a.symptom in content.ALL_ALERT_FLAGS
                    else a.symptom,
                    a.urgency,
                    a.acknowledged_at.isoformat(timespec="seconds") if a.acknowledged_at else "",
                    a.acknowledgement_note,
                )
                for a in data.alerts
            ],
        ),
        "monitoring_time.csv": csv_text(
            ["day", "minutes", "what was done", "live call or video", "by"],
            [
                (e.day, e.minutes, e.what, "yes" if e.interactive else "no", e.staff.full_name)
                for e in data.time_log
            ],
        ),
        "monitoring_setup.csv": csv_text(
            ["treatment", "set-up and education day", "recorded by"],
            [(s.treatment_id, s.day, s.recorded_by.full_name) for s in data.setups],
        ),
    }


def response_score(response: QuestionnaireResponse) -> str:
    if response.kind == "pgic":
        return content.PGIC_LABELS.get(response.items[0].value, "") if response.items else ""
    score = mean_score(item.value for item in response.items)
    return "" if score is None else f"{score:g}"


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# --- FHIR R4 Bundle -----------------------------------------------------------------------------------


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


# --- Calendar ------------------------------------------------------------------------------------------

CALENDAR_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def calendar_events(treatment: Treatment, settings: ClinicSettings) -> list[tuple[str, str, date, date, str]]:
    """(key, title, first day, last day, description) for Visit 1, Visit 2, each phase and the
    NSAID-free days."""
    injection = treatment.injection_date
    events = [
        (
            "visit-1",
            "Visit 1: evaluation",
            treatment.evaluation_date,
            treatment.evaluation_date,
            content.PHASE_GUIDANCE["evaluation"].summary,
        ),
        (
            "visit-2",
            "Visit 2: PRP injection",
            injection,
            injection,
            content.PHASE_GUIDANCE["injection"].summary,
        ),
    ]
    for phase in PHASES:
        if phase.first_day is not None and phase.first_day > 0:
            start = injection + timedelta(days=phase.first_day)
            events.append(
                (
                    f"phase-{phase.key}",
                    f"Starts: {phase.title}",
                    start,
                    start,
                    content.PHASE_GUIDANCE[phase.key].summary,
                )
            )
    window = settings.nsaid_window(injection)
    events.append(
        (
            "nsaid-window",
            "No anti-inflammatory pills (NSAID-free)",
            window.starts,
            window.ends,
            content.render(content.NSAID_EXPLAINED, end=f"{window.ends:%B} {window.ends.day}"),
        )
    )
    return events


def calendar_file(treatment: Treatment, settings: ClinicSettings, now: datetime | None = None) -> bytes:
    """An .ics file. Each event's UID is fixed per treatment and event, so importing the file again
    updates the events; SEQUENCE grows with time, so the newer copy wins."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Backtrack//PRP plan//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{settings.name}: your PRP plan")
    sequence = int((now - CALENDAR_EPOCH).total_seconds() // 60)
    for key, title, first, last, description in calendar_events(treatment, settings):
        event = icalendar.Event()
        event.add("uid", f"treatment-{treatment.id}-{key}@backtrack")
        event.add("summary", title)
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))  # all-day events end the day after
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("description", f"{description}\n\nQuestions? Call {settings.name}: {settings.phone}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
