"""The summaries as SQL, on SQLite and PostgreSQL alike: one recomputation of a treatment's days
from the raw rows (logs, ticks, answers, the live plan), used by every write for the days it
changed, by `summaries rebuild` for all of them and by `summaries verify` to compare; and one
roll-up of a treatment's days into its running figures. The phase and exercise-schedule rules are
written from app.care's own tables (PHASES, due_offsets), so they are stated once."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from app.care.dosing import DAYS_IN_WEEK, due_offsets
from app.care.measures import BASELINE_WEEK, TIMEPOINT_WEEKS
from app.care.outcomes import window
from app.care.protocol import PHASES
from app.models import (
    DailyLog,
    DailySummary,
    ExerciseTick,
    PlanItem,
    QuestionnaireItem,
    QuestionnaireResponse,
    Treatment,
    TreatmentSummary,
)
from app.models.summaries import SUMMARY_WEEKS

DAILY_COLUMNS = (
    "treatment_id",
    "day",
    "patient_id",
    "logged",
    "back_pain",
    "leg_pain",
    "nsaid",
    "sessions_due",
    "sessions_done",
    "answered",
    "data_day",
)


class days_between(FunctionElement[int]):
    """Whole days from the second date to the first, in SQL, on SQLite and PostgreSQL alike."""

    type = sa.Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def yes(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """A condition as a stored boolean (never NULL)."""
    return sa.case((condition, sa.true()), else_=sa.false())


def phase_of(offset: sa.ColumnElement[int]) -> sa.ColumnElement[str]:
    """The phase key of the day `offset` days after the injection (app.care.protocol.PHASES)."""
    whens = []
    for phase in PHASES:
        bounds = []
        if phase.first_day is not None:
            bounds.append(offset >= phase.first_day)
        if phase.last_day is not None:
            bounds.append(offset <= phase.last_day)
        whens.append((sa.and_(*bounds), phase.key))
    return sa.case(*whens)


def is_due(days_per_week: Any, offset: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """An item with this schedule is due on the day (app.care.dosing.is_due, a floor modulo)."""
    weekday = ((offset % DAYS_IN_WEEK) + DAYS_IN_WEEK) % DAYS_IN_WEEK
    return sa.or_(
        days_per_week.is_(None),
        days_per_week >= DAYS_IN_WEEK,
        *(sa.and_(days_per_week == n, weekday.in_(sorted(due_offsets(n)))) for n in range(1, DAYS_IN_WEEK)),
    )


def belongs(log: Any, treatment: Any) -> sa.ColumnElement[bool]:
    """A patient's log counts for a treatment when it names it, or names none."""
    return sa.and_(
        log.patient_id == treatment.patient_id,
        sa.or_(log.treatment_id.is_(None), log.treatment_id == treatment.id),
    )


def recompute(keys: sa.Subquery) -> sa.Select[Any]:
    """The summary rows of the (treatment_id, day) pairs in `keys`, from the raw rows."""
    offset = days_between(keys.c.day, Treatment.injection_date)
    done = (
        sa.select(sa.func.count())
        .select_from(ExerciseTick)
        .join(PlanItem, ExerciseTick.plan_item_id == PlanItem.id)
        .where(PlanItem.treatment_id == keys.c.treatment_id, ExerciseTick.day == keys.c.day)
        .scalar_subquery()
    )
    due = (
        sa.select(sa.func.coalesce(sa.func.sum(sa.func.coalesce(PlanItem.times_per_day, 1)), 0))
        .where(
            PlanItem.treatment_id == keys.c.treatment_id,
            PlanItem.removed_at.is_(None),
            PlanItem.phase == phase_of(offset),
            is_due(PlanItem.days_per_week, offset),
        )
        .scalar_subquery()
    )
    answered = (
        sa.select(QuestionnaireResponse.id)
        .where(
            QuestionnaireResponse.treatment_id == keys.c.treatment_id,
            QuestionnaireResponse.day == keys.c.day,
        )
        .exists()
    )
    inner = (
        sa.select(
            keys.c.treatment_id,
            keys.c.day,
            Treatment.patient_id,
            yes(DailyLog.id.is_not(None)).label("logged"),
            DailyLog.back_pain,
            DailyLog.leg_pain,
            yes(DailyLog.nsaid.is_(True)).label("nsaid"),
            due.label("sessions_due"),
            done.label("sessions_done"),
            yes(answered).label("answered"),
            Treatment.evaluation_date,
        )
        .select_from(keys)
        .join(Treatment, Treatment.id == keys.c.treatment_id)
        .outerjoin(DailyLog, sa.and_(DailyLog.day == keys.c.day, belongs(DailyLog, Treatment)))
        .subquery()
    )
    data_day = sa.or_(
        sa.and_(inner.c.logged.is_(True), inner.c.day >= inner.c.evaluation_date),
        inner.c.sessions_done > 0,
        inner.c.answered.is_(True),
    )
    columns = [inner.c[name] for name in DAILY_COLUMNS if name != "data_day"]
    # WHERE true: SQLite reads "INSERT … SELECT … ON CONFLICT" only with a WHERE before it.
    return sa.select(*columns, yes(data_day).label("data_day")).where(sa.true())


def all_keys(treatment_ids: sa.Select[Any] | None = None) -> sa.Subquery:
    """Every (treatment, day) with a log, a tick or an answer (of the given treatments)."""

    def of(column: Any) -> list[sa.ColumnElement[bool]]:
        return [column.in_(treatment_ids)] if treatment_ids is not None else []

    logs = (
        sa.select(Treatment.id.label("treatment_id"), DailyLog.day.label("day"))
        .join(DailyLog, belongs(DailyLog, Treatment))
        .where(*of(Treatment.id))
    )
    ticks = (
        sa.select(PlanItem.treatment_id, ExerciseTick.day)
        .join(PlanItem, ExerciseTick.plan_item_id == PlanItem.id)
        .where(*of(PlanItem.treatment_id))
    )
    answers = sa.select(QuestionnaireResponse.treatment_id, QuestionnaireResponse.day).where(
        *of(QuestionnaireResponse.treatment_id)
    )
    return sa.union(logs, ticks, answers).subquery("keys")


def stored_days(treatment_ids: sa.Select[Any] | None = None) -> sa.Select[Any]:
    """The stored rows that say something (a row emptied by an untick says nothing)."""
    table = DailySummary.__table__
    said = sa.or_(table.c.logged.is_(True), table.c.sessions_done > 0, table.c.answered.is_(True))
    query = sa.select(*(table.c[name] for name in DAILY_COLUMNS)).where(said)
    if treatment_ids is not None:
        query = query.where(table.c.treatment_id.in_(treatment_ids))
    return query


def figures(days: Any, treatment_ids: sa.Select[Any] | None = None, outcomes: bool = True) -> sa.Select[Any]:
    """Per treatment (every one, with or without days), its running figures from `days` (the
    table or a recomputation of it): the columns of TreatmentSummary, in order. Without
    `outcomes`, the outcome figures are left out (a migration that ran before they existed)."""
    counted = counts(days, treatment_ids).subquery("counted")
    if not outcomes:
        return sa.select(*counted.c).where(sa.true())
    # OFFSET 0 keeps PostgreSQL from folding this layer into the next, where each use of a mean
    # would repeat its whole expression (planned once, worked out once a row).
    worked = tenths(counted, treatment_ids).offset(sa.literal_column("0")).subquery("worked")

    def reduction(baseline: Any, later: Any) -> sa.ColumnElement[int]:
        """The percent lower, in tenths (measures.percent_reduction)."""
        return sa.case((baseline > 0, nearest(1000 * (baseline - later), baseline)))

    passed = [worked.c[column.name] for column in counted.c if column.name != "baseline_pain"]
    return sa.select(
        *passed,
        *(
            reduction(worked.c.baseline, worked.c[f"pain_{week}"]).label(f"reduction_{week}")
            for week in SUMMARY_WEEKS
        ),
        *(
            reduction(worked.c.peg_0, worked.c[f"peg_{week}"]).label(f"peg_reduction_{week}")
            for week in TIMEPOINT_WEEKS
        ),
        *(worked.c[f"psfs_gain_{week}"] for week in TIMEPOINT_WEEKS),
        *(worked.c[f"pgic_{week}"] for week in TIMEPOINT_WEEKS),
    ).where(sa.true())


def counts(days: Any, treatment_ids: sa.Select[Any] | None) -> sa.Select[Any]:
    """The figures that are sums, counts and days, and the recorded baseline beside them."""
    offset = days_between(days.c.day, Treatment.injection_date)
    logged = days.c.logged.is_(True)

    def total(condition: sa.ColumnElement[bool], value: Any) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)

    weekly = []
    for week in SUMMARY_WEEKS:
        first, last = window(week)
        around = sa.and_(logged, offset.between(first, last))
        weekly += [
            total(around, days.c.back_pain).label(f"pain_sum_{week}"),
            total(around, 1).label(f"pain_count_{week}"),
        ]
    before = sa.and_(logged, days.c.day < Treatment.injection_date)
    query = (
        sa.select(
            Treatment.id.label("treatment_id"),
            sa.func.min(sa.case((days.c.data_day.is_(True), days.c.day))).label("first_data_day"),
            sa.func.max(sa.case((logged, days.c.day))).label("last_log_day"),
            sa.func.max(sa.case((sa.or_(logged, days.c.sessions_done > 0), days.c.day))).label(
                "last_data_day"
            ),
            sa.func.max(sa.case((days.c.data_day.is_(True), days.c.day))).label("last_monitoring_day"),
            total(before, days.c.back_pain).label("pre_pain_sum"),
            total(before, 1).label("pre_pain_count"),
            *weekly,
            Treatment.baseline_pain,
        )
        .select_from(Treatment)
        .outerjoin(days, days.c.treatment_id == Treatment.id)
        .where(sa.true())  # see recompute()
        .group_by(Treatment.id)
    )
    if treatment_ids is not None:
        query = query.where(Treatment.id.in_(treatment_ids))
    return cast(sa.Select[Any], query)


def tenths(counted: sa.Subquery, treatment_ids: sa.Select[Any] | None) -> sa.Select[Any]:
    """Beside the counts: the baseline and each week's mean pain in tenths, and the
    questionnaires' figures of the treatment (PEG scores, PSFS points gained, PGIC answers)."""
    c = counted.c
    answers = answer_figures(treatment_ids).subquery("answers")
    matched = psfs_matches(treatment_ids).subquery("matched")
    baseline = sa.case(
        (c.baseline_pain.is_not(None), 10 * c.baseline_pain),
        (c.pre_pain_count > 0, nearest(10 * c.pre_pain_sum, c.pre_pain_count)),
    )

    def mean(total: Any, count: Any) -> sa.ColumnElement[int]:
        return sa.case((count > 0, nearest(10 * total, count)))

    return (
        sa.select(
            *c,
            baseline.label("baseline"),
            *(mean(c[f"pain_sum_{w}"], c[f"pain_count_{w}"]).label(f"pain_{w}") for w in SUMMARY_WEEKS),
            *(
                mean(answers.c[f"peg_sum_{w}"], answers.c[f"peg_count_{w}"]).label(f"peg_{w}")
                for w in PEG_ROUNDS
            ),
            *(
                mean(matched.c[f"gain_{w}"], matched.c[f"shared_{w}"]).label(f"psfs_gain_{w}")
                for w in TIMEPOINT_WEEKS
            ),
            *(answers.c[f"pgic_{w}"] for w in TIMEPOINT_WEEKS),
        )
        .select_from(counted)
        .outerjoin(answers, answers.c.treatment_id == c.treatment_id)
        .outerjoin(matched, matched.c.treatment_id == c.treatment_id)
    )


PEG_ROUNDS = (BASELINE_WEEK, *TIMEPOINT_WEEKS)


def of_treatments(column: Any, treatment_ids: sa.Select[Any] | None) -> list[sa.ColumnElement[bool]]:
    return [column.in_(treatment_ids)] if treatment_ids is not None else []


def answer_figures(treatment_ids: sa.Select[Any] | None) -> sa.Select[Any]:
    """Per treatment: the PEG items' sum and count at evaluation, week 6 and week 12 (the score
    is their mean, measures.mean_score) and the PGIC answer at weeks 6 and 12; one pass over
    the answers (of the given treatments), not a lookup per figure."""
    response, item = QuestionnaireResponse, QuestionnaireItem

    def at(kind: str, week: int) -> sa.ColumnElement[bool]:
        return sa.and_(response.kind == kind, response.week == week)

    query = (
        sa.select(
            response.treatment_id,
            *(sa.func.sum(sa.case((at("peg", w), item.value))).label(f"peg_sum_{w}") for w in PEG_ROUNDS),
            *(sa.func.count(sa.case((at("peg", w), 1))).label(f"peg_count_{w}") for w in PEG_ROUNDS),
            *(sa.func.max(sa.case((at("pgic", w), item.value))).label(f"pgic_{w}") for w in TIMEPOINT_WEEKS),
        )
        .join(item, item.response_id == response.id)
        .where(
            response.kind.in_(("peg", "pgic")),
            response.week.in_(PEG_ROUNDS),
            *of_treatments(response.treatment_id, treatment_ids),
        )
        .group_by(response.treatment_id)
    )
    return cast(sa.Select[Any], query)


def psfs_matches(treatment_ids: sa.Select[Any] | None) -> sa.Select[Any]:
    """Per treatment and PSFS round at weeks 6 and 12: the points gained summed over the
    activities rated at evaluation too, and how many (measures.psfs_change); activities match by
    their stored key."""
    first, later = aliased(QuestionnaireResponse), aliased(QuestionnaireResponse)
    before, after = aliased(QuestionnaireItem), aliased(QuestionnaireItem)
    query = (
        sa.select(
            first.treatment_id,
            *(
                sa.func.sum(sa.case((later.week == w, after.value - before.value))).label(f"gain_{w}")
                for w in TIMEPOINT_WEEKS
            ),
            *(sa.func.count(sa.case((later.week == w, 1))).label(f"shared_{w}") for w in TIMEPOINT_WEEKS),
        )
        .join(before, before.response_id == first.id)
        .join(later, sa.and_(later.treatment_id == first.treatment_id, later.kind == "psfs"))
        .join(after, sa.and_(after.response_id == later.id, after.activity_key == before.activity_key))
        .where(
            first.kind == "psfs",
            first.week == BASELINE_WEEK,
            later.week.in_(TIMEPOINT_WEEKS),
            *of_treatments(first.treatment_id, treatment_ids),
        )
        .group_by(first.treatment_id)
    )
    return cast(sa.Select[Any], query)


SHIFT = 2**20  # even, and more than any |numerator / denominator| the figures divide


def nearest(numerator: Any, denominator: Any) -> sa.ColumnElement[int]:
    """measures.nearest in SQL: the whole number nearest to numerator / denominator (> 0), a tie
    to the even one, in integer steps only. Both databases divide whole numbers by cutting toward
    zero, so the numerator is first shifted up by an even number of denominators (SHIFT) to
    divide a positive number; twice the numerator plus the denominator, over twice the
    denominator, is the half rounded up, and a tie (no remainder) on an odd number goes down.
    Each value appears twice, so the statement stays small to plan."""
    shift = sa.literal_column(str(SHIFT), sa.BigInteger)
    two, one = sa.literal_column("2", sa.Integer), sa.literal_column("1", sa.Integer)
    numerator, denominator = (
        sa.type_coerce(numerator, sa.BigInteger),
        sa.type_coerce(denominator, sa.BigInteger),
    )
    lifted = two * (numerator + shift * denominator) + denominator
    halves = lifted // (two * denominator)
    tie_on_odd = sa.and_(lifted % (two * denominator) == sa.literal_column("0"), halves % two == one)
    return sa.type_coerce(
        halves - shift - sa.case((tie_on_odd, one), else_=sa.literal_column("0")), sa.Integer
    )


# The figures, worked out from the days; the revision is written beside them (store.py).
SUMMARY_COLUMNS = tuple(
    column.name for column in TreatmentSummary.__table__.columns if column.name != "revision"
)
