"""The clinical content: complete, consistent, and readable at grade 8 or below."""

import re

import pytest
import textstat

from app.care import content
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASE_KEYS
from tests.readability import (
    as_measured,
    fill,
    option_labels,
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
    measured = " ".join(text for _name, text in [*BLOCKS, *LABELS])
    for name, value in vars(content).items():
        if name.isupper() and isinstance(value, str):
            words = fill(value).rstrip(".")
            assert words in measured or value in MEASURED_AS_PARTS, name


# Fragments that only appear inside another measured text (the condition inside an emergency message).
MEASURED_AS_PARTS = {content.CONDITION_FOR_EMERGENCY, content.CONDITION_UNKNOWN}


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
