"""The questionnaire schedule and scores (app/care/measures.py), at every boundary."""

import pytest

from app.care import measures
from app.care.measures import (
    Round,
    due_on,
    mean_score,
    peg_trend,
    peg_week,
    pgic_responder,
    psfs_change,
    psfs_trend,
    round_for,
    rounds_open_on,
)


@pytest.mark.parametrize(
    ("day", "week"), [(-7, 0), (0, 0), (1, 1), (7, 1), (8, 2), (42, 6), (43, 7), (84, 12), (85, 13)]
)
def test_peg_week_is_zero_before_the_injection_then_ceil_of_day_over_seven(day, week):
    assert peg_week(day) == week


def kinds_open(day, evaluation_day=-7):
    return sorted((r.kind, r.week) for r in rounds_open_on(day, evaluation_day))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (-8, []),  # before Visit 1
        (-7, [("peg", 0), ("psfs", 0)]),
        (0, [("peg", 0), ("psfs", 0)]),
        (1, [("peg", 1)]),
        (35, [("peg", 5)]),
        (36, [("peg", 6), ("pgic", 6), ("psfs", 6)]),
        (48, [("peg", 7), ("pgic", 6), ("psfs", 6)]),
        (49, [("peg", 7)]),
        (77, [("peg", 11)]),
        (78, [("peg", 12), ("pgic", 12), ("psfs", 12)]),
        (84, [("peg", 12), ("pgic", 12), ("psfs", 12)]),
        (90, [("pgic", 12), ("psfs", 12)]),  # week 13: after the programme, the PEG is monthly
        (91, []),
        (105, []),
        (106, [("peg", 16)]),
        (112, [("peg", 16)]),
        (113, []),
        (134, [("peg", 20)]),
    ],
)
def test_rounds_open_at_every_window_edge(day, expected):
    assert kinds_open(day) == expected


def test_one_card_at_a_time_the_rarer_questionnaire_first():
    assert due_on(36, -7, []).round == Round("psfs", 6, 36, 42, 48)
    assert due_on(36, -7, [("psfs", 6)]).kind == "pgic"
    assert due_on(36, -7, [("psfs", 6), ("pgic", 6)]).round == Round("peg", 6, 36, 38, 42)
    assert due_on(36, -7, [("psfs", 6), ("pgic", 6), ("peg", 6)]) is None


def test_an_overdue_questionnaire_comes_before_a_due_one():
    # Day 40: this week's PEG (target day 38) is overdue; PSFS week 6 (target 42) is only due.
    due = due_on(40, -7, [])
    assert (due.kind, due.overdue) == ("peg", True)
    assert due_on(40, -7, [("peg", 6)]).overdue is False


@pytest.mark.parametrize(("day", "overdue"), [(42, False), (43, True), (48, True)])
def test_week_six_psfs_is_overdue_after_day_42(day, overdue):
    due = due_on(day, -7, [("peg", 6), ("peg", 7)])
    assert (due.kind, due.round.week, due.overdue) == ("psfs", 6, overdue)


@pytest.mark.parametrize(("day", "overdue"), [(-7, False), (-5, False), (-4, True), (0, True)])
def test_the_evaluation_round_is_overdue_two_days_after_visit_one(day, overdue):
    due = due_on(day, -7, [])
    assert (due.kind, due.round.week, due.overdue) == ("psfs", 0, overdue)


def test_a_visit_on_the_injection_day_still_opens_the_baseline_round():
    assert kinds_open(0, evaluation_day=0) == [("peg", 0), ("psfs", 0)]


def test_round_for_finds_the_open_round_of_a_kind():
    assert round_for("pgic", 40, -7).week == 6
    assert round_for("pgic", 50, -7) is None
    assert round_for("peg", 50, -7).week == 8


def test_scores_are_the_mean_to_one_decimal():
    assert mean_score([7, 5, 6]) == 6.0
    assert mean_score([3, 4]) == 3.5
    assert mean_score([1, 2, 2]) == 1.7
    assert mean_score([]) is None


@pytest.mark.parametrize(("value", "responder"), [(1, True), (2, True), (3, False), (4, False), (7, False)])
def test_pgic_responders_are_much_or_very_much_improved(value, responder):
    assert pgic_responder(value) is responder


def test_psfs_change_uses_the_activities_rated_both_times():
    baseline = {"Sit through a movie": 2, "Lift my grandchild": 4, "Walk the dog": 3}
    week_6 = {"sit through  a movie": 5, "Lift my grandchild": 6, "Walk the dog": 3, "Garden": 1}
    assert psfs_change(baseline, week_6) == 1.7  # (5+6+3)/3 - (2+4+3)/3; the garden has no baseline
    assert psfs_change(baseline, {"Garden": 9}) is None


def test_psfs_trend_is_meaningful_at_two_points():
    trend = psfs_trend({0: {"a": 2, "b": 4}, 6: {"a": 4, "b": 6}})
    assert (trend.baseline, trend.latest, trend.change, trend.meaningful) == (3.0, 5.0, 2.0, True)
    trend = psfs_trend({0: {"a": 2, "b": 4}, 6: {"a": 4, "b": 5}, 12: {"a": 3, "b": 4}})
    assert (trend.latest, trend.change, trend.meaningful) == (3.5, 0.5, False)


@pytest.mark.parametrize(
    ("baseline", "latest", "percent", "meaningful"),
    [(6.0, 4.2, 30, True), (6.0, 4.3, 28, False), (5.0, 5.5, -10, False)],
)
def test_peg_trend_is_meaningful_at_thirty_percent(baseline, latest, percent, meaningful):
    trend = peg_trend({0: baseline, 3: 9.0, 4: latest})
    assert (trend.latest, trend.percent, trend.meaningful) == (latest, percent, meaningful)


def test_trends_without_a_baseline_have_no_change():
    assert peg_trend({3: 4.0}).change is None
    assert psfs_trend({6: {"a": 4}}).change is None
    assert not peg_trend({}).meaningful


def test_the_thresholds_are_the_documented_ones():
    assert measures.PEG_MEANINGFUL_PERCENT == 30
    assert measures.PSFS_MEANINGFUL_POINTS == 2
    assert measures.TIMEPOINT_WINDOWS == {6: (36, 42, 48), 12: (78, 84, 90)}
