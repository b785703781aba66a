"""The anti-inflammatory (NSAID) free window around the injection.

PRP works through the body's own inflammatory response, so NSAIDs are avoided from some days before
to some days after the injection (both clinic settings).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

from app.care.content import MEDICATION_KEYS
from app.care.medicines import names_an_nsaid

TAKEN_KEYS = tuple(key for key in MEDICATION_KEYS if key != "none")
# How a day's medicine answers are stored: the keys ticked, in the order asked, comma-separated;
# "none" alone. Every value the database accepts (a check constraint lists them).
STORED_ANSWERS: tuple[str, ...] = (
    "none",
    *(
        ",".join(chosen)
        for size in range(1, len(TAKEN_KEYS) + 1)
        for chosen in combinations(TAKEN_KEYS, size)
    ),
)


@dataclass(frozen=True)
class NsaidWindow:
    starts: date  # first NSAID-free day
    ends: date  # last NSAID-free day

    def contains(self, day: date) -> bool:
        return self.starts <= day <= self.ends

    def days_left(self, today: date) -> int:
        """NSAID-free days still to go, counting today; 0 once the window has closed."""
        if today > self.ends:
            return 0
        return (self.ends - max(today, self.starts)).days + 1

    def has_not_started(self, today: date) -> bool:
        return today < self.starts


def nsaid_window(injection_date: date, days_before: int, days_after: int) -> NsaidWindow:
    return NsaidWindow(
        injection_date - timedelta(days=days_before), injection_date + timedelta(days=days_after)
    )


def stored_answers(chosen: Iterable[str]) -> str:
    """The medicine answers as stored: the keys in the order asked, or "none"."""
    picked = set(chosen)
    return ",".join(key for key in TAKEN_KEYS if key in picked) or "none"


def answers_of(stored: str) -> tuple[str, ...]:
    """The keys of a stored answer ("acetaminophen,anti_inflammatory" → both)."""
    return tuple(key for key in stored.split(",") if key in MEDICATION_KEYS) or ("none",)


def took_nsaid(chosen: Iterable[str], other_medicine: str) -> bool:
    """An anti-inflammatory was taken: ticked, or named as the "other medicine from my doctor"."""
    return "anti_inflammatory" in set(chosen) or names_an_nsaid(other_medicine)


def nsaid_in_window(took: bool, day: date, window: NsaidWindow | None) -> bool:
    """True when a log reports an anti-inflammatory on a day the patient should avoid them."""
    return window is not None and took and window.contains(day)
