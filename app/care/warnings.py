"""Warning symptoms (red flags): which answers are urgent, and the derived severe-pain streak."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from app.care.content import RED_FLAGS, SEVERE_PAIN_STREAK, RedFlag

SEVERE_PAIN_MIN = 8
SEVERE_PAIN_DAYS = 3


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
