"""Small factories for test data, writing through the real models."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from app.care.medication import answers_of, took_nsaid
from app.extensions import db
from app.models import (
    Alert,
    DailyLog,
    QuestionnaireItem,
    QuestionnaireResponse,
    ReminderPreference,
    Role,
    Treatment,
    User,
)
from app.services.accounts.passwords import hash_password
from app.services.treatment.treatments import TreatmentDetails, schedule_treatment
from tests.conftest import PASSWORD

_sequence = itertools.count(1)
_hashes: dict[str, str] = {}


def make_user(
    role: Role | str = Role.PATIENT,
    name: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    active: bool = True,
) -> User:
    n = next(_sequence)
    role = Role(role)
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    user = User(
        role=role.value,
        full_name=name or f"Test {role.value.title()} {n}",
        email=email or f"{role.value}{n}@example.com",
        password_hash=_hashes[password],
        active=active,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_treatment(
    patient: User,
    injection: date,
    therapist: User | None = None,
    condition: str = "lumbar_facet",
    baseline: int | None = 7,
    evaluation: date | None = None,
) -> Treatment:
    evaluation = evaluation or min(injection, injection - timedelta(days=7))
    therapist_id = therapist.id if therapist else None
    details = TreatmentDetails(evaluation, injection, condition, ("facet_joints",), baseline, therapist_id)
    treatment = schedule_treatment(patient, details)
    db.session.commit()
    return treatment


def make_log(patient: User, day: date, back_pain: int = 5, **answers) -> DailyLog:
    """A stored entry; its anti-inflammatory flag follows the medicine answers, as a save sets it."""
    answers.setdefault(
        "nsaid", took_nsaid(answers_of(answers.get("medication", "none")), answers.get("other_medicine", ""))
    )
    log = DailyLog(patient_id=patient.id, day=day, back_pain=back_pain, **answers)
    db.session.add(log)
    db.session.commit()
    return log


def patient_on_day(day_number: int, today: date, **kwargs) -> tuple[User, Treatment]:
    """A patient whose injection was `day_number` days before `today`."""
    patient = make_user(Role.PATIENT, **kwargs)
    return patient, make_treatment(patient, today - timedelta(days=day_number))


def make_answer(treatment: Treatment, kind: str, week: int, items: list[tuple[str, int]], day: date):
    """A questionnaire round answered on `day`, with its items in order."""
    response = QuestionnaireResponse(
        patient_id=treatment.patient_id, treatment_id=treatment.id, kind=kind, week=week, day=day
    )
    response.items = [QuestionnaireItem(position=n, label=k, value=v) for n, (k, v) in enumerate(items)]
    db.session.add(response)
    db.session.commit()
    return response


def my_patient(therapist, today, day=20, name=None, **kwargs) -> tuple[User, Treatment]:
    patient = make_user(Role.PATIENT, name=name)
    return patient, make_treatment(patient, today - timedelta(days=day), therapist=therapist, **kwargs)


def open_alert(patient, today, symptom="leg_weakness", urgency="emergency") -> Alert:
    log = make_log(patient, today, back_pain=6, **{symptom: True})
    alert = Alert(patient_id=patient.id, daily_log_id=log.id, day=today, symptom=symptom, urgency=urgency)
    db.session.add(alert)
    db.session.commit()
    return alert


def bulk_patients(therapist, today, count: int, first: int = 0) -> None:
    """Many patients quickly: rows inserted directly, a few logs each, some open alerts."""
    for n in range(first, first + count):
        patient = User(
            role="patient", full_name=f"Bulk Patient {n}", email=f"bulk{therapist.id}-{n}@example.com"
        )
        db.session.add(patient)
        db.session.flush()
        treatment = Treatment(
            patient_id=patient.id,
            therapist_id=therapist.id,
            condition="lumbar_facet",
            evaluation_date=today - timedelta(days=40),
            injection_date=today - timedelta(days=30),
            baseline_pain=7,
        )
        db.session.add(treatment)
        db.session.flush()
        db.session.add_all(
            [
                DailyLog(patient_id=patient.id, day=today - timedelta(days=d), back_pain=5)
                for d in range(0, 10, 2)
            ]
        )
        if n % 7 == 0:
            db.session.add(Alert(patient_id=patient.id, day=today, symptom="fever", urgency="same_day"))
    db.session.commit()


def with_reminders(user, by_email: bool = True, by_push: bool = False, **choices) -> ReminderPreference:
    preference = ReminderPreference(user_id=user.id, by_email=by_email, by_push=by_push, **choices)
    db.session.add(preference)
    db.session.commit()
    return preference
