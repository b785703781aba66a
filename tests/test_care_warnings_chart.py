"""Warning symptoms (§4) and the pain chart geometry."""

from datetime import date, timedelta

from app.care.chart import pain_chart, y_for
from app.care.content import RED_FLAGS
from app.care.warnings import flags_for, has_severe_pain_streak, urgent_flags

TODAY = date(2026, 4, 1)


def test_emergencies_come_first():
    flags = flags_for(["fever", "leg_weakness"])
    assert [f.key for f in flags] == ["leg_weakness", "fever"]
    assert flags[0].message.startswith("Go to the emergency department now or call 911")
    assert flags[1].message == "Call the clinic today."


def test_every_asked_symptom_has_an_urgency_and_message():
    assert {f.key: f.urgency for f in RED_FLAGS} == {
        "saddle_numbness": "emergency",
        "leg_weakness": "emergency",
        "fever": "same_day",
        "injection_site": "same_day",
        "positional_headache": "same_day",
    }


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
    assert chart.is_empty and chart.lines == ()
