"""The clinic's opening hours: whether it is open at a moment, and when it next opens, so a "call the
clinic today" message can send a patient to the after-hours line when nobody would answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class OpeningHours:
    days: frozenset[int]  # 0 = Monday
    opens: time
    closes: time

    def is_open(self, local: datetime) -> bool:
        """`local` is a wall-clock time at the clinic."""
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, local: datetime) -> datetime | None:
        """The next moment the clinic opens after `local` (None if it never opens)."""
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            opening = datetime.combine(day, self.opens, local.tzinfo)
            if day.weekday() in self.days and opening > local:
                return opening
        return None


def parse_time(text: str) -> time:
    """ "08:00" → 8:00; raises ValueError for anything else."""
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def parse_days(text: str) -> frozenset[int]:
    """ "mon,tue,wed" → {0, 1, 2}; unknown names raise ValueError."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    return frozenset(WEEKDAYS.index(name) for name in names)


def opening_hours(days: str, opens: str, closes: str) -> OpeningHours:
    return OpeningHours(parse_days(days), parse_time(opens), parse_time(closes))


def clock_words(moment: time) -> str:
    """ "8 am", "5:30 pm", "noon": how a patient says a time."""
    if moment == time(12, 0):
        return "noon"
    suffix = "am" if moment.hour < 12 else "pm"
    hour = moment.hour % 12 or 12
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def day_words(day: date, today: date) -> str:
    """ "today", "tomorrow", or the weekday's name."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return WEEKDAY_NAMES[day.weekday()]


def when_words(moment: datetime, now: datetime, preposition: str = "at") -> str:
    """ "tomorrow at 8 am" (or "after 8 am"): when something happens, from a patient's view."""
    return f"{day_words(moment.date(), now.date())} {preposition} {clock_words(moment.time())}"


def hours_words(hours: OpeningHours) -> str:
    """ "Monday to Friday, 8 am to 5 pm", for the settings sheet and the message composer."""
    days = sorted(hours.days)
    if not days:
        return "never"
    runs = days == list(range(days[0], days[-1] + 1)) and len(days) > 2
    named = (
        f"{WEEKDAY_NAMES[days[0]]} to {WEEKDAY_NAMES[days[-1]]}"
        if runs
        else ", ".join(WEEKDAY_NAMES[d] for d in days)
    )
    return f"{named}, {clock_words(hours.opens)} to {clock_words(hours.closes)}"
