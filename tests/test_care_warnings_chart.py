"""Warning symptoms (docs/clinical-protocol.md#warning-symptoms), the urgent message for the
moment, the clinic's hours, and the pain chart geometry."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.care.chart import pain_chart, y_for
from app.care.content import ALL_ALERT_FLAGS, RED_FLAGS
from app.care.hours import clock_words, hours_words, opening_hours, when_words
from app.care.warnings import (
    Circumstances,
    flags_asked,
    flags_for,
    has_severe_pain_streak,
    message_for,
    urgent_flags,
)

TODAY = date(2026, 4, 1)  # a Wednesday
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS_8_TO_5 = opening_hours("mon,tue,wed,thu,fri", "08:00", "17:00")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NEW_YORK)


def circumstances(now: datetime, injected: bool = True, condition: str | None = None) -> Circumstances:
    return Circumstances(injected=injected, condition=condition, hours=WEEKDAYS_8_TO_5, now=now)


def test_emergencies_come_first():
    flags = flags_for(["fever", "leg_weakness"])
    assert [f.key for f in flags] == ["leg_weakness", "fever"]


def test_every_asked_symptom_has_an_urgency():
    assert {f.key: f.urgency for f in RED_FLAGS} == {
        "saddle_numbness": "emergency",
        "bladder_bowel": "emergency",
        "leg_weakness": "emergency",
        "chest_symptoms": "emergency",
        "allergic_reaction": "emergency",
        "headache_fever": "emergency",
        "fever": "same_day",
        "fever_back_pain": "same_day",
        "injection_site": "same_day",
        "bleeding": "same_day",
        "positional_headache": "same_day",
    }


def test_saddle_numbness_and_bladder_or_bowel_trouble_are_two_questions():
    questions = {flag.key: flag.question for flag in RED_FLAGS}
    assert "urine" not in questions["saddle_numbness"]
    assert "groin" in questions["saddle_numbness"]
    assert "urine" in questions["bladder_bowel"]
    assert "groin" not in questions["bladder_bowel"]


def test_chest_symptoms_are_asked_only_after_a_mid_back_injection():
    assert "chest_symptoms" in [flag.key for flag in flags_asked(thoracic=True)]
    assert "chest_symptoms" not in [flag.key for flag in flags_asked(thoracic=False)]
    assert len(flags_asked(thoracic=False)) == len(RED_FLAGS) - 1


def test_the_emergency_message_says_spine_injection_only_after_the_injection():
    weakness = ALL_ALERT_FLAGS["leg_weakness"]
    after = message_for(weakness, circumstances(at(TODAY, 10), injected=True))
    before = message_for(weakness, circumstances(at(TODAY, 10), injected=False, condition="SI joint pain"))
    assert after.endswith("Tell them you had a spine injection. Do not drive yourself.")
    assert "spine injection" not in before
    assert before.endswith("treated for back pain (si joint pain). Do not drive yourself.")
    unknown = message_for(weakness, circumstances(at(TODAY, 10), injected=False))
    assert unknown.endswith("Tell them you are being treated for back pain. Do not drive yourself.")
    assert all(text.startswith("Go to the emergency department now or call 911.") for text in (after, before))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(TODAY, 8, 0), "Call the clinic today. It is open until 5 pm."),
        (at(TODAY, 16, 59), "Call the clinic today. It is open until 5 pm."),
        (at(TODAY, 17, 0), "The clinic is closed and opens again tomorrow at 8 am."),
        (at(TODAY, 7, 59), "The clinic is closed and opens again today at 8 am."),
        (at(date(2026, 4, 3), 18, 0), "The clinic is closed and opens again Monday at 8 am."),  # Friday
        (at(date(2026, 4, 4), 11, 0), "The clinic is closed and opens again Monday at 8 am."),  # Saturday
    ],
)
def test_call_the_clinic_today_follows_the_clinics_hours(now, expected):
    message = message_for(ALL_ALERT_FLAGS["fever"], circumstances(now))
    assert message.endswith(expected)
    assert ("after-hours line" in message) == ("closed" in expected)


def test_without_a_moment_the_message_is_true_at_any_time():
    assert "after-hours line" in message_for(ALL_ALERT_FLAGS["fever"], None)
    assert message_for(ALL_ALERT_FLAGS["saddle_numbness"], None).startswith("Go to the emergency")


def test_hours_in_words():
    assert hours_words(WEEKDAYS_8_TO_5) == "Monday to Friday, 8 am to 5 pm"
    assert clock_words(time(12, 0)) == "12 noon"
    assert clock_words(time(17, 30)) == "5:30 pm"
    assert when_words(at(TODAY, 8), at(TODAY - timedelta(days=1), 20)) == "tomorrow at 8 am"
    assert opening_hours("", "08:00", "17:00").next_opening(at(TODAY, 9)) is None


def test_three_days_of_pain_eight_or_more_is_a_flag():
    scores = {TODAY - timedelta(days=n): s for n, s in enumerate([8, 9, 10])}
    assert has_severe_pain_streak(scores, TODAY)
    assert [f.key for f in urgent_flags([], scores, TODAY)] == ["severe_pain_3_days"]


def test_a_gap_or_a_lower_day_breaks_the_streak():
    assert not has_severe_pain_streak({TODAY: 9, TODAY - timedelta(days=1): 9}, TODAY)
    scores = {TODAY: 9, TODAY - timedelta(days=1): 7, TODAY - timedelta(days=2): 9}
    assert not has_severe_pain_streak(scores, TODAY)


def test_no_answers_no_flags():
    assert urgent_flags([], {TODAY: 3}, TODAY) == []


def test_chart_breaks_the_line_at_a_missed_day():
    scores = {TODAY - timedelta(days=n): 5 for n in (0, 1, 2, 5, 6)}
    chart = pain_chart(scores, TODAY, days=10, baseline=7)
    assert len(chart.points) == 5
    assert len(chart.lines) == 2
    assert chart.baseline_y == y_for(7)
    assert chart.first_day == TODAY - timedelta(days=9)


def test_chart_puts_higher_pain_higher_on_the_page():
    assert y_for(10) < y_for(5) < y_for(0)


def test_empty_chart():
    chart = pain_chart({}, TODAY)
    assert chart.is_empty
    assert chart.lines == ()


@pytest.mark.parametrize(
    ("moment", "open_", "reply"),
    [
        (at(date(2026, 3, 10), 7, 59), False, "today after 8 am"),
        (at(date(2026, 3, 10), 16, 59), True, None),
        (at(date(2026, 3, 10), 17, 0), False, "tomorrow after 8 am"),
        (at(date(2026, 3, 13), 18, 0), False, "Monday after 8 am"),  # Friday evening
        (at(date(2026, 3, 14), 12, 0), False, "Monday after 8 am"),  # Saturday
        (at(date(2026, 3, 15), 23, 0), False, "tomorrow after 8 am"),  # Sunday night
    ],
)
def test_when_a_message_sent_now_gets_read(moment, open_, reply):
    assert WEEKDAYS_8_TO_5.is_open(moment) is open_
    if reply:
        assert when_words(WEEKDAYS_8_TO_5.next_opening(moment), moment, "after") == reply
