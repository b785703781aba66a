"""Which reminders are due for one person at one moment, as pure functions (no clock, no database).

A reminder kind is one entry in `REMINDER_KINDS`: its key, the words of the notification (from
`content`, never any health detail), the page it opens and the rule that says it is due. Adding a
kind (the questionnaire that is due, say) is one entry here plus the fact its rule reads, gathered
in `app/services/between_visits/reminders.py`.

The rules every kind obeys, whatever its own rule says:
- nothing during the person's quiet hours (default 21:00–08:00, in their time zone);
- at most one a day of each kind (a day is the person's own calendar day);
- never for something already done (each kind's rule checks its own "done").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.care import content
from app.care.follow_up import next_log_day

DEFAULT_DAILY_LOG_AT = time(19, 0)
DEFAULT_QUIET_FROM = time(21, 0)
DEFAULT_QUIET_UNTIL = time(8, 0)


@dataclass(frozen=True)
class ReminderFacts:
    """What the rules need to know about one person, gathered by the caller."""

    timezone: str
    is_patient: bool = True
    daily_log_at: time = DEFAULT_DAILY_LOG_AT
    quiet_from: time = DEFAULT_QUIET_FROM
    quiet_until: time = DEFAULT_QUIET_UNTIL
    logged_days: frozenset[date] = frozenset()  # clinic days with a daily log (the last week suffices)
    log_every: int = 1  # days between pain logs: 1, or 7 after week 12 (app/care/follow_up.py)
    injection_date: date | None = None  # Visit 2
    nsaid_window_starts: date | None = None  # first day without anti-inflammatories
    unread_messages: int = 0  # messages to this person they have not seen yet
    sent: frozenset[tuple[str, date]] = frozenset()  # (kind, day) already claimed or sent


@dataclass(frozen=True)
class ReminderKind:
    key: str
    subject: str  # the whole notification: no health data, ever
    patient_path: str  # the page a tap opens
    is_due: Callable[[ReminderFacts, date, time], bool]
    staff_path: str = "/"


def _daily_log_due(facts: ReminderFacts, day: date, now: time) -> bool:
    """At the chosen time, when the log is asked today (after week 12, once a week)."""
    asked_today = next_log_day(day, facts.logged_days, facts.log_every) <= day
    return facts.is_patient and now >= facts.daily_log_at and asked_today


def _day_before(target: date | None, day: date) -> bool:
    return target is not None and day == target - timedelta(days=1)


REMINDER_KINDS: tuple[ReminderKind, ...] = (
    ReminderKind(
        "daily_log",
        content.REMINDER_DAILY_LOG,
        "/today",
        _daily_log_due,
    ),
    ReminderKind(
        "nsaid_window",
        content.REMINDER_NSAID_WINDOW,
        "/today",
        lambda facts, day, _now: facts.is_patient and _day_before(facts.nsaid_window_starts, day),
    ),
    ReminderKind(
        "visit_2",
        content.REMINDER_VISIT_2,
        "/today",
        lambda facts, day, _now: facts.is_patient and _day_before(facts.injection_date, day),
    ),
    ReminderKind(
        "message",
        content.REMINDER_MESSAGE,
        "/messages",
        lambda facts, _day, _now: facts.unread_messages > 0,
        staff_path="/therapist/",
    ),
)
KINDS_BY_KEY: dict[str, ReminderKind] = {kind.key: kind for kind in REMINDER_KINDS}
KIND_KEYS: tuple[str, ...] = tuple(KINDS_BY_KEY)


def local_moment(now: datetime, timezone: str) -> datetime:
    """`now` (aware, or naive UTC) on the person's own clock."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(ZoneInfo(timezone))


def in_quiet_hours(moment: time, quiet_from: time, quiet_until: time) -> bool:
    """Quiet from `quiet_from` (included) until `quiet_until` (excluded); the span may cross
    midnight (21:00–08:00). Equal ends mean no quiet hours at all."""
    if quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until


@dataclass(frozen=True)
class DueReminder:
    kind: ReminderKind
    day: date  # the person's own day: the claim is unique per (person, kind, day)


@dataclass(frozen=True)
class Decision:
    due: list[DueReminder] = field(default_factory=list)
    quiet: bool = False  # nothing now because of quiet hours


def due_reminders(facts: ReminderFacts, now: datetime) -> Decision:
    """The reminders to send this person right now, in the order of `REMINDER_KINDS`."""
    local = local_moment(now, facts.timezone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    if in_quiet_hours(clock, facts.quiet_from, facts.quiet_until):
        return Decision(quiet=True)
    return Decision(
        due=[
            DueReminder(kind, day)
            for kind in REMINDER_KINDS
            if (kind.key, day) not in facts.sent and kind.is_due(facts, day, clock)
        ]
    )
