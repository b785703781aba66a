"""The printable one-page summary of a patient's course, for their next visit: the record's
figures (pain chart, phases, warning signs) with the questionnaires and adherence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.care.adherence import Ratio, exercise_adherence, logging_adherence
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASES, Phase
from app.models import Treatment, User
from app.services.clinic.languages import threshold_words
from app.services.clinic.settings import ClinicSettings
from app.services.pages.patient_record import PatientRecord, load_record
from app.services.treatment.measures import MeasureHistory, load_history
from app.services.treatment.plans import ExerciseRow, live_items, rows_for

ADHERENCE_DAYS = 30


@dataclass(frozen=True)
class PhaseDates:
    phase: Phase
    first: date | None
    last: date | None


@dataclass
class Summary:
    record: PatientRecord
    measures: MeasureHistory
    phase_dates: list[PhaseDates]
    logging: Ratio | None
    exercise: Ratio | None
    exercises: list[ExerciseRow] = field(default_factory=list)  # the current phase's home exercises

    days: int = ADHERENCE_DAYS

    @property
    def pain_threshold(self) -> str:
        """The meaningful change in the reader's words ("2 points or 30 %")."""
        return threshold_words()

    @property
    def patient(self) -> User:
        return self.record.patient

    @property
    def treatment(self) -> Treatment | None:
        return self.record.treatment


def phase_dates(treatment: Treatment) -> list[PhaseDates]:
    injection = treatment.injection_date
    found = []
    for phase in PHASES:
        first = (
            treatment.evaluation_date if phase.first_day is None else injection + timedelta(phase.first_day)
        )
        last = None if phase.last_day is None else injection + timedelta(phase.last_day)
        found.append(PhaseDates(phase, first, last))
    return found


def build_summary(
    patient: User, treatment: Treatment | None, today: date, settings: ClinicSettings
) -> Summary:
    record = load_record(patient, treatment, today, settings)
    logging = exercise = None
    exercises: list[ExerciseRow] = []
    position = record.position
    if treatment is not None and position is not None and position.phase.key in EXERCISE_PHASE_KEYS:
        exercises = rows_for(live_items(treatment.id, position.phase.key))
    if treatment is not None:
        injection = treatment.injection_date
        log_days = {point.day for point in record.chart.points}
        logging = logging_adherence(log_days, injection, today, ADHERENCE_DAYS)
        done = {day.day: day.done for day in record.heat}
        due = {day.day: day.prescribed for day in record.heat}
        exercise = exercise_adherence(done, lambda day: due.get(day, 0), injection, today, ADHERENCE_DAYS)
    return Summary(
        record=record,
        measures=load_history(treatment.id if treatment else None),
        phase_dates=phase_dates(treatment) if treatment else [],
        logging=logging,
        exercise=exercise,
        exercises=exercises,
    )
