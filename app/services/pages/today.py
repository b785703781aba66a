"""Everything the Today page shows, gathered in a fixed number of queries. Data only: the view adds
the daily-log form and the templates format the dates."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.care import content
from app.care.before_injection import guidance_for
from app.care.chart import PainChart, pain_chart
from app.care.content import ALL_ALERT_FLAGS, CONDITIONS, RED_FLAGS, SEVERE_PAIN_STREAK, RedFlag
from app.care.follow_up import PROGRAMME_LAST_DAY, in_follow_up, log_every, next_log_day, shows_review
from app.care.hours import Say
from app.care.lessons import lesson_for_day
from app.care.measures import Due
from app.care.medication import NsaidWindow, nsaid_in_window
from app.care.programmes import DISC_LIMIT_PHASES, safety_text
from app.care.progress import Progress, progress_on
from app.care.protocol import PHASES, Phase, ProtocolPosition, position_on
from app.care.warnings import (
    Circumstances,
    Reported,
    UrgentCard,
    flags_asked,
    flags_for,
    message_for,
    read_in_words,
    reports_for,
    urgent_card,
)
from app.care.words.lessons import Lesson
from app.extensions import db
from app.models import Alert, DailyLog, Treatment, User
from app.services.between_visits.messages import unread_for_patient_count
from app.services.clinic.languages import threshold_words
from app.services.clinic.settings import ClinicSettings
from app.services.safety.alerts import open_alerts
from app.services.treatment.consent import consent_in_force
from app.services.treatment.daily_logs import entries_since
from app.services.treatment.lessons import read_at
from app.services.treatment.measures import MeasureHistory, due_questionnaire, load_history
from app.services.treatment.plans import ExerciseRow, todays_rows
from app.services.treatment.treatments import active_treatment

CHART_DAYS = 30
AFTERCARE_LAST_DAY = 3  # through day 3, when its "call if not better by day three" applies
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
    reports: list[Reported] = field(default_factory=list)  # what the saved entry reports
    nsaid_reminder_until: date | None = None  # an anti-inflammatory inside the window: until when
    show_leg_pain: bool = False
    blood_thinner: bool = False  # the bleeding question is emphasised
    next_log_day: date | None = None  # after week 12: no log is asked today; the next one is then

    @property
    def editing(self) -> bool:
        return self.form is not None

    @property
    def wants_new_entry(self) -> bool:
        """No entry yet, none asked for later, and no form given: the page shows an empty form."""
        return self.log is None and self.form is None and self.next_log_day is None

    @property
    def is_today(self) -> bool:
        return self.day == self.today

    @property
    def ticked(self) -> list[Reported]:
        return [report for report in self.reports if report.source == "ticked"]

    @property
    def note_reports(self) -> list[Reported]:
        """Warning signs read in the note's words that were not ticked."""
        return [report for report in self.reports if report.in_words]


@dataclass
class TodayView:
    patient: User
    today: date
    treatment: Treatment | None
    position: ProtocolPosition | None
    window: NsaidWindow | None
    daily_log: DailyLogRegion
    urgent: UrgentCard  # first thing on the page while it applies
    exercises: list[ExerciseRow]  # due today
    later: list[ExerciseRow]  # in this phase, not due today
    progress: Progress
    chart: PainChart
    phases: tuple[Phase, ...] = PHASES
    measures: MeasureHistory = field(default_factory=MeasureHistory)  # PEG, PSFS, PGIC answers
    questionnaire: Due | None = None  # the one questionnaire card, if one is due
    review: Progress | None = None  # after week 12: week 12's pain against the baseline
    lesson: Lesson | None = None  # the lesson of the day it matters (app/care/lessons.py)
    lesson_read_at: datetime | None = None  # when the patient read it, if they have
    blood_draw: str = "visit_1"  # clinic setting: where the PRP's blood is taken
    settings: ClinicSettings | None = None  # what the consent's words follow
    unread_messages: int = 0  # from the care team, not yet seen (the menu shows the count)

    @property
    def consent_in_force(self) -> bool:
        """ "Before your injection" is confirmed in the words it shows now (asked only by the card
        before the injection, so a page without the card spends no statement on it)."""
        if self.treatment is None or self.settings is None:
            return False
        return consent_in_force(self.treatment, self.settings) is not None

    @property
    def pain_threshold(self) -> str:
        """The meaningful change in the reader's words ("2 points or 30 %")."""
        return threshold_words()

    @property
    def questionnaire_card(self) -> Due | None:
        """Never shown beside an urgent message: that message stays alone at the top."""
        return None if self.urgent else self.questionnaire

    @property
    def guidance(self) -> content.PhaseGuidance | None:
        return guidance_for(self.position.phase.key, self.blood_draw) if self.position else None

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
    def avoid(self) -> list[str]:
        """The phase's "avoid" list, with the disc's limits in weeks 1-6 after an injection into it."""
        if self.guidance is None or self.position is None:
            return []
        extra = (
            list(content.DISC_LIMITS)
            if self.treatment is not None
            and self.treatment.into_the_disc
            and self.position.phase.key in DISC_LIMIT_PHASES
            else []
        )
        return self.shown(self.guidance.avoid) + extra

    @property
    def exercise_safety(self) -> str:
        return safety_text(self.treatment.condition if self.treatment else None)

    @property
    def precautions_pending(self) -> bool:
        return self.treatment is not None and self.treatment.precautions_pending

    @property
    def show_aftercare(self) -> bool:
        return self.position is not None and 0 <= self.position.day <= AFTERCARE_LAST_DAY

    @property
    def nsaid_days_left(self) -> int:
        return self.window.days_left(self.today) if self.window else 0


def offline_messages(circumstances: Circumstances | None, say: Say = content.render) -> dict[str, str]:
    """The urgent card's action for each urgency, for a page that must warn with no connection,
    in the words `say` gives (the page's language)."""
    example = {flag.urgency: flag for flag in reversed(RED_FLAGS)}
    return {urgency: message_for(flag, circumstances, say) for urgency, flag in example.items()}


def warning_actions(
    circumstances: Circumstances | None, say: Say = content.render
) -> list[tuple[str, str, str]]:
    """Every warning sign with what to do about it now, for the list beside the message composer:
    (key, question, action) in the words `say` gives."""
    return [(flag.key, say(flag.question), message_for(flag, circumstances, say)) for flag in RED_FLAGS]


def patient_card(
    patient_id: int, reports: list[Reported], still_open: list[Alert], today: date, settings: ClinicSettings
) -> UrgentCard:
    """The urgent card on a page other than Today (the messages): what was just reported, and
    every alert staff have not seen yet."""
    treatment = active_treatment(patient_id)
    region = DailyLogRegion(
        today, today, None, circumstances_for(treatment, today, settings), reports=reports
    )
    return page_card(region, still_open)


def window_for(treatment: Treatment | None, settings: ClinicSettings) -> NsaidWindow | None:
    return settings.nsaid_window(treatment.injection_date) if treatment else None


def shows_leg_pain(treatment: Treatment | None) -> bool:
    return treatment is not None and treatment.asks_leg_pain


def asked_flags(treatment: Treatment | None, day: date) -> tuple[RedFlag, ...]:
    """The warning questions for this patient on this day (with no treatment yet: every one)."""
    if treatment is None:
        return RED_FLAGS
    return flags_asked(treatment.is_thoracic, (day - treatment.injection_date).days)


def circumstances_for(treatment: Treatment | None, today: date, settings: ClinicSettings) -> Circumstances:
    return Circumstances(
        injected=treatment is not None and today >= treatment.injection_date,
        condition=CONDITIONS.get(treatment.condition) if treatment else None,
        hours=settings.hours,
        now=settings.now(),
    )


def entry_reports(log: DailyLog) -> list[Reported]:
    """What a saved entry reports: its ticks, its note read for warning signs in words, and a
    severe-pain streak its save raised (the entry's loaded alerts say so)."""
    streak = [SEVERE_PAIN_STREAK] if any(a.symptom == SEVERE_PAIN_STREAK.key for a in log.alerts) else []
    return reports_for(flags_for(log.red_flags), read_in_words(log.note), streak)


def daily_log_region(
    day: date,
    today: date,
    treatment: Treatment | None,
    settings: ClinicSettings,
    log: DailyLog | None,
    form: Any = None,
    reports: list[Reported] | None = None,
) -> DailyLogRegion:
    """The region for this day's entry; `reports` when a save has just worked them out."""
    circumstances = circumstances_for(treatment, today, settings)
    region = DailyLogRegion(
        day=day,
        today=today,
        log=log,
        circumstances=circumstances,
        asked=asked_flags(treatment, day),
        form=form,
        show_leg_pain=shows_leg_pain(treatment),
        blood_thinner=treatment is not None and treatment.takes_blood_thinner,
    )
    if log is not None:
        region.reports = entry_reports(log) if reports is None else reports
        window = window_for(treatment, settings)
        if form is None and window is not None and nsaid_in_window(log.nsaid, day, window):
            region.nsaid_reminder_until = window.ends
    return region


def alert_reports(alerts: list[Alert]) -> list[Reported]:
    return [
        Reported(ALL_ALERT_FLAGS[alert.symptom], alert.source, alert.quote)
        for alert in alerts
        if alert.symptom in ALL_ALERT_FLAGS
    ]


def page_card(region: DailyLogRegion, still_open: list[Alert]) -> UrgentCard:
    """What the top of a page with this log region shows: every alert staff have not seen yet
    (whatever day it was raised), and what the entry shown reports."""
    card = urgent_card(
        [*region.reports, *alert_reports(still_open)],
        region.circumstances,
        open_keys=[alert.symptom for alert in still_open],
    )
    answered = [alert for alert in still_open if alert.help_answer and alert.help_answered_at]
    if answered:
        latest = max(answered, key=lambda alert: alert.help_answered_at or alert.raised_at)
        card = replace(card, help_answer=latest.help_answer)
    return card


def exercise_rows(
    treatment: Treatment | None, position: ProtocolPosition | None, today: date
) -> tuple[list[ExerciseRow], list[ExerciseRow]]:
    if treatment is None or position is None:
        return [], []
    return todays_rows(treatment, position.phase.key, today)


def programme_review(
    treatment: Treatment, position: ProtocolPosition | None, scores: dict[date, int]
) -> Progress | None:
    """After week 12, for four weeks: week 12's 7-day average against the baseline."""
    if position is None or not shows_review(position.day):
        return None
    week_12_ends = treatment.injection_date + timedelta(days=PROGRAMME_LAST_DAY)
    return progress_on(week_12_ends, treatment.baseline_pain, treatment.injection_date, scores)


@dataclass(frozen=True)
class ProgressView:
    """What the progress figures read (`view.progress`) when they are sent on their own."""

    progress: Progress


def todays_progress(patient: User, today: date) -> ProgressView:
    """The progress figures alone: Today's card asks for them again after a log is saved (its
    7-day average moved), so the save itself reads nothing more."""
    treatment = active_treatment(patient.id)
    injection = treatment.injection_date if treatment else None
    entries = entries_since(patient.id, today - timedelta(days=CHART_DAYS - 1), injection)
    scores = {day: entry.back_pain for day, entry in entries.items()}
    return ProgressView(progress_on(today, treatment.baseline_pain if treatment else None, injection, scores))


def treatment_and_unread(patient_id: int) -> tuple[Treatment | None, int]:
    """The patient's active treatment and their unread messages, in one query."""
    active = (Treatment.patient_id == User.id) & (Treatment.status == "active")
    row = db.session.execute(
        sa.select(Treatment, unread_for_patient_count(patient_id))
        .select_from(User)
        .outerjoin(Treatment, active)
        .where(User.id == patient_id)
    ).first()
    return (row[0], row[1] or 0) if row else (None, 0)


def build_today(patient: User, today: date, settings: ClinicSettings) -> TodayView:
    treatment, unread = treatment_and_unread(patient.id)
    injection = treatment.injection_date if treatment else None
    position = position_on(today, injection) if injection else None
    first_chart_day = today - timedelta(days=CHART_DAYS - 1)
    first_day = first_chart_day
    if injection and position and shows_review(position.day):  # week 12 must be in reach
        first_day = min(first_day, injection + timedelta(days=PROGRAMME_LAST_DAY - 6))
    entries = entries_since(patient.id, first_day, injection)
    scores = {day: entry.back_pain for day, entry in entries.items()}
    log = entries.get(today)
    progress = progress_on(today, treatment.baseline_pain if treatment else None, injection, scores)
    recent = {day: score for day, score in scores.items() if day >= first_chart_day}
    region = daily_log_region(today, today, treatment, settings, log)
    if treatment and position and in_follow_up(position.day) and log is None:
        upcoming = next_log_day(today, entries, log_every(position.day, treatment.log_every_days))
        region.next_log_day = upcoming if upcoming > today else None
    due, later = exercise_rows(treatment, position, today)
    history = load_history(treatment.id if treatment else None)
    lesson = lesson_for_day(position.day if position else None)
    return TodayView(
        patient=patient,
        today=today,
        treatment=treatment,
        position=position,
        window=window_for(treatment, settings),
        daily_log=region,
        urgent=page_card(region, open_alerts(patient.id)),
        exercises=due,
        later=later,
        progress=progress,
        chart=pain_chart(recent, today, CHART_DAYS, progress.baseline),
        measures=history,
        questionnaire=due_questionnaire(treatment, today, history),
        review=programme_review(treatment, position, scores) if treatment else None,
        lesson=lesson,
        lesson_read_at=read_at(patient.id, lesson.key) if lesson else None,  # one query, on its day only
        blood_draw=settings.blood_draw,
        settings=settings,
        unread_messages=unread,
    )
