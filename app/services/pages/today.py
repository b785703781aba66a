"""Everything the Today page shows, gathered in a fixed number of queries. Data only: the view adds
the daily-log form and the templates format the dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.care import content
from app.care.chart import PainChart, pain_chart
from app.care.content import ALL_ALERT_FLAGS, CONDITIONS, RED_FLAGS, RedFlag
from app.care.measures import Due
from app.care.medication import NsaidWindow, reports_nsaid_in_window
from app.care.progress import Progress, meaningful_change_words, progress_on
from app.care.protocol import PHASES, Phase, ProtocolPosition, position_on
from app.care.warnings import (
    SEVERE_PAIN_DAYS,
    Circumstances,
    UrgentNotice,
    flags_asked,
    urgent_flags,
    urgent_notices,
)
from app.models import DailyLog, Treatment, User
from app.services.clinic.settings import ClinicSettings
from app.services.treatment.daily_logs import entries_since, scores_for
from app.services.treatment.measures import MeasureHistory, due_questionnaire, load_history
from app.services.treatment.plans import ExerciseRow, todays_rows
from app.services.treatment.treatments import active_treatment

CHART_DAYS = 30
AFTERCARE_LAST_DAY = 2
NSAID_PLACEHOLDER = "{nsaid_"  # guidance naming the NSAID dates shows only while they lie ahead


@dataclass
class DailyLogRegion:
    """The swappable daily-log region: a saved summary, or the form (new, editing, or invalid).
    The view puts the form in (`form`): services hand out data, views build forms."""

    day: date
    today: date
    log: DailyLog | None
    circumstances: Circumstances
    asked: tuple[RedFlag, ...] = RED_FLAGS  # the warning questions this patient is asked
    form: Any = None  # the view's daily-log form, while the entry is written or corrected
    urgent: list[UrgentNotice] = field(default_factory=list)
    nsaid_reminder_until: date | None = None  # an anti-inflammatory inside the window: until when
    show_leg_pain: bool = False

    @property
    def editing(self) -> bool:
        return self.form is not None

    @property
    def wants_new_entry(self) -> bool:
        """No entry yet and no form given: the page shows an empty form."""
        return self.log is None and self.form is None

    @property
    def offline_notices(self) -> list[UrgentNotice]:
        """The urgent words for every question asked, for the offline script to show at once."""
        return urgent_notices(self.asked, self.circumstances)

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
    urgent: list[UrgentNotice]  # first thing on the page while it applies
    exercises: list[ExerciseRow]  # due today
    later: list[ExerciseRow]  # in this phase, not due today
    progress: Progress
    chart: PainChart
    phases: tuple[Phase, ...] = PHASES
    measures: MeasureHistory = field(default_factory=MeasureHistory)  # PEG, PSFS, PGIC answers
    questionnaire: Due | None = None  # the one questionnaire card, if one is due

    @property
    def pain_threshold(self) -> str:
        return meaningful_change_words()

    @property
    def questionnaire_card(self) -> Due | None:
        """Never shown beside an urgent message: that message stays alone at the top."""
        return None if self.urgent else self.questionnaire

    @property
    def guidance(self) -> content.PhaseGuidance | None:
        return content.PHASE_GUIDANCE[self.position.phase.key] if self.position else None

    @property
    def text_values(self) -> dict[str, date]:
        """Values for the placeholders in this patient's texts (the NSAID dates)."""
        if self.window is None:
            return {}
        return {"nsaid_start": self.window.starts, "nsaid_end": self.window.ends}

    def shown(self, items: tuple[str, ...]) -> list[str]:
        """Guidance items for now: one naming the NSAID dates only while the window is not over."""
        return [item for item in items if NSAID_PLACEHOLDER not in item or self.nsaid_days_left]

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


def asked_flags(treatment: Treatment | None) -> tuple[RedFlag, ...]:
    """The warning questions for this patient (with no treatment yet: every one)."""
    return flags_asked(treatment.is_thoracic) if treatment else RED_FLAGS


def circumstances_for(treatment: Treatment | None, today: date, settings: ClinicSettings) -> Circumstances:
    return Circumstances(
        injected=treatment is not None and today >= treatment.injection_date,
        condition=CONDITIONS.get(treatment.condition) if treatment else None,
        hours=settings.hours,
        now=settings.now(),
    )


def daily_log_region(
    patient_id: int,
    day: date,
    today: date,
    treatment: Treatment | None,
    settings: ClinicSettings,
    log: DailyLog | None,
    form: Any = None,
    scores: dict[date, int] | None = None,
) -> DailyLogRegion:
    circumstances = circumstances_for(treatment, today, settings)
    region = DailyLogRegion(
        day=day,
        today=today,
        log=log,
        circumstances=circumstances,
        asked=asked_flags(treatment),
        form=form,
        show_leg_pain=shows_leg_pain(treatment),
    )
    if log is not None:
        if scores is None:
            scores = scores_for(patient_id, day - timedelta(days=SEVERE_PAIN_DAYS - 1), None)
        region.urgent = urgent_notices(urgent_flags(log.red_flags, scores, day), circumstances)
        window = window_for(treatment, settings)
        if form is None and window is not None and reports_nsaid_in_window(log.medication, day, window):
            region.nsaid_reminder_until = window.ends
    return region


def open_alerts(log: DailyLog | None) -> list[RedFlag]:
    """Warning signs this entry raised that nobody has acknowledged yet (it may have been changed
    since, and no longer shows them)."""
    if log is None:
        return []
    return [ALL_ALERT_FLAGS[alert.symptom] for alert in log.alerts if alert.acknowledged_at is None]


def urgent_today(region: DailyLogRegion, open_alerts: list[RedFlag]) -> list[UrgentNotice]:
    """Today's log's warning signs, and any still-open alert raised earlier today (the log may have
    been changed since), emergencies first."""
    shown = {notice.flag.key for notice in region.urgent}
    more = [flag for flag in open_alerts if flag.key not in shown]
    notices = region.urgent + urgent_notices(more, region.circumstances)
    return sorted(notices, key=lambda notice: notice.flag.urgency != "emergency")


def page_urgent(region: DailyLogRegion) -> list[UrgentNotice]:
    """What the top of a page with this log region shows: for today, today's warning signs and
    alerts; for another day, that day's."""
    if not region.is_today:
        return region.urgent
    return urgent_today(region, open_alerts(region.log))


def exercise_rows(
    treatment: Treatment | None, position: ProtocolPosition | None, today: date
) -> tuple[list[ExerciseRow], list[ExerciseRow]]:
    if treatment is None or position is None:
        return [], []
    return todays_rows(treatment, position.phase.key, today)


def build_today(patient: User, today: date, settings: ClinicSettings) -> TodayView:
    treatment = active_treatment(patient.id)
    injection = treatment.injection_date if treatment else None
    position = position_on(today, injection) if injection else None
    first_chart_day = today - timedelta(days=CHART_DAYS - 1)
    entries = entries_since(patient.id, first_chart_day, injection)
    scores = {day: entry.back_pain for day, entry in entries.items()}
    log = entries.get(today)
    progress = progress_on(today, treatment.baseline_pain if treatment else None, injection, scores)
    recent = {day: score for day, score in scores.items() if day >= first_chart_day}
    region = daily_log_region(patient.id, today, today, treatment, settings, log, scores=scores)
    due, later = exercise_rows(treatment, position, today)
    history = load_history(treatment.id if treatment else None)
    return TodayView(
        patient=patient,
        today=today,
        treatment=treatment,
        position=position,
        window=window_for(treatment, settings),
        daily_log=region,
        urgent=page_urgent(region),
        exercises=due,
        later=later,
        progress=progress,
        chart=pain_chart(recent, today, CHART_DAYS, progress.baseline),
        measures=history,
        questionnaire=due_questionnaire(treatment, today, history),
    )
