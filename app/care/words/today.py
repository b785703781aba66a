"""Today, the daily log and the exercise row (see app/care/words/__init__.py)."""

from __future__ import annotations

# "How did that feel?" on an exercise row once a session is ticked (app/care/feelings.py).
FEELING_QUESTION = "How did that feel?"
FEELING_EASIER = "Easier than last time"
FEELING_RIGHT = "About right"
FEELING_HARDER = "Harder than last time"
FEELING_HURT = "It hurt more"
FEELING_SAVED = "Thank you. Your therapist can see this."
FEELING_HURT_ADVICE = (
    "Go easy on this one next time: do fewer, or stop sooner. If it hurts more again, we will "
    "let your therapist know."
)
FEELING_NOT_SAVED = "That answer was not saved. Please reload the page and try again."
