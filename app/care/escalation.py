"""Who is told about an alert, and when (docs/clinical-protocol.md#who-is-told), as pure rules.

Step 0 tells the responsible clinician at once, for every alert. An emergency nobody has
acknowledged then escalates: step 1 tells the on-call clinician once the clinic's wait has passed
since it was raised (a clinic setting: 30 minutes while the clinic is open, 60 outside), step 2
tells the admins once the same wait has passed since step 1 (at once when nobody was on call).
Each step happens once; an acknowledgement stops what has not happened yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.care.hours import OpeningHours
from app.care.staff_words import N_

CLINICIAN, ON_CALL, ADMINS = 0, 1, 2
STEPS = (CLINICIAN, ON_CALL, ADMINS)
STEP_NAMES = {  # staff words (the audit trail keeps them in English)
    CLINICIAN: N_("the responsible clinician"),
    ON_CALL: N_("the on-call clinician"),
    ADMINS: N_("the admins"),
}


@dataclass(frozen=True)
class AlertFacts:
    urgency: str
    raised_at: datetime
    acknowledged: bool
    sent: Mapping[int, datetime] = field(default_factory=dict)  # step -> when it went out
    nobody: frozenset[int] = frozenset()  # steps that found nobody to tell


def next_step(facts: AlertFacts, now: datetime, wait: Callable[[datetime], timedelta]) -> int | None:
    """The step due at `now`, or None. `wait(moment)` is how long to wait after `moment` (all
    three times in the same clock)."""
    if facts.acknowledged:
        return None
    if CLINICIAN not in facts.sent:
        return CLINICIAN
    if facts.urgency != "emergency":
        return None
    if ON_CALL not in facts.sent:
        return ON_CALL if now >= facts.raised_at + wait(facts.raised_at) else None
    if ADMINS not in facts.sent:
        since = facts.sent[ON_CALL]
        due = since if ON_CALL in facts.nobody else since + wait(since)
        return ADMINS if now >= due else None
    return None


def escalation_wait(
    hours: OpeningHours, local: datetime, open_minutes: int, closed_minutes: int
) -> timedelta:
    """How long an emergency waits for an acknowledgement from `local` (the clinic's wall clock):
    shorter while the clinic is open and someone should be watching the list."""
    return timedelta(minutes=open_minutes if hours.is_open(local) else closed_minutes)
