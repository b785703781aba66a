"""Everything a patient's record page shows staff, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from app.care.chart import Band, PainChart, improvement_threshold, pain_chart, phase_bands, y_for
from app.care.dosing import Prescription, sessions_due
from app.care.medication import NsaidWindow, nsaid_in_window
from app.care.progress import Progress, progress_on
from app.care.protocol import PHASES, Phase, ProtocolPosition, position_on
from app.extensions import db
from app.models import Alert, ClinicalNote, DailyLog, DailySummary, PlanItem, Treatment, User
from app.services.clinic.settings import ClinicSettings
from app.services.treatment.plans import PlanPhase, load_plan

CHART_MAX_DAYS = 180
HEAT_STRIP_DAYS = 56


@dataclass
class HeatDay:
    day: date
    done: int
    prescribed: int

    @property
    def level(self) -> int:
        """0 nothing due, 1 none done, 2 some done, 3 all done."""
        if not self.prescribed:
            return 0
        if not self.done:
            return 1
        return 3 if self.done >= self.prescribed else 2


@dataclass
class PatientRecord:
    patient: User
    treatment: Treatment | None
    today: date
    position: ProtocolPosition | None
    window: NsaidWindow | None
    progress: Progress
    chart: PainChart
    bands: list[Band]
    threshold_y: float | None
    alerts: list[Alert]
    heat: list[HeatDay]
    plan: list[PlanPhase]
    phases: tuple[Phase, ...] = PHASES

    def reports_nsaid_in_window(self, log: DailyLog) -> bool:
        """The log reports an anti-inflammatory on a day the patient should avoid them."""
        return nsaid_in_window(log.nsaid, log.day, self.window)

    def words_alerts(self, log: DailyLog) -> list[Alert]:
        """Warning signs read in this entry's note (possible signs, in the patient's words)."""
        return [alert for alert in self.alerts if alert.daily_log_id == log.id and alert.in_words]


def load_record(
    patient: User, treatment: Treatment | None, today: date, settings: ClinicSettings
) -> PatientRecord:
    first_day = today - timedelta(days=CHART_MAX_DAYS - 1)
    if treatment is not None:
        first_day = max(first_day, min(treatment.evaluation_date, today - timedelta(days=13)))
    scores = chart_scores(patient, treatment, first_day)
    injection = treatment.injection_date if treatment else None
    progress = progress_on(today, treatment.baseline_pain if treatment else None, injection, scores)
    chart = pain_chart(scores, today, (today - first_day).days + 1, progress.baseline)
    threshold = improvement_threshold(progress.baseline)
    return PatientRecord(
        patient=patient,
        treatment=treatment,
        today=today,
        position=position_on(today, injection) if injection else None,
        window=settings.nsaid_window(injection) if injection else None,
        progress=progress,
        chart=chart,
        bands=phase_bands(chart, injection) if injection else [],
        threshold_y=y_for(threshold) if threshold is not None else None,
        alerts=alerts_for(patient.id),
        heat=heat_strip(treatment, today),
        plan=load_plan(treatment, today, scores),
    )


def chart_scores(patient: User, treatment: Treatment | None, first_day: date) -> dict[date, int]:
    """Back pain by day from `first_day`: the treatment's daily summaries, or, before any
    treatment, the patient's logs."""
    query: sa.Select[date, int | None]
    if treatment is None:
        query = sa.select(DailyLog.day, DailyLog.back_pain).where(
            DailyLog.patient_id == patient.id, DailyLog.day >= first_day
        )
    else:
        query = sa.select(DailySummary.day, DailySummary.back_pain).where(
            DailySummary.treatment_id == treatment.id,
            DailySummary.logged.is_(True),
            DailySummary.day >= first_day,
        )
    return {day: pain for day, pain in db.session.execute(query) if pain is not None}


def alerts_for(patient_id: int, limit: int = 50) -> list[Alert]:
    """Open alerts first, then the acknowledged ones with who acknowledged them: one query."""
    return list(
        db.session.scalars(
            sa.select(Alert)
            .where(Alert.patient_id == patient_id)
            .options(sa.orm.joinedload(Alert.acknowledged_by), sa.orm.selectinload(Alert.notices))
            .order_by(Alert.acknowledged_at.isnot(None), Alert.raised_at.desc())
            .limit(limit)
        )
    )


def heat_strip(treatment: Treatment | None, today: date) -> list[HeatDay]:
    """Exercise sessions done (the daily summaries) against those due for each of the last eight
    weeks' days (the days without a summary row had nothing done)."""
    if treatment is None:
        return []
    first = today - timedelta(days=HEAT_STRIP_DAYS - 1)
    done = dict(
        db.session.execute(
            sa.select(DailySummary.day, DailySummary.sessions_done).where(
                DailySummary.treatment_id == treatment.id, DailySummary.day >= first
            )
        ).all()
    )
    prescriptions = [
        Prescription(*schedule)
        for schedule in db.session.execute(
            sa.select(PlanItem.phase, PlanItem.times_per_day, PlanItem.days_per_week).where(
                PlanItem.treatment_id == treatment.id, PlanItem.removed_at.is_(None)
            )
        )
    ]
    days = [first + timedelta(days=n) for n in range(HEAT_STRIP_DAYS)]
    injection = treatment.injection_date
    return [HeatDay(day, done.get(day, 0), sessions_due(prescriptions, day, injection)) for day in days]


def logs_page(patient_id: int, page: int, per_page: int = 14) -> Pagination:
    return db.paginate(
        sa.select(DailyLog).where(DailyLog.patient_id == patient_id).order_by(DailyLog.day.desc()),
        page=max(page, 1),
        per_page=per_page,
        error_out=False,
    )


def notes_page(patient_id: int, page: int, per_page: int = 10) -> Pagination:
    return db.paginate(
        sa.select(ClinicalNote)
        .where(ClinicalNote.patient_id == patient_id)
        .order_by(ClinicalNote.created_at.desc(), ClinicalNote.id.desc()),
        page=max(page, 1),
        per_page=per_page,
        error_out=False,
    )
