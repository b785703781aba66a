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

from app.care import (
    adherence,
    content,
    escalation,
    follow_up,
    lessons,
    medicines,
    poses,
    programmes,
    progress,
    warning_words,
    warnings,
)
from app.care.content import dose_text
from app.care.protocol import PHASES
from app.care.staff_words import N_
from app.care.words import Plural

FINGERPRINT_LENGTH = 12


@dataclass(frozen=True)
class SheetLine:
    label: str
    text: str


@dataclass(frozen=True)
class SheetSection:
    title: str  # a staff word, shown translated (the sheet itself, signed in English, is not)
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


def _export() -> Iterator[SheetLine]:
    """The column headers and words of the patient's data export (app/services/records/csv_export.py)."""
    for text in content.EXPORT_HEADERS.values():
        yield SheetLine("Export column", text)
    for text in content.EXPORT_WORDS.values():
        yield SheetLine("Export word", text)


def _choices() -> Iterator[SheetLine]:
    for label in content.MEDICATIONS.values():
        yield SheetLine("Medicine option", label)
    for name in content.CONDITIONS.values():
        yield SheetLine("Condition", name)
    for name in content.INJECTION_SITES.values():
        yield SheetLine("Injection site", name)
    for name in content.LOG_EVERY_NAMES.values():
        yield SheetLine("After week 12, log pain", name)


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
    for exercise in (*content.EXERCISES, *content.CONDITION_EXERCISES):
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


def _programmes() -> Iterator[SheetLine]:
    """What each condition's default programme adds to and leaves out of the core set, and what
    the therapist must do for it."""
    titles = {phase.key: phase.title for phase in PHASES}
    names = {text.slug: text.name for text in content.ALL_EXERCISES}
    for key, condition in content.CONDITIONS.items():
        plan = programmes.plan_for(key)
        for phase in programmes.ALL_PHASES:
            added = [names[slug] for slug in plan.add.get(phase, ())]
            left_out = sorted(names[slug] for slug in plan.leave_out.get(phase, frozenset()))
            if added:
                yield SheetLine(f"{condition}: adds in {titles[phase]}", ", ".join(added))
            if left_out:
                yield SheetLine(f"{condition}: leaves out in {titles[phase]}", ", ".join(left_out))
        if plan.chooses_direction:
            choices = ", ".join(f"{d}: {names[slug]}" for d, slug in programmes.DIRECTIONS.items())
            yield SheetLine(f"{condition}: directional preference (therapist chooses)", choices)
        if plan.needs_precautions:
            shown = ", ".join(sorted(names[slug] for slug in programmes.SAFE_BEFORE_PRECAUTIONS))
            yield SheetLine(
                f"{condition}: surgeon's precautions (therapist confirms)", f"until then only {shown}"
            )
    yield SheetLine("Mid back: stop lines and safety", content.STOP_UPPER_BACK)
    for limit in content.DISC_LIMITS:
        yield SheetLine("After an injection into the disc, weeks 1–6: avoid", limit)


def _questionnaires() -> Iterator[SheetLine]:
    """The published instruments exactly as the patient sees them, with their sources."""
    for number, (_key, question, low, high) in enumerate(content.PEG_ITEMS, start=1):
        yield SheetLine(f"PEG item {number} (word for word)", f"{question} 0 = {low}; 10 = {high}")
    yield SheetLine("PEG source", content.PEG_SOURCE)
    yield SheetLine("PGIC question (word for word)", content.PGIC_QUESTION)
    for value, label in content.PGIC_CHOICES:
        yield SheetLine(f"PGIC answer {value}", label)
    yield SheetLine("PGIC source", content.PGIC_SOURCE)
    for key, text in content.QUESTIONNAIRES.items():
        yield SheetLine(f"Questionnaire screen {key}", f"{text.title}. {text.intro} {text.why}")


def _lessons() -> Iterator[SheetLine]:
    """Each lesson whole, with the day Today shows it (app/care/lessons.py)."""
    for entry in lessons.in_order():
        lesson, day = entry.lesson, entry.day
        when = "every day before the injection" if day is None else f"day {day} after the injection"
        yield SheetLine(f"{lesson.title}: shown on Today", when)
        yield SheetLine(f"{lesson.title}: title", lesson.title)
        yield SheetLine(f"{lesson.title}: on Today", lesson.teaser)
        yield SheetLine(f"{lesson.title}: opening", lesson.intro)
        for number, point in enumerate(lesson.points, start=1):
            yield SheetLine(f"{lesson.title}: point {number}", point)
        yield SheetLine(f"{lesson.title}: closing", lesson.closing)


def _texts() -> Iterator[SheetLine]:
    """Every text constant; a text with a number as its two English forms, and the phase names."""
    for name, value in vars(content).items():
        label = name.replace("_", " ").capitalize()
        if name.isupper() and isinstance(value, str):
            yield SheetLine(label, value)
        elif name.isupper() and isinstance(value, Plural):
            yield SheetLine(f"{label} (1)", value.one)
            yield SheetLine(f"{label} (2 or more)", value.other)
    for key, title in content.PHASE_TITLES.items():
        yield SheetLine(f"Phase name: {key}", title)


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
    yield SheetLine(
        "Attention: pain rising",
        f"back pain, or leg pain for those who log it, {adherence.PAIN_RISE_POINTS:g} points over the "
        "week before",
    )
    yield SheetLine(
        "Attention: silence",
        f"{adherence.SILENCE_DAYS} days without data (after week 12 on a weekly log: "
        f"{adherence.SILENCE_DAYS} days after the log was due)",
    )
    yield SheetLine(
        "End of the programme",
        f"week {follow_up.PROGRAMME_WEEKS} (day {follow_up.PROGRAMME_LAST_DAY}); the review shows on Today "
        f"for {follow_up.REVIEW_SHOWN_DAYS} days; then a pain log every {follow_up.DEFAULT_LOG_EVERY} days "
        f"unless the patient chooses daily, and the weekly questions every "
        f"{follow_up.PEG_EVERY_WEEKS_AFTER} weeks",
    )
    yield SheetLine(
        "Attention: low exercise adherence", f"under {adherence.LOW_EXERCISE_ADHERENCE:.0%} in 7 days"
    )
    yield SheetLine(
        "Remote monitoring", f"{adherence.RTM_DAYS_WITH_DATA} days with data in each 30-day period"
    )


class _Example(dict[str, object]):
    """Placeholders with no example value stay as they are ("{count}")."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def filled(sheet: tuple[SheetSection, ...], examples: Mapping[str, object]) -> tuple[SheetSection, ...]:
    """Each text as a patient reads it, its placeholders filled (the settings, example dates)."""
    values = _Example(examples)
    return tuple(
        SheetSection(
            section.title,
            tuple(SheetLine(line.label, line.text.format_map(values)) for line in section.lines),
        )
        for section in sheet
    )


def content_sheet(
    settings: Mapping[str, object], examples: Mapping[str, object] | None = None
) -> tuple[SheetSection, ...]:
    """The whole sheet; `settings` are the clinic settings, `examples` the values its texts are
    filled with (a placeholder without one is shown as it is)."""
    sheet = _sheet(settings)
    return filled(sheet, examples) if examples else sheet


def _sheet(settings: Mapping[str, object]) -> tuple[SheetSection, ...]:
    return (
        SheetSection(N_("Protocol phases"), tuple(_phases())),
        SheetSection(N_("Guidance for each phase, and aftercare"), tuple(_guidance())),
        SheetSection(N_("Warning signs"), tuple(_warning_signs())),
        SheetSection(N_("Home exercises and default doses"), tuple(_exercises())),
        SheetSection(N_("Programmes by condition"), tuple(_programmes())),
        SheetSection(N_("Questionnaires"), tuple(_questionnaires())),
        SheetSection(N_("Lessons by phase"), tuple(_lessons())),
        SheetSection(N_("Choices the patient taps, and treatment details"), tuple(_choices())),
        SheetSection(N_("Medicines the physician plans around"), tuple(_medicines())),
        SheetSection(N_("Messages and other texts"), tuple(_texts())),
        SheetSection(N_("The data export"), tuple(_export())),
        SheetSection(N_("Protocol numbers"), tuple(_numbers())),
        SheetSection(
            N_("Clinic settings"), tuple(SheetLine(name, str(value)) for name, value in settings.items())
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
