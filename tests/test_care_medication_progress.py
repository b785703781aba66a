"""The NSAID-free window (§3) and progress against baseline (§6)."""

from datetime import date, timedelta

import pytest

from app.care.medication import (
    STORED_ANSWERS,
    answers_of,
    nsaid_in_window,
    nsaid_window,
    stored_answers,
    took_nsaid,
)
from app.care.progress import Progress, baseline_pain, progress_on, recent_average

INJECTION = date(2026, 3, 10)
WINDOW = nsaid_window(INJECTION, days_before=7, days_after=14)


def test_window_runs_from_seven_days_before_to_fourteen_after():
    assert WINDOW.starts == date(2026, 3, 3)
    assert WINDOW.ends == date(2026, 3, 24)


@pytest.mark.parametrize(("offset", "inside"), [(-8, False), (-7, True), (0, True), (14, True), (15, False)])
def test_window_edges(offset, inside):
    assert WINDOW.contains(INJECTION + timedelta(days=offset)) is inside


@pytest.mark.parametrize(("offset", "left"), [(-10, 22), (-7, 22), (0, 15), (13, 2), (14, 1), (15, 0)])
def test_days_left_counts_today_and_stops_at_zero(offset, left):
    assert WINDOW.days_left(INJECTION + timedelta(days=offset)) == left


def test_window_has_not_started_before_its_first_day():
    assert WINDOW.has_not_started(date(2026, 3, 2))
    assert not WINDOW.has_not_started(date(2026, 3, 3))


def test_window_follows_the_clinic_settings():
    window = nsaid_window(INJECTION, days_before=3, days_after=7)
    assert (window.starts, window.ends) == (date(2026, 3, 7), date(2026, 3, 17))


@pytest.mark.parametrize(
    ("medicines", "other", "offset", "flagged"),
    [
        ({"anti_inflammatory"}, "", 5, True),
        ({"anti_inflammatory"}, "", 20, False),
        ({"acetaminophen", "anti_inflammatory"}, "", 5, True),
        ({"acetaminophen"}, "", 5, False),
        ({"none"}, "", 5, False),
        ({"other_prescribed"}, "", 0, False),
        ({"other_prescribed"}, "Norco", 0, False),
        ({"other_prescribed"}, "Mobic 15 mg", 0, True),
        ({"other_prescribed"}, "2 goody's powders", 3, True),
        ({"acetaminophen", "other_prescribed"}, "TORADOL shot", 1, True),
    ],
)
def test_only_an_anti_inflammatory_inside_the_window_is_flagged(medicines, other, offset, flagged):
    took = took_nsaid(medicines, other)
    assert nsaid_in_window(took, INJECTION + timedelta(days=offset), WINDOW) is flagged


def test_no_window_means_no_flag():
    assert not nsaid_in_window(True, INJECTION, None)


def test_medicine_answers_are_stored_in_the_order_asked_and_read_back():
    assert stored_answers({"anti_inflammatory", "acetaminophen"}) == "acetaminophen,anti_inflammatory"
    assert stored_answers(set()) == "none"
    assert answers_of("acetaminophen,anti_inflammatory") == ("acetaminophen", "anti_inflammatory")
    assert answers_of("anti_inflammatory") == ("anti_inflammatory",)  # a log from before: one answer
    assert len(STORED_ANSWERS) == len(set(STORED_ANSWERS)) == 8
    for value in ("none", "acetaminophen", "anti_inflammatory", "other_prescribed"):
        assert value in STORED_ANSWERS  # every single answer stored before stays valid


def test_baseline_prefers_the_recorded_value():
    assert baseline_pain(7, [3, 4]) == 7.0


def test_baseline_falls_back_to_mean_of_logs_before_injection():
    assert baseline_pain(None, [6, 7, 8, 6]) == 6.8
    assert baseline_pain(None, []) is None


def test_recent_average_uses_the_seven_days_ending_today():
    today = date(2026, 4, 1)
    scores = {today - timedelta(days=n): 4 for n in range(7)} | {today - timedelta(days=7): 10}
    assert recent_average(scores, today) == (4.0, 7)


@pytest.mark.parametrize(
    ("baseline", "recent", "points", "percent", "meaningful", "substantial"),
    [
        (8.0, 6.0, 2.0, 25, True, False),  # 2 points is meaningful on its own
        (5.0, 3.5, 1.5, 30, True, False),  # 30 % is meaningful on its own
        (8.0, 6.5, 1.5, 19, False, False),
        (8.0, 4.0, 4.0, 50, True, True),
        (6.0, 7.0, -1.0, -17, False, False),  # worse
    ],
)
def test_change_against_baseline(baseline, recent, points, percent, meaningful, substantial):
    progress = Progress(baseline, recent, 7)
    assert progress.change_points == points
    assert progress.change_percent == percent
    assert progress.is_meaningful is meaningful
    assert progress.is_substantial is substantial


def test_no_logs_means_no_change():
    progress = Progress(7.0, None, 0)
    assert progress.change_points is None
    assert progress.change_percent is None
    assert not progress.is_meaningful


def test_zero_baseline_has_no_percentage():
    assert Progress(0.0, 1.0, 3).change_percent is None


def test_progress_on_uses_pre_injection_logs_when_no_baseline_was_recorded():
    scores = {
        INJECTION - timedelta(days=2): 8,
        INJECTION - timedelta(days=1): 6,
        INJECTION + timedelta(days=30): 3,
    }
    progress = progress_on(INJECTION + timedelta(days=30), None, INJECTION, scores)
    assert progress.baseline == 7.0
    assert progress.recent_average == 3.0
    assert progress.change_points == 4.0
