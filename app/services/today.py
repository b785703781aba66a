"""Everything the Today page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.care import content
from app.care.chart import PainChart, pain_chart
from app.care.content import RedFlag
from app.care.measures import Due
from app.care.medication import NsaidWindow, reports_nsaid_in_window
from app.care.progress import Progress, meaningful_change_words, progress_on
from app.care.protocol import PHASES, ProtocolPosition, position_on
from app.care.warnings import SEVERE_PAIN_DAYS, urgent_flags
from app.clinic_settings import ClinicSettings
from app.forms.daily_log import DailyLogForm
from app.models import DailyLog, Treatment, User
from app.services.daily_logs import log_for, scores_for
from app.services.measures import MeasureHistory, due_questionnaire, load_history
from app.services.plans import ExerciseRow, todays_rows
from app.services.treatments import active_treatment
from app.templating import month_day

CHART_DAYS = 30
AFTERCARE_LAST_DAY = 2


@dataclass
class DailyLogRegion:
    """The swappable daily-log region: a saved summary, or the form (new, editing, or invalid)."""

    day: date
    today: date
    log: DailyLog | None
    form: DailyLogForm | None
    flags: list[RedFlag] = field(default_factory=list)
    nsaid_reminder: str | None = None
    show_leg_pain: bool = False

    @property
    def editing(self) -> bool:
        return self.form is not None

    @property
    def is_today(self) -> bool:
        return self.day == self.today


@dataclass
class TodayView:
    patient: User
    today: date
    treatment: Treatment | None
    position: ProtocolPosition | None
    window: NsaidWindow | None
    daily_log: DailyLogRegion
    exercises: list[ExerciseRow]
    progress: Progress
    chart: PainChart
    phases: tuple = PHASES
    measures: MeasureHistory = field(default_factory=MeasureHistory)  # PEG, PSFS, PGIC answers
    questionnaire: Due | None = None  # the one questionnaire card, if one is due

    @property
    def pain_threshold(self) -> str:
        return meaningful_change_words()

    @property
    def questionnaire_card(self) -> Due | None:
        """Never shown beside an urgent message: that message stays alone at the top."""
        return None if self.daily_log.flags else self.questionnaire

    @property
    def guidance(self) -> content.PhaseGuidance | None:
        return content.PHASE_GUIDANCE[self.position.phase.key] if self.position else None

    @property
    def show_aftercare(self) -> bool:
        return self.position is not None and 0 <= self.position.day <= AFTERCARE_LAST_DAY

    @property
    def nsaid_days_left(self) -> int:
        return self.window.days_left(self.today) if self.window else 0


def window_for(treatment: Treatment | None, settings: ClinicSettings) -> NsaidWindow | None:
    return settings.nsaid_window(treatment.injection_date) if treatment else None


def shows_leg_pain(treatment: Treatment | None) -> bool:
    return treatment is not None and treatment.asks_leg_pain


def daily_log_region(
    patient_id: int,
    day: date,
    today: date,
    treatment: Treatment | None,
    settings: ClinicSettings,
    log: DailyLog | None,
    form: DailyLogForm | None = None,
    scores: dict[date, int] | None = None,
) -> DailyLogRegion:
    if scores is None:
        scores = scores_for(patient_id, day - timedelta(days=SEVERE_PAIN_DAYS - 1), None)
    region = DailyLogRegion(day=day, today=today, log=log, form=form, show_leg_pain=shows_leg_pain(treatment))
    if log is not None and form is None:
        region.flags = urgent_flags(log.red_flags, scores, day)
        window = window_for(treatment, settings)
        if window is not None and reports_nsaid_in_window(log.medication, day, window):
            region.nsaid_reminder = content.render(content.NSAID_REMINDER, end=month_day(window.ends))
    if log is None and form is None:
        region.form = DailyLogForm(formdata=None)
    return region


def exercise_rows(
    treatment: Treatment | None, position: ProtocolPosition | None, today: date
) -> list[ExerciseRow]:
    if treatment is None or position is None:
        return []
    return todays_rows(treatment, position.phase.key, today)


def build_today(patient: User, today: date, settings: ClinicSettings) -> TodayView:
    treatment = active_treatment(patient.id)
    injection = treatment.injection_date if treatment else None
    position = position_on(today, injection) if injection else None
    first_chart_day = today - timedelta(days=CHART_DAYS - 1)
    scores = scores_for(patient.id, first_chart_day, injection)
    log = log_for(patient.id, today)
    progress = progress_on(today, treatment.baseline_pain if treatment else None, injection, scores)
    recent = {day: score for day, score in scores.items() if day >= first_chart_day}
    history = load_history(treatment.id if treatment else None)
    return TodayView(
        patient=patient,
        today=today,
        treatment=treatment,
        position=position,
        window=window_for(treatment, settings),
        daily_log=daily_log_region(patient.id, today, today, treatment, settings, log, scores=scores),
        exercises=exercise_rows(treatment, position, today),
        progress=progress,
        chart=pain_chart(recent, today, CHART_DAYS, progress.baseline),
        measures=history,
        questionnaire=due_questionnaire(treatment, today, history),
    )
