"""The printable home-exercise sheet: every exercise of the patient's plan in the phase they are in
now (those due today and those due on other days alike), in the plan's order, each with its
drawing, dose, steps and stop rule. The same sheet for the patient and for the therapist who
prints it for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.care.programmes import SAFE_BEFORE_PRECAUTIONS, safety_text
from app.care.protocol import EXERCISE_PHASE_KEYS, Phase, position_on
from app.models import Treatment, User
from app.services.treatment.plans import ExerciseRow, live_items, rows_for


@dataclass
class ExerciseSheet:
    patient: User
    treatment: Treatment | None
    today: date
    phase: Phase | None  # the phase the patient is in today (None: no treatment yet)
    rows: list[ExerciseRow] = field(default_factory=list)

    @property
    def safety(self) -> str:
        """The pain rule for this patient's condition (the same line as under Today's list)."""
        return safety_text(self.treatment.condition if self.treatment else None)

    @property
    def precautions_pending(self) -> bool:
        return self.treatment is not None and self.treatment.precautions_pending


def build_exercise_sheet(patient: User, treatment: Treatment | None, today: date) -> ExerciseSheet:
    if treatment is None:
        return ExerciseSheet(patient, None, today, None)
    phase = position_on(today, treatment.injection_date).phase
    rows: list[ExerciseRow] = []
    if phase.key in EXERCISE_PHASE_KEYS:
        rows = rows_for(live_items(treatment.id, phase.key), treatment.condition)
        if treatment.precautions_pending:  # after surgery: as on Today, only what is safe before
            rows = [row for row in rows if row.item.exercise.slug in SAFE_BEFORE_PRECAUTIONS]
    return ExerciseSheet(patient, treatment, today, phase, rows)
