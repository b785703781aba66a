"""The patient-facing text, gathered into the blocks a patient reads together.

The readability test measures each block; a block is what appears together on screen (a phase's
guidance, a message, one exercise), because a grade measured on a lone drug name says little.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.care import content

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
    ):
        yield name, fill(getattr(content, name))
    yield (
        "warning questions",
        _sentences(content.WARNING_PROMPT, *(flag.question for flag in content.RED_FLAGS)),
    )
    for flag in content.ALL_ALERT_FLAGS.values():
        yield f"warning {flag.key}", _sentences(flag.why, flag.message)
    for exercise in content.EXERCISES:
        yield f"exercise {exercise.slug}", _sentences(exercise.purpose, *exercise.steps, exercise.stop_if)
    yield from questionnaire_blocks()
    yield (
        "records",
        _sentences(
            content.RECORDS_INTRO,
            content.RECORDS_DOWNLOAD,
            content.RECORDS_FHIR,
            content.RECORDS_CALENDAR,
            content.RECORDS_SUMMARY,
        ),
    )


def questionnaire_blocks() -> Iterator[tuple[str, str]]:
    """Each questionnaire screen as the patient reads it, and the card and messages around it."""
    for key, text in content.QUESTIONNAIRES.items():
        yield f"questionnaire {key}", _sentences(text.title, text.intro, text.why)
    yield (
        "PEG items",
        _sentences(*(f"{question} {low}. {high}" for _key, question, low, high in content.PEG_ITEMS)),
    )
    yield (
        "PSFS scale",
        _sentences(
            content.PSFS_NAME_HINT, content.PSFS_ADD_HINT, content.PSFS_SCALE_LOW, content.PSFS_SCALE_HIGH
        ),
    )
    yield "PGIC", _sentences(content.PGIC_QUESTION, *(label for _value, label in content.PGIC_CHOICES))
    yield (
        "questionnaire messages",
        _sentences(
            content.QUESTIONNAIRE_CARD_DUE,
            content.QUESTIONNAIRE_CARD_OVERDUE,
            content.QUESTIONNAIRE_THANKS,
            content.QUESTIONNAIRE_CLOSED,
        ),
    )
