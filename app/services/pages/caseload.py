"""Everything the therapist dashboard shows about every one of their patients, gathered in a
fixed number of queries (however many patients or logs there are) and computed by app.care."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa

from app.care import follow_up
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
from app.care.progress import Progress, progress_on
from app.care.protocol import ProtocolPosition, position_on
from app.care.sparkline import sparkline_points
from app.extensions import db
from app.models import (
    Alert,
    DailyLog,
    ExerciseTick,
    Message,
    PlanItem,
    QuestionnaireResponse,
    Treatment,
    User,
)
from app.services.between_visits.messages import Unread
from app.services.clinic.settings import ClinicSettings
from app.services.pages.rtm import first_data_days

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
    """One row per active patient of this therapist; seven queries in all, however many."""
    mine = (Treatment.therapist_id == therapist_id) & (Treatment.status == "active")
    treatments = db.session.execute(
        sa.select(Treatment, last_log_day(), *unread_from_patient())
        .join(User, Treatment.patient_id == User.id)
        .where(mine, User.active.is_(True))
        .options(sa.orm.contains_eager(Treatment.patient))
    ).all()
    patient_ids = sa.select(Treatment.patient_id).where(mine)
    treatment_ids = sa.select(Treatment.id).where(mine)
    since = today - timedelta(days=LOOKBACK_DAYS)
    logs = logs_by_patient(mine, since)
    first_data = first_data_days(treatment_ids)
    ticks, last_tick = ticks_by_treatment(treatment_ids, since)
    prescribed = prescriptions_by_treatment(treatment_ids)
    alerts = open_alerts_by_patient(patient_ids)
    answered = answer_days_by_treatment(treatment_ids, since)
    return [
        build_row(
            t,
            today,
            settings,
            logs[t.patient_id],
            first_data.get(t.id),
            last_log,
            ticks[t.id],
            last_tick.get(t.id),
            prescribed[t.id],
            alerts[t.patient_id],
            answer_days=answered[t.id],
            unread=Unread(unread_count, unread_since) if unread_count and unread_since else None,
        )
        for t, last_log, unread_count, unread_since in treatments
    ]


LogRow = sa.Row[int, date, int, bool, int | None]  # patient, day, back pain, NSAID taken, leg pain


def logs_by_patient(mine: sa.ColumnElement[bool], since: date) -> dict[int, list[LogRow]]:
    """The recent logs, and every log before the injection (the baseline when none was recorded)."""
    logs: dict[int, list[LogRow]] = defaultdict(list)
    # Two ranges of the (patient, day) index, not one OR over both: with the OR, PostgreSQL read
    # every log of the clinic (a scan that grows with the data); each range is an index look-up.
    logs_of_mine = sa.select(
        DailyLog.patient_id, DailyLog.day, DailyLog.back_pain, DailyLog.nsaid, DailyLog.leg_pain
    ).join(Treatment, (Treatment.patient_id == DailyLog.patient_id) & mine)
    recent = logs_of_mine.where(DailyLog.day >= since)
    before = logs_of_mine.where(DailyLog.day < since, DailyLog.day < Treatment.injection_date)
    for row in db.session.execute(sa.union_all(recent, before)):
        logs[row.patient_id].append(row)
    return logs


def last_log_day() -> sa.ScalarSelect[date]:
    """The patient's last log, as a column of the caseload's query (by the patient-day index)."""
    return (
        sa.select(sa.func.max(DailyLog.day))
        .where(DailyLog.patient_id == Treatment.patient_id)
        .scalar_subquery()
    )


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


def ticks_by_treatment(
    treatment_ids: sa.Select[int], since: date
) -> tuple[dict[int, dict[date, int]], dict[int, date]]:
    """Ticks per day since `since`, and the last day with a tick, per treatment."""
    ticks: dict[int, dict[date, int]] = defaultdict(dict)
    last_tick: dict[int, date] = {}
    for treatment_id, day, count in db.session.execute(
        sa.select(PlanItem.treatment_id, ExerciseTick.day, sa.func.count())
        .join(PlanItem, ExerciseTick.plan_item_id == PlanItem.id)
        .where(PlanItem.treatment_id.in_(treatment_ids), ExerciseTick.day >= since)
        .group_by(PlanItem.treatment_id, ExerciseTick.day)
    ):
        ticks[treatment_id][day] = count
        last_tick[treatment_id] = max(day, last_tick.get(treatment_id, day))
    return ticks, last_tick


def answer_days_by_treatment(treatment_ids: sa.Select[int], since: date) -> dict[int, list[date]]:
    """Days with a questionnaire answer: they count as days with data for remote monitoring."""
    days: dict[int, list[date]] = defaultdict(list)
    for treatment_id, day in db.session.execute(
        sa.select(QuestionnaireResponse.treatment_id, QuestionnaireResponse.day)
        .where(QuestionnaireResponse.treatment_id.in_(treatment_ids), QuestionnaireResponse.day >= since)
        .distinct()
    ):
        days[treatment_id].append(day)
    return days


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
    logs: list[LogRow],
    first_data: date | None,
    last_log: date | None,
    ticks: dict[date, int],
    last_tick: date | None,
    prescribed: list[Prescription],
    open_alerts: list[OpenAlert],
    answer_days: list[date] | tuple[date, ...] = (),
    unread: Unread | None = None,
) -> CaseloadRow:
    injection = treatment.injection_date
    scores = {row.day: row.back_pain for row in logs}
    window = settings.nsaid_window(injection)
    nsaid_days = [row.day for row in logs if nsaid_in_window(row.nsaid, row.day, window)]
    last_data = max((d for d in (last_log, last_tick) if d is not None), default=None)
    prescribed_on = prescribed_counter(injection, prescribed)
    facts = PatientFacts(
        injection_date=injection,
        evaluation_date=treatment.evaluation_date,
        scores_by_day=scores,
        ticks_by_day=ticks,
        nsaid_days=nsaid_days,
        last_data_day=last_data,
        open_alerts=open_alerts,
        prescribed_on=prescribed_on,
        unread_messages=unread.count if unread else 0,
        unread_since=unread.oldest if unread else None,
        medicines_to_plan=medicines_to_plan(treatment),
        medicines_listed_on=treatment.medicines_listed_at.date() if treatment.medicines_listed_at else None,
        leg_scores_by_day={row.day: row.leg_pain for row in logs if row.leg_pain is not None}
        if treatment.asks_leg_pain
        else {},
        log_every=follow_up.log_every((today - injection).days, treatment.log_every_days),
    )
    return CaseloadRow(
        treatment=treatment,
        position=position_on(today, injection),
        last_log=last_log,
        logging_7=logging_adherence(set(scores), injection, today, 7),
        logging_30=logging_adherence(set(scores), injection, today, 30),
        exercise_7=exercise_adherence(ticks, prescribed_on, injection, today),
        period=current_period(first_data, today, [*scores, *ticks, *answer_days]),
        progress=progress_on(today, treatment.baseline_pain, injection, scores),
        trend=sparkline_points(scores, today),
        reasons=attention_reasons(facts, today),
        unread_messages=facts.unread_messages,
    )
