"""The patient home: phase, timeline, guidance, NSAID countdown, aftercare, exercises, progress."""

from datetime import timedelta

import pytest

from app.care.content import AFTERCARE_TITLE, NO_EXERCISES_YET
from tests.conftest import QueryCounter, text_of
from tests.factories import make_log, make_user, patient_on_day


def today_page(client, auth, day_number, today, **kwargs):
    patient, treatment = patient_on_day(day_number, today, **kwargs)
    auth.login(patient.email)
    response = client.get("/today")
    assert response.status_code == 200
    return text_of(response), patient, treatment


@pytest.mark.parametrize(
    ("day", "title", "line"),
    [
        (-5, "Evaluation", "Your injection is in 5 days, on"),
        (-1, "Evaluation", "Your injection is in 1 day, on"),
        (0, "Injection day", "Your injection is today"),
        (1, "Weeks 1–2: calm and protect", "Day 1 after your injection · week 1"),
        (20, "Weeks 3–6: restore function", "Day 20 after your injection · week 3"),
        (52, "Weeks 7–12: build strength", "Day 52 after your injection · week 8"),
        (100, "Maintenance", "Day 100 after your injection · week 15"),
    ],
)
def test_today_shows_the_phase_and_day(client, auth, today, day, title, line):
    page, _, _ = today_page(client, auth, day, today)
    assert f"Your PRP plan {title}" in page
    assert line in page


def test_today_shows_days_to_the_next_phase_and_marks_the_timeline(client, auth, today):
    page, _, _ = today_page(client, auth, 20, today)
    assert "Next: Weeks 7–12: build strength in 23 days" in page
    assert "Weeks 3–6: restore function (you are here)" in page
    html = client.get("/today").get_data(as_text=True)
    assert html.count('aria-current="step"') == 1


def test_the_patient_is_greeted_by_first_name(client, auth, today):
    page, _, _ = today_page(client, auth, 3, today, name="Maria Alvarez")
    assert "Hi, Maria" in page


def test_not_scheduled_patient_sees_a_friendly_message(client, auth):
    auth.login(make_user().email)
    page = text_of(client.get("/today"))
    assert "Your clinic has not scheduled your treatment yet." in page
    assert "Your PRP plan" not in page


@pytest.mark.parametrize(
    ("day", "countdown"),
    [
        (5, "NSAID-free: 10 more days"),
        (0, "NSAID-free: 15 more days"),
        (14, "NSAID-free: today is the last day"),
    ],
)
def test_nsaid_countdown_while_the_window_is_open(client, auth, today, day, countdown):
    page, _, _ = today_page(client, auth, day, today)
    assert countdown in page


def test_no_nsaid_countdown_after_the_window(client, auth, today):
    page, _, _ = today_page(client, auth, 15, today)
    assert "NSAID-free" not in page


def test_before_the_window_the_patient_is_told_when_to_stop(client, auth, today):
    page, _, treatment = today_page(client, auth, -10, today)
    start = treatment.injection_date - timedelta(days=7)
    assert f"Stop anti-inflammatory pills on {start:%B} {start.day}." in page


@pytest.mark.parametrize(("day", "shown"), [(-1, False), (0, True), (2, True), (3, False)])
def test_aftercare_rules_show_on_days_zero_to_two(client, auth, today, day, shown):
    page, _, _ = today_page(client, auth, day, today)
    assert (AFTERCARE_TITLE in page) is shown
    assert ("Do not put ice on the injection site for 72 hours." in page) is shown


def test_do_and_avoid_for_the_phase(client, auth, today):
    page, _, _ = today_page(client, auth, 5, today)
    assert "Lifting more than 10 pounds (4.5 kg) for the first two weeks." in page
    assert "Walk for short times, two or three times a day." in page


@pytest.mark.parametrize(
    ("day", "expected", "absent"),
    [
        (5, ["Belly breathing", "Walking"], ["Bird-dog"]),
        (20, ["Bird-dog", "Curl-up (McGill)", "Walking"], ["Belly breathing", "Hip hinge with a stick"]),
        (60, ["Hip hinge with a stick", "Band press (Pallof press)"], ["Heel slides"]),
    ],
)
def test_exercises_of_the_current_phase_with_dose(client, auth, today, day, expected, absent):
    page, _, _ = today_page(client, auth, day, today)
    for name in expected:
        assert name in page
    for name in absent:
        assert name not in page


def test_walking_dose_follows_the_phase(client, auth, today):
    page, _, _ = today_page(client, auth, 5, today)
    assert "Walking 10 minutes · 2 times a day · Up to 3 times a day if it feels fine." in page


def test_injection_day_has_rest_not_exercises(client, auth, today):
    page, _, _ = today_page(client, auth, 0, today)
    assert NO_EXERCISES_YET in page


def test_progress_against_baseline(client, auth, today):
    patient, _ = patient_on_day(30, today)  # recorded baseline 7
    for offset in range(7):
        make_log(patient, today - timedelta(days=offset), back_pain=4)
    auth.login(patient.email)
    page = text_of(client.get("/today"))
    assert "Before treatment 7 /10" in page
    assert "Last 7 days 4 /10" in page
    assert "3 points lower (43%)" in page
    assert "That is a real improvement." in page


def test_the_chart_has_a_table_for_screen_readers(client, auth, today):
    patient, _ = patient_on_day(30, today)
    make_log(patient, today - timedelta(days=1), back_pain=6)
    make_log(patient, today - timedelta(days=3), back_pain=5)
    auth.login(patient.email)
    response = client.get("/today")
    html = response.get_data(as_text=True)
    assert '<svg viewBox="0 0 320 150" role="img"' in html
    assert html.count('class="chart__point"') == 2
    yesterday = today - timedelta(days=1)
    assert f"{yesterday:%a}, {yesterday:%b} {yesterday.day} 6/10" in text_of(response)


def test_pain_worse_than_baseline_is_said_plainly(client, auth, today):
    patient, _ = patient_on_day(30, today)
    make_log(patient, today, back_pain=9)
    auth.login(patient.email)
    assert "2 points higher" in text_of(client.get("/today"))


def test_today_query_count_does_not_grow_with_the_data(client, auth, today):
    patient, _ = patient_on_day(90, today)
    auth.login(patient.email)
    make_log(patient, today - timedelta(days=1))
    with QueryCounter() as few:
        client.get("/today")
    for offset in range(2, 95):
        make_log(patient, today - timedelta(days=offset), back_pain=offset % 11)
    with QueryCounter() as many:
        client.get("/today")
    assert few.count == many.count
    assert many.count <= 10, many.count
