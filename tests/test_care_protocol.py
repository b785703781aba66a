"""Phase boundaries (docs/clinical-protocol.md#phases) and the clinic's calendar day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.care.protocol import PHASES, clinic_today, phase_for_day, position_on

INJECTION = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (-30, "evaluation"),
        (-1, "evaluation"),
        (0, "injection"),
        (1, "protect"),
        (14, "protect"),
        (15, "restore"),
        (42, "restore"),
        (43, "strengthen"),
        (84, "strengthen"),
        (85, "maintain"),
        (400, "maintain"),
    ],
)
def test_phase_boundaries(day, phase):
    assert phase_for_day(day).key == phase
    assert position_on(INJECTION + timedelta(days=day), INJECTION).phase.key == phase


@pytest.mark.parametrize(
    ("day", "week"), [(0, 0), (1, 1), (7, 1), (8, 2), (14, 2), (15, 3), (42, 6), (43, 7), (84, 12), (85, 13)]
)
def test_week_is_ceiling_of_day_over_seven(day, week):
    assert position_on(INJECTION + timedelta(days=day), INJECTION).week == week


@pytest.mark.parametrize(
    ("day", "next_key", "days_to_next"),
    [
        (-3, "injection", 3),
        (-1, "injection", 1),
        (0, "protect", 1),
        (1, "restore", 14),
        (14, "restore", 1),
        (20, "strengthen", 23),
        (84, "maintain", 1),
    ],
)
def test_days_to_next_phase(day, next_key, days_to_next):
    position = position_on(INJECTION + timedelta(days=day), INJECTION)
    assert position.next_phase.key == next_key
    assert position.days_to_next_phase == days_to_next


def test_maintenance_has_no_next_phase():
    position = position_on(INJECTION + timedelta(days=85), INJECTION)
    assert position.next_phase is None
    assert position.days_to_next_phase is None


def test_days_to_injection_counts_down_during_evaluation():
    assert position_on(INJECTION - timedelta(days=5), INJECTION).days_to_injection == 5
    assert position_on(INJECTION, INJECTION).days_to_injection == 0


def test_phases_cover_the_protocol_in_order():
    assert [p.key for p in PHASES] == [
        "evaluation",
        "injection",
        "protect",
        "restore",
        "strengthen",
        "maintain",
    ]


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # 23:59 in New York (EST, UTC-5) is 04:59 UTC the next day: still the earlier clinic day.
        (datetime(2026, 3, 5, 4, 59, tzinfo=UTC), date(2026, 3, 4)),
        (datetime(2026, 3, 5, 5, 0, tzinfo=UTC), date(2026, 3, 5)),
        # Summer time (EDT, UTC-4): midnight moves to 04:00 UTC.
        (datetime(2026, 7, 1, 3, 59, tzinfo=UTC), date(2026, 6, 30)),
        (datetime(2026, 7, 1, 4, 0, tzinfo=UTC), date(2026, 7, 1)),
    ],
)
def test_clinic_day_changes_at_clinic_midnight(utc, expected):
    assert clinic_today(utc, "America/New_York") == expected


def test_phase_changes_at_clinic_midnight_not_server_midnight():
    injection = date(2026, 3, 4)
    late_evening = datetime(2026, 3, 5, 4, 30, tzinfo=UTC)  # 23:30 on March 4 in New York
    assert position_on(clinic_today(late_evening, "America/New_York"), injection).phase.key == "injection"
    assert position_on(clinic_today(late_evening, "UTC"), injection).phase.key == "protect"


def test_clinic_today_rejects_a_naive_timestamp():
    with pytest.raises(ValueError, match="aware"):
        clinic_today(datetime(2026, 3, 5, 12, 0), "America/New_York")
