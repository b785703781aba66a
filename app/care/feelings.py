""" "How did that feel?" after an exercise session, and what a run of the same answer tells the
therapist (docs/clinical-protocol.md#how-an-exercise-felt). Pure: answers in, facts out.

Two "it hurt more" in a row for one exercise put the patient on the attention list: the pain rule
says an exercise may bring pain up a little and that it should settle, so pain that keeps coming
back worse with the same exercise is the therapist's to look at. Three "easier than last time" in
a row while the 7-day pain average is not rising is a hint that the exercise may be ready to
progress; the therapist decides, nothing changes by itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.care import content
from app.care.progress import recent_average
from app.care.staff_words import N_

FEELINGS = ("easier", "right", "harder", "hurt")  # in the order the patient sees them
FEELING_WORDS = {
    "easier": content.FEELING_EASIER,
    "right": content.FEELING_RIGHT,
    "harder": content.FEELING_HARDER,
    "hurt": content.FEELING_HURT,
}
STAFF_WORDS = {  # staff words, shown in the reader's language (the audit trail keeps the English)
    "easier": N_("Easier"),
    "right": N_("About right"),
    "harder": N_("Harder"),
    "hurt": N_("Hurt more"),
}
HURT_RUN = 2  # "it hurt more" this many times in a row: the attention list
EASIER_RUN = 3  # "easier" this many times in a row, with steady pain: "ready to progress"
HURT_RECENT_DAYS = 7  # a run of "hurt" older than this (the last answer) no longer flags
RECENT_DAYS = 7


@dataclass(frozen=True)
class Run:
    """The latest answers' run for one exercise: which answer, how many times in a row, and the
    day of the latest."""

    feeling: str | None = None
    length: int = 0
    day: date | None = None


def run_of(latest_first: Iterable[tuple[str, date]]) -> Run:
    """The run at the end of an exercise's answers, given newest first as (feeling, day)."""
    feeling: str | None = None
    length = 0
    last_day: date | None = None
    for answer, day in latest_first:
        if feeling is None:
            feeling, last_day = answer, day
        elif answer != feeling:
            break
        length += 1
    return Run(feeling, length, last_day)


def hurts_again(run: Run, today: date) -> bool:
    """Hurt more twice (or more) in a row, the latest in the last week."""
    return (
        run.feeling == "hurt"
        and run.length >= HURT_RUN
        and run.day is not None
        and run.day > today - timedelta(days=HURT_RECENT_DAYS)
    )


def pain_steady(scores_by_day: Mapping[date, int], today: date) -> bool:
    """The 7-day average is not above the 7 days before (both weeks need logs to tell)."""
    current, _count = recent_average(scores_by_day, today)
    previous, _count = recent_average(scores_by_day, today - timedelta(days=RECENT_DAYS))
    return current is not None and previous is not None and current <= previous


def ready_to_progress(run: Run, scores_by_day: Mapping[date, int], today: date) -> bool:
    return run.feeling == "easier" and run.length >= EASIER_RUN and pain_steady(scores_by_day, today)
