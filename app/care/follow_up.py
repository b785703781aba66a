"""The programme ends at week 12 (docs/clinical-protocol.md#after-week-12): a review, then a lower
cadence the patient can change.

- Days 1-84 (weeks 1-12): a pain log every day, the PEG every week.
- From day 85: a pain log once a week (the patient may choose every day again) and the PEG once a
  month (every fourth week: weeks 16, 20, 24 ...). The daily log never simply goes on for ever.
- The 12-week review shows on Today for the first four weeks after the programme: the patient's
  results and what comes next (keep going, or talk with the clinic about another injection or
  another plan).

Pure functions: no clock, no database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

from app.care.protocol import PHASES_BY_KEY

PROGRAMME_WEEKS = 12
PROGRAMME_LAST_DAY = PHASES_BY_KEY["strengthen"].last_day or 84  # day 84 ends week 12
WEEKLY = 7
DAILY = 1
LOG_EVERY_CHOICES: tuple[int, ...] = (WEEKLY, DAILY)
DEFAULT_LOG_EVERY = WEEKLY  # after week 12, unless the patient chooses daily
PEG_EVERY_WEEKS_AFTER = 4  # monthly after week 12
REVIEW_SHOWN_DAYS = 28  # the review stays on Today for four weeks after the programme


def in_follow_up(day: int) -> bool:
    """After the 12-week programme (day 85 on)."""
    return day > PROGRAMME_LAST_DAY


def peg_round_week(day: int) -> int | None:
    """The PEG round that can be answered on `day` after the injection, or None: every week up to
    week 12, then every fourth week."""
    if day < 1:
        return None
    week = math.ceil(day / 7)
    if week <= PROGRAMME_WEEKS or (week - PROGRAMME_WEEKS) % PEG_EVERY_WEEKS_AFTER == 0:
        return week
    return None


def log_every(day: int, chosen: int | None) -> int:
    """How many days apart the pain log is asked on `day`: daily in the programme; after it, the
    patient's choice (weekly unless they chose daily)."""
    if not in_follow_up(day):
        return DAILY
    return chosen if chosen in LOG_EVERY_CHOICES else DEFAULT_LOG_EVERY


def next_log_day(today: date, logged_days: Iterable[date], every: int) -> date:
    """The day the next log is asked: today, unless a log in the last `every` days already covers
    it (then `every` days after that log)."""
    recent = [day for day in logged_days if today - timedelta(days=every - 1) <= day <= today]
    return max(recent) + timedelta(days=every) if recent else today


def shows_review(day: int) -> bool:
    return PROGRAMME_LAST_DAY < day <= PROGRAMME_LAST_DAY + REVIEW_SHOWN_DAYS
