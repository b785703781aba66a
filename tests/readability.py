"""The patient-facing text, gathered for the readability test: as the blocks a patient reads
together (a phase's guidance, a message, one exercise), as single sentences, and as the labels of
the choices a patient taps.

A grade is measured with the names of medicines and the medical words explained in place swapped
for a short word: "Acetaminophen (Tylenol)" is what the bottle says, and patients know it, so its
syllables say nothing about how hard the sentence is to read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from app.care import before_injection, content
from app.care import content as source_catalogue
from app.care.reminders import REMINDER_KINDS
from app.care.translation import IDENTIFIER
from app.care.words import Plural
from app.care.words import account as account_words
from app.care.words import outside as outside_words
from app.care.words import pages as page_words
from app.care.words import sheet as sheet_words
from app.care.words import timer as timer_words

SAMPLE_VALUES = {
    "no_ice_hours": 72,
    "days": 5,
    "start": "March 3",
    "end": "March 24",
    "nsaid_start": "March 3",
    "nsaid_end": "March 24",
    "count": 3,
    "needed": 4,
    "day": "Thursday",
    "question": "New or worse weakness in a leg or foot",
    "condition": "back pain (lumbar facet joint pain)",
    "closes": "5 pm",
    "reopens": "tomorrow at 8 am",
    "hours": "Monday to Friday, 8 am to 5 pm",
    "when": "tomorrow after 8 am",
    "subject": "Backtrack: your daily check-in is ready",
    "link": "https://clinic.example/today",
    "account_link": "https://clinic.example/account",
    "app": "My Pain Diary",
    "clinic": "Backtrack Spine Clinic",
    "quote": "my legs feel weak and numb",
    "max": 500,
    "before": 7,
    "now": 3.4,
    "hour": 8,
    "minutes": "30",
    "time": "8 am",
    "weekday": "Monday",
    "first": "Monday",
    "last": "Friday",
    "opens": "8 am",
    "phone": "555 0199",
    "name": "Maria",
    "week": 3,
    "date": "March 24",
    "phase": "Weeks 7–12: build strength",
    "title": "Weekly check-in",
    "percent": 20,
    "points": 2,
    "reps": 10,
    "rep": 3,
    "set": 1,
    "sets": 2,
    "done": 18,
    "expected": 21,
    "threshold": "2 points",
    "answer": "Much improved",
    # The sign-in and account pages (app/care/words/account.py).
    "address": "203.0.113.7",
    "least": 15,
    "most": 1024,
    "length": 10,
    "why": "It is too easy to guess.",
    "idle_minutes": 30,
    "max_hours": 12,
    "since": "Tue, Mar 10, 2:05 pm",
    "seen": "Tue, Mar 10, 4:30 pm",
    "until": "Fri, Jun 12, 2:05 pm",
    "added": "Tue, Mar 10",
    "used": "Fri, Mar 13",
    "device": "Chrome on Android",
    "browser": "Chrome",
    "system": "Android",
    "email": "maria@example.com",
    "again": "try again",
    "code": 404,
    "page": 2,
    "pages": 5,
}
# Names a patient reads on a box or hears from the doctor: not a sign of hard writing.
KNOWN_NAMES = (
    "acetaminophen",
    "tylenol",
    "advil",
    "aleve",
    "aspirin",
    "celebrex",
    "voltaren",
    "ibuprofen",
    "naproxen",
    "motrin",
    "excedrin",
    "goody's",
    "bc",
    "meloxicam",
    "mobic",
    "celecoxib",
    "diclofenac",
    "ketorolac",
    "toradol",
    "norco",
    "percocet",
    "tylenol pm",
    "eliquis",
    "nsaids",
    "nsaid",
    "anti-inflammatory",
    "platelet-rich plasma",
    "ultrasound",
    "emergency department",
    "injection",
    "thoracic",
    "lumbar facet joint pain",
    "physical therapy",
    "multifidus",
    "mcgill",
    "pallof",
    # The days of the week: read as names, not spelled out.
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
NAMES = re.compile(r"\b(" + "|".join(re.escape(name) for name in KNOWN_NAMES) + r")\b", re.I)


URL = re.compile(r"https?://\S+")
# An e-mail address is read as a name, like a link.
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A hard word quoted to explain it ("“Minimally” means a little."): the explanation is what is read.
EXPLAINED = re.compile(r"“[^”]+”(?= means )")


def as_measured(text: str) -> str:
    """The text with known names, explained words, links and e-mail addresses swapped for a
    one-syllable word."""
    return EMAIL_ADDRESS.sub("link", URL.sub("link", EXPLAINED.sub("word", NAMES.sub("pill", text))))


def _sentences(*parts: str) -> str:
    return " ".join(part if part.rstrip().endswith((".", "?", "!")) else part + "." for part in parts)


def fill(text: str) -> str:
    return content.render(text, **SAMPLE_VALUES)


LABEL_WORDS = 4  # a heading, a button or a menu item: at most this many words


def page_frame_texts() -> list[str]:
    """The words of the patient's pages around the content (app/care/words/pages.py, the exercise
    sheet's, app/care/words/sheet.py, and the sign-in and account pages', app/care/words/account.py):
    headings, buttons and labels, each form of a text with a number, the phase names, read through
    the module-level `content` (so in another language too)."""
    texts: list[str] = [
        getattr(content, name)
        for module in (page_words, sheet_words, account_words)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str)
    ]
    for name, value in vars(source_catalogue).items():  # every text with a number, the doses' too
        if name.isupper() and isinstance(value, Plural):
            plural = getattr(content, name)
            texts += [plural.one, plural.other]
    texts += [getattr(content, name) for name in APP_PAGE_LABELS]
    return [*texts, content.DOSE_ONCE_A_DAY, *content.PHASE_TITLES.values()]


# The headings and buttons of the pages an app's request shows (app/templates/oauth/).
APP_PAGE_LABELS = (
    "CONSENT_TITLE",
    "CONSENT_ALLOW",
    "CONSENT_DENY",
    "OAUTH_ERROR_TITLE",
    "OAUTH_ERROR_DETAIL",
    "OAUTH_ERROR_HOME",
)


def page_labels() -> str:
    """The short ones (a heading, a button, a menu item), read as a page is scanned: one after the
    other. Graded together: a formula cannot grade a word alone ("Records." scores grade 8)."""
    short = [fill(text) for text in page_frame_texts() if len(fill(text).split()) <= LABEL_WORDS]
    short += [fill(shown) for english, shown in outside_texts() if is_short(english)]
    return _sentences(*short)


def patient_text_blocks() -> Iterator[tuple[str, str]]:
    """(name, text) for every block of patient-facing text, with settings filled in."""
    for key, guidance in content.PHASE_GUIDANCE.items():
        yield f"phase {key}", fill(_sentences(guidance.summary, *guidance.do, *guidance.avoid))
    yield "aftercare", fill(_sentences(*content.AFTERCARE_RULES))
    for name in SINGLE_TEXTS:
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
    yield (
        "clock, days and opening hours",
        fill(
            _sentences(
                content.CLOCK_NOON,
                content.CLOCK_AM,
                content.CLOCK_AM_MINUTES,
                content.CLOCK_PM,
                content.CLOCK_PM_MINUTES,
                content.HOURS_DAYS,
                content.HOURS_RUN,
                content.HOURS_NEVER,
                content.NEXT_WORKING_DAY,
                *content.WEEKDAY_WORDS,
                *(text for words in content.WHEN_WORDS.values() for text in words.values()),
                content.CALL_911,
                content.CALL_THE_CLINIC,
                content.CALL_AFTER_HOURS,
            )
        ),
    )
    yield (
        "the patient's pages: their longer lines",
        _sentences(*(fill(text) for text in page_frame_texts() if len(fill(text).split()) > LABEL_WORDS)),
    )
    yield "reminder subjects", _sentences(*(kind.subject for kind in REMINDER_KINDS))
    yield "reminder e-mail", fill(content.REMINDER_EMAIL_BODY)
    yield from outside_blocks()
    yield (
        "phase guidance when the blood is drawn on injection day",
        _sentences(
            content.EVALUATION_SUMMARY_BLOOD_ON_INJECTION_DAY,
            content.INJECTION_SUMMARY_BLOOD_ON_INJECTION_DAY,
        ),
    )
    yield "alert notice", _sentences(content.ALERT_NOTICE_SUBJECT)
    for answer, thanks in content.HELP_THANKS.items():
        yield f"help answer {answer}", thanks
    for flag in content.ALL_ALERT_FLAGS.values():
        yield f"warning {flag.key}", fill(_sentences(content.YOU_TOLD_US, flag.why))
    for exercise in (*content.EXERCISES, *content.CONDITION_EXERCISES):
        cues = [dose.cue for dose in exercise.doses.values() if dose.cue]
        yield (
            f"exercise {exercise.slug}",
            _sentences(exercise.purpose, *exercise.steps, exercise.stop_if, *cues),
        )

    yield "disc limits", _sentences(*content.DISC_LIMITS)
    yield (
        "exercise feeling",
        _sentences(
            content.FEELING_QUESTION,
            content.FEELING_EASIER,
            content.FEELING_RIGHT,
            content.FEELING_HARDER,
            content.FEELING_HURT,
            content.FEELING_SAVED,
            content.FEELING_HURT_ADVICE,
            content.FEELING_NOT_SAVED,
        ),
    )
    yield (
        "exercise timer",  # its buttons and what it says, as a patient hears them through a set
        fill(
            _sentences(
                *(
                    getattr(content, name)
                    for name, value in vars(timer_words).items()
                    if name.isupper() and isinstance(value, str)
                )
            )
        ),
    )
    yield from questionnaire_blocks()
    yield from lesson_blocks()
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
    yield from before_injection_blocks()
    yield (
        "apps that read your records",
        fill(
            _sentences(
                content.CONSENT_INTRO,
                content.CONSENT_OFFLINE,
                content.CONSENT_STAFF,
                content.CONSENT_DECIDE,
                content.CONNECTED_APPS_INTRO,
                content.CONNECTED_APPS_NONE,
                content.OAUTH_ERROR_MESSAGE,
                content.OAUTH_REQUEST_TOO_LONG,
                content.OAUTH_REQUEST_UNREADABLE,
            )
        ),
    )


def outside_texts() -> list[tuple[str, str]]:
    """The words that reach a patient outside the pages (app/care/words/outside.py): e-mails,
    pushes, the calendar file, the summary, the export's headers, each form of a text with a
    number; each as (its English, itself read through the module-level `content`, so in another
    language too)."""
    texts: list[tuple[str, str]] = []
    for name, value in vars(outside_words).items():
        if not name.isupper():
            continue
        shown = getattr(content, name)
        if isinstance(value, str):
            texts.append((value, shown))
        elif isinstance(value, Plural):
            texts += [(value.one, shown.one), (value.other, shown.other)]
        elif isinstance(value, dict):
            texts += [(value[key], shown[key]) for key in value]
    return texts


def is_short(english: str) -> bool:
    """A header or a title (by its English, so every language splits the same way)."""
    return len(english.split()) <= LABEL_WORDS


def outside_blocks() -> Iterator[tuple[str, str]]:
    """Outside the pages: the longer lines, e-mails included, each a block of its own (the short
    ones, a header or a title, are read with the pages' labels: `page_labels`)."""
    long = [fill(shown) for english, shown in outside_texts() if not is_short(english)]
    for number, text in enumerate(long, start=1):
        yield f"outside the pages #{number}", _sentences(text)


SINGLE_TEXTS = (
    "NOT_SCHEDULED",
    "NSAID_EXPLAINED",
    "NSAID_ASPIRIN_NOTE",
    "NSAID_REMINDER",
    "NSAID_UPCOMING",
    "EMERGENCY_AFTER_INJECTION",
    "EMERGENCY_BEFORE_INJECTION",
    "EMERGENCY_ANY_TIME",
    "SAME_DAY_OPEN",
    "SAME_DAY_CLOSED",
    "SAME_DAY_ANY_TIME",
    "EXERCISE_SAFETY",
    "NO_EXERCISES_YET",
    "LOG_CHECK_ANSWERS",
    "LOG_INCOMPLETE_OFFLINE",
    "LOG_SAVED",
    "WARNING_SIGNS_REPORTED",
    "KEPT_OFFLINE",
    "OFFLINE_INTRO",
    "TICK_HELP",
    "NOT_DUE_TODAY",
    "PROGRESS_MEANINGFUL",
    "PROGRESS_TOO_FEW_LOGS",
    "CHART_EMPTY",
    "CHART_DESCRIPTION",
    "CHART_BASELINE_LINE",
    "CHART_TABLE_NOTE",
    "CHART_LOWER_IS_BETTER",
    "HISTORY_EMPTY",
    "LOG_FUTURE_DAY",
    "LOG_NEWER_ENTRY",
    "LOG_KEY_REUSED",
    "LOG_DAY_CLOSED",
    "REMINDERS_INTRO",
    "REMINDERS_QUIET",
    "PASSKEY_OFFER",
    "PASSKEYS_INTRO",
    "MESSAGES_INTRO",
    "MESSAGES_READ_WHEN",
    "MESSAGES_NOT_FOR_EMERGENCIES",
    "MESSAGES_CLOSED",
    "MESSAGES_EMPTY",
    "ACETAMINOPHEN_HIDDEN",
    "NSAID_NAMES",
    "MEDICATION_HINT",
    "OTHER_MEDICINE_HINT",
    "MEDICATION_NONE_AND_SOME",
    "MEDICATION_MISSING",
    "MEDICINES_INTRO",
    "MEDICINES_HINT",
    "MEDICINES_SAVED",
    "MEDICINES_ASK",
    "MEDICINES_PLAN_NEEDED",
    "MEDICINES_EMPTY",
    "EMERGENCY_ALSO",
    "BLEEDING_ON_BLOOD_THINNER",
    "YOU_WROTE",
    "WARNING_SIGNS_IN_NOTE",
    "NOTE_HINT",
    "HELP_QUESTION",
    "HELP_STAYS",
    "MESSAGE_SENT_WITH_WARNING",
    "ALERT_NOTICE_EMAIL_BODY",
    "EXERCISE_SAFETY_UPPER_BACK",
    "PRECAUTIONS_PENDING",
    "REVIEW_INTRO",
    "REVIEW_IMPROVED",
    "REVIEW_NOT_IMPROVED",
    "REVIEW_TOO_FEW_LOGS",
    "REVIEW_NEXT_IMPROVED",
    "REVIEW_NEXT_NOT_IMPROVED",
    "REVIEW_CADENCE",
    "LOG_EVERY_SAVED",
    "LOG_NOT_DUE",
)


def split_sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def patient_sentences() -> Iterator[tuple[str, str]]:
    """Every sentence of every block, on its own."""
    for name, text in patient_text_blocks():
        for number, sentence in enumerate(split_sentences(text), start=1):
            yield f"{name} #{number}", sentence


def option_labels() -> Iterator[tuple[str, str]]:
    """The words on the choices a patient taps (medicines, warning signs, scales' ends) and the
    headings that are patient text."""
    for key, label in content.MEDICATIONS.items():
        yield f"medicine {key}", label
    for flag in content.RED_FLAGS:
        yield f"warning {flag.key}", flag.question
    for key, label in content.HELP_ANSWERS.items():
        yield f"help answer {key}", label
    for name in (
        "WARNING_NONE",
        "WARNING_SOME",
        "AFTERCARE_TITLE",
        "NSAID_COUNTDOWN",
        "NSAID_COUNTDOWN_LAST_DAY",
        "PASSKEY_OFFER_TITLE",
        "OTHER_MEDICINE_LABEL",
        "MEDICINES_TITLE",
        "MEDICINES_LABEL",
        "REVIEW_TITLE",
        "LOG_EVERY_LABEL",
        "BEFORE_TITLE",
        "BEFORE_BACK",
        "BEFORE_MEANT_TITLE",
        "BEFORE_CANNOT_TITLE",
        "BEFORE_RISKS_TITLE",
        "BEFORE_READY_TITLE",
        "BEFORE_ULTRASOUND_TITLE",
        "BEFORE_CONFIRM_TITLE",
        "BEFORE_CONFIRM_LABEL",
        "BEFORE_CONFIRM_BUTTON",
        "BEFORE_CARD_LINK",
    ):
        yield name, fill(getattr(content, name))
    # A scale's two ends are read together, as one label.
    yield "pain scale ends", f"{content.PAIN_SCALE_LOW}; {content.PAIN_SCALE_HIGH}"
    yield "PSFS scale ends", f"{content.PSFS_SCALE_LOW}; {content.PSFS_SCALE_HIGH}"
    for days, name in content.LOG_EVERY_NAMES.items():
        yield f"log every {days} days", name
    for resource_type, words in content.SCOPE_WORDS.items():
        yield f"scope {resource_type}", words


def lesson_blocks() -> Iterator[tuple[str, str]]:
    """Each lesson whole, as one screen reads it (held to grade 6 and 300 words in
    test_content.py), and the words of the Learn page and the Today card around them."""
    for lesson in content.LESSONS:
        yield f"lesson {lesson.key}", fill(lesson_words(lesson))
    yield (
        "learn page",
        fill(
            _sentences(
                content.LEARN_TITLE,
                content.LEARN_INTRO,
                content.LESSON_TODAY,
                content.LESSON_READ_IT,
                content.LESSON_READ_AGAIN,
                content.LESSON_GOT_IT,
                content.LESSON_GOT_IT_HINT,
                content.LESSON_READ_ON,
                content.LESSON_NOT_READ,
                content.LESSON_READ,
                content.LESSON_WHEN_BEFORE,
                content.LESSON_WHEN_INJECTION,
                content.LESSON_WHEN_DAY,
                content.LESSON_ALL,
            )
        ),
    )


def lesson_words(lesson: Any) -> str:
    """A lesson's title, teaser, paragraphs and points as one block of sentences."""
    return _sentences(lesson.title, lesson.teaser, lesson.intro, *lesson.points, lesson.closing)


def before_injection_blocks() -> Iterator[tuple[str, str]]:
    """ "Before your injection" as the patient reads it: what PRP can and cannot do, every risk
    (the mid-back one too), getting ready in each clinic's version, the needle's guide, confirming."""
    yield (
        "before: what PRP can do",
        _sentences(content.BEFORE_INTRO, content.BEFORE_MEANT, content.BEFORE_CANNOT),
    )
    yield (
        "before: risks",
        _sentences(
            content.BEFORE_RISKS_INTRO,
            *before_injection.risks_for(thoracic=True, catalogue=content),
            content.BEFORE_RISKS_WATCH,
        ),
    )
    yield (
        "before: getting ready",
        _sentences(
            content.BEFORE_BLOOD_AT_VISIT_1,
            content.BEFORE_EAT,
            content.BEFORE_CLOTHES,
            content.BEFORE_RIDE_NO_DRIVING,
            content.BEFORE_ILL,
            content.BEFORE_BLOOD_THINNER,
        ),
    )
    yield (
        "before: the other clinic settings",
        _sentences(content.BEFORE_BLOOD_ON_INJECTION_DAY, content.BEFORE_RIDE_MAY_DRIVE),
    )
    yield (
        "before: the needle's guide",
        _sentences(content.BEFORE_ULTRASOUND_INTRO, content.BEFORE_ULTRASOUND_OTHER),
    )
    yield (
        "before: confirming",
        fill(
            _sentences(
                content.BEFORE_QUESTIONS,
                content.BEFORE_CONFIRM_MISSING,
                content.BEFORE_CONFIRM_SAVED,
                content.BEFORE_CONFIRMED_ONLINE,
                content.BEFORE_CONFIRMED_IN_CLINIC,
                content.BEFORE_TOO_LATE,
                content.BEFORE_ASKED_AGAIN,
            )
        ),
    )
    yield "before: the card on Today", content.BEFORE_CARD_TEXT


def questionnaire_blocks() -> Iterator[tuple[str, str]]:
    """Each questionnaire screen as the patient reads it, and the card and messages around it. The
    PEG's and the PGIC's own words are not measured: they are kept as published
    (`content.PUBLISHED_WORDING`, checked word for word in test_content.py)."""
    for key, text in content.QUESTIONNAIRES.items():
        yield f"questionnaire {key}", _sentences(text.title, text.intro, text.why)
    yield (
        "PSFS scale",
        _sentences(
            content.PSFS_NAME_HINT, content.PSFS_ADD_HINT, content.PSFS_SCALE_LOW, content.PSFS_SCALE_HIGH
        ),
    )
    yield (
        "questionnaire messages",
        _sentences(
            content.QUESTIONNAIRE_CARD_DUE,
            content.QUESTIONNAIRE_CARD_OVERDUE,
            content.QUESTIONNAIRE_THANKS,
            content.QUESTIONNAIRE_CLOSED,
        ),
    )


# --- The same texts in another language -----------------------------------------------------------
# The builders above read `content`, `REMINDER_KINDS` and `SAMPLE_VALUES` when they run, so the
# blocks of another language are the same blocks with those three read through a translation: a
# block added above is measured in every language without being listed twice.


def translated(value: Any, translate: Callable[[str], str]) -> Any:
    """`value` with every text in it translated: keys, identifiers and numbers kept."""
    if isinstance(value, str):
        return value if IDENTIFIER.match(value) else translate(value)
    if isinstance(value, dict):
        return {key: translated(item, translate) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return type(value)(translated(item, translate) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{
                item.name: translated(getattr(value, item.name), translate)
                for item in dataclasses.fields(value)
            },
        )
    return value  # sets of keys, numbers, functions, classes


class TranslatedCatalogue:
    """The content catalogue as another language reads it: its texts translated, its functions
    (render, dose_text) the same."""

    def __init__(self, catalogue: Any, translate: Callable[[str], str]) -> None:
        self._catalogue = catalogue
        self._translate = translate

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._catalogue, name)
        return value if callable(value) else translated(value, self._translate)


@contextmanager
def in_language(translate: Callable[[str], str], values: dict[str, object]) -> Iterator[None]:
    """While inside, the builders above read the catalogue through `translate`, and fill its
    placeholders with `values` over the translated English ones."""
    names = ("content", "REMINDER_KINDS", "SAMPLE_VALUES")
    saved = {name: globals()[name] for name in names}
    globals().update(
        content=TranslatedCatalogue(content, translate),
        REMINDER_KINDS=translated(REMINDER_KINDS, translate),
        SAMPLE_VALUES=translated(SAMPLE_VALUES, translate) | values,
    )
    try:
        yield
    finally:
        globals().update(saved)
