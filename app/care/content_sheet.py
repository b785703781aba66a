"""Every patient-facing text and protocol number on one sheet, for the clinic's physician to review
and sign off, with a fingerprint that changes whenever anything on it changes
(docs/clinical-protocol.md#physician-sign-off).

The sheet is built from the content and rule modules themselves, not copied: a text added to
`content.py` appears on it (every upper-case text constant is listed), so it cannot be missed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from app.care import adherence, content, escalation, medicines, poses, progress, warning_words, warnings
from app.care.content import dose_text
from app.care.protocol import PHASES

FINGERPRINT_LENGTH = 12


@dataclass(frozen=True)
class SheetLine:
    label: str
    text: str


@dataclass(frozen=True)
class SheetSection:
    title: str
    lines: tuple[SheetLine, ...]


def _days(first: int | None, last: int | None) -> str:
    if first is None:
        return f"until day {last}"
    if last is None:
        return f"day {first} on"
    return f"day {first}" if first == last else f"days {first}–{last}"


def _phases() -> Iterator[SheetLine]:
    for phase in PHASES:
        yield SheetLine(phase.title, _days(phase.first_day, phase.last_day) + " after the injection")


def _guidance() -> Iterator[SheetLine]:
    titles = {phase.key: phase.title for phase in PHASES}
    for key, guidance in content.PHASE_GUIDANCE.items():
        yield SheetLine(f"{titles[key]}: summary", guidance.summary)
        for item in guidance.do:
            yield SheetLine(f"{titles[key]}: do", item)
        for item in guidance.avoid:
            yield SheetLine(f"{titles[key]}: avoid", item)
    for rule in content.AFTERCARE_RULES:
        yield SheetLine(content.AFTERCARE_TITLE, rule)


def _choices() -> Iterator[SheetLine]:
    for label in content.MEDICATIONS.values():
        yield SheetLine("Medicine option", label)
    for name in content.CONDITIONS.values():
        yield SheetLine("Condition", name)
    for name in content.INJECTION_SITES.values():
        yield SheetLine("Injection site", name)


def _warning_signs() -> Iterator[SheetLine]:
    for flag in content.ALL_ALERT_FLAGS.values():
        urgency = "Emergency" if flag.urgency == "emergency" else "Same day"
        asked = " (mid-back injections only)" if flag.key in content.THORACIC_ONLY_FLAGS else ""
        if flag.key in content.FIRST_DAYS_ONLY_FLAGS:
            asked = f" (days 0–{warnings.ALLERGY_LAST_DAY} after the injection)"
        yield SheetLine(f"{urgency}{asked}", f"{flag.question}. Why: {flag.why}")
    for language in warning_words.LANGUAGES:
        version = warning_words.page_data(language)["version"]
        yield SheetLine(
            f"Warning signs in words ({language})",
            f"phrase lists in app/care/warning_phrases/{language}.py, version {version}",
        )


def _medicines() -> Iterator[SheetLine]:
    for kind in medicines.KINDS:
        plan = " (a plan with the prescriber before the injection)" if kind.needs_prescriber_plan else ""
        yield SheetLine(f"{kind.label}{plan}", ", ".join(kind.names))
    yield SheetLine("Acetaminophen hidden in", ", ".join(medicines.HIDDEN_ACETAMINOPHEN))


def _exercises() -> Iterator[SheetLine]:
    titles = {phase.key: phase.title for phase in PHASES}
    for exercise in content.EXERCISES:
        yield SheetLine(exercise.name, exercise.purpose)
        for number, step in enumerate(exercise.steps, start=1):
            yield SheetLine(f"{exercise.name}: step {number}", step)
        yield SheetLine(f"{exercise.name}: stop if", exercise.stop_if)
        for phase, dose in exercise.doses.items():
            words = " · ".join(part for part in (dose_text(dose), dose.cue) if part)
            yield SheetLine(f"{exercise.name}: dose in {titles[phase]}", words)
        if (
            exercise.slug in poses.DRAWINGS
        ):  # the drawing's words, and its version (docs/exercise-drawings.md)
            drawing = f"{poses.DRAWINGS[exercise.slug].alt} (drawing {poses.digest(exercise.slug)})"
            yield SheetLine(f"{exercise.name}: drawing", drawing)


def _texts() -> Iterator[SheetLine]:
    for name, value in vars(content).items():
        if name.isupper() and isinstance(value, str):
            yield SheetLine(name.replace("_", " ").capitalize(), value)


def _numbers() -> Iterator[SheetLine]:
    yield SheetLine("Meaningful change in pain", progress.meaningful_change_words())
    yield SheetLine("Substantial change in pain", f"{progress.SUBSTANTIAL_PERCENT:g} %")
    yield SheetLine("Logs needed for a fair 7-day average", str(progress.FAIR_AVERAGE_LOGS))
    yield SheetLine(
        "Severe-pain warning",
        f"back pain {warnings.SEVERE_PAIN_MIN} or more and at least {warnings.SEVERE_PAIN_ABOVE_USUAL} "
        f"points above the patient's baseline (never above 10) on {warnings.SEVERE_PAIN_DAYS} days in "
        f"a row; not on days 0–{warnings.FLARE_LAST_DAY} after the injection",
    )
    yield SheetLine(
        "Who is told of an alert",
        "; ".join(f"step {step}: {name}" for step, name in escalation.STEP_NAMES.items())
        + " (emergencies only after step 0, when nobody has acknowledged it in time)",
    )
    yield SheetLine("Attention: pain rising", f"{adherence.PAIN_RISE_POINTS:g} points over the week before")
    yield SheetLine("Attention: silence", f"{adherence.SILENCE_DAYS} days without data")
    yield SheetLine(
        "Attention: low exercise adherence", f"under {adherence.LOW_EXERCISE_ADHERENCE:.0%} in 7 days"
    )
    yield SheetLine(
        "Remote monitoring", f"{adherence.RTM_DAYS_WITH_DATA} days with data in each 30-day period"
    )


def content_sheet(settings: Mapping[str, object]) -> tuple[SheetSection, ...]:
    """The whole sheet; `settings` are the clinic settings the texts are filled with."""
    return (
        SheetSection("Protocol phases", tuple(_phases())),
        SheetSection("Guidance for each phase, and aftercare", tuple(_guidance())),
        SheetSection("Warning signs", tuple(_warning_signs())),
        SheetSection("Home exercises and default doses", tuple(_exercises())),
        SheetSection("Choices the patient taps, and treatment details", tuple(_choices())),
        SheetSection("Medicines the physician plans around", tuple(_medicines())),
        SheetSection("Messages and other texts", tuple(_texts())),
        SheetSection("Protocol numbers", tuple(_numbers())),
        SheetSection(
            "Clinic settings", tuple(SheetLine(name, str(value)) for name, value in settings.items())
        ),
    )


def fingerprint(sheet: tuple[SheetSection, ...]) -> str:
    """A short hash of every line on the sheet: the version a physician signs off."""
    canonical = json.dumps(
        [[section.title, [[line.label, line.text] for line in section.lines]] for section in sheet],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:FINGERPRINT_LENGTH]
