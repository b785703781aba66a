"""When a prescribed exercise is due: N sessions a day on N days a week
(docs/clinical-protocol.md#home-exercises).

An exercise prescribed on fewer than seven days a week is due on days spread evenly through each
week of recovery, counted from the injection day: 3 days a week is days 0, 2 and 5 of each week.
A fixed pattern lets the patient see "next time: Thursday" and lets adherence count the sessions
that were due rather than days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from app.care.protocol import phase_for_day

DAYS_IN_WEEK = 7


@dataclass(frozen=True)
class Prescription:
    """How often one plan item is to be done."""

    phase: str
    times_per_day: int | None = None  # None: once
    days_per_week: int | None = None  # None: every day

    @property
    def sessions(self) -> int:
        return self.times_per_day or 1


@cache  # a handful of schedules (1-7 days a week), asked for every exercise on every day counted
def due_offsets(days_per_week: int | None) -> frozenset[int]:
    """The days of each recovery week (0–6) an exercise is due on."""
    if not days_per_week or days_per_week >= DAYS_IN_WEEK:
        return frozenset(range(DAYS_IN_WEEK))
    return frozenset(round(n * DAYS_IN_WEEK / days_per_week) % DAYS_IN_WEEK for n in range(days_per_week))


def is_due(days_per_week: int | None, day: date, injection_date: date) -> bool:
    return (day - injection_date).days % DAYS_IN_WEEK in due_offsets(days_per_week)


def next_due(days_per_week: int | None, after: date, injection_date: date) -> date:
    """The next day after `after` this exercise is due."""
    for ahead in range(1, DAYS_IN_WEEK + 1):
        day = after + timedelta(days=ahead)
        if is_due(days_per_week, day, injection_date):
            return day
    raise AssertionError("every schedule has a day in each week")  # pragma: no cover


def sessions_due(prescriptions: Iterable[Prescription], day: date, injection_date: date) -> int:
    """Exercise sessions due on a day: those of the phase the day falls in, on their days."""
    return sessions_due_by_schedule(((p, 1) for p in prescriptions), day, injection_date)


def sessions_due_by_schedule(
    schedules: Iterable[tuple[Prescription, int]], day: date, injection_date: date
) -> int:
    """sessions_due for a plan kept as its schedules, each with how many items share it (the
    dashboard counts a whole caseload's plans this way)."""
    phase = phase_for_day((day - injection_date).days).key
    return sum(
        p.sessions * items
        for p, items in schedules
        if p.phase == phase and is_due(p.days_per_week, day, injection_date)
    )
