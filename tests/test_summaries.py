"""The read model kept by the writes (app/services/summaries): after every kind of write, through
the real routes, the stored summaries equal a recomputation from the raw rows (`summaries verify`
finds nothing), and the recomputation says what app.care says."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result

from app.care.dosing import Prescription, sessions_due
from app.extensions import db
from app.models import (
    DailyLog,
    DailySummary,
    ExerciseTick,
    PlanItem,
    QuestionnaireResponse,
    Role,
    Treatment,
    TreatmentSummary,
)
from app.services import summaries
from app.services.summaries.store import KEYS_A_STATEMENT, day_statements
from tests.conftest import QueryCounter, csrf_token
from tests.factories import make_answer, make_log, make_treatment, make_user

HTMX = {"HX-Request": "true"}
PEG = {"pain": "6", "enjoyment": "5", "activity": "7"}


def verified() -> list[str]:
    db.session.rollback()
    problems = summaries.verify(db.session)
    db.session.rollback()
    return problems


def day_row(treatment: Treatment, day: date) -> DailySummary | None:
    db.session.expire_all()
    return db.session.get(DailySummary, (treatment.id, day))


def figures_of(treatment: Treatment) -> TreatmentSummary:
    db.session.expire_all()
    found = db.session.get(TreatmentSummary, treatment.id)
    assert found is not None
    return found


def log_answers(token: str, back_pain: int, **overrides) -> dict:
    data = {
        "csrf_token": token,
        "back_pain": str(back_pain),
        "medication": "none",
        "no_warning_signs": "y",
        "note": "",
    }
    return data | overrides


def live_items(treatment: Treatment, phase: str | None = None) -> list[PlanItem]:
    query = sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.removed_at.is_(None))
    if phase:
        query = query.where(PlanItem.phase == phase)
    return list(db.session.scalars(query.order_by(PlanItem.id)))


@pytest.fixture
def people(today):
    therapist = make_user(Role.THERAPIST)
    admin = make_user(Role.ADMIN)
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=40), therapist=therapist, baseline=None)
    for offset in range(3, 50, 2):  # before and after the injection, through the ORM
        make_log(patient, today - timedelta(days=offset), back_pain=offset % 11)
    return patient, therapist, admin, treatment


def test_a_new_treatment_has_its_figures_and_a_log_has_its_day(client, auth, people, today):
    patient, _therapist, _admin, treatment = people
    assert verified() == []
    auth.login(patient.email)
    response = client.post(f"/log/{today}", data=log_answers(auth.token(), 6), headers=HTMX)
    assert response.status_code == 200
    row = day_row(treatment, today)
    assert row is not None
    assert (row.logged, row.back_pain, row.data_day) == (True, 6, True)
    assert figures_of(treatment).last_log_day == today
    assert verified() == []


def test_a_tick_and_an_untick_change_the_days_sessions(client, auth, people, today):
    patient, _therapist, _admin, treatment = people
    auth.login(patient.email)
    item = live_items(treatment, "restore")[0]
    token = auth.token()
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "1"}, headers=HTMX)
    row = day_row(treatment, today)
    assert row is not None
    assert (row.sessions_done, row.data_day) == (1, True)
    assert row.sessions_due == sessions_due(
        [Prescription(i.phase, i.times_per_day, i.days_per_week) for i in live_items(treatment)],
        today,
        treatment.injection_date,
    )
    assert verified() == []
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "0"}, headers=HTMX)
    row = day_row(treatment, today)
    assert row is not None
    assert (row.sessions_done, row.data_day) == (0, False)
    assert verified() == []


def test_an_answer_marks_its_day(client, auth, people, today):
    patient, _therapist, _admin, treatment = people
    auth.login(patient.email)
    response = client.post("/check-in/peg", data={"csrf_token": auth.token(), **PEG})
    assert response.status_code in (200, 303)
    row = day_row(treatment, today)
    assert row is not None
    assert (row.answered, row.data_day) == (True, True)
    assert verified() == []


def test_a_dose_change_rewrites_the_sessions_due_of_every_day(client, auth, people, today):
    patient, therapist, _admin, treatment = people
    auth.login(patient.email)
    item = live_items(treatment, "restore")[0]
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": auth.token(), "done": "1"}, headers=HTMX)
    due_before = day_row(treatment, today).sessions_due
    auth.logout()
    auth.login(therapist.email)
    response = client.post(
        f"/therapist/plan/{item.id}/dose",
        headers=HTMX,
        data={"csrf_token": auth.token(), "sets": "2", "reps": "10", "times_per_day": "3"},
    )
    assert response.status_code == 200
    assert day_row(treatment, today).sessions_due == due_before + 2
    assert verified() == []


def test_moving_the_injection_moves_the_weeks(client, auth, people, today):
    _patient, _therapist, admin, treatment = people
    before = figures_of(treatment).pain_by_week()
    auth.login(admin.email)
    path = f"/admin/treatments/{treatment.id}"
    page = client.get(path)
    fields = {
        "csrf_token": csrf_token(page),
        "evaluation_date": (today - timedelta(days=60)).isoformat(),
        "injection_date": (today - timedelta(days=30)).isoformat(),
        "condition": treatment.condition,
        "sites": treatment.site_keys,
        "baseline_pain": "",
        "therapist": str(treatment.therapist_id),
    }
    assert client.post(path, data=fields).status_code == 303
    assert figures_of(treatment).pain_by_week() != before
    assert verified() == []


def test_a_rolled_back_write_leaves_no_summary(app, people, today):
    patient, _therapist, _admin, treatment = people
    db.session.add(DailyLog(patient_id=patient.id, day=today, back_pain=3))
    db.session.flush()  # marked at the flush, then dropped with the transaction
    db.session.rollback()
    make_log(patient, today - timedelta(days=2), back_pain=4)  # the next commit writes only its own day
    assert day_row(treatment, today) is None
    assert verified() == []


def test_a_write_of_a_shape_seen_before_reuses_its_statements_with_a_new_revision(app, people, today):
    """The statements that bring a few days up to date are built once for each shape of change and
    given their values as parameters (building them was a third of a log save); the figures'
    revision is one of those values, so a page that keeps rows by revision sees every write."""
    patient, _therapist, _admin, treatment = people
    make_log(patient, today, back_pain=3)
    first = figures_of(treatment).revision
    built = day_statements.cache_info().misses
    make_log(patient, today - timedelta(days=1), back_pain=4)  # another day, the same shape
    assert day_statements.cache_info().misses == built
    assert figures_of(treatment).revision != first
    assert day_row(treatment, today - timedelta(days=1)).back_pain == 4
    assert verified() == []


def test_a_write_sends_only_its_own_values_as_parameters(app, people, today):
    """The constants a figures write is built from (a 1,000, a "peg", weeks 0, 6 and 12) are in its
    text, its changed days and revision its only parameters: PostgreSQL keeps one plan for a
    statement whose parameters cannot change the plan, and planned each write afresh when some 190
    constants were parameters too."""
    patient, _therapist, _admin, treatment = people
    sent: list[Any] = []

    def note(_connection, _cursor, statement, parameters, *_args):
        if "INSERT INTO treatment_summaries" in statement or "INSERT INTO daily_summaries" in statement:
            sent.append(parameters)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        make_log(patient, today, back_pain=3)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert len(sent) == 2  # the day's row, then the treatment's figures
    days, figures = sent
    if isinstance(figures, dict):  # PostgreSQL: named parameters
        assert set(days) == {"id_0", "day_0"}
        assert set(figures) == {"id_0", "day_0", "revision"}
    else:  # SQLite: by position, a value for each place it is used (and one its dialect adds)
        assert len(days) <= 4
        assert len(figures) <= 8
        assert figures_of(treatment).revision in figures
    assert day_row(treatment, today).back_pain == 3
    assert verified() == []


def test_a_bulk_load_redoes_its_treatments_whole_in_as_many_statements_for_any_number_of_days(app, today):
    """The demo clinic and an import write hundreds of days in one transaction: past one batch of
    days, their treatments are summarised whole, not a statement per batch."""

    def statements_to_commit(days: int) -> int:
        patient = make_user(Role.PATIENT)
        make_treatment(patient, today - timedelta(days=days // 2), baseline=None)
        db.session.add_all(
            DailyLog(patient_id=patient.id, day=today - timedelta(days=n), back_pain=n % 11, nsaid=False)
            for n in range(days)
        )
        db.session.flush()
        with QueryCounter() as counted:
            db.session.commit()
        return counted.count

    assert statements_to_commit(KEYS_A_STATEMENT + 1) == statements_to_commit(5 * KEYS_A_STATEMENT)
    assert verified() == []


def test_verify_names_a_difference_and_rebuild_repairs_it(app, people, today):
    _patient, _therapist, _admin, treatment = people
    db.session.execute(
        sa.update(DailySummary)
        .where(DailySummary.treatment_id == treatment.id, DailySummary.day == today - timedelta(days=3))
        .values(back_pain=10)
    )
    db.session.execute(sa.delete(TreatmentSummary))
    stray = today - timedelta(days=400)  # a stored day with no log, tick or answer behind it
    db.session.add(
        DailySummary(treatment_id=treatment.id, day=stray, patient_id=treatment.patient_id, logged=True)
    )
    db.session.commit()
    problems = verified()
    assert any(
        f"day of treatment {treatment.id} on {today - timedelta(days=3)}: back_pain 10" in p for p in problems
    )
    assert any(f"figures of treatment {treatment.id}: missing" in p for p in problems)
    assert any(
        f"day of treatment {treatment.id} on {stray}: stored" in p and "nothing to summarise" in p
        for p in problems
    )
    first = summaries.rebuild(db.session)
    db.session.commit()
    assert summaries.rebuild(db.session) == first  # idempotent
    db.session.commit()
    assert verified() == []


def test_the_commands(app, people):
    runner = app.test_cli_runner()
    db.session.execute(sa.delete(DailySummary))
    db.session.commit()
    failed: Result = runner.invoke(args=["summaries", "verify"])
    assert failed.exit_code == 1
    assert "DIFFERS: day of treatment" in failed.output
    rebuilt = runner.invoke(args=["summaries", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Rebuilt the summaries" in rebuilt.output
    clean = runner.invoke(args=["summaries", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "OK: the summaries agree" in clean.output


@pytest.mark.parametrize("days_per_week", [None, 1, 2, 3, 4, 5, 6, 7])
def test_the_sql_schedule_is_app_cares_schedule(app, today, days_per_week):
    """sessions_due from SQL, on every day from before the evaluation to the maintenance phase,
    against app.care.dosing.sessions_due."""
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=95), evaluation=today - timedelta(days=110))
    for item in live_items(treatment):
        item.days_per_week = days_per_week
        item.times_per_day = 2 if item.id % 2 else None
    db.session.commit()
    items = live_items(treatment)
    first = ExerciseTick(plan_item_id=items[0].id, day=today)
    db.session.add(first)
    db.session.commit()
    for offset in range(0, 112):
        make_log(patient, today - timedelta(days=offset), back_pain=offset % 11)
    prescriptions = [Prescription(i.phase, i.times_per_day, i.days_per_week) for i in items]
    rows = db.session.scalars(sa.select(DailySummary).where(DailySummary.treatment_id == treatment.id))
    found = {row.day: row.sessions_due for row in rows}
    expected = {day: sessions_due(prescriptions, day, treatment.injection_date) for day in found}
    assert found == expected
    assert verified() == []


def test_a_randomised_sequence_of_writes_through_the_routes_leaves_no_drift(client, auth, people, today):
    patient, therapist, admin, treatment = people
    rng = random.Random(23)
    for round_ in range(3):
        auth.login(patient.email)
        for _ in range(12):
            token = auth.token()
            action = rng.choice(("log", "yesterday", "tick", "untick", "answer"))
            if action in ("log", "yesterday"):
                day = today if action == "log" else today - timedelta(days=1)
                pain = rng.randint(0, 10)
                medication = rng.choice(("none", "anti_inflammatory"))
                data = log_answers(token, pain, medication=medication, leg_pain=str(rng.randint(0, 10)))
                assert client.post(f"/log/{day}", data=data, headers=HTMX).status_code == 200
            elif action in ("tick", "untick"):
                items = live_items(treatment, "restore")
                if not items:
                    continue
                item = rng.choice(items)
                done = "1" if action == "tick" else "0"
                client.post(
                    f"/exercises/{item.id}/done", data={"csrf_token": token, "done": done}, headers=HTMX
                )
            else:
                client.post(
                    "/check-in/peg", data={"csrf_token": token, **PEG} | {"pain": str(rng.randint(0, 10))}
                )
            assert verified() == [], action
        auth.logout()
        auth.login(therapist.email)
        items = live_items(treatment, "restore")
        if items:
            item = rng.choice(items)
            data = {"csrf_token": auth.token(), "sets": "2", "reps": "10"}
            data["times_per_day"] = str(rng.randint(1, 3))
            assert client.post(f"/therapist/plan/{item.id}/dose", data=data, headers=HTMX).status_code == 200
            assert verified() == []
        if round_ == 1 and len(items) > 1:
            client.post(
                f"/therapist/plan/{items[-1].id}/remove", data={"csrf_token": auth.token()}, headers=HTMX
            )
            assert verified() == []
        auth.logout()
        auth.login(admin.email)
        path = f"/admin/treatments/{treatment.id}"
        fields = {
            "csrf_token": csrf_token(client.get(path)),
            "evaluation_date": (today - timedelta(days=60)).isoformat(),
            "injection_date": (today - timedelta(days=rng.randint(30, 45))).isoformat(),
            "condition": treatment.condition,
            "sites": treatment.site_keys,
            "baseline_pain": "",
            "therapist": str(treatment.therapist_id),
        }
        assert client.post(path, data=fields).status_code == 303
        assert verified() == []
        auth.logout()
    make_answer(treatment, "psfs", 0, [("walking", 3)], today - timedelta(days=44))  # through the ORM
    assert verified() == []


def test_periods_counted_by_the_database_are_the_periods_of_the_days(today):
    from app.care import rtm

    rng = random.Random(7)
    for _ in range(200):
        first_data = today - timedelta(days=rng.randint(0, 200))
        days = {first_data + timedelta(days=rng.randint(0, 200)) for _ in range(rng.randint(0, 90))}
        month = today - timedelta(days=rng.randint(0, 150))
        first, last = rtm.month_bounds(month.year, month.month)
        by_index: dict[int, int] = {}
        for day in days:
            if first - timedelta(days=29) <= day <= last and day >= first_data:
                index = (day - first_data).days // rtm.PERIOD_DAYS
                by_index[index] = by_index.get(index, 0) + 1
        expected = rtm.periods_ending_in(first_data, days | {first_data}, first, last, today)
        by_index_with_first = dict(by_index)
        if first - timedelta(days=29) <= first_data <= last and first_data not in days:
            by_index_with_first[0] = by_index_with_first.get(0, 0) + 1
        counted = rtm.counted_periods_ending_in(first_data, by_index_with_first, first, last, today)
        assert counted == expected


@pytest.mark.parametrize("day_number", [-3, 0, 1, 5, 29, 31, 47, 75])
def test_the_dashboard_row_from_summaries_is_app_cares_reading_of_the_raw_rows(app, today, day_number):
    """The 30-day figures counted by the database, the recent days from the summaries: the same
    ratios and period as app.care computes from every log, tick and answer."""
    from app.care.adherence import current_period, exercise_adherence, logging_adherence
    from app.services.clinic.settings import current_settings
    from app.services.pages.caseload import load_caseload

    rng = random.Random(day_number)
    therapist = make_user(Role.THERAPIST)
    patient = make_user(Role.PATIENT)
    injection = today - timedelta(days=day_number)
    treatment = make_treatment(
        patient, injection, therapist=therapist, evaluation=injection - timedelta(days=14)
    )
    log_days = {today - timedelta(days=n) for n in range(0, 60) if rng.random() < 0.6}
    for day in sorted(log_days):
        make_log(patient, day, back_pain=rng.randint(0, 10))
    items = live_items(treatment)
    tick_days = {today - timedelta(days=n) for n in range(0, 40) if rng.random() < 0.5}
    for day in sorted(tick_days):
        db.session.add(ExerciseTick(plan_item_id=rng.choice(items).id, day=day))
    db.session.commit()
    make_answer(treatment, "peg", 0, [("pain", 5)], today - timedelta(days=rng.randint(0, 35)))
    [row] = load_caseload(therapist.id, today, current_settings())
    data = [d for d in log_days if d >= treatment.evaluation_date] + sorted(tick_days)
    answers = db.session.scalars(sa.select(QuestionnaireResponse.day)).all()
    first = min([*data, *answers], default=None)
    assert row.logging_30 == logging_adherence(log_days, injection, today, 30)
    assert row.logging_7 == logging_adherence(log_days, injection, today, 7)
    assert row.period == current_period(first, today, [*data, *answers])
    ticks: dict[date, int] = {}
    for tick in db.session.scalars(sa.select(ExerciseTick)):
        ticks[tick.day] = ticks.get(tick.day, 0) + 1
    prescriptions = tuple(Prescription(i.phase, i.times_per_day, i.days_per_week) for i in items)
    expected = exercise_adherence(
        ticks, lambda day: sessions_due(prescriptions, day, injection), injection, today
    )
    assert row.exercise_7 == expected
    assert row.last_log == max(log_days, default=None)
