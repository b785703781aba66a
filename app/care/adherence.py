"""Who keeps to the plan and who needs attention (docs/clinical-protocol.md#adherence), as pure functions.

Windows: a window of W days covers the completed days since the injection (the injection day
counts, the days before it do not), at most W of them, ending yesterday; today joins once it has
data, so nobody looks behind at nine in the morning for a log they will write tonight. A patient
injected yesterday therefore has a 1-day window, not 30.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.care.progress import RECENT_DAYS, recent_average
from app.care.rtm import CODES_BY_NUMBER, PERIOD_DAYS, period_start

# Remote monitoring: the days with data a 30-day period needs for the full device-supply code.
RTM_DAYS_WITH_DATA = CODES_BY_NUMBER["98977"].min_days
PAIN_RISE_POINTS = 2.0
SILENCE_DAYS = 3
LOW_EXERCISE_ADHERENCE = 0.5
NSAID_LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class Ratio:
    done: int
    expected: int

    @property
    def share(self) -> float | None:
        return min(1.0, self.done / self.expected) if self.expected else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


def window_days(injection_date: date, today: date, size: int, include_today: bool) -> list[date]:
    """The days a W-day adherence window covers (see the module docstring)."""
    completed = max(0, (today - injection_date).days)
    days = [today - timedelta(days=offset) for offset in range(1, min(size, completed) + 1)]
    if include_today and today >= injection_date:
        days.append(today)
    return sorted(days)


def logging_adherence(log_days: set[date], injection_date: date, today: date, size: int) -> Ratio:
    days = window_days(injection_date, today, size, include_today=today in log_days)
    return Ratio(sum(1 for day in days if day in log_days), len(days))


def exercise_adherence(
    ticks_by_day: Mapping[date, int],
    prescribed_on: Callable[[date], int],
    injection_date: date,
    today: date,
    size: int = 7,
) -> Ratio:
    """Exercise ticks ÷ prescribed exercises over the window (one tick per exercise per day)."""
    days = window_days(injection_date, today, size, include_today=ticks_by_day.get(today, 0) > 0)
    expected = sum(prescribed_on(day) for day in days)
    done = sum(min(ticks_by_day.get(day, 0), prescribed_on(day)) for day in days)
    return Ratio(done, expected)


def days_with_data(data_days: Iterable[date], first: date, last: date) -> int:
    """Distinct days with a pain log, a questionnaire or an exercise tick in [first, last]."""
    return len({day for day in data_days if first <= day <= last})


@dataclass(frozen=True)
class MonitoringPeriod:
    """One 30-day remote-monitoring period; periods follow each other from the first day of data."""

    start: date
    end: date
    days_with_data: int

    def days_left(self, today: date) -> int:
        """Days still to come in the period, today included."""
        return max(0, (self.end - today).days + 1)

    @property
    def meets_threshold(self) -> bool:
        return self.days_with_data >= RTM_DAYS_WITH_DATA

    @property
    def needed(self) -> int:
        return RTM_DAYS_WITH_DATA


def current_period(first_data_day: date | None, today: date, data_days: Iterable[date]) -> MonitoringPeriod:
    """The period that contains today (a period starting today when there is no data yet)."""
    origin = first_data_day if first_data_day is not None and first_data_day <= today else today
    _number, start = period_start(origin, today)
    end = start + timedelta(days=PERIOD_DAYS - 1)
    return MonitoringPeriod(start, end, days_with_data(data_days, start, today))


def pain_rise(scores_by_day: Mapping[date, int], today: date) -> tuple[float, float] | None:
    """(previous, current) 7-day averages when pain (back or leg) rose by 2 points or more, else
    None."""
    current, _count = recent_average(scores_by_day, today)
    previous, _count = recent_average(scores_by_day, today - timedelta(days=RECENT_DAYS))
    if current is None or previous is None or current - previous < PAIN_RISE_POINTS:
        return None
    return previous, current


# --- The attention list --------------------------------------------------------------------------

ATTENTION_ORDER = (
    "emergency",
    "same_day",
    "medicines",
    "message",
    "pain_rising",
    "exercise_hurt",
    "nsaid",
    "silent",
    "low_exercise",
)
ATTENTION_LABELS = {
    "emergency": "Emergency",
    "same_day": "Same day",
    "medicines": "Medicines",
    "message": "Message",
    "pain_rising": "Pain rising",
    "exercise_hurt": "Exercise hurt",
    "nsaid": "NSAID",
    "silent": "Silent",
    "low_exercise": "Exercise",
}
URGENT_KINDS = frozenset({"emergency", "same_day"})


@dataclass(frozen=True)
class AttentionReason:
    kind: str  # one of ATTENTION_ORDER
    text: str
    since: date | datetime  # the moment "how long ago" refers to
    alert_id: int | None = None
    since_label: str = ""  # what happened then ("reported", "last data"); "" for a span of days
    span: str = ""  # the days the reason looks at, when it is not about one moment

    @property
    def rank(self) -> int:
        return ATTENTION_ORDER.index(self.kind)

    @property
    def label(self) -> str:
        return ATTENTION_LABELS[self.kind]

    @property
    def is_urgent(self) -> bool:
        """A warning sign (shown in red), rather than a matter of adherence."""
        return self.kind in URGENT_KINDS

    def timing(self, now: datetime, today: date) -> str:
        """When, in words that say what the time refers to: "reported 3 hours ago",
        "last data 6 days ago", "over the last 7 days"."""
        if self.span:
            return self.span
        return f"{self.since_label} {time_ago(self.since, now, today)}".strip()


@dataclass(frozen=True)
class OpenAlert:
    id: int
    urgency: str
    question: str
    raised_at: datetime
    quote: str = ""  # the patient's words, when the sign was read in a note or a message

    @property
    def words(self) -> str:
        """The reason in words for staff."""
        if self.quote:
            return f"Possible warning sign, in the patient's words: “{self.quote}” ({self.question})"
        return f"Warning sign: {self.question}"


@dataclass(frozen=True)
class HurtAgain:
    """Exercises the patient said hurt more twice in a row (app/care/feelings.py): the first by
    name, how many, and the day of the latest answer."""

    name: str
    count: int
    since: date

    @property
    def words(self) -> str:
        more = f" and {self.count - 1} more" if self.count > 1 else ""
        return f"“It hurt more” twice in a row after {self.name}{more}"


@dataclass
class PatientFacts:
    """Plain data about one patient, gathered by the caller in a fixed number of queries."""

    injection_date: date
    evaluation_date: date
    scores_by_day: dict[date, int]
    ticks_by_day: dict[date, int]
    nsaid_days: list[date]  # days a log reported an anti-inflammatory inside the window
    last_data_day: date | None
    open_alerts: list[OpenAlert] = field(default_factory=list)
    prescribed_on: Callable[[date], int] = lambda _day: 0
    unread_messages: int = 0  # messages from the patient their therapist has not read
    unread_since: datetime | None = None  # when the oldest of them was sent
    medicines_to_plan: str = ""  # listed medicines that need a plan before the injection, unreviewed
    medicines_listed_on: date | None = None
    leg_scores_by_day: dict[date, int] = field(default_factory=dict)  # for patients who log leg pain
    log_every: int = 1  # days between pain logs (7 after week 12 unless the patient chose daily)
    hurt_again: HurtAgain | None = None  # exercises that hurt more twice in a row, lately


PAIN_KINDS = (("Pain", "scores_by_day"), ("Leg pain", "leg_scores_by_day"))


def pain_rising(facts: PatientFacts, today: date) -> Iterator[AttentionReason]:
    """Back pain, and leg pain for those who log it: each one that rose 2 points or more on the
    week before (a leg pain rising is nerve pain worsening, even while the back settles)."""
    for words, name in PAIN_KINDS:
        rise = pain_rise(getattr(facts, name), today)
        if rise:
            yield AttentionReason(
                "pain_rising",
                f"{words} up {rise[1] - rise[0]:.1f} points on the week before ({rise[0]:g} → {rise[1]:g})",
                today - timedelta(days=6),
                span="last 7 days against the 7 before",
            )


def attention_reasons(facts: PatientFacts, today: date) -> list[AttentionReason]:
    """Every reason this patient needs their therapist, most urgent first."""
    reasons = [
        AttentionReason(
            alert.urgency,
            alert.words,
            alert.raised_at,
            alert.id,
            since_label="reported",
        )
        for alert in facts.open_alerts
    ]
    if facts.medicines_to_plan and today <= facts.injection_date:
        reasons.append(
            AttentionReason(
                "medicines",
                f"Before the injection: {facts.medicines_to_plan}",
                facts.medicines_listed_on or today,
                since_label="listed",
            )
        )
    if facts.unread_messages and facts.unread_since is not None:
        count = facts.unread_messages
        reasons.append(
            AttentionReason(
                "message",
                f"{count} unread message{'s' if count != 1 else ''}",
                facts.unread_since,
                since_label="first sent",
            )
        )
    reasons.extend(pain_rising(facts, today))
    if facts.hurt_again is not None:
        hurt = facts.hurt_again
        reasons.append(AttentionReason("exercise_hurt", hurt.words, hurt.since, since_label="last said"))
    recent_nsaid = [day for day in facts.nsaid_days if day > today - timedelta(days=NSAID_LOOKBACK_DAYS)]
    if recent_nsaid:
        day = max(recent_nsaid)
        offset = (day - facts.injection_date).days
        when = f"on day {offset} after" if offset >= 0 else f"{-offset} days before"
        text = f"Took an anti-inflammatory {when} the injection, inside the NSAID-free window"
        reasons.append(AttentionReason("nsaid", text, day, since_label="taken"))
    quiet_since = facts.last_data_day or facts.evaluation_date
    # After week 12 a weekly log is expected: silent once SILENCE_DAYS pass after it was due.
    if (today - quiet_since).days >= SILENCE_DAYS + facts.log_every - 1:
        words = "No log or exercise" if facts.last_data_day else "Nothing logged yet"
        label = "last data" if facts.last_data_day else "evaluation"
        reasons.append(
            AttentionReason(
                "silent", f"{words} for {(today - quiet_since).days} days", quiet_since, since_label=label
            )
        )
    exercise = exercise_adherence(facts.ticks_by_day, facts.prescribed_on, facts.injection_date, today)
    if exercise.share is not None and exercise.share < LOW_EXERCISE_ADHERENCE:
        reasons.append(
            AttentionReason(
                "low_exercise",
                f"Exercises {exercise.percent}% done in the last 7 days "
                f"({exercise.done} of {exercise.expected})",
                today - timedelta(days=6),
                span="last 7 days",
            )
        )
    return sorted(reasons, key=lambda reason: reason.rank)


def time_ago(moment: date | datetime, now: datetime, today: date) -> str:
    """ "3 hours ago", "2 days ago", "today": short words for a busy therapist. Timestamps are
    naive UTC and compared with `now` (naive UTC); dates are clinic days, compared with `today`."""
    if isinstance(moment, datetime):
        minutes = int((now - moment).total_seconds() // 60)
        if minutes < 1:
            return "just now"
        if minutes < 60:
            return f"{minutes} min ago"
        if minutes < 24 * 60:
            hours = minutes // 60
            return f"{hours} hour{'s' if hours != 1 else ''} ago"
        days = minutes // (24 * 60)
    else:
        days = (today - moment).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"
