"""Everything the therapist dashboard shows about every one of their patients, gathered in a
fixed number of queries (however many patients or logs there are) from the summaries the writes
keep, and computed by app.care."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app.care import follow_up
from app.care.adherence import (
    AttentionReason,
    HurtAgain,
    MonitoringPeriod,
    OpenAlert,
    PatientFacts,
    Ratio,
    attention_reasons,
    current_period,
    exercise_adherence,
    logging_adherence,
    window_days,
)
from app.care.content import ALL_ALERT_FLAGS, EXERCISES_BY_SLUG
from app.care.dosing import Prescription, sessions_due_by_schedule
from app.care.feelings import HURT_RECENT_DAYS, HURT_RUN
from app.care.medication import nsaid_in_window
from app.care.progress import Progress, recent_average
from app.care.protocol import ProtocolPosition, position_on
from app.care.rtm import PERIOD_DAYS
from app.care.sparkline import sparkline_points
from app.care.staff_words import Translator
from app.extensions import db
from app.models import (
    Alert,
    DailySummary,
    Exercise,
    Message,
    PlanItem,
    Treatment,
    TreatmentSummary,
    User,
)
from app.services.between_visits.messages import Unread
from app.services.clinic.languages import page_words
from app.services.clinic.settings import ClinicSettings
from app.services.pages.caseload_memo import CASELOAD_ROWS, RowMemo, treatment_values
from app.services.summaries.sql import days_between

LOOKBACK_DAYS = 13  # 14 days: "pain rising" (this week and the one before) and the trend line;
# the 30-day figures are counted by the database (month_counts)


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


# a plan, as the dashboard counts it: each schedule of its live items and how many items share it
Plan = tuple[tuple[Prescription, int], ...]


def prescriptions_by_treatment(treatment_ids: Collection[int]) -> dict[int, Plan]:
    """How often each live plan item is to be done, per treatment: one query, the same schedules
    counted by the database (a plan has a few dozen items, most sharing a handful of schedules,
    and most patients share a plan: the counts are the key SessionsDue keeps its sums under)."""
    schedules: dict[tuple[str, int | None, int | None], Prescription] = {}
    plans: dict[int, list[tuple[Prescription, int]]] = defaultdict(list)
    columns = (PlanItem.phase, PlanItem.times_per_day, PlanItem.days_per_week)
    for treatment_id, phase, times, days, count in db.session.execute(
        sa.select(PlanItem.treatment_id, *columns, sa.func.count())
        .where(PlanItem.treatment_id.in_(treatment_ids), PlanItem.removed_at.is_(None))
        .group_by(PlanItem.treatment_id, *columns)
        .order_by(PlanItem.treatment_id, *columns)
    ):
        key = (phase, times, days)
        schedule = schedules.get(key) or schedules.setdefault(key, Prescription(phase, times, days))
        plans[treatment_id].append((schedule, count))
    return defaultdict(tuple, {key: tuple(value) for key, value in plans.items()})


@dataclass
class SessionsDue:
    """Sessions due by (plan, day number after the injection), for the whole caseload: most
    patients share a plan, so each count is worked out once, not once per patient and day."""

    plans: dict[Plan, int] = field(default_factory=dict)
    counts: dict[tuple[int, int], int] = field(default_factory=dict)


def prescribed_counter(
    injection: date, plan: Plan, known: SessionsDue | None = None
) -> Callable[[date], int]:
    """How many exercise sessions were due on a day (see SessionsDue)."""
    found = SessionsDue() if known is None else known
    plan_number = found.plans.setdefault(plan, len(found.plans))
    counts = found.counts

    def sessions_on(day: date) -> int:
        key = (plan_number, (day - injection).days)
        count = counts.get(key)
        if count is None:
            count = counts[key] = sessions_due_by_schedule(plan, day, injection)
        return count

    return sessions_on


def load_caseload(
    therapist_id: int, today: date, settings: ClinicSettings, memo: RowMemo = CASELOAD_ROWS
) -> list[CaseloadRow]:
    """One row per active patient of this therapist, read from the summaries the writes keep
    (app/services/summaries) rather than from every log and tick: the treatments with their
    running figures, and the open alerts; then, for the rows not worked out already under the
    same revision, day and facts (caseload_memo.py), their recent days and their plans. Four
    queries at most, however many patients."""
    mine = (Treatment.therapist_id == therapist_id) & (Treatment.status == "active")
    treatments = db.session.execute(
        sa.select(Treatment, TreatmentSummary, *month_counts(today), *unread_from_patient(), *hurting(today))
        .join(User, Treatment.patient_id == User.id)
        .outerjoin(TreatmentSummary, TreatmentSummary.treatment_id == Treatment.id)
        .where(mine, User.active.is_(True))
        .options(
            sa.orm.contains_eager(Treatment.patient), sa.orm.Load(TreatmentSummary).load_only(*ROW_FIGURES)
        )
    ).all()
    alerts = open_alerts_by_patient(sa.select(Treatment.patient_id).where(mine))
    words = page_words()  # once: a page's words are looked up per request, not per row
    facts = []
    for t, summary, logged_30, period_days, unread_count, unread_since, *hurt in treatments:
        fact = RowFacts(
            t,
            summary,
            MonthCounts(logged_30 or 0, period_days or 0),
            tuple(alerts[t.patient_id]),
            Unread(unread_count, unread_since) if unread_count and unread_since else None,
            hurt_again(*hurt),
        )
        facts.append((fact, fact.key(today, settings, words)))
    rows: dict[int, CaseloadRow] = {}
    for fact, key in facts:
        if key is not None and (kept := memo.get(key, fact.treatment)) is not None:
            rows[fact.treatment.id] = kept
    to_work_out = [(fact, key) for fact, key in facts if fact.treatment.id not in rows]
    if to_work_out:
        ids = [fact.treatment.id for fact, _key in to_work_out]  # a caseload's worth at most
        days = recent_days(ids, today - timedelta(days=LOOKBACK_DAYS))
        prescribed = prescriptions_by_treatment(ids)
        known = SessionsDue()
        for fact, key in to_work_out:
            t = fact.treatment
            row = build_row(
                t,
                today,
                settings,
                days[t.id],
                fact.summary,
                fact.counted,
                prescribed[t.id],
                list(fact.alerts),
                unread=fact.unread,
                known=known,
                hurt_again=fact.hurt,
                words=words,
            )
            rows[t.id] = row
            if key is not None:
                memo.put(key, row)
    return [rows[fact.treatment.id] for fact, _key in facts]


# what a row reads of a treatment's running figures (not the weekly sums outcomes read)
ROW_FIGURES = (
    TreatmentSummary.revision,
    TreatmentSummary.first_data_day,
    TreatmentSummary.last_log_day,
    TreatmentSummary.last_data_day,
    TreatmentSummary.pre_pain_sum,
    TreatmentSummary.pre_pain_count,
)


@dataclass(frozen=True)
class RowFacts:
    """What the caseload's first queries read about one patient (the rest of a row comes from
    their recent days and their plan)."""

    treatment: Treatment
    summary: TreatmentSummary | None
    counted: MonthCounts
    alerts: tuple[OpenAlert, ...]
    unread: Unread | None
    hurt: HurtAgain | None

    def key(self, today: date, settings: ClinicSettings, words: Translator) -> Hashable | None:
        """Everything the row is worked out from (caseload_memo.py), or None for a treatment with
        no summaries yet (nothing tells when its days change: worked out every time). The 30-day
        counts are not in it: the database counts them from the summaries, on the day."""
        if self.summary is None:
            return None
        return (
            self.treatment.id,
            self.summary.revision,
            today,
            settings,
            words,
            treatment_values(self.treatment),
            self.alerts,
            self.unread,
            self.hurt,
        )


def hurting(today: date) -> tuple[sa.ScalarSelect[Any], ...]:
    """Columns of the caseload's query: the live plan items whose answers end with "it hurt more"
    twice in a row, the latest in the last week (the run each item keeps: app/care/feelings.py):
    how many, the first one's exercise, the latest day."""
    hurt = sa.and_(
        PlanItem.treatment_id == Treatment.id,
        PlanItem.removed_at.is_(None),
        PlanItem.feeling_run == sa.literal_column("'hurt'"),  # written out: the partial index's term
        PlanItem.feeling_run_length >= HURT_RUN,
        PlanItem.feeling_run_day > today - timedelta(days=HURT_RECENT_DAYS),
    )
    return (
        sa.select(sa.func.count()).select_from(PlanItem).where(hurt).scalar_subquery(),
        sa.select(sa.func.min(Exercise.slug))
        .select_from(PlanItem)
        .join(Exercise, PlanItem.exercise_id == Exercise.id)
        .where(hurt)
        .scalar_subquery(),
        sa.select(sa.func.max(PlanItem.feeling_run_day)).where(hurt).scalar_subquery(),
    )


def hurt_again(count: Any, slug: Any, day: Any) -> HurtAgain | None:
    """The caseload query's three "hurt" columns, as the attention list reads them."""
    if not count or slug is None or day is None:
        return None
    known = EXERCISES_BY_SLUG.get(slug)
    return HurtAgain(known.name if known else slug, count, day)


@dataclass(frozen=True)
class MonthCounts:
    """Counted by the database over a treatment's daily summaries, up to yesterday or today."""

    logged_30: int  # days logged in the 30-day logging window before today
    period_days: int  # days with data in this monitoring period, today included


def month_counts(today: date) -> tuple[sa.ScalarSelect[int], sa.ScalarSelect[int]]:
    """Columns of the caseload's query (each a range of the summaries' primary key, at most 30
    rows a treatment): the logs in the 30-day window (app.care.adherence.window_days: the days
    since the injection, at most 30, ending yesterday) and the days with data since this
    monitoring period began (a whole number of 30-day periods after the first day with data)."""
    day = sa.literal(today, sa.Date)
    of_mine = DailySummary.treatment_id == Treatment.id
    logged = (
        sa.select(sa.func.count())
        .where(
            of_mine,
            DailySummary.logged.is_(True),
            DailySummary.day >= today - timedelta(days=30),
            DailySummary.day >= Treatment.injection_date,
            DailySummary.day < today,
        )
        .scalar_subquery()
    )
    into_period = days_between(day, TreatmentSummary.first_data_day) // PERIOD_DAYS * PERIOD_DAYS
    with_data = (
        sa.select(sa.func.count())
        .where(
            of_mine,
            DailySummary.data_day.is_(True),
            DailySummary.day.between(today - timedelta(days=PERIOD_DAYS - 1), today),
            days_between(DailySummary.day, TreatmentSummary.first_data_day) >= into_period,
        )
        .scalar_subquery()
    )
    return logged, with_data


# day, logged, back pain, NSAID, sessions, data day, leg pain
DayRow = sa.Row[date, bool, int | None, bool, int, bool, int | None]


def recent_days(treatment_ids: Collection[int], since: date) -> dict[int, list[DayRow]]:
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
            DailySummary.leg_pain,
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


def medicines_to_plan(treatment: Treatment, words: Translator) -> str:
    """What the listed medicines need before the injection, while no clinician has confirmed it:
    "Plan with the prescriber needed: Blood thinner (eliquis)", in the page's language (the
    medicine names as the patient wrote them)."""
    if not treatment.medicines_need_review:
        return ""
    found = "; ".join(
        f"{words.gettext(f.kind.label)} ({', '.join(f.names)})" for f in treatment.medicine_findings
    )
    if treatment.needs_prescriber_plan:
        return words.gettext("Plan with the prescriber needed: {medicines}").format(medicines=found)
    return words.gettext("Physician review needed: {medicines}").format(medicines=found)


def monitoring_period(
    summary: TreatmentSummary | None, counted: MonthCounts, today: date, days: list[DayRow]
) -> MonitoringPeriod:
    """This 30-day period, its days with data counted by the database (or, with no data before
    today, a period starting today)."""
    first = summary.first_data_day if summary else None
    if first is None or first > today:
        return current_period(
            None, today, [day for day, _l, _p, _n, _s, data, _leg in days if data and day == today]
        )
    return replace(current_period(first, today, []), days_with_data=counted.period_days)


def build_row(
    treatment: Treatment,
    today: date,
    settings: ClinicSettings,
    days: list[DayRow],
    summary: TreatmentSummary | None,
    counted: MonthCounts,
    prescribed: Plan,
    open_alerts: list[OpenAlert],
    unread: Unread | None = None,
    known: SessionsDue | None = None,
    hurt_again: HurtAgain | None = None,
    words: Translator | None = None,
) -> CaseloadRow:
    words = words or page_words()
    injection = treatment.injection_date
    scores = {day: pain for day, logged, pain, _n, _s, _d, _leg in days if logged and pain is not None}
    ticks = {day: done for day, _l, _p, _n, done, _d, _leg in days if done}
    window = settings.nsaid_window(injection)
    nsaid_days = [day for day, _l, _p, nsaid, _s, _d, _leg in days if nsaid_in_window(nsaid, day, window)]
    logged_today = today in scores
    prescribed_on = prescribed_counter(injection, prescribed, known)
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
        medicines_to_plan=medicines_to_plan(treatment, words),
        medicines_listed_on=treatment.medicines_listed_at.date() if treatment.medicines_listed_at else None,
        leg_scores_by_day={
            day: leg for day, logged, _p, _n, _s, _d, leg in days if logged and leg is not None
        }
        if treatment.asks_leg_pain
        else {},
        log_every=follow_up.log_every((today - injection).days, treatment.log_every_days),
        hurt_again=hurt_again,
    )
    recorded = treatment.baseline_pain
    average, count = recent_average(scores, today)
    baseline = float(recorded) if recorded is not None else (summary.logged_baseline if summary else None)
    return CaseloadRow(
        treatment=treatment,
        position=position_on(today, injection),
        last_log=summary.last_log_day if summary else None,
        logging_7=logging_adherence(set(scores), injection, today, 7),
        logging_30=Ratio(
            counted.logged_30 + (logged_today and today >= injection),
            len(window_days(injection, today, 30, logged_today)),
        ),
        exercise_7=exercise_adherence(ticks, prescribed_on, injection, today),
        period=monitoring_period(summary, counted, today, days),
        progress=Progress(baseline, average, count),
        trend=sparkline_points(scores, today),
        reasons=attention_reasons(facts, today, words),
        unread_messages=facts.unread_messages,
    )
