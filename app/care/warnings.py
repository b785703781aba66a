"""Warning symptoms (red flags): which are asked, which answers are urgent, the derived severe-pain
streak, and the words of the urgent message for the moment (docs/clinical-protocol.md#warning-symptoms)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.care import content
from app.care.content import RED_FLAGS, SEVERE_PAIN_STREAK, THORACIC_ONLY_FLAGS, RedFlag
from app.care.hours import OpeningHours, clock_words, when_words

SEVERE_PAIN_MIN = 8
SEVERE_PAIN_DAYS = 3


def flags_asked(thoracic: bool) -> tuple[RedFlag, ...]:
    """The warning questions for this patient: chest symptoms only after a mid-back injection."""
    return tuple(flag for flag in RED_FLAGS if thoracic or flag.key not in THORACIC_ONLY_FLAGS)


def flags_for(answered_yes: Iterable[str]) -> list[RedFlag]:
    """The red flags for the symptoms answered "yes", emergencies first."""
    chosen = set(answered_yes)
    flags = [flag for flag in RED_FLAGS if flag.key in chosen]
    return sorted(flags, key=lambda flag: flag.urgency != "emergency")


def has_severe_pain_streak(scores_by_day: Mapping[date, int], today: date) -> bool:
    """Back pain 8–10 on each of the three days ending today."""
    days = (today - timedelta(days=offset) for offset in range(SEVERE_PAIN_DAYS))
    return all(scores_by_day.get(day, -1) >= SEVERE_PAIN_MIN for day in days)


def urgent_flags(
    answered_yes: Iterable[str], scores_by_day: Mapping[date, int], today: date
) -> list[RedFlag]:
    """Every flag a log raises, including the derived severe-pain streak."""
    flags = flags_for(answered_yes)
    if has_severe_pain_streak(scores_by_day, today):
        flags.append(SEVERE_PAIN_STREAK)
    return flags


@dataclass(frozen=True)
class Circumstances:
    """What the urgent message depends on: where the patient is in treatment and the clinic's hours
    at this moment (`now` is the wall-clock time at the clinic)."""

    injected: bool
    condition: str | None  # the condition's name, for the emergency department
    hours: OpeningHours
    now: datetime

    @property
    def clinic_open(self) -> bool:
        return self.hours.is_open(self.now)


def message_for(flag: RedFlag, circumstances: Circumstances | None) -> str:
    """The urgent message for this flag now; without circumstances (a page cached for anyone), the
    words that are true at any time."""
    if flag.urgency == "emergency":
        if circumstances is None:
            return content.EMERGENCY_ANY_TIME
        if circumstances.injected:
            return content.EMERGENCY_AFTER_INJECTION
        condition = (
            content.render(content.CONDITION_FOR_EMERGENCY, condition=circumstances.condition.lower())
            if circumstances.condition
            else content.CONDITION_UNKNOWN
        )
        return content.render(content.EMERGENCY_BEFORE_INJECTION, condition=condition)
    if circumstances is None:
        return content.SAME_DAY_ANY_TIME
    if circumstances.clinic_open:
        return content.render(content.SAME_DAY_OPEN, closes=clock_words(circumstances.hours.closes))
    reopens = circumstances.hours.next_opening(circumstances.now)
    when = when_words(reopens, circumstances.now) if reopens else "on the next working day"
    return content.render(content.SAME_DAY_CLOSED, reopens=when)


@dataclass(frozen=True)
class UrgentNotice:
    """One warning sign with the words to show for it now."""

    flag: RedFlag
    message: str


def urgent_notices(flags: Iterable[RedFlag], circumstances: Circumstances | None) -> list[UrgentNotice]:
    return [UrgentNotice(flag, message_for(flag, circumstances)) for flag in flags]
