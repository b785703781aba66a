"""The clinic's on-call rota as plain data: who covers which weekday and hours, and who is on call
at a moment. A shift whose end is not after its start runs past midnight ("Friday 17:00–08:00"
covers Friday evening and the early hours of Saturday; "Saturday 08:00–08:00" is 24 hours)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from app.care import content
from app.care.hours import WEEKDAY_NAMES, Say, clock_words
from app.care.staff_words import N_


@dataclass(frozen=True)
class Shift:
    clinician_id: int
    weekday: int  # 0 = Monday: the day the shift starts
    starts: time
    ends: time

    @property
    def overnight(self) -> bool:
        return self.ends <= self.starts

    def covers(self, local: datetime) -> bool:
        """`local` is a wall-clock time at the clinic."""
        moment, day = local.time().replace(tzinfo=None), local.weekday()
        if not self.overnight:
            return day == self.weekday and self.starts <= moment < self.ends
        if day == self.weekday and moment >= self.starts:
            return True
        return day == (self.weekday + 1) % 7 and moment < self.ends

    @property
    def words(self) -> str:
        """ "Friday, 5 pm to 8 am the next day" (for the audit trail and the queue)."""
        return self.words_in(content.render)

    def words_in(self, say: Say) -> str:
        """The shift in the reader's language: `say` is the page's (English by default)."""
        said = (
            N_("{day}, {starts} to {ends} the next day")
            if self.overnight
            else N_("{day}, {starts} to {ends}")
        )
        return say(
            said,
            day=say(WEEKDAY_NAMES[self.weekday]),
            starts=clock_words(self.starts, say),
            ends=clock_words(self.ends, say),
        )


def on_call_at(shifts: Iterable[Shift], local: datetime) -> list[int]:
    """The clinicians on call at `local`, each once, in the order of their shifts."""
    found: list[int] = []
    for shift in shifts:
        if shift.covers(local) and shift.clinician_id not in found:
            found.append(shift.clinician_id)
    return found
