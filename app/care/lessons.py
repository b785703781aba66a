"""When each lesson shows on Today: the day it matters, counted from the injection (day 0).

- What PRP can and cannot do: every day before the injection (the evaluation phase), when the
  patient is deciding and preparing.
- The first two weeks, day by day: the injection day.
- Sitting, sleeping and lifting: day 1, the first day home with the lifting limit.
- The flare plan: day 2, in the days when a flare of soreness is common (it should ease by day 3).
- Work and driving: day 4, once the first soreness has eased.
- Pain and the nervous system: day 15, when exercise grows and physical therapy starts again.
- After week 12: day 84, the last day of the programme.

At most one lesson a day; every lesson stays on the Learn page. Pure: no clock, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.care.follow_up import PROGRAMME_LAST_DAY
from app.care.words.lessons import (
    LESSON_AFTER_WEEK_12,
    LESSON_FIRST_TWO_WEEKS,
    LESSON_FLARE,
    LESSON_PAIN_AND_NERVES,
    LESSON_PRP,
    LESSON_SIT_SLEEP_LIFT,
    LESSON_WORK_DRIVING,
    LESSONS,
    Lesson,
)

BEFORE_INJECTION = None  # shown on every day of the evaluation phase


@dataclass(frozen=True)
class ScheduledLesson:
    lesson: Lesson
    day: int | None  # days after the injection; BEFORE_INJECTION for every day before it

    def shows_on(self, day: int) -> bool:
        return day < 0 if self.day is BEFORE_INJECTION else day == self.day


SCHEDULE: tuple[ScheduledLesson, ...] = (
    ScheduledLesson(LESSON_PRP, BEFORE_INJECTION),
    ScheduledLesson(LESSON_FIRST_TWO_WEEKS, 0),
    ScheduledLesson(LESSON_SIT_SLEEP_LIFT, 1),
    ScheduledLesson(LESSON_FLARE, 2),
    ScheduledLesson(LESSON_WORK_DRIVING, 4),
    ScheduledLesson(LESSON_PAIN_AND_NERVES, 15),
    ScheduledLesson(LESSON_AFTER_WEEK_12, PROGRAMME_LAST_DAY),
)
SCHEDULED_BY_KEY: dict[str, ScheduledLesson] = {entry.lesson.key: entry for entry in SCHEDULE}
LESSONS_BY_KEY: dict[str, Lesson] = {lesson.key: lesson for lesson in LESSONS}


def lesson_for_day(day: int | None) -> Lesson | None:
    """The lesson Today shows `day` days after the injection (None: no injection date yet)."""
    if day is None:
        return None
    for entry in SCHEDULE:
        if entry.shows_on(day):
            return entry.lesson
    return None


def in_order() -> tuple[ScheduledLesson, ...]:
    """Every lesson in the order the Learn page lists them: the order a patient meets them."""
    return tuple(sorted(SCHEDULE, key=lambda entry: -1 if entry.day is None else entry.day))
