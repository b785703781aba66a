"""The clinical content: complete, consistent, and readable at grade 8 or below."""

import re

import pytest
import textstat

from app.care import content
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASE_KEYS
from tests.readability import (
    as_measured,
    fill,
    lesson_words,
    option_labels,
    page_labels,
    patient_sentences,
    patient_text_blocks,
    split_sentences,
)

MAX_GRADE = 8
BLOCKS = list(patient_text_blocks())
SENTENCES = list(patient_sentences())
LABELS = list(option_labels())


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(as_measured(text))


@pytest.mark.parametrize(("name", "text"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_patient_text_reads_at_grade_eight_or_below(name, text):
    assert grade(text) <= MAX_GRADE, text


@pytest.mark.parametrize(("name", "text"), SENTENCES, ids=[name for name, _ in SENTENCES])
def test_every_sentence_on_its_own_reads_at_grade_eight_or_below(name, text):
    assert grade(text) <= MAX_GRADE, text


@pytest.mark.parametrize(("name", "text"), LABELS, ids=[name for name, _ in LABELS])
def test_every_option_label_reads_at_grade_eight_or_below(name, text):
    assert grade(text) <= MAX_GRADE, text


def test_the_pages_headings_buttons_and_labels_read_at_grade_eight_or_below():
    assert grade(page_labels()) <= MAX_GRADE, page_labels()


LESSON_MAX_GRADE = 6
LESSON_MAX_WORDS = 300  # one phone screen
LESSON_BLOCKS = [(lesson.key, fill(lesson_words(lesson))) for lesson in content.LESSONS]


@pytest.mark.parametrize(("key", "text"), LESSON_BLOCKS, ids=[key for key, _ in LESSON_BLOCKS])
def test_each_lesson_reads_at_grade_six_or_below_in_300_words_or_fewer(key, text):
    """Lessons are held tighter than the rest: grade 6, and short enough for one screen."""
    assert grade(text) <= LESSON_MAX_GRADE, (key, grade(text))
    assert len(text.split()) <= LESSON_MAX_WORDS, (key, len(text.split()))


def test_the_lesson_limits_would_catch_a_long_or_hard_lesson():
    lesson = content.LESSONS[0]
    long = lesson.__class__(**{**lesson.__dict__, "points": lesson.points * 4})
    assert len(fill(lesson_words(long)).split()) > LESSON_MAX_WORDS
    hard = "Regenerative interventions necessitate considerable physiological adaptation."
    assert grade(hard) > LESSON_MAX_GRADE
    measured = " ".join(text for _name, text in BLOCKS)
    assert all(text in measured for _key, text in LESSON_BLOCKS)  # and grade 8 for each sentence


def test_the_readability_check_would_catch_hard_text():
    hard = (
        "Platelet-rich plasma administration necessitates discontinuation of nonsteroidal "
        "anti-inflammatory pharmacotherapy to preserve inflammatory cascade signalling."
    )
    assert grade(hard) > MAX_GRADE
    assert grade("Consult your physician regarding contraindications.") > MAX_GRADE
    assert split_sentences("One. Two? Three!") == ["One.", "Two?", "Three!"]


def test_every_text_in_the_content_module_is_measured():
    """A new text cannot escape the readability test: each one is inside a measured block or label."""
    measured = " ".join([*(text for _name, text in [*BLOCKS, *LABELS]), page_labels()])
    for name, value in vars(content).items():
        if name.isupper() and isinstance(value, str):
            words = fill(value).rstrip(".")
            assert words in measured or value in NOT_MEASURED_ALONE, name


# Fragments that only appear inside another measured text (the condition inside an emergency message),
# the published instruments' own words, and their sources (shown to staff).
NOT_MEASURED_ALONE = {
    content.CONDITION_FOR_EMERGENCY,
    content.CONDITION_UNKNOWN,
    *content.PUBLISHED_WORDING,
    content.PEG_SOURCE,
    content.PGIC_SOURCE,
}

# Krebs EE et al. J Gen Intern Med 2009;24(6):733-738, the PEG as printed in the paper's appendix.
KREBS_2009_PEG = (
    (
        "What number best describes your pain on average in the past week?",
        "No pain",
        "Pain as bad as you can imagine",
    ),
    (
        (
            "What number best describes how, during the past week, pain has interfered with your "
            "enjoyment of life?"
        ),
        "Does not interfere",
        "Completely interferes",
    ),
    (
        (
            "What number best describes how, during the past week, pain has interfered with your "
            "general activity?"
        ),
        "Does not interfere",
        "Completely interferes",
    ),
)
# Farrar JT et al. Pain 2001;94(2):149-158 (PhenX protocol 860801): question and its seven answers.
FARRAR_2001_PGIC = (
    "Since the start of the study, my overall status is:",
    (
        "Very much improved",
        "Much improved",
        "Minimally improved",
        "No change",
        "Minimally worse",
        "Much worse",
        "Very much worse",
    ),
)


def test_the_peg_is_word_for_word_as_published():
    assert tuple(item[1:] for item in content.PEG_ITEMS) == KREBS_2009_PEG
    assert "2009;24(6):733-738" in content.PEG_SOURCE


def test_the_pgic_is_one_published_version_word_for_word():
    question, answers = FARRAR_2001_PGIC
    assert question == content.PGIC_QUESTION
    assert tuple(label for _value, label in content.PGIC_CHOICES) == answers
    assert [value for value, _label in content.PGIC_CHOICES] == list(range(1, 8))
    assert "Pain. 2001;94(2):149-158" in content.PGIC_SOURCE


def test_only_the_instruments_own_words_escape_the_reading_level_test():
    question, answers = FARRAR_2001_PGIC
    published = {text for item in KREBS_2009_PEG for text in item} | {question, *answers}
    assert published == content.PUBLISHED_WORDING


def test_the_hard_words_of_the_instruments_are_explained_next_to_them():
    assert "“Interfered” means got in the way." in content.QUESTIONNAIRES["peg"].intro
    pgic = content.QUESTIONNAIRES["pgic"].intro
    assert "“The study” means your treatment here." in pgic
    assert "“Minimally” means a little." in pgic


PROMISES = re.compile(r"(?<!how )\bPRP (heals|works|repairs|rebuilds|regenerates|cures|fixes)\b", re.I)


def test_what_prp_does_is_hedged_never_promised():
    for name, text in BLOCKS:
        assert not PROMISES.search(text), (name, text)
    assert "meant to" in content.PHASE_GUIDANCE["evaluation"].summary
    assert PROMISES.search("PRP heals the disc.")


def test_every_phase_has_guidance():
    assert set(content.PHASE_GUIDANCE) == set(PHASE_KEYS)
    for guidance in content.PHASE_GUIDANCE.values():
        assert guidance.summary
        assert guidance.do
        assert guidance.avoid


def test_every_exercise_phase_has_exercises_and_doses_use_real_phases():
    for phase in EXERCISE_PHASE_KEYS:
        assert any(phase in e.doses for e in content.EXERCISES), phase
    for exercise in content.EXERCISES:
        assert set(exercise.doses) <= set(EXERCISE_PHASE_KEYS), exercise.slug
        assert exercise.steps
        assert exercise.stop_if
        assert exercise.purpose


def test_the_clinics_seventeen_exercises_are_in_the_library():
    assert len(content.EXERCISES) == 17
    assert len({e.slug for e in content.EXERCISES}) == 17


@pytest.mark.parametrize(
    ("dose", "text"),
    [
        (content.Dose(minutes=10, times_per_day=2), "10 minutes · 2 times a day"),
        (content.Dose(sets=2, reps=10, hold_seconds=5), "2 sets of 10 · hold 5 seconds"),
        (content.Dose(reps=6, hold_seconds=10, times_per_day=1), "6 times · hold 10 seconds · once a day"),
        (content.Dose(sets=3, hold_seconds=10), "3 times · hold 10 seconds"),
        (content.Dose(cue="Every 30 minutes of sitting."), ""),
    ],
)
def test_dose_in_plain_words(dose, text):
    assert content.dose_text(dose) == text


def test_settings_fill_the_placeholders():
    rule = content.AFTERCARE_RULES[0]
    assert "{no_ice_hours}" in rule
    assert "48 hours" in content.render(rule, no_ice_hours=48)


def test_no_words_module_redefines_a_catalogue_text():
    """app/care/words/ modules are star-imported into the catalogue: a name used twice would
    silently replace the signed-off text."""
    import pathlib

    names = re.compile(r"^([A-Z][A-Z0-9_]+)\s*[:=]", re.M)
    source = pathlib.Path(content.__file__).read_text().split("# --- Words around the content")[0]
    seen = set(names.findall(source))
    for module in sorted(pathlib.Path(content.__file__).parent.joinpath("words").glob("*.py")):
        mine = set(names.findall(module.read_text()))
        assert not mine & seen, (module.name, mine & seen)
        seen |= mine
