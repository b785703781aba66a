"""The demo clinic: realistic people, treatments in every phase, and believable pain curves.

Dates are relative to the clinic's today, so the demo always shows each phase. Seeding again rebuilds
it from an empty schema (the command only runs on an empty or demo-only database).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from app.care.dosing import is_due
from app.care.protocol import position_on
from app.care.warnings import read_in_words, reports_for, urgent_flags
from app.demo import measures as demo_measures
from app.extensions import db
from app.models import (
    DailyLog,
    ExerciseTick,
    Message,
    OnCallShift,
    PlanItem,
    ReminderPreference,
    Treatment,
    User,
)
from app.models.base import utcnow
from app.services.accounts.passwords import hash_password
from app.services.clinic.settings import current_settings
from app.services.safety.alerts import raise_alerts
from app.services.treatment.treatments import TreatmentDetails, schedule_treatment

DEMO_PASSWORD = "backtrack-demo"  # noqa: S105 - published demo password, demo accounts only


@dataclass(frozen=True)
class DemoPatient:
    email: str
    name: str
    therapist: str
    day: int  # days since the injection today (negative: injection still ahead)
    condition: str
    sites: tuple[str, ...]
    baseline: int
    improvement: float  # share of the baseline gone by day 60
    last_log_day: int | None = None  # stop logging after this day (silence)
    skip_rate: float = 0.12
    nsaid_day: int | None = None
    red_flag: str | None = None


PATIENTS = (
    DemoPatient(
        "patient@example.com", "Maria Alvarez", "therapist", 20, "lumbar_facet", ("facet_joints",), 7, 0.55
    ),
    DemoPatient("evaluation@example.com", "James Okafor", "therapist", -5, "si_joint", ("si_joint",), 6, 0.0),
    DemoPatient(
        "injection@example.com",
        "Priya Natarajan",
        "therapist",
        0,
        "degenerative_disc",
        ("disc", "facet_joints"),
        7,
        0.0,
    ),
    DemoPatient(
        "week1@example.com",
        "Tom Becker",
        "therapist",
        5,
        "lumbar_radiculopathy",
        ("facet_joints", "paraspinal_muscles"),
        8,
        0.4,
    ),
    DemoPatient(
        "week8@example.com",
        "Aisha Rahman",
        "therapist",
        52,
        "low_back_spasm",
        ("paraspinal_muscles", "ligaments"),
        7,
        0.65,
    ),
    DemoPatient(
        "maintenance@example.com",
        "Robert Chen",
        "therapist",
        100,
        "thoracic_strain",
        ("paraspinal_muscles",),
        6,
        0.6,
    ),
    DemoPatient(
        "redflag@example.com",
        "Linda Moore",
        "therapist",
        9,
        "failed_back_surgery",
        ("ligaments", "paraspinal_muscles"),
        8,
        0.2,
        red_flag="leg_weakness",
    ),
    DemoPatient(
        "silent@example.com",
        "Kevin Walsh",
        "therapist",
        30,
        "lumbar_sprain",
        ("ligaments",),
        6,
        0.1,
        last_log_day=25,
    ),
    DemoPatient(
        "nsaid@example.com",
        "Sofia Rossi",
        "therapist",
        6,
        "lumbar_facet",
        ("facet_joints",),
        7,
        0.05,
        nsaid_day=5,
    ),
    DemoPatient("other1@example.com", "Daniel Kim", "therapist2", 25, "si_joint", ("si_joint",), 6, 0.5),
    DemoPatient("other2@example.com", "Grace Liu", "therapist2", 60, "degenerative_disc", ("disc",), 8, 0.45),
)
STAFF = (
    ("admin@example.com", "Alex Morgan", "admin"),
    ("therapist@example.com", "Sam Patel", "therapist"),
    ("therapist2@example.com", "Jordan Lee", "therapist"),
)
EVALUATION_LEAD_DAYS = 7
# Maria writes now and then, sometimes at length (the record shows every word).
NOTES_BY_DAY = {
    2: "Sore where the needle went in, better with the heating pad.",
    12: (
        "Walked to the park and back with my sister, about twenty minutes, and my back felt fine the "
        "whole way. Stiff for an hour after sitting through a long meeting at work, then it eased off "
        "once I did the pelvic tilts and got up to move. Sleeping better than last week."
    ),
    18: "Did the bird-dog in front of the mirror to keep my hips level.",
}


def reset_schema() -> None:
    """Drop every table and build the schema again from the migrations. Only for a database that
    holds nothing but the demo: it removes every row any part of the app has written (logs, ticks,
    alerts, notes, audit rows, links, settings) without having to know them."""
    db.session.remove()
    tables = sa.MetaData()
    tables.reflect(db.engine)
    tables.drop_all(db.engine)
    upgrade()


def pain_on(patient: DemoPatient, day: int, rng: random.Random) -> int:
    """Baseline until the injection, a flare for three days, then a gradual fall."""
    expected: float
    if day < 0:
        expected = patient.baseline
    elif day <= 3:
        expected = patient.baseline + 1
    else:
        expected = patient.baseline * (1 - patient.improvement * min(day, 60) / 60)
    return max(0, min(10, round(expected + rng.choice((-1, 0, 0, 1)))))


def build_demo_clinic(today: date) -> list[User]:
    password_hash = hash_password(DEMO_PASSWORD)
    people: dict[str, User] = {}
    for email, name, role in STAFF:
        people[email.split("@")[0]] = User(
            email=email, full_name=name, role=role, is_demo=True, password_hash=password_hash
        )
    patients = [
        User(email=p.email, full_name=p.name, role="patient", is_demo=True, password_hash=password_hash)
        for p in PATIENTS
    ]
    db.session.add_all([*people.values(), *patients])
    db.session.flush()
    rng = random.Random(20261127)  # noqa: S311 - reproducible demo data, not security
    for spec, user in zip(PATIENTS, patients, strict=True):
        add_patient_history(spec, user, people[spec.therapist], today, rng)
        # Every demo patient has e-mail reminders on: with an SMTP server configured,
        # `send-reminders` sends the demo's due reminders.
        db.session.add(ReminderPreference(user_id=user.id, by_email=True, by_push=False))
    demo_measures.build(today, people, password_hash)
    by_email = {p.email: u for p, u in zip(PATIENTS, patients, strict=True)}
    add_messages(by_email, people)
    add_safety_net(by_email, people)
    db.session.commit()
    return [*people.values(), *patients]


# The on-call rota: Sam covers weekday evenings and nights, Jordan the weekend (clinic time).
DEMO_ROTA = (
    ("therapist", (0, 1, 2, 3), time(17), time(8)),
    ("therapist2", (4,), time(17), time(8)),
    ("therapist2", (5, 6), time(8), time(8)),
)


def add_safety_net(patients: dict[str, User], people: dict[str, User]) -> None:
    """The rota, and James's medicines before his injection: a blood thinner, so his injection
    shows "plan with prescriber needed" until a clinician confirms the plan."""
    for who, weekdays, starts, ends in DEMO_ROTA:
        for weekday in weekdays:
            db.session.add(
                OnCallShift(clinician_id=people[who].id, weekday=weekday, starts_at=starts, ends_at=ends)
            )
    james = db.session.scalar(
        sa.select(Treatment).where(
            Treatment.patient_id == patients["evaluation@example.com"].id, Treatment.status == "active"
        )
    )
    if james is not None:
        james.regular_medicines = "Eliquis 5 mg twice a day\nLisinopril 10 mg\nFish oil"
        james.medicines_listed_at = utcnow() - timedelta(days=1)


def booked_on_an_open_day(spec: DemoPatient, today: date, open_days: frozenset[int]) -> DemoPatient:
    """A planned injection is booked on a day the clinic is open (the next one after the day it
    would fall on), so the demo never tells a patient to come in on a Sunday. Injections already
    given keep their day: each phase is shown on the day it is meant to be."""
    if spec.day >= 0 or not open_days:
        return spec
    ahead = -spec.day
    while (today + timedelta(days=ahead)).weekday() not in open_days:
        ahead += 1
    return dataclasses.replace(spec, day=-ahead)


def add_patient_history(
    spec: DemoPatient, user: User, therapist: User, today: date, rng: random.Random
) -> None:
    spec = booked_on_an_open_day(spec, today, current_settings().hours.days)
    injection = today - timedelta(days=spec.day)
    evaluation = injection - timedelta(days=EVALUATION_LEAD_DAYS)
    if evaluation > today:
        evaluation = today - timedelta(days=2)
    details = TreatmentDetails(evaluation, injection, spec.condition, spec.sites, spec.baseline, therapist.id)
    treatment = schedule_treatment(user, details)
    last = spec.day if spec.last_log_day is None else spec.last_log_day
    for day in range((evaluation - injection).days, last + 1):
        on = injection + timedelta(days=day)
        logs_today = spec.red_flag is not None  # everyone else leaves today's log to the patient
        if on > today or (on == today and not logs_today):
            continue
        if day not in (spec.day, spec.nsaid_day) and rng.random() < spec.skip_rate:
            continue
        add_log(spec, user, treatment, on, day, rng)
    add_ticks(treatment, injection, today, last, rng)


def add_log(
    spec: DemoPatient, user: User, treatment: Treatment, on: date, day: int, rng: random.Random
) -> None:
    leg = spec.condition in ("lumbar_radiculopathy", "failed_back_surgery")
    log = DailyLog(
        patient_id=user.id,
        treatment_id=treatment.id,
        day=on,
        back_pain=pain_on(spec, day, rng),
        leg_pain=max(0, pain_on(spec, day, rng) - 2) if leg else None,
        medication="acetaminophen" if 0 <= day <= 3 else "none",
    )
    if day == spec.nsaid_day:
        log.medication = "anti_inflammatory"
        log.note = "Took two ibuprofen before bed, the ache kept me up."
    if day in NOTES_BY_DAY and spec.email == "patient@example.com":
        log.note = NOTES_BY_DAY[day]
    if spec.red_flag and day == spec.day:
        setattr(log, spec.red_flag, True)
        log.note = "My right foot feels weak and catches on the stairs since this morning."
    db.session.add(log)
    db.session.flush()
    if log.red_flags:
        reports = reports_for(urgent_flags(log.red_flags, {}, on), read_in_words(log.note))
        raise_alerts(user.id, on, reports, daily_log_id=log.id)


def add_ticks(treatment: Treatment, injection: date, today: date, last_day: int, rng: random.Random) -> None:
    items = db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id))
    by_phase: dict[str, list[PlanItem]] = {}
    for item in items:
        by_phase.setdefault(item.phase, []).append(item)
    for day in range(1, last_day + 1):
        on = injection + timedelta(days=day)
        if on >= today:  # leave today for the patient to tick
            break
        for item in by_phase.get(position_on(on, injection).phase.key, []):
            if not is_due(item.days_per_week, on, injection):
                continue
            for session in range(1, item.prescription.sessions + 1):
                if rng.random() < 0.8:
                    db.session.add(ExerciseTick(plan_item_id=item.id, day=on, session=session))


# (patient, who writes: "patient" or "therapist", days ago, hours earlier, text, read)
DEMO_MESSAGES = (
    ("patient@example.com", "patient", 3, 5, "Is it normal to feel sore after the bridge exercise?", True),
    (
        "patient@example.com",
        "therapist",
        3,
        3,
        (
            "Yes, a little soreness is normal. Stop if it goes more than 2 points above your "
            "usual pain or spreads further down a leg, and tell me here."
        ),
        True,
    ),
    ("patient@example.com", "patient", 1, 4, "Thanks! It was better today.", True),
    ("patient@example.com", "therapist", 0, 2, "Great to hear. Keep going with the walks too.", False),
    ("week1@example.com", "patient", 0, 3, "Can I drive to work next week?", False),
    (
        "evaluation@example.com",
        "patient",
        1,
        2,
        "Do I need someone to drive me home after the injection?",
        False,
    ),
)


def add_messages(patients: dict[str, User], people: dict[str, User]) -> None:
    """A thread with replies and read receipts for Maria, and unread questions on the dashboard."""
    therapist = people["therapist"]
    now = utcnow()
    for email, writer, days_ago, hours, text, read in DEMO_MESSAGES:
        patient = patients[email]
        sent = now - timedelta(days=days_ago, hours=hours)
        db.session.add(
            Message(
                patient_id=patient.id,
                author_id=patient.id if writer == "patient" else therapist.id,
                body=text,
                created_at=sent,
                read_at=sent + timedelta(minutes=40) if read else None,
            )
        )
