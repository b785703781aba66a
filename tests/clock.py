"""The tests' controlled clock (time-machine), so that no test depends on the real one.

A run moves its clock to 12:00 at the clinic on the clinic's current day and lets it tick from
there: a run would have to last twelve hours to reach a midnight, so one that crosses midnight on
the real clock keeps its day. The live server's gunicorn runs on the same clock (see
tests/clocked_wsgi.py). Chromium keeps the real clock, which stays within twelve hours of this one;
the app's cookies are browser-session cookies, so no expiry depends on the difference.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from datetime import time as time_of_day
from zoneinfo import ZoneInfo

import time_machine

from app.care.protocol import clinic_today

CLINIC_TIMEZONE = "America/New_York"  # the app's default: the tests' clinic and live server keep it
SHIFT_VARIABLE = "TESTS_CLOCK_SHIFT_SECONDS"  # not BACKTRACK_*: the app reads those as settings


def noon_at_the_clinic(now: datetime) -> datetime:
    """12:00 at the clinic on its calendar day at `now`: as far as can be from either midnight."""
    return datetime.combine(clinic_today(now, CLINIC_TIMEZONE), time_of_day(12), ZoneInfo(CLINIC_TIMEZONE))


def start_ticking(destination: datetime | float) -> time_machine.travel:
    """Travel to `destination` and tick from this moment on. time-machine starts the clock at its
    first reading, not at start(), so read it at once: two gunicorn workers that first read it at
    different times would otherwise disagree, and a signed token would look issued in the future."""
    travel = time_machine.travel(destination, tick=True)
    travel.start()
    time.time()
    return travel


@contextmanager
def controlled_clock(now: datetime) -> Iterator[datetime]:
    """This process's clock ticks from noon at the clinic on `now`'s day; yields that noon."""
    noon = noon_at_the_clinic(now)
    travel = start_ticking(noon)
    try:
        yield noon
    finally:
        travel.stop()


def real_time() -> float:
    """The real clock, also while travelling."""
    hatch = time_machine.escape_hatch
    return hatch.time.time() if hatch.is_travelling() else time.time()


def server_environment() -> dict[str, str]:
    """The variable that puts a server process on this process's clock (its shift from the real one)."""
    return {SHIFT_VARIABLE: repr(time.time() - real_time())}


def follow_environment() -> None:
    """From now on, run this process on the clock that `server_environment()` described."""
    follow(float(os.environ[SHIFT_VARIABLE]))


def follow(shift: float) -> time_machine.travel:
    """Tick `shift` seconds from the real clock, to the millisecond. The clock starts at its first
    reading, a moment after the destination was worked out (longer when the process is paused
    between the two), and that lag differs from worker to worker: a CSRF token signed by one
    worker would look issued in the future to another whose clock lags a second, and be refused.
    So the lag is measured and taken back."""
    travel = time_machine.travel(real_time() + shift, tick=True)
    traveller = travel.start()
    time.time()
    traveller.shift(-(travelled_offset() - shift))
    return travel


def travelled_offset() -> float:
    """This process's clock minus the real one, read between two real readings close together."""
    for _ in range(100):
        before = real_time()
        travelled = time.time()
        after = real_time()
        if after - before < 0.001:
            break
    return travelled - (before + after) / 2
