"""Where a patient is in the PRP protocol on a given clinic day."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.care.words.pages import PHASE_TITLES


@dataclass(frozen=True)
class Phase:
    key: str
    title: str
    first_day: int | None  # days after the injection; None = open-ended
    last_day: int | None


# The titles are catalogue texts (signed off and translated with the rest).
PHASES: tuple[Phase, ...] = (
    Phase("evaluation", PHASE_TITLES["evaluation"], None, -1),
    Phase("injection", PHASE_TITLES["injection"], 0, 0),
    Phase("protect", PHASE_TITLES["protect"], 1, 14),
    Phase("restore", PHASE_TITLES["restore"], 15, 42),
    Phase("strengthen", PHASE_TITLES["strengthen"], 43, 84),
    Phase("maintain", PHASE_TITLES["maintain"], 85, None),
)
PHASE_KEYS: tuple[str, ...] = tuple(phase.key for phase in PHASES)
PHASES_BY_KEY: dict[str, Phase] = {phase.key: phase for phase in PHASES}
# Phases with a home exercise programme (rest and walking only before day 1).
EXERCISE_PHASE_KEYS: tuple[str, ...] = ("protect", "restore", "strengthen", "maintain")


@dataclass(frozen=True)
class ProtocolPosition:
    """The facts the patient home shows: phase, day, week and what comes next."""

    phase: Phase
    day: int  # days since the injection; negative before it
    next_phase: Phase | None
    days_to_next_phase: int | None

    @property
    def week(self) -> int:
        """Week W of recovery, W = ceil(N / 7): days 1–7 are week 1; the injection day is week 0."""
        return max(0, math.ceil(self.day / 7))

    @property
    def days_to_injection(self) -> int:
        return max(0, -self.day)


def clinic_today(now: datetime, clinic_timezone: str) -> date:
    """The calendar day at the clinic for an aware timestamp (not the server's day)."""
    if now.tzinfo is None:
        raise ValueError("clinic_today needs an aware datetime")
    return now.astimezone(ZoneInfo(clinic_timezone)).date()


def phase_for_day(day: int) -> Phase:
    """The phase that contains `day` days after the injection."""
    for phase in PHASES:
        after_start = phase.first_day is None or day >= phase.first_day
        before_end = phase.last_day is None or day <= phase.last_day
        if after_start and before_end:
            return phase
    raise AssertionError("the phases cover every day")  # pragma: no cover


def position_on(today: date, injection_date: date) -> ProtocolPosition:
    """Where a patient with this injection date stands on `today`."""
    day = (today - injection_date).days
    phase = phase_for_day(day)
    index = PHASES.index(phase)
    next_phase = PHASES[index + 1] if index + 1 < len(PHASES) else None
    days_to_next = None
    if next_phase is not None and next_phase.first_day is not None:
        days_to_next = next_phase.first_day - day
    return ProtocolPosition(phase, day, next_phase, days_to_next)
