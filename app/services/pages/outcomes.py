"""The data behind the outcomes page, gathered with grouped SQL so the number of statements is the
same for 10 treatments or 10,000; the figures themselves come from `app.care.outcomes`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.care import outcomes
from app.care.content import CONDITIONS
from app.care.measures import BASELINE_WEEK, TIMEPOINT_WEEKS
from app.care.outcomes import Course, OutcomeTable, WeekShare
from app.extensions import db
from app.models import DailyLog, QuestionnaireItem, QuestionnaireResponse, Treatment


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


def load_courses(scope: ColumnElement[bool], today: date) -> list[Course]:
    """Every counted treatment with its weekly pain averages and questionnaire answers: five
    statements, whatever the number of treatments."""
    in_scope = sa.select(Treatment.id).where(scope, Treatment.injection_date <= today)
    rows = db.session.execute(
        sa.select(Treatment.id, Treatment.condition, Treatment.injection_date, Treatment.baseline_pain).where(
            Treatment.id.in_(in_scope)
        )
    ).all()
    logged_baselines = pre_injection_means(in_scope)
    pain = weekly_pain(in_scope)
    peg, psfs, pgic = questionnaire_answers(in_scope)
    return [
        Course(
            condition=row.condition,
            injection_date=row.injection_date,
            baseline_pain=float(row.baseline_pain)
            if row.baseline_pain is not None
            else logged_baselines.get(row.id),
            pain_by_week=pain.get(row.id, {}),
            peg_by_week=peg.get(row.id, {}),
            psfs_by_week=psfs.get(row.id, {}),
            pgic_by_week=pgic.get(row.id, {}),
        )
        for row in rows
    ]


def pre_injection_means(in_scope: sa.Select[int]) -> dict[int, float]:
    """The baseline when none was recorded: the mean of the logs before the injection."""
    query = (
        sa.select(Treatment.id, sa.func.avg(DailyLog.back_pain))
        .join(DailyLog, DailyLog.patient_id == Treatment.patient_id)
        .where(Treatment.id.in_(in_scope), Treatment.baseline_pain.is_(None))
        .where(DailyLog.day < Treatment.injection_date)
        .group_by(Treatment.id)
    )
    return {treatment_id: round(float(mean), 1) for treatment_id, mean in db.session.execute(query)}


def weekly_pain(in_scope: sa.Select[int]) -> dict[int, dict[int, float]]:
    """The mean back pain in each week's 7-day window around the time point, per treatment,
    computed by the database (the windows are back to back: week = (day + 3) // 7)."""
    day = days_between(DailyLog.day, Treatment.injection_date)
    first, _ = outcomes.window(outcomes.CHART_WEEKS[0])
    _, last = outcomes.window(outcomes.CHART_WEEKS[-1])
    week = ((day + outcomes.HALF_WINDOW) // 7).label("week")
    query = (
        sa.select(Treatment.id, week, sa.func.avg(DailyLog.back_pain))
        .join(DailyLog, DailyLog.patient_id == Treatment.patient_id)
        .where(Treatment.id.in_(in_scope), day.between(first, last))
        .group_by(Treatment.id, week)
    )
    found: dict[int, dict[int, float]] = defaultdict(dict)
    for treatment_id, number, mean in db.session.execute(query):
        found[treatment_id][int(number)] = round(float(mean), 1)
    return found


def questionnaire_answers(
    in_scope: sa.Select[int],
) -> tuple[dict[int, dict[int, float]], dict[int, dict[int, dict[str, int]]], dict[int, dict[int, int]]]:
    """PEG scores (the database averages the items), PSFS activities and PGIC answers at
    evaluation, week 6 and week 12."""
    rounds = (BASELINE_WEEK, *TIMEPOINT_WEEKS)
    base = (
        sa.select()
        .select_from(QuestionnaireResponse)
        .join(QuestionnaireItem)
        .where(QuestionnaireResponse.treatment_id.in_(in_scope), QuestionnaireResponse.week.in_(rounds))
    )
    peg: dict[int, dict[int, float]] = defaultdict(dict)
    for treatment_id, week, mean in db.session.execute(
        base.add_columns(
            QuestionnaireResponse.treatment_id,
            QuestionnaireResponse.week,
            sa.func.avg(QuestionnaireItem.value),
        )
        .where(QuestionnaireResponse.kind == "peg")
        .group_by(QuestionnaireResponse.treatment_id, QuestionnaireResponse.week)
    ):
        peg[treatment_id][week] = round(float(mean), 1)
    psfs: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    pgic: dict[int, dict[int, int]] = defaultdict(dict)
    for kind, treatment_id, week, label, value in db.session.execute(
        base.add_columns(
            QuestionnaireResponse.kind,
            QuestionnaireResponse.treatment_id,
            QuestionnaireResponse.week,
            QuestionnaireItem.label,
            QuestionnaireItem.value,
        ).where(QuestionnaireResponse.kind.in_(("psfs", "pgic")))
    ):
        if kind == "psfs":
            psfs[treatment_id][week][label] = value
        else:
            pgic[treatment_id][week] = value
    return peg, psfs, pgic


def clinic_outcomes(
    scope: ColumnElement[bool], today: date
) -> tuple[list[OutcomeTable], list[WeekShare], int]:
    """The tables at weeks 6 and 12, the responders by week, and how many treatments count, over
    the treatments in `scope` (who may see which is app/web/access.py's rule)."""
    courses = load_courses(scope, today)
    tables = outcomes.outcome_tables(courses, today, CONDITIONS)
    return tables, outcomes.responders_by_week(courses, today), len(courses)
