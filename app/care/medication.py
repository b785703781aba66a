"""The anti-inflammatory (NSAID) free window around the injection.

PRP works through the body's own inflammatory response, so NSAIDs are avoided from some days before
to some days after the injection (both clinic settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


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


def reports_nsaid_in_window(medication: str, day: date, window: NsaidWindow | None) -> bool:
    """True when a log reports an anti-inflammatory on a day the patient should avoid them."""
    return window is not None and medication == "anti_inflammatory" and window.contains(day)
