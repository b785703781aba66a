"""The exercise timer's plan for a dose: how many sets, how many holds in each, how long each hold
and the short rest between them; or, for a dose in minutes, one stretch of that many minutes. A
dose of reps alone (no hold, no minutes) has no timer: the patient counts those at their own pace.

The phone runs the plan (app/static/js/exercise-timer.js); the page hands it the numbers and the
words below in the reader's language, so the script holds no words of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.care import content
from app.care.content import Dose

GET_READY_SECONDS = 5  # to lie down or get into position after pressing start
REST_SECONDS = 3  # "Relax" between two holds


@dataclass(frozen=True)
class TimerPlan:
    sets: int
    reps: int  # holds in each set (1 for a stretch of minutes)
    hold_seconds: int  # 0 for a stretch of minutes
    minutes: int
    rest_seconds: int = REST_SECONDS
    ready_seconds: int = GET_READY_SECONDS

    @property
    def counts_holds(self) -> bool:
        return self.hold_seconds > 0


def timer_plan(dose: Dose) -> TimerPlan | None:
    """The timer for a dose, None when it has neither a hold nor minutes. The reps read as the dose
    says them: "2 sets of 10 · hold 5 seconds" is 2 sets of 10 holds; "3 times · hold 10 seconds"
    (sets or reps alone) is one set of 3 holds."""
    if dose.hold_seconds and dose.hold_seconds > 0:
        if dose.sets and dose.reps:
            sets, reps = dose.sets, dose.reps
        else:
            sets, reps = 1, dose.reps or dose.sets or 1
        return TimerPlan(sets=sets, reps=reps, hold_seconds=dose.hold_seconds, minutes=0)
    if dose.minutes and dose.minutes > 0:
        return TimerPlan(sets=1, reps=1, hold_seconds=0, minutes=dose.minutes)
    return None


Say = Callable[..., str]


def shared_timer_words(say: Say) -> dict[str, str]:
    """The words every timer on the page says alike, in the page's language: handed to the script
    once, with the timer's controls (patient/_timer_parts.html), not once a row."""
    return {
        "pause": say(content.TIMER_PAUSE),
        "go_on": say(content.TIMER_GO_ON),
        "stop": say(content.TIMER_STOP),
        "again": say(content.TIMER_AGAIN),
        "tick": say(content.TIMER_TICK),
        "paused": say(content.TIMER_PAUSED),
        "stopped": say(content.TIMER_STOPPED),
        "keep_going": say(content.TIMER_KEEP_GOING),
        "time_up": say(content.TIMER_TIME_UP),
        "next_set": say(content.TIMER_NEXT_SET),
        "get_ready": say(content.TIMER_GET_READY),
        "hold": say(content.TIMER_HOLD),
        "relax": say(content.TIMER_RELAX),
        "rep_done": say(content.TIMER_REP_DONE, rep="{rep}"),
        "set_done": say(content.TIMER_SET_DONE, set="{set}"),
        "all_done": say(content.TIMER_ALL_DONE),
    }


def timer_words(plan: TimerPlan, say: Say, say_count: Say) -> dict[str, str]:
    """The words of one timer that carry its totals, in the page's language (the row hands them to
    the script; the rest are shared_timer_words). `{rep}` and `{set}` stay in the text for the
    phone to fill as it counts."""
    if not plan.counts_holds:
        return {"runs_for": say_count(content.TIMER_RUNS_FOR, plan.minutes)}
    return {
        "rep": say(content.TIMER_REP, rep="{rep}", reps=plan.reps),
        "set": say(content.TIMER_SET, set="{set}", sets=plan.sets),
    }
