"""The demo clinic's questionnaires, monitoring time and past patients, so the questionnaire cards,
the outcomes page and the RTM month report all show real figures (called by `app.demo.clinic`).

The past patients' pain is deterministic: flat at the baseline before the injection, flat at the
week-6 value on days 39-45 and at the week-12 value on days 81-87, straight lines in between, so
their outcome figures can be worked out by hand (the README and the tests do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from app.care.follow_up import peg_round_week
from app.care.measures import peg_week
from app.care.rtm import month_bounds
from app.extensions import db
from app.models import (
    DailyLog,
    QuestionnaireItem,
    QuestionnaireResponse,
    RtmSetup,
    TimeLogEntry,
    Treatment,
    User,
)
from app.services.treatment.treatments import TreatmentDetails, schedule_treatment

ACTIVITIES = ("Sit through a movie", "Garden for an hour")


@dataclass(frozen=True)
class PastPatient:
    name: str
    condition: str
    baseline: int
    week_6: int | None  # pain on days 39-45; None: stopped logging before then
    week_12: int | None  # pain on days 81-87; None: stopped logging before then
    therapist: str = "therapist"


PAST_PATIENTS = (
    PastPatient("Helen Brooks", "lumbar_facet", 8, 4, 3),
    PastPatient("Omar Haddad", "lumbar_facet", 7, 5, 4),
    PastPatient("Nina Petrova", "lumbar_facet", 6, 3, 2),
    PastPatient("Carlos Mendes", "lumbar_facet", 8, 6, 5),
    PastPatient("Fatima Diallo", "lumbar_facet", 9, 7, 6),
    PastPatient("George Wright", "lumbar_facet", 7, 4, 3),
    PastPatient("Yuki Tanaka", "lumbar_facet", 6, 6, 6),
    PastPatient("Peter Novak", "lumbar_facet", 8, 5, None),
    PastPatient("Rosa Jimenez", "lumbar_facet", 7, 7, 8),
    PastPatient("Samuel Osei", "lumbar_facet", 5, 2, 2),
    PastPatient("Irene Walsh", "si_joint", 6, 4, 3, "therapist2"),
    PastPatient("Victor Lam", "si_joint", 7, 6, None, "therapist2"),
    PastPatient("Amara Okoye", "si_joint", 8, 4, 2, "therapist2"),
    PastPatient("Bruno Costa", "si_joint", 6, 5, 5, "therapist2"),
    PastPatient("Clara Schmidt", "degenerative_disc", 7, 5, 4),
    PastPatient("Dmitri Ivanov", "degenerative_disc", 8, 8, 7),
    PastPatient("Elena Rossi", "degenerative_disc", 6, None, None),
    PastPatient("Frank Miller", "low_back_spasm", 7, 4, 3, "therapist2"),
    PastPatient("Grace Park", "low_back_spasm", 6, 3, 2, "therapist2"),
    PastPatient("Hassan Ali", "low_back_spasm", 8, 6, None, "therapist2"),
)
PAST_EMAIL = "past{:02d}@example.com"
PAST_INJECTION_DAYS_AGO = 120  # every past patient is beyond week 12's window
PRE_INJECTION_DAYS = 7
DROPOUT_DAY = {True: 60, False: 20}  # last log: after week 6 only, or before it


def past_pain_on(patient: PastPatient, day: int) -> int | None:
    """The past patient's pain on `day` after the injection; None once they stopped logging."""
    b, six, twelve = patient.baseline, patient.week_6, patient.week_12
    if day < 0:
        return b
    if six is None:
        return None if day > DROPOUT_DAY[False] else b
    if day <= 38:
        return round(b + (six - b) * day / 39)
    if day <= 45:
        return six
    if twelve is None:
        return None if day > DROPOUT_DAY[True] else six
    if day <= 80:
        return round(six + (twelve - six) * (day - 45) / 36)
    return twelve if day <= 90 else None


def pgic_for(baseline: int, pain: int) -> int:
    """A believable global impression for a pain change (1 very much improved ... 4 no change)."""
    reduction = (baseline - pain) / baseline
    if reduction >= 0.5:
        return 1
    if reduction >= 0.3:
        return 2
    return 3 if reduction >= 0.1 else 4


def answer(treatment: Treatment, kind: str, week: int, day: date, items: list[tuple[str, int]]) -> None:
    response = QuestionnaireResponse(
        patient_id=treatment.patient_id, treatment_id=treatment.id, kind=kind, week=week, day=day
    )
    response.items = [
        QuestionnaireItem(position=n, label=label, value=max(0, min(10, value)))
        for n, (label, value) in enumerate(items)
    ]
    db.session.add(response)


def peg_items(pain: float) -> list[tuple[str, int]]:
    level = round(pain)
    return [("pain", level), ("enjoyment", level - 1), ("activity", level)]


def psfs_items(baseline: int, pain: float) -> list[tuple[str, int]]:
    """Function improves as pain falls: each point of pain gone is a point gained."""
    gain = round(baseline - pain)
    return [(ACTIVITIES[0], 2 + gain), (ACTIVITIES[1], 3 + gain)]


def add_answers(treatment: Treatment, baseline: int, pain_by_day: dict[int, int], today: date) -> None:
    """Baseline PEG and PSFS at Visit 1, a PEG in every round (weekly, then monthly after week 12)
    that had a log, PSFS and PGIC at weeks 6 and 12 when the patient was still logging then;
    today's round is left for the patient."""
    injection = treatment.injection_date
    evaluation_day = (treatment.evaluation_date - injection).days
    answer(treatment, "peg", 0, treatment.evaluation_date, peg_items(baseline))
    answer(treatment, "psfs", 0, treatment.evaluation_date, psfs_items(baseline, baseline))
    weeks_done = {peg_week((today - injection).days)}  # this week's is left for the patient
    for day, pain in sorted(pain_by_day.items()):
        week = peg_round_week(day)  # weekly to week 12, then monthly
        on = injection + timedelta(days=day)
        if day <= evaluation_day or week is None or week in weeks_done or on >= today or day % 7 != 3:
            continue
        weeks_done.add(week)
        answer(treatment, "peg", week, on, peg_items(pain))
    for week, answer_day in ((6, 42), (12, 84)):
        then = pain_by_day.get(answer_day)
        on = injection + timedelta(days=answer_day)
        if then is not None and on < today:
            answer(treatment, "psfs", week, on, psfs_items(baseline, then))
            answer(treatment, "pgic", week, on, [("change", pgic_for(baseline, then))])


def add_past_patients(today: date, staff: dict[str, User], password_hash: str) -> None:
    injection = today - timedelta(days=PAST_INJECTION_DAYS_AGO)
    for number, spec in enumerate(PAST_PATIENTS, start=1):
        user = User(
            email=PAST_EMAIL.format(number),
            full_name=spec.name,
            role="patient",
            is_demo=True,
            password_hash=password_hash,
        )
        db.session.add(user)
        db.session.flush()
        details = TreatmentDetails(
            injection - timedelta(days=PRE_INJECTION_DAYS),
            injection,
            spec.condition,
            ("facet_joints",),
            spec.baseline,
            staff[spec.therapist].id,
        )
        treatment = schedule_treatment(user, details)
        treatment.status = "completed"
        pain = {
            day: score
            for day in range(-PRE_INJECTION_DAYS, 91)
            if (score := past_pain_on(spec, day)) is not None
        }
        db.session.add_all(
            DailyLog(
                patient_id=user.id,
                treatment_id=treatment.id,
                day=injection + timedelta(days=day),
                back_pain=score,
            )
            for day, score in pain.items()
        )
        add_answers(treatment, spec.baseline, pain, today)


# --- Monitoring time for the current patients ------------------------------------------------------

# email -> set-up recorded, and this month's entries: (days ago, minutes, what, live call or video)
TIME_LOG: dict[str, tuple[bool, tuple[tuple[int, int, str, bool], ...]]] = {
    "patient@example.com": (
        True,
        (
            (6, 10, "Reviewed pain logs and exercise ticks", False),
            (2, 15, "Phone call: progress and the restore phase plan", True),
        ),
    ),
    "week8@example.com": (True, ((3, 12, "Reviewed PEG and PSFS answers, adjusted the plan", False),)),
    "maintenance@example.com": (
        True,
        (
            (9, 20, "Video visit: maintenance programme", True),
            (4, 25, "Reviewed the week 12 questionnaires and wrote the summary", False),
        ),
    ),
    "week1@example.com": (True, ((1, 8, "Checked the NSAID countdown and early logs", False),)),
    "other1@example.com": (False, ((5, 30, "Reviewed logs and updated the plan", False),)),
}


def add_time_log(today: date, staff_by_id: dict[int, User]) -> None:
    month_first, _ = month_bounds(today.year, today.month)
    treatments = db.session.scalars(
        sa.select(Treatment)
        .join(User, Treatment.patient_id == User.id)
        .where(User.email.in_(TIME_LOG), Treatment.status == "active")
    )
    for treatment in treatments:
        setup, entries = TIME_LOG[treatment.patient.email]
        therapist = staff_by_id[treatment.therapist_id or 0]
        if setup:  # consent first: no code is reported before it
            treatment.rtm_consent_on = treatment.evaluation_date
            treatment.rtm_consent_how = "in_person"
            treatment.rtm_consent_by_id = therapist.id
            db.session.add(
                RtmSetup(
                    treatment_id=treatment.id, day=treatment.evaluation_date, recorded_by_id=therapist.id
                )
            )
        for days_ago, minutes, what, interactive in entries:
            db.session.add(
                TimeLogEntry(
                    patient_id=treatment.patient_id,
                    treatment_id=treatment.id,
                    staff_id=therapist.id,
                    day=max(month_first, today - timedelta(days=days_ago)),
                    minutes=minutes,
                    what=what,
                    interactive=interactive,
                )
            )


def add_current_answers(today: date) -> None:
    """Questionnaires for the current demo patients, from their own logs (evaluation@ has not
    answered yet, so their Today shows the first card)."""
    rows = db.session.execute(
        sa.select(Treatment, DailyLog.day, DailyLog.back_pain)
        .join(User, Treatment.patient_id == User.id)
        .join(DailyLog, DailyLog.patient_id == User.id)
        .where(User.is_demo.is_(True), Treatment.status == "active", User.email != "evaluation@example.com")
    ).all()
    by_treatment: dict[int, tuple[Treatment, dict[int, int]]] = {}
    for treatment, day, pain in rows:
        entry = by_treatment.setdefault(treatment.id, (treatment, {}))
        entry[1][(day - treatment.injection_date).days] = pain
    for treatment, pain_by_day in by_treatment.values():
        if treatment.baseline_pain is not None:
            add_answers(treatment, treatment.baseline_pain, pain_by_day, today)


def build(today: date, staff: dict[str, User], password_hash: str) -> None:
    add_current_answers(today)
    add_past_patients(today, staff, password_hash)
    add_time_log(today, {user.id: user for user in staff.values()})
