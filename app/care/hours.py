"""The clinic's opening hours: whether it is open at a moment, and when it next opens, so a "call the
clinic today" message can send a patient to the after-hours line when nobody would answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.care import content

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = content.WEEKDAY_WORDS  # in English: settings sheets and staff pages

# A content text and its values → the words a person reads (content.render, or a page's `say`).
Say = Callable[..., str]


@dataclass(frozen=True)
class OpeningHours:
    days: frozenset[int]  # 0 = Monday
    opens: time
    closes: time
    closed: frozenset[date] = frozenset()  # holidays: shut on an open weekday

    def opens_on(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.closed

    def is_open(self, local: datetime) -> bool:
        """`local` is a wall-clock time at the clinic."""
        return self.opens_on(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, local: datetime) -> datetime | None:
        """The next moment the clinic opens after `local` (None if it never opens), past any
        holidays: "we open on Tuesday", not on the Monday it is shut."""
        for ahead in range(8 + len(self.closed)):
            day = local.date() + timedelta(days=ahead)
            opening = datetime.combine(day, self.opens, local.tzinfo)
            if self.opens_on(day) and opening > local:
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


def parse_dates(text: str) -> frozenset[date]:
    """ "2026-12-25, 2027-01-01" (commas, spaces or lines between) → those dates; anything that
    is not an ISO date raises ValueError."""
    return frozenset(date.fromisoformat(part) for part in re.split(r"[\s,;]+", text) if part)


def opening_hours(days: str, opens: str, closes: str, closed: str = "") -> OpeningHours:
    return OpeningHours(parse_days(days), parse_time(opens), parse_time(closes), parse_dates(closed))


def clock_words(moment: time, say: Say = content.render) -> str:
    """ "8 am", "5:30 pm", "12 noon": how a patient says a time. `say` gives the words in the
    reader's language (the page's `say`; English by default)."""
    if moment == time(12, 0):
        return say(content.CLOCK_NOON)
    hour = moment.hour % 12 or 12
    if moment.hour < 12:
        text = content.CLOCK_AM if moment.minute == 0 else content.CLOCK_AM_MINUTES
    else:
        text = content.CLOCK_PM if moment.minute == 0 else content.CLOCK_PM_MINUTES
    return say(text, hour=hour, minutes=f"{moment.minute:02d}")


def when_words(moment: datetime, now: datetime, preposition: str = "at", say: Say = content.render) -> str:
    """ "tomorrow at 8 am" (or "tomorrow after 8 am"): when something happens, from a patient's
    view."""
    ahead = (moment.date() - now.date()).days
    when = "today" if ahead == 0 else "tomorrow" if ahead == 1 else "later"
    return say(
        content.WHEN_WORDS[preposition][when],
        time=clock_words(moment.time(), say),
        weekday=say(content.WEEKDAY_WORDS[moment.weekday()]),
    )


def hours_words(hours: OpeningHours, say: Say = content.render) -> str:
    """ "Monday to Friday, 8 am to 5 pm", for the settings sheet and the message composer."""
    days = sorted(hours.days)
    if not days:
        return say(content.HOURS_NEVER)
    names = [say(content.WEEKDAY_WORDS[day]) for day in days]
    opens, closes = clock_words(hours.opens, say), clock_words(hours.closes, say)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return say(content.HOURS_RUN, first=names[0], last=names[-1], opens=opens, closes=closes)
    return say(content.HOURS_DAYS, days=", ".join(names), opens=opens, closes=closes)
