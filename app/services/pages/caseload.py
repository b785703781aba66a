"""Everything the therapist dashboard shows about every one of their patients, gathered in a
fixed number of queries (however many patients or logs there are) from the summaries the writes
keep, and computed by app.care."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa

from app.care.adherence import (
    AttentionReason,
    MonitoringPeriod,
    OpenAlert,
    PatientFacts,
    Ratio,
    attention_reasons,
    current_period,
    exercise_adherence,
    logging_adherence,
)
from app.care.content import ALL_ALERT_FLAGS
from app.care.dosing import Prescription, sessions_due
from app.care.medication import nsaid_in_window
from app.care.progress import Progress, recent_average
from app.care.protocol import ProtocolPosition, position_on
from app.care.sparkline import sparkline_points
from app.extensions import db
from app.models import (
    Alert,
    DailySummary,
    Message,
    PlanItem,
    Treatment,
    TreatmentSummary,
    User,
)
from app.services.between_visits.messages import Unread
from app.services.clinic.settings import ClinicSettings

LOOKBACK_DAYS = 44  # 30-day windows, plus the week before the last for "pain rising"


@dataclass
class CaseloadRow:
    treatment: Treatment
    position: ProtocolPosition
    last_log: date | None
    logging_7: Ratio
    logging_30: Ratio
    exercise_7: Ratio
    period: MonitoringPeriod  # this 30-day remote-monitoring period
    progress: Progress
    trend: str
    reasons: list[AttentionReason]
    unread_messages: int = 0

    @property
    def patient(self) -> User:
        return self.treatment.patient

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)


def prescriptions_by_treatment(treatment_ids: sa.Select[int]) -> dict[int, list[Prescription]]:
    """How often each live plan item is to be done, per treatment: one query."""
    prescriptions: dict[int, list[Prescription]] = defaultdict(list)
    for treatment_id, phase, times, days in db.session.execute(
        sa.select(
            PlanItem.treatment_id, PlanItem.phase, PlanItem.times_per_day, PlanItem.days_per_week
        ).where(PlanItem.treatment_id.in_(treatment_ids), PlanItem.removed_at.is_(None))
    ):
        prescriptions[treatment_id].append(Prescription(phase, times, days))
    return prescriptions


def prescribed_counter(injection: date, prescriptions: list[Prescription]) -> Callable[[date], int]:
    """How many exercise sessions were due on a day; each day worked out once per row (the row's
    adherence and its attention check both ask, for every day of the window)."""

    @cache
    def sessions_on(day: date) -> int:
        return sessions_due(prescriptions, day, injection)

    return sessions_on


def load_caseload(therapist_id: int, today: date, settings: ClinicSettings) -> list[CaseloadRow]:
    """One row per active patient of this therapist; four queries in all, however many, read
    from the summaries the writes keep (app/services/summaries) rather than from every log and
    tick: the treatments with their running figures, their recent days, the plans, the alerts."""
    mine = (Treatment.therapist_id == therapist_id) & (Treatment.status == "active")
    treatments = db.session.execute(
        sa.select(Treatment, TreatmentSummary, *unread_from_patient())
        .join(User, Treatment.patient_id == User.id)
        .outerjoin(TreatmentSummary, TreatmentSummary.treatment_id == Treatment.id)
        .where(mine, User.active.is_(True))
        .options(sa.orm.contains_eager(Treatment.patient))
    ).all()
    patient_ids = sa.select(Treatment.patient_id).where(mine)
    treatment_ids = sa.select(Treatment.id).where(mine)
    days = recent_days(treatment_ids, today - timedelta(days=LOOKBACK_DAYS))
    prescribed = prescriptions_by_treatment(treatment_ids)
    alerts = open_alerts_by_patient(patient_ids)
    return [
        build_row(
            t,
            today,
            settings,
            days[t.id],
            summary,
            prescribed[t.id],
            alerts[t.patient_id],
            unread=Unread(unread_count, unread_since) if unread_count and unread_since else None,
        )
        for t, summary, unread_count, unread_since in treatments
    ]


DayRow = sa.Row[date, bool, int | None, bool, int, bool]  # day, logged, pain, NSAID, sessions, data


def recent_days(treatment_ids: sa.Select[int], since: date) -> dict[int, list[DayRow]]:
    """Each treatment's summarised days since `since` (the summaries' primary key range)."""
    found: dict[int, list[DayRow]] = defaultdict(list)
    for treatment_id, *row in db.session.execute(
        sa.select(
            DailySummary.treatment_id,
            DailySummary.day,
            DailySummary.logged,
            DailySummary.back_pain,
            DailySummary.nsaid,
            DailySummary.sessions_done,
            DailySummary.data_day,
        ).where(DailySummary.treatment_id.in_(treatment_ids), DailySummary.day >= since)
    ):
        found[treatment_id].append(row)  # type: ignore[arg-type]
    return found


def unread_from_patient() -> tuple[sa.ScalarSelect[int], sa.ScalarSelect[datetime]]:
    """How many messages the patient wrote that nobody has read yet, and the oldest one's time:
    columns of the caseload's query."""
    unread = sa.and_(
        Message.patient_id == Treatment.patient_id,
        Message.author_id == Message.patient_id,
        Message.read_at.is_(None),
    )
    return (
        sa.select(sa.func.count()).select_from(Message).where(unread).scalar_subquery(),
        sa.select(sa.func.min(Message.created_at)).where(unread).scalar_subquery(),
    )


def open_alerts_by_patient(patient_ids: sa.Select[int]) -> dict[int, list[OpenAlert]]:
    alerts: dict[int, list[OpenAlert]] = defaultdict(list)
    for alert in db.session.scalars(
        sa.select(Alert)
        .where(Alert.patient_id.in_(patient_ids), Alert.acknowledged_at.is_(None))
        .order_by(Alert.raised_at)
    ):
        question = ALL_ALERT_FLAGS[alert.symptom].question
        quote = alert.quote if alert.in_words else ""
        alerts[alert.patient_id].append(OpenAlert(alert.id, alert.urgency, question, alert.raised_at, quote))
    return alerts


def medicines_to_plan(treatment: Treatment) -> str:
    """What the listed medicines need before the injection, while no clinician has confirmed it:
    "Plan with the prescriber needed: Blood thinner (eliquis)"."""
    if not treatment.medicines_need_review:
        return ""
    found = "; ".join(f"{f.kind.label} ({', '.join(f.names)})" for f in treatment.medicine_findings)
    lead = "Plan with the prescriber needed" if treatment.needs_prescriber_plan else "Physician review needed"
    return f"{lead}: {found}"


def build_row(
    treatment: Treatment,
    today: date,
    settings: ClinicSettings,
    days: list[DayRow],
    summary: TreatmentSummary | None,
    prescribed: list[Prescription],
    open_alerts: list[OpenAlert],
    unread: Unread | None = None,
) -> CaseloadRow:
    injection = treatment.injection_date
    scores = {day: pain for day, logged, pain, _n, _s, _d in days if logged and pain is not None}
    ticks = {day: done for day, _l, _p, _n, done, _d in days if done}
    window = settings.nsaid_window(injection)
    nsaid_days = [day for day, _l, _p, nsaid, _s, _d in days if nsaid_in_window(nsaid, day, window)]
    data_days = [day for day, _l, _p, _n, _s, data in days if data]
    prescribed_on = prescribed_counter(injection, prescribed)
    facts = PatientFacts(
        injection_date=injection,
        evaluation_date=treatment.evaluation_date,
        scores_by_day=scores,
        ticks_by_day=ticks,
        nsaid_days=nsaid_days,
        last_data_day=summary.last_data_day if summary else None,
        open_alerts=open_alerts,
        prescribed_on=prescribed_on,
        unread_messages=unread.count if unread else 0,
        unread_since=unread.oldest if unread else None,
        medicines_to_plan=medicines_to_plan(treatment),
        medicines_listed_on=treatment.medicines_listed_at.date() if treatment.medicines_listed_at else None,
    )
    recorded = treatment.baseline_pain
    average, count = recent_average(scores, today)
    baseline = float(recorded) if recorded is not None else (summary.logged_baseline if summary else None)
    return CaseloadRow(
        treatment=treatment,
        position=position_on(today, injection),
        last_log=summary.last_log_day if summary else None,
        logging_7=logging_adherence(set(scores), injection, today, 7),
        logging_30=logging_adherence(set(scores), injection, today, 30),
        exercise_7=exercise_adherence(ticks, prescribed_on, injection, today),
        period=current_period(summary.first_data_day if summary else None, today, data_days),
        progress=Progress(baseline, average, count),
        trend=sparkline_points(scores, today),
        reasons=attention_reasons(facts, today),
        unread_messages=facts.unread_messages,
    )
