"""When an exercise is due: sessions a day, days a week (docs/clinical-protocol.md#home-exercises)."""

from datetime import date, timedelta

import pytest

from app.care.adherence import exercise_adherence
from app.care.content import Dose, dose_text
from app.care.dosing import Prescription, due_offsets, is_due, next_due, sessions_due
from app.models import Treatment

INJECTION = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("days", "offsets"),
    [
        (None, {0, 1, 2, 3, 4, 5, 6}),
        (7, {0, 1, 2, 3, 4, 5, 6}),
        (1, {0}),
        (2, {0, 4}),
        (3, {0, 2, 5}),
        (5, {0, 1, 3, 4, 6}),
    ],
)
def test_days_a_week_are_spread_through_each_week(days, offsets):
    assert due_offsets(days) == offsets
    assert len(due_offsets(days)) == (days or 7)


def test_three_days_a_week_repeat_every_week_from_the_injection():
    due = [n for n in range(21) if is_due(3, INJECTION + timedelta(days=n), INJECTION)]
    assert due == [0, 2, 5, 7, 9, 12, 14, 16, 19]
    assert next_due(3, INJECTION + timedelta(days=2), INJECTION) == INJECTION + timedelta(days=5)
    assert next_due(None, INJECTION, INJECTION) == INJECTION + timedelta(days=1)


def test_sessions_due_count_times_a_day_on_due_days_of_the_days_phase():
    plan = [
        Prescription("maintain", times_per_day=1),  # walking, daily
        Prescription("maintain", times_per_day=None, days_per_week=3),  # strength, 3 days a week
        Prescription("maintain", times_per_day=2, days_per_week=3),
        Prescription("protect", times_per_day=2),  # another phase: never counted in maintenance
    ]
    day_85 = INJECTION + timedelta(days=85)  # offset 1 in its week: strength not due
    day_86 = INJECTION + timedelta(days=86)  # offset 2: due
    assert sessions_due(plan, day_85, INJECTION) == 1
    assert sessions_due(plan, day_86, INJECTION) == 1 + 1 + 2
    assert sessions_due(plan, INJECTION + timedelta(days=3), INJECTION) == 2  # protect phase


def test_adherence_counts_sessions_due_not_days():
    """Walking twice a day, done once each day for a week: half the sessions, not every day."""
    plan = [Prescription("restore", times_per_day=2)]
    today = INJECTION + timedelta(days=30)
    ticks = {today - timedelta(days=n): 1 for n in range(1, 8)}
    ratio = exercise_adherence(ticks, lambda day: sessions_due(plan, day, INJECTION), INJECTION, today)
    assert (ratio.done, ratio.expected, ratio.percent) == (7, 14, 50)


def test_a_maintenance_programme_of_three_days_a_week_done_in_full_is_full_adherence():
    plan = [Prescription("maintain", days_per_week=3)]
    today = INJECTION + timedelta(days=120)
    due_days = [
        today - timedelta(days=n) for n in range(1, 8) if is_due(3, today - timedelta(days=n), INJECTION)
    ]
    ratio = exercise_adherence(
        dict.fromkeys(due_days, 1), lambda day: sessions_due(plan, day, INJECTION), INJECTION, today
    )
    assert ratio.share == 1.0
    assert ratio.expected == len(due_days) == 3


def test_days_a_week_in_plain_words():
    assert dose_text(Dose(sets=3, reps=10, days_per_week=3)) == "3 sets of 10 · 3 days a week"
    assert dose_text(Dose(minutes=30, times_per_day=1, days_per_week=7)) == "30 minutes · once a day"


@pytest.mark.parametrize(
    ("condition", "sites", "thoracic"),
    [
        ("thoracic_strain", "paraspinal_muscles", True),
        ("lumbar_facet", "facet_joints,thoracic_spine", True),
        ("lumbar_facet", "facet_joints", False),
    ],
)
def test_a_mid_back_injection_is_known_by_condition_or_site(condition, sites, thoracic):
    assert Treatment(condition=condition, sites=sites).is_thoracic is thoracic
