"""The patient-facing text, gathered into the blocks a patient reads together.

The readability test measures each block; a block is what appears together on screen (a phase's
guidance, a message, one exercise), because a grade measured on a lone drug name says little.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.care import content
from app.care.reminders import REMINDER_KINDS

SAMPLE_SETTINGS = {"no_ice_hours": 72, "days": 5, "start": "March 3", "end": "March 24"}


def _sentences(*parts: str) -> str:
    return " ".join(part if part.rstrip().endswith((".", "?", "!")) else part + "." for part in parts)


def patient_text_blocks() -> Iterator[tuple[str, str]]:
    """(name, text) for every block of patient-facing clinical text, with settings filled in."""
    fill = lambda text: content.render(text, **SAMPLE_SETTINGS)  # noqa: E731
    for key, guidance in content.PHASE_GUIDANCE.items():
        yield f"phase {key}", fill(_sentences(guidance.summary, *guidance.do, *guidance.avoid))
    yield "aftercare", fill(_sentences(*content.AFTERCARE_RULES))
    for name in (
        "NOT_SCHEDULED",
        "NSAID_EXPLAINED",
        "NSAID_ASPIRIN_NOTE",
        "NSAID_REMINDER",
        "NSAID_UPCOMING",
        "EMERGENCY_MESSAGE",
        "SAME_DAY_MESSAGE",
        "EXERCISE_SAFETY",
        "NO_EXERCISES_YET",
        "REMINDERS_INTRO",
        "REMINDERS_QUIET",
        "PASSKEY_OFFER",
        "PASSKEYS_INTRO",
    ):
        yield name, fill(getattr(content, name))
    yield (
        "warning questions",
        _sentences(content.WARNING_PROMPT, *(flag.question for flag in content.RED_FLAGS)),
    )
    yield (
        "messages composer",
        _sentences(
            content.MESSAGES_INTRO,
            content.render(content.MESSAGES_READ_WHEN, hours="Monday to Friday, 8 am to 5 pm"),
            content.MESSAGES_NOT_FOR_EMERGENCIES,
            content.render(content.MESSAGES_CLOSED, when="on Monday after 8 am"),
        ),
    )
    yield "reminder subjects", _sentences(*(kind.subject for kind in REMINDER_KINDS))
    for flag in content.ALL_ALERT_FLAGS.values():
        yield f"warning {flag.key}", _sentences(flag.why, flag.message)
    for exercise in content.EXERCISES:
        yield f"exercise {exercise.slug}", _sentences(exercise.purpose, *exercise.steps, exercise.stop_if)
