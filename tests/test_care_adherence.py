"""Adherence and attention rules (docs/clinical-protocol.md#adherence), at every boundary."""

from datetime import date, datetime, timedelta

import pytest

from app.care.adherence import (
    OpenAlert,
    PatientFacts,
    Ratio,
    attention_reasons,
    current_period,
    days_with_data,
    exercise_adherence,
    logging_adherence,
    pain_rise,
    time_ago,
    window_days,
)

TODAY = date(2026, 5, 20)


def days_ago(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


def test_a_patient_injected_yesterday_has_a_one_day_window():
    injected = TODAY - timedelta(days=1)
    assert window_days(injected, TODAY, 30, include_today=False) == [injected]
    assert logging_adherence(set(), injected, TODAY, 30) == Ratio(0, 1)
    assert logging_adherence({injected}, injected, TODAY, 30) == Ratio(1, 1)


def test_days_before_the_injection_do_not_count():
    injected = TODAY - timedelta(days=3)
    logs = days_ago(1, 2, 3, 4, 5, 6)  # days 4-6 ago are before the injection
    assert logging_adherence(logs, injected, TODAY, 7) == Ratio(3, 3)


def test_the_window_is_capped_at_its_size():
    injected = TODAY - timedelta(days=100)
    assert len(window_days(injected, TODAY, 7, include_today=False)) == 7
    assert len(window_days(injected, TODAY, 30, include_today=False)) == 30


def test_today_counts_once_it_has_a_log_and_not_before():
    injected = TODAY - timedelta(days=40)
    logs = days_ago(1, 2, 3, 4, 5, 6, 7)
    assert logging_adherence(logs, injected, TODAY, 7) == Ratio(7, 7)
    assert logging_adherence(logs | {TODAY}, injected, TODAY, 7) == Ratio(8, 8)


def test_injection_day_itself_has_no_completed_days():
    assert logging_adherence(set(), TODAY, TODAY, 7) == Ratio(0, 0)
    assert logging_adherence(set(), TODAY, TODAY, 7).share is None


def test_during_evaluation_there_is_no_window():
    assert window_days(TODAY + timedelta(days=5), TODAY, 7, include_today=True) == []


def test_logging_adherence_over_seven_and_thirty_days():
    injected = TODAY - timedelta(days=60)
    logs = days_ago(*range(1, 31, 2))  # every other day
    assert logging_adherence(logs, injected, TODAY, 7) == Ratio(4, 7)
    assert logging_adherence(logs, injected, TODAY, 30) == Ratio(15, 30)
    assert logging_adherence(logs, injected, TODAY, 30).percent == 50


def test_exercise_adherence_counts_ticks_against_prescriptions():
    injected = TODAY - timedelta(days=20)
    ticks = {TODAY - timedelta(days=n): 3 for n in range(1, 8)}
    ratio = exercise_adherence(ticks, lambda _day: 4, injected, TODAY)
    assert ratio == Ratio(21, 28)
    assert ratio.percent == 75


def test_extra_ticks_never_exceed_the_prescription():
    injected = TODAY - timedelta(days=20)
    ratio = exercise_adherence({TODAY - timedelta(days=1): 9}, lambda _day: 2, injected, TODAY, 1)
    assert ratio == Ratio(2, 2)


def test_no_prescription_means_no_exercise_adherence():
    ratio = exercise_adherence({}, lambda _day: 0, TODAY - timedelta(days=5), TODAY)
    assert ratio.share is None


def test_days_with_data_counts_distinct_days_in_the_span():
    data = list(days_ago(0, 1, 1, 2, 29, 30, 45))
    assert days_with_data(data, TODAY - timedelta(days=29), TODAY) == 4


def test_monitoring_periods_run_thirty_days_at_a_time_from_the_first_day_of_data():
    first = TODAY - timedelta(days=40)  # period 1: days 0-29, period 2 started 10 days ago
    data = [first + timedelta(days=n) for n in range(0, 41, 2)]
    period = current_period(first, TODAY, data)
    assert (period.start, period.end) == (TODAY - timedelta(days=10), TODAY + timedelta(days=19))
    assert period.days_with_data == 6
    assert period.days_left(TODAY) == 20
    assert not period.meets_threshold
    assert period.needed == 16


@pytest.mark.parametrize(("days", "met"), [(15, False), (16, True), (25, True)])
def test_sixteen_days_with_data_meet_the_period(days, met):
    first = TODAY - timedelta(days=29)
    period = current_period(first, TODAY, [first + timedelta(days=n) for n in range(days)])
    assert period.meets_threshold is met


def test_without_data_the_period_starts_today():
    period = current_period(None, TODAY, [])
    assert (period.start, period.days_with_data) == (TODAY, 0)


def test_each_attention_reason_says_what_its_time_refers_to():
    now = datetime(2026, 5, 20, 15, 0)
    facts = PatientFacts(
        injection_date=TODAY - timedelta(days=30),
        evaluation_date=TODAY - timedelta(days=37),
        scores_by_day={},
        ticks_by_day={},
        nsaid_days=[TODAY - timedelta(days=2)],
        last_data_day=TODAY - timedelta(days=6),
        open_alerts=[
            OpenAlert(1, "emergency", "New or worse weakness in a leg or foot", now - timedelta(hours=3))
        ],
    )
    words = {reason.kind: reason.timing(now, TODAY) for reason in attention_reasons(facts, TODAY)}
    assert words["emergency"] == "reported 3 hours ago"
    assert words["silent"] == "last data 6 days ago"
    assert words["nsaid"] == "taken 2 days ago"


@pytest.mark.parametrize(("previous", "current", "rising"), [(4, 6, True), (4, 5, False), (6, 4, False)])
def test_pain_rising_means_two_points_over_the_week_before(previous, current, rising):
    scores = {TODAY - timedelta(days=n): previous for n in range(7, 14)}
    scores |= {TODAY - timedelta(days=n): current for n in range(7)}
    assert (pain_rise(scores, TODAY) is not None) is rising


def test_pain_rising_needs_both_weeks():
    assert pain_rise({TODAY: 9}, TODAY) is None


def facts(**overrides) -> PatientFacts:
    base = {
        "injection_date": TODAY - timedelta(days=20),
        "evaluation_date": TODAY - timedelta(days=27),
        "scores_by_day": {},
        "ticks_by_day": {},
        "nsaid_days": [],
        "last_data_day": TODAY,
        "prescribed_on": lambda _day: 0,
    }
    return PatientFacts(**(base | overrides))


def test_a_patient_keeping_to_the_plan_needs_nothing():
    ticks = {TODAY - timedelta(days=n): 2 for n in range(1, 8)}
    assert attention_reasons(facts(ticks_by_day=ticks, prescribed_on=lambda _d: 2), TODAY) == []


def test_attention_reasons_come_in_the_clinical_order():
    raised = datetime(2026, 5, 20, 9, 0)
    scores = {TODAY - timedelta(days=n): 3 for n in range(7, 14)}
    scores |= {TODAY - timedelta(days=n): 7 for n in range(4, 7)}
    reasons = attention_reasons(
        facts(
            open_alerts=[
                OpenAlert(2, "same_day", "Fever", raised),
                OpenAlert(1, "emergency", "New or worse weakness in a leg or foot", raised),
            ],
            scores_by_day=scores,
            nsaid_days=[TODAY - timedelta(days=2)],
            last_data_day=TODAY - timedelta(days=4),
            prescribed_on=lambda _d: 3,
        ),
        TODAY,
    )
    assert [r.kind for r in reasons] == [
        "emergency",
        "same_day",
        "pain_rising",
        "nsaid",
        "silent",
        "low_exercise",
    ]
    assert reasons[0].alert_id == 1
    assert reasons[0].text == "Warning sign: New or worse weakness in a leg or foot"
    assert reasons[2].text == "Pain up 4.0 points on the week before (3 → 7)"
    assert reasons[3].text == (
        "Took an anti-inflammatory on day 18 after the injection, inside the NSAID-free window"
    )
    assert reasons[4].text == "No log or exercise for 4 days"
    assert reasons[5].text == "Exercises 0% done in the last 7 days (0 of 21)"


@pytest.mark.parametrize(("quiet", "flagged"), [(2, False), (3, True)])
def test_silence_starts_at_three_days(quiet, flagged):
    reasons = attention_reasons(facts(last_data_day=TODAY - timedelta(days=quiet)), TODAY)
    assert any(r.kind == "silent" for r in reasons) is flagged


@pytest.mark.parametrize(("quiet", "flagged"), [(8, False), (9, True)])
def test_after_week_twelve_on_a_weekly_log_silence_starts_three_days_after_the_log_was_due(quiet, flagged):
    late = facts(last_data_day=TODAY - timedelta(days=quiet), log_every=7)
    assert any(r.kind == "silent" for r in attention_reasons(late, TODAY)) is flagged


def two_weeks(previous: int, current: int) -> dict[date, int]:
    scores = {TODAY - timedelta(days=n): previous for n in range(7, 14)}
    return scores | {TODAY - timedelta(days=n): current for n in range(7)}


def test_leg_pain_rising_counts_even_while_back_pain_is_steady():
    reasons = attention_reasons(
        facts(scores_by_day=two_weeks(4, 4), leg_scores_by_day=two_weeks(3, 6)), TODAY
    )
    assert [r.text for r in reasons] == ["Leg pain up 3.0 points on the week before (3 → 6)"]
    assert reasons[0].kind == "pain_rising"


def test_back_and_leg_pain_rising_are_both_named():
    reasons = attention_reasons(
        facts(scores_by_day=two_weeks(3, 5), leg_scores_by_day=two_weeks(2, 5)), TODAY
    )
    assert [r.text for r in reasons] == [
        "Pain up 2.0 points on the week before (3 → 5)",
        "Leg pain up 3.0 points on the week before (2 → 5)",
    ]


def test_leg_pain_falling_needs_no_attention():
    assert attention_reasons(facts(leg_scores_by_day=two_weeks(6, 3)), TODAY) == []


def test_a_patient_who_never_logged_is_silent_from_the_evaluation():
    reasons = attention_reasons(facts(last_data_day=None), TODAY)
    assert [r.text for r in reasons] == ["Nothing logged yet for 27 days"]


def test_an_old_nsaid_report_no_longer_needs_attention():
    reasons = attention_reasons(facts(nsaid_days=[TODAY - timedelta(days=7)]), TODAY)
    assert reasons == []


@pytest.mark.parametrize(("done", "flagged"), [(7, False), (6, True)])  # of 14: 50 % is enough
def test_exercise_adherence_below_half_needs_attention(done, flagged):
    ticks = {TODAY - timedelta(days=n): 0 for n in range(1, 8)}
    for n in range(1, done + 1):
        day = TODAY - timedelta(days=(n - 1) % 7 + 1)
        ticks[day] += 1
    reasons = attention_reasons(facts(ticks_by_day=ticks, prescribed_on=lambda _d: 2), TODAY)
    assert any(r.kind == "low_exercise" for r in reasons) is flagged


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (datetime(2026, 5, 20, 11, 59, 30), "just now"),
        (datetime(2026, 5, 20, 11, 15), "45 min ago"),
        (datetime(2026, 5, 20, 9, 0), "3 hours ago"),
        (datetime(2026, 5, 19, 11, 0), "yesterday"),
        (datetime(2026, 5, 15, 12, 0), "5 days ago"),
        (date(2026, 5, 20), "today"),
        (date(2026, 5, 19), "yesterday"),
        (date(2026, 5, 16), "4 days ago"),
    ],
)
def test_time_ago(moment, words):
    assert time_ago(moment, datetime(2026, 5, 20, 12, 0), TODAY) == words
