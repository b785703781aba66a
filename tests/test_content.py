"""The clinical content: complete, consistent, and readable at grade 8 or below."""

import pytest
import textstat

from app.care import content
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASE_KEYS
from app.care.readability import patient_text_blocks

MAX_GRADE = 8
BLOCKS = list(patient_text_blocks())


@pytest.mark.parametrize(("name", "text"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_patient_text_reads_at_grade_eight_or_below(name, text):
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


def test_the_readability_check_would_catch_hard_text():
    hard = (
        "Platelet-rich plasma administration necessitates discontinuation of nonsteroidal "
        "anti-inflammatory pharmacotherapy to preserve inflammatory cascade signalling."
    )
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


def test_every_phase_has_guidance():
    assert set(content.PHASE_GUIDANCE) == set(PHASE_KEYS)
    for guidance in content.PHASE_GUIDANCE.values():
        assert guidance.summary and guidance.do and guidance.avoid


def test_every_exercise_phase_has_exercises_and_doses_use_real_phases():
    for phase in EXERCISE_PHASE_KEYS:
        assert any(phase in e.doses for e in content.EXERCISES), phase
    for exercise in content.EXERCISES:
        assert set(exercise.doses) <= set(EXERCISE_PHASE_KEYS), exercise.slug
        assert exercise.steps and exercise.stop_if and exercise.purpose


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
