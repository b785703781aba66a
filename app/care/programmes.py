"""Default home programmes per condition and phase (docs/clinical-protocol.md#programmes-by-condition).

Every course starts from the lumbar core set (`content.EXERCISES`); each condition adds what it
needs and leaves out what does not fit it early on. The therapist still tailors every plan.

- Thoracic strain: mid-back extension and rotation (upper back arch, open book) and shoulder-blade
  work (squeeze, band row, wall slide); the low-back-only exercises are left out; stop lines speak
  of the ribs and arms, never of legs.
- Lumbar radiculopathy and failed back surgery: nerve glides (sliders); a directional preference
  the therapist chooses after testing (press-up for extension, knees to chest for flexion); after
  surgery, the surgeon's precautions, which the therapist confirms before more than walking and
  breathing shows to the patient.
- SI joint: hip abductor (clamshell, side-lying leg lift) and adductor (knee squeeze) work; no
  single-leg loading before the maintenance phase.
- Lumbar facet: flexion-biased early work (knees to chest); no end-range extension in weeks 1-2.
- Disc (an injection into the disc): sitting, bending and lifting limits in weeks 1-6
  (`content.DISC_LIMITS`).

Pure data and functions: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.care.content import (
    EXERCISE_SAFETY,
    EXERCISE_SAFETY_UPPER_BACK,
    EXERCISES,
    EXERCISES_BY_SLUG,
    STOP_UPPER_BACK,
    THORACIC_CONDITIONS,
    Dose,
    ExerciseText,
)

ALL_PHASES = ("protect", "restore", "strengthen", "maintain")
EARLY_PHASES = ("protect",)  # weeks 1-2
# What a rule reads about an exercise: which way it moves the low back, and one-leg loading.
EXTENSION_EXERCISES = frozenset({"press_up"})  # end-range low-back extension
FLEXION_EXERCISES = frozenset({"knees_to_chest"})
ONE_LEG_LOADING = frozenset({"single_leg_bridge"})
DIRECTIONS: dict[str, str] = {"extension": "press_up", "flexion": "knees_to_chest"}
DIRECTION_PHASES = ("restore", "strengthen", "maintain")
DISC_LIMIT_PHASES = ("protect", "restore")  # weeks 1-6 after an injection into the disc
# Before the therapist confirms the surgeon's precautions, the patient sees only these.
SAFE_BEFORE_PRECAUTIONS = frozenset({"walking", "breathing"})


@dataclass(frozen=True)
class ConditionPlan:
    """What a condition changes in the core set: exercises added, per phase, with the library's
    dose for that phase; core exercises left out, per phase; and what the therapist must do."""

    add: dict[str, tuple[str, ...]] = field(default_factory=dict)
    leave_out: dict[str, frozenset[str]] = field(default_factory=dict)
    chooses_direction: bool = False  # the therapist picks a directional preference
    needs_precautions: bool = False  # the therapist confirms the surgeon's precautions


def _every_phase_of(*slugs: str) -> dict[str, tuple[str, ...]]:
    """Each exercise in every phase its library entry has a dose for."""
    return {
        phase: tuple(slug for slug in slugs if phase in EXERCISES_BY_SLUG[slug].doses) for phase in ALL_PHASES
    }


UPPER_BACK_WORK = ("shoulder_blade_squeeze", "upper_back_arch", "open_book", "band_row", "wall_slide")
LOW_BACK_ONLY = frozenset({"multifidus", "pelvic_tilt", "heel_slides", "single_leg_bridge"})
NERVE = ConditionPlan(add=_every_phase_of("nerve_glide"), chooses_direction=True)
PLANS: dict[str, ConditionPlan] = {
    "thoracic_strain": ConditionPlan(
        add=_every_phase_of(*UPPER_BACK_WORK),
        leave_out=dict.fromkeys(ALL_PHASES, LOW_BACK_ONLY),
    ),
    "lumbar_radiculopathy": NERVE,
    "failed_back_surgery": ConditionPlan(add=NERVE.add, chooses_direction=True, needs_precautions=True),
    "si_joint": ConditionPlan(
        add=_every_phase_of("clamshell", "side_leg_raise", "knee_squeeze"),
        leave_out=dict.fromkeys(("protect", "restore", "strengthen"), ONE_LEG_LOADING),
    ),
    "lumbar_facet": ConditionPlan(add={"protect": ("knees_to_chest",), "restore": ("knees_to_chest",)}),
}


def plan_for(condition: str) -> ConditionPlan:
    return PLANS.get(condition, ConditionPlan())


def default_plan(condition: str) -> list[tuple[str, str, Dose]]:
    """(exercise, phase, dose) for a new course of this condition, in the patient's order: the
    core set first, then what the condition adds."""
    plan = plan_for(condition)
    items: list[tuple[str, str, Dose]] = []
    for text in EXERCISES:
        for phase, dose in text.doses.items():
            if text.slug not in plan.leave_out.get(phase, frozenset()):
                items.append((text.slug, phase, dose))
    for phase in ALL_PHASES:
        items.extend((slug, phase, EXERCISES_BY_SLUG[slug].doses[phase]) for slug in plan.add.get(phase, ()))
    return items


def direction_items(direction: str) -> list[tuple[str, str, Dose]]:
    """The exercise a directional preference adds, in the phases it has a dose for."""
    text = EXERCISES_BY_SLUG[DIRECTIONS[direction]]
    return [(text.slug, phase, text.doses[phase]) for phase in DIRECTION_PHASES if phase in text.doses]


def is_upper_back(condition: str | None) -> bool:
    return condition in THORACIC_CONDITIONS


def exercise_text(slug: str, condition: str | None) -> ExerciseText:
    """The exercise as this patient reads it: for the mid back, a stop line about the ribs and
    arms instead of one about legs."""
    text = EXERCISES_BY_SLUG[slug]
    if is_upper_back(condition) and "leg" in text.stop_if:
        return ExerciseText(text.slug, text.name, text.purpose, text.steps, STOP_UPPER_BACK, text.doses)
    return text


def safety_text(condition: str | None) -> str:
    return EXERCISE_SAFETY_UPPER_BACK if is_upper_back(condition) else EXERCISE_SAFETY
