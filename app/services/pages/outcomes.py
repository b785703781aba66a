"""The data behind the outcomes page, gathered with grouped SQL so the number of statements is the
same for 10 treatments or 10,000; the figures themselves come from `app.care.outcomes`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from app.care import outcomes
from app.care.content import CONDITIONS
from app.care.measures import BASELINE_WEEK, TIMEPOINT_WEEKS
from app.care.outcomes import Course, OutcomeTable, WeekShare
from app.database import without_jit
from app.extensions import db
from app.models import QuestionnaireItem, QuestionnaireResponse, Treatment, TreatmentSummary
from app.models.summaries import WEEK_COLUMNS, logged_baseline, pain_by_week


def load_courses(scope: ColumnElement[bool], today: date) -> list[Course]:
    """Every counted treatment with its weekly pain averages (from the running figures the writes
    keep, app/services/summaries: one row per treatment, not its logs) and questionnaire answers:
    three statements, whatever the number of treatments."""
    in_scope = sa.select(Treatment.id).where(scope, Treatment.injection_date <= today)
    figures = sa.inspect(TreatmentSummary).columns
    rows = db.session.execute(
        sa.select(Treatment.id, Treatment.condition, Treatment.injection_date, Treatment.baseline_pain)
        .add_columns(figures.pre_pain_sum, figures.pre_pain_count, *(figures[name] for name in WEEK_COLUMNS))
        .outerjoin(TreatmentSummary, TreatmentSummary.treatment_id == Treatment.id)
        .where(Treatment.id.in_(in_scope))
    ).mappings()
    peg, psfs, pgic = questionnaire_answers(in_scope)
    return [
        Course(
            condition=row["condition"],
            injection_date=row["injection_date"],
            baseline_pain=float(row["baseline_pain"])
            if row["baseline_pain"] is not None
            else logged_baseline(row["pre_pain_sum"] or 0, row["pre_pain_count"] or 0),
            pain_by_week=pain_by_week(row) if row["pre_pain_count"] is not None else {},
            peg_by_week=peg.get(row["id"], {}),
            psfs_by_week=psfs.get(row["id"], {}),
            pgic_by_week=pgic.get(row["id"], {}),
        )
        for row in rows
    ]


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
    without_jit()
    courses = load_courses(scope, today)
    tables = outcomes.outcome_tables(courses, today, CONDITIONS)
    return tables, outcomes.responders_by_week(courses, today), len(courses)
