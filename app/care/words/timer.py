"""The timer on an exercise row of Today: it counts the holds and reps of a dose, or its minutes,
and says where the patient is (see app/care/timer.py and app/static/js/exercise-timer.js, which
reads these words from the page: it has none of its own). `{rep}` and `{set}` are filled on the
phone as the timer runs; the page fills the rest."""

from __future__ import annotations

from app.care.words import Plural

# The timer's buttons.
TIMER_START = "Start timer"
TIMER_PAUSE = "Pause"
TIMER_GO_ON = "Go on"
TIMER_STOP = "Stop"
TIMER_NEXT_SET = "Start the next set"
TIMER_AGAIN = "Start again"
TIMER_TICK = "Mark it done"

# What it shows while it runs, and says at each change (a screen reader hears these, not every second).
TIMER_GET_READY = "Get ready."
TIMER_HOLD = "Hold. Keep breathing."
TIMER_RELAX = "Now relax."
TIMER_REP = "Rep {rep} of {reps}"
TIMER_SET = "Set {set} of {sets}"
TIMER_REP_DONE = "Rep {rep} done. Now relax."
TIMER_SET_DONE = "Set {set} done. Rest as long as you need, then start the next set."
TIMER_ALL_DONE = "All done. Well done!"
TIMER_KEEP_GOING = "Keep going."
TIMER_RUNS_FOR = Plural("The timer runs for {count} minute.", "The timer runs for {count} minutes.")
TIMER_TIME_UP = "Time is up. Well done!"
TIMER_PAUSED = "Paused. Press Go on when you are ready."
TIMER_STOPPED = "The timer has stopped."
