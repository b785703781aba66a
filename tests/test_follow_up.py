"""The programme ends at week 12: a review on Today, then a pain log once a week (or every day, as
the patient chooses) and the PEG once a month; the reminders follow the same cadence."""

from datetime import date, time, timedelta

import pytest

from app.care import content, follow_up
from app.care.measures import rounds_open_on
from app.care.reminders import REMINDER_KINDS, ReminderFacts
from app.extensions import db
from app.models import Treatment
from tests.conftest import text_of
from tests.factories import make_log, patient_on_day

# --- The rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "week"),
    [(0, None), (1, 1), (84, 12), (85, None), (105, None), (106, 16), (112, 16), (113, None), (134, 20)],
)
def test_the_peg_is_weekly_to_week_twelve_then_monthly(day, week):
    assert follow_up.peg_round_week(day) == week


def test_at_day_300_the_weekly_questions_have_long_stopped():
    weeks = {follow_up.peg_round_week(day) for day in range(85, 301)} - {None}
    assert weeks == {16, 20, 24, 28, 32, 36, 40}
    assert [r.kind for r in rounds_open_on(300, -7)] == []


@pytest.mark.parametrize(
    ("day", "chosen", "every"),
    [(84, 7, 1), (85, 7, 7), (85, 1, 1), (300, 7, 7), (300, 5, 7)],
)
def test_the_log_is_daily_in_the_programme_then_weekly_unless_chosen(day, chosen, every):
    assert follow_up.log_every(day, chosen) == every


def test_the_next_log_day_counts_from_the_last_log():
    today = date(2026, 5, 20)
    assert follow_up.next_log_day(today, [], 7) == today
    assert follow_up.next_log_day(today, [today - timedelta(days=3)], 7) == today + timedelta(days=4)
    assert follow_up.next_log_day(today, [today - timedelta(days=7)], 7) == today
    assert follow_up.next_log_day(today, [today - timedelta(days=1)], 1) == today


def reminder_due(logged_days_ago: int | None, every: int) -> bool:
    today = date(2026, 5, 20)
    logged = frozenset() if logged_days_ago is None else frozenset({today - timedelta(days=logged_days_ago)})
    facts = ReminderFacts(timezone="America/New_York", logged_days=logged, log_every=every)
    kind = next(k for k in REMINDER_KINDS if k.key == "daily_log")
    return kind.is_due(facts, today, time(19, 30))


def test_the_log_reminder_follows_the_cadence():
    assert reminder_due(1, every=1)
    assert not reminder_due(0, every=1)
    assert not reminder_due(3, every=7)
    assert reminder_due(7, every=7)
    assert reminder_due(None, every=7)


# --- Today after week 12 -------------------------------------------------------------------------


@pytest.fixture
def patient_at(client, auth, today):
    def at(day, baseline=7):
        patient, treatment = patient_on_day(day, today)
        treatment.baseline_pain = baseline
        db.session.commit()
        auth.login(patient.email)
        return patient, treatment

    return at


def week_12_logs(patient, treatment, pain):
    for day in range(78, 85):
        make_log(patient, treatment.injection_date + timedelta(days=day), back_pain=pain)


def today_page(client) -> str:
    response = client.get("/today")
    assert response.status_code == 200
    return text_of(response)


def test_the_review_shows_after_week_twelve_with_the_results_and_what_comes_next(client, patient_at):
    patient, treatment = patient_at(90)
    week_12_logs(patient, treatment, pain=3)
    page = today_page(client)
    assert content.REVIEW_TITLE in page
    assert content.render(content.REVIEW_IMPROVED, before="7", now="3") in page
    assert content.REVIEW_NEXT_IMPROVED in page
    assert content.REVIEW_CADENCE in page


def test_a_patient_who_did_not_improve_is_told_so_kindly_and_what_to_do(client, patient_at):
    patient, treatment = patient_at(90)
    week_12_logs(patient, treatment, pain=6)
    page = today_page(client)
    assert content.render(content.REVIEW_NOT_IMPROVED, before="7", now="6") in page
    assert content.REVIEW_NEXT_NOT_IMPROVED in page
    assert content.REVIEW_NEXT_IMPROVED not in page


def test_the_review_says_when_there_are_too_few_logs(client, patient_at):
    patient_at(90)
    page = today_page(client)
    assert content.REVIEW_TOO_FEW_LOGS in page
    assert content.REVIEW_NEXT_NOT_IMPROVED in page


@pytest.mark.parametrize("day", [84, 113])
def test_no_review_during_the_programme_or_after_its_four_weeks(client, patient_at, day):
    patient_at(day)
    assert content.REVIEW_TITLE not in today_page(client)


def test_after_week_twelve_a_log_is_asked_once_a_week(client, patient_at, today):
    patient, _treatment = patient_at(95)
    make_log(patient, today - timedelta(days=2))
    response = client.get("/today")
    html = response.get_data(as_text=True)
    page = text_of(response)
    next_day = today + timedelta(days=5)
    assert "Your next pain log is on" in page
    assert f"{next_day.day}" in page
    assert "Save today's log" not in page
    assert f"/log/{today.isoformat()}/edit" in html  # the patient may still log today


def test_a_week_after_the_last_log_the_form_is_back(client, patient_at, today):
    patient, _treatment = patient_at(95)
    make_log(patient, today - timedelta(days=7))
    page = today_page(client)
    assert "Your next pain log is on" not in page
    assert "Save today's log" in page


def test_in_the_programme_the_log_is_asked_every_day(client, patient_at, today):
    patient, _treatment = patient_at(60)
    make_log(patient, today - timedelta(days=1))
    assert "Save today's log" in today_page(client)


def test_the_patient_can_choose_to_log_every_day_again(client, auth, patient_at, today):
    patient, treatment = patient_at(95)
    make_log(patient, today - timedelta(days=2))
    response = client.post("/follow-up/log-every", data={"csrf_token": auth.token(), "every": "1"})
    assert response.status_code == 303
    assert db.session.get(Treatment, treatment.id).log_every_days == 1
    page = today_page(client)
    assert content.LOG_EVERY_SAVED in page
    assert "Save today's log" in page


@pytest.mark.parametrize("value", ["3", "", "x" * 50])
def test_a_bad_choice_is_refused_with_the_fields_error(client, auth, patient_at, value):
    _patient, treatment = patient_at(95)
    response = client.post("/follow-up/log-every", data={"csrf_token": auth.token(), "every": value})
    assert response.status_code == 422
    assert "Choose how often." in text_of(response, 422)
    assert db.session.get(Treatment, treatment.id).log_every_days == 7


def test_the_choice_needs_the_csrf_token(client, patient_at):
    _patient, treatment = patient_at(95)
    response = client.post("/follow-up/log-every", data={"every": "1"})
    assert response.status_code == 400
    assert db.session.get(Treatment, treatment.id).log_every_days == 7
