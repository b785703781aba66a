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
from app.care.staff_words import ENGLISH, N_, Translator

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
ATTENTION_LABELS = {  # staff words, shown in the reader's language
    "emergency": N_("Emergency"),
    "same_day": N_("Same day"),
    "medicines": N_("Medicines"),
    "message": N_("Message"),
    "pain_rising": N_("Pain rising"),
    "exercise_hurt": N_("Exercise hurt"),
    "nsaid": N_("NSAID"),
    "silent": N_("Silent"),
    "low_exercise": N_("Exercise"),
}
URGENT_KINDS = frozenset({"emergency", "same_day"})


@dataclass(frozen=True)
class AttentionReason:
    """One reason a patient needs their therapist, its words in the language of the `Translator`
    it was written with (English unless told: `attention_reasons(facts, today, words)`)."""

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

    def timing(self, now: datetime, today: date, words: Translator = ENGLISH) -> str:
        """When, in words that say what the time refers to: "reported 3 hours ago",
        "last data 6 days ago", "over the last 7 days"."""
        if self.span:
            return self.span
        return f"{self.since_label} {time_ago(self.since, now, today, words)}".strip()


@dataclass(frozen=True)
class OpenAlert:
    id: int
    urgency: str
    question: str
    raised_at: datetime
    quote: str = ""  # the patient's words, when the sign was read in a note or a message

    def words(self, words: Translator = ENGLISH) -> str:
        """The reason in words for staff: the sign's question is a catalogue text (translated with
        the rest), the patient's own words are shown as they wrote them."""
        question = words.gettext(self.question)
        if self.quote:
            said = words.gettext("Possible warning sign, in the patient's words: “{quote}” ({question})")
            return said.format(quote=self.quote, question=question)
        return words.gettext("Warning sign: {question}").format(question=question)


@dataclass(frozen=True)
class HurtAgain:
    """Exercises the patient said hurt more twice in a row (app/care/feelings.py): the first by
    name, how many, and the day of the latest answer."""

    name: str
    count: int
    since: date

    def words(self, words: Translator = ENGLISH) -> str:
        name = words.gettext(self.name)  # a built-in exercise's name is a catalogue text
        if self.count == 1:
            return words.gettext("“It hurt more” twice in a row after {name}").format(name=name)
        more = self.count - 1
        said = words.ngettext(
            "“It hurt more” twice in a row after {name} and {count} more",
            "“It hurt more” twice in a row after {name} and {count} more",
            more,
        )
        return said.format(name=name, count=more)


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


PAIN_KINDS = (
    (N_("Pain up {points} points on the week before ({before} → {now})"), "scores_by_day"),
    (N_("Leg pain up {points} points on the week before ({before} → {now})"), "leg_scores_by_day"),
)


def pain_rising(facts: PatientFacts, today: date, words: Translator = ENGLISH) -> Iterator[AttentionReason]:
    """Back pain, and leg pain for those who log it: each one that rose 2 points or more on the
    week before (a leg pain rising is nerve pain worsening, even while the back settles)."""
    for sentence, name in PAIN_KINDS:
        rise = pain_rise(getattr(facts, name), today)
        if rise:
            yield AttentionReason(
                "pain_rising",
                words.gettext(sentence).format(
                    points=f"{rise[1] - rise[0]:.1f}", before=f"{rise[0]:g}", now=f"{rise[1]:g}"
                ),
                today - timedelta(days=6),
                span=words.gettext("last 7 days against the 7 before"),
            )


def attention_reasons(facts: PatientFacts, today: date, words: Translator = ENGLISH) -> list[AttentionReason]:
    """Every reason this patient needs their therapist, most urgent first, in the words of
    `words` (English by default; a page passes its catalogue)."""
    reasons = [
        AttentionReason(
            alert.urgency,
            alert.words(words),
            alert.raised_at,
            alert.id,
            since_label=words.gettext("reported"),
        )
        for alert in facts.open_alerts
    ]
    if facts.medicines_to_plan and today <= facts.injection_date:
        reasons.append(
            AttentionReason(
                "medicines",
                words.gettext("Before the injection: {medicines}").format(medicines=facts.medicines_to_plan),
                facts.medicines_listed_on or today,
                since_label=words.gettext("listed"),
            )
        )
    if facts.unread_messages and facts.unread_since is not None:
        count = facts.unread_messages
        reasons.append(
            AttentionReason(
                "message",
                words.ngettext("{count} unread message", "{count} unread messages", count).format(
                    count=count
                ),
                facts.unread_since,
                since_label=words.gettext("first sent"),
            )
        )
    reasons.extend(pain_rising(facts, today, words))
    if facts.hurt_again is not None:
        hurt = facts.hurt_again
        reasons.append(
            AttentionReason(
                "exercise_hurt", hurt.words(words), hurt.since, since_label=words.gettext("last said")
            )
        )
    recent_nsaid = [day for day in facts.nsaid_days if day > today - timedelta(days=NSAID_LOOKBACK_DAYS)]
    if recent_nsaid:
        reasons.append(nsaid_reason(max(recent_nsaid), facts.injection_date, words))
    quiet_since = facts.last_data_day or facts.evaluation_date
    # After week 12 a weekly log is expected: silent once SILENCE_DAYS pass after it was due.
    if (today - quiet_since).days >= SILENCE_DAYS + facts.log_every - 1:
        quiet = (today - quiet_since).days
        if facts.last_data_day:
            text = words.ngettext(
                "No log or exercise for {count} day", "No log or exercise for {count} days", quiet
            )
            label = words.gettext("last data")
        else:
            text = words.ngettext(
                "Nothing logged yet for {count} day", "Nothing logged yet for {count} days", quiet
            )
            label = words.gettext("evaluation")
        reasons.append(AttentionReason("silent", text.format(count=quiet), quiet_since, since_label=label))
    exercise = exercise_adherence(facts.ticks_by_day, facts.prescribed_on, facts.injection_date, today)
    if exercise.share is not None and exercise.share < LOW_EXERCISE_ADHERENCE:
        said = words.gettext("Exercises {percent}% done in the last 7 days ({done} of {expected})")
        reasons.append(
            AttentionReason(
                "low_exercise",
                said.format(percent=exercise.percent, done=exercise.done, expected=exercise.expected),
                today - timedelta(days=6),
                span=words.gettext("last 7 days"),
            )
        )
    return sorted(reasons, key=lambda reason: reason.rank)


def nsaid_reason(day: date, injection_date: date, words: Translator = ENGLISH) -> AttentionReason:
    """An anti-inflammatory taken inside the window, on `day`."""
    offset = (day - injection_date).days
    if offset >= 0:
        said = words.gettext(
            "Took an anti-inflammatory on day {day} after the injection, inside the NSAID-free window"
        )
        text = said.format(day=offset)
    else:
        said = words.ngettext(
            "Took an anti-inflammatory {count} day before the injection, inside the NSAID-free window",
            "Took an anti-inflammatory {count} days before the injection, inside the NSAID-free window",
            -offset,
        )
        text = said.format(count=-offset)
    return AttentionReason("nsaid", text, day, since_label=words.gettext("taken"))


def time_ago(moment: date | datetime, now: datetime, today: date, words: Translator = ENGLISH) -> str:
    """ "3 hours ago", "2 days ago", "today": short words for a busy therapist. Timestamps are
    naive UTC and compared with `now` (naive UTC); dates are clinic days, compared with `today`."""
    if isinstance(moment, datetime):
        minutes = int((now - moment).total_seconds() // 60)
        if minutes < 1:
            return words.gettext("just now")
        if minutes < 60:
            return words.gettext("{count} min ago").format(count=minutes)
        if minutes < 24 * 60:
            hours = minutes // 60
            return words.ngettext("{count} hour ago", "{count} hours ago", hours).format(count=hours)
        days = minutes // (24 * 60)
    else:
        days = (today - moment).days
    if days <= 0:
        return words.gettext("today")
    if days == 1:
        return words.gettext("yesterday")
    return words.ngettext("{count} day ago", "{count} days ago", days).format(count=days)
