"""Which reminders are due, with a controlled clock at every boundary (app/care/reminders.py), and"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.care import reminders
from app.care.reminders import ReminderFacts, due_reminders, in_quiet_hours

NEW_YORK = ZoneInfo("America/New_York")
DAY = date(2026, 3, 10)  # a Tuesday, daylight saving time in New York since March 8


def at(hour: int, minute: int = 0, second: int = 0, day: date = DAY, zone: ZoneInfo = NEW_YORK) -> datetime:
    """A moment on the person's clock, given to the rules as UTC (as the server has it)."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone).astimezone(UTC)


def due(facts: ReminderFacts, now: datetime) -> list[str]:
    return [item.kind.key for item in due_reminders(facts, now).due]


FACTS = ReminderFacts(timezone="America/New_York")


# --- The daily log ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "second", "expected"),
    [
        (18, 59, 59, []),  # a second before the chosen time
        (19, 0, 0, ["daily_log"]),  # the chosen time itself
        (20, 59, 59, ["daily_log"]),  # the last second before quiet hours
        (21, 0, 0, []),  # quiet hours begin
    ],
)
def test_the_daily_log_reminder_starts_at_the_chosen_time_and_stops_at_quiet_hours(
    hour, minute, second, expected
):
    assert due(FACTS, at(hour, minute, second)) == expected


def test_a_chosen_time_moves_the_daily_log_reminder():
    facts = ReminderFacts(timezone="America/New_York", daily_log_at=time(12, 30))
    assert due(facts, at(12, 29)) == []
    assert due(facts, at(12, 30)) == ["daily_log"]


def test_no_daily_log_reminder_once_today_is_logged():
    assert due(ReminderFacts(timezone="America/New_York", logged_days=frozenset({DAY})), at(19)) == []


def test_yesterdays_log_does_not_count_for_today():
    facts = ReminderFacts(timezone="America/New_York", logged_days=frozenset({DAY - timedelta(days=1)}))
    assert due(facts, at(19)) == ["daily_log"]


def test_at_most_one_reminder_a_day_of_each_kind():
    facts = ReminderFacts(timezone="America/New_York", sent=frozenset({("daily_log", DAY)}))
    assert due(facts, at(19, 5)) == []
    tomorrow = DAY + timedelta(days=1)
    assert due(facts, at(19, 5, day=tomorrow)) == ["daily_log"]  # yesterday's send is not today's


def test_staff_get_no_daily_log_reminder():
    assert due(ReminderFacts(timezone="America/New_York", is_patient=False), at(19)) == []


# --- Quiet hours and time zones ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(20, 59, 59), False),
        (time(21, 0), True),
        (time(0, 0), True),
        (time(7, 59, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_across_midnight(moment, quiet):
    assert in_quiet_hours(moment, time(21, 0), time(8, 0)) is quiet


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [(time(12, 59), False), (time(13, 0), True), (time(13, 59), True), (time(14, 0), False)],
)
def test_quiet_hours_within_one_day(moment, quiet):
    assert in_quiet_hours(moment, time(13, 0), time(14, 0)) is quiet


def test_equal_ends_mean_no_quiet_hours():
    assert not in_quiet_hours(time(3, 0), time(0, 0), time(0, 0))


def test_nothing_at_all_during_quiet_hours():
    facts = ReminderFacts(
        timezone="America/New_York", unread_messages=2, injection_date=DAY + timedelta(days=1)
    )
    decision = due_reminders(facts, at(22))
    assert decision.due == []
    assert decision.quiet
    assert due(facts, at(7, 59)) == []
    assert due(facts, at(8, 0)) == ["visit_2", "message"]


def test_the_time_zone_is_the_patients_own():
    """19:00 in Los Angeles is 22:00 in New York: the Los Angeles patient is reminded, the New York
    patient (in quiet hours) is not."""
    now = at(19, zone=ZoneInfo("America/Los_Angeles"))
    assert due(ReminderFacts(timezone="America/Los_Angeles"), now) == ["daily_log"]
    assert due(ReminderFacts(timezone="America/New_York"), now) == []


def test_the_day_is_the_patients_own_day():
    """At 01:00 UTC on the 11th it is still the 10th in New York: a log on the 10th counts."""
    now = datetime(2026, 3, 11, 0, 30, tzinfo=UTC)  # 20:30 on the 10th in New York
    assert due(ReminderFacts(timezone="America/New_York", logged_days=frozenset({DAY})), now) == []
    [item] = due_reminders(ReminderFacts(timezone="America/New_York"), now).due
    assert item.day == DAY


def test_daylight_saving_time_is_followed():
    """19:00 in New York is 23:00 UTC in summer and 00:00 UTC in winter."""
    winter = date(2026, 1, 13)
    assert due(FACTS, datetime(2026, 1, 13, 23, 30, tzinfo=UTC)) == []  # 18:30 in New York
    assert due(FACTS, datetime(2026, 1, 14, 0, 0, tzinfo=UTC)) == ["daily_log"]
    [item] = due_reminders(FACTS, datetime(2026, 1, 14, 0, 0, tzinfo=UTC)).due
    assert item.day == winter


def test_naive_times_are_taken_as_utc():
    assert due(FACTS, at(19).replace(tzinfo=None)) == ["daily_log"]


# --- The day before the NSAID window and Visit 2; messages ------------------------------------------


@pytest.mark.parametrize(("offset", "expected"), [(2, []), (1, ["nsaid_window"]), (0, []), (-1, [])])
def test_the_nsaid_window_reminder_comes_the_day_before_it_starts(offset, expected):
    facts = ReminderFacts(timezone="America/New_York", nsaid_window_starts=DAY + timedelta(days=offset))
    assert due(facts, at(9)) == expected


@pytest.mark.parametrize(("offset", "expected"), [(2, []), (1, ["visit_2"]), (0, []), (-3, [])])
def test_the_visit_2_reminder_comes_the_day_before_the_injection(offset, expected):
    facts = ReminderFacts(timezone="America/New_York", injection_date=DAY + timedelta(days=offset))
    assert due(facts, at(9)) == expected


def test_a_new_message_is_a_reminder_for_patients_and_staff_alike():
    assert due(ReminderFacts(timezone="America/New_York", unread_messages=1), at(9)) == ["message"]
    staff = ReminderFacts(timezone="America/New_York", is_patient=False, unread_messages=1)
    assert due(staff, at(9)) == ["message"]
    assert due(ReminderFacts(timezone="America/New_York", unread_messages=0), at(9)) == []


def test_a_read_message_or_one_already_reminded_of_today_is_not_sent_again():
    facts = ReminderFacts(timezone="America/New_York", unread_messages=3, sent=frozenset({("message", DAY)}))
    assert due(facts, at(9)) == []


def test_every_kind_has_words_without_health_data_and_a_page():
    for kind in reminders.REMINDER_KINDS:
        assert kind.subject.startswith("Backtrack: ")
        for word in ("pain", "PRP", "injection", "NSAID", "anti-inflammatory", "symptom", "spine"):
            assert word.lower() not in kind.subject.lower(), (kind.key, word)
        assert kind.patient_path.startswith("/")
        assert kind.staff_path.startswith("/")


def test_kinds_are_one_table():
    assert reminders.KIND_KEYS == ("daily_log", "nsaid_window", "visit_2", "message")
