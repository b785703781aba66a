"""The figures of the outcomes page, counted and ranked in SQL from each treatment's outcome
figures (kept by the writes, app/services/summaries), so that neither the statements nor the rows
sent grow with the clinic; and the same figures course by course in Python, as app.care.outcomes
states the rule, for `flask summaries verify` to compare."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from app.care import outcomes
from app.care.content import CONDITIONS
from app.care.measures import BASELINE_WEEK, PGIC_RESPONDER_MAX, TIMEPOINT_WEEKS, nearest
from app.care.outcomes import CHART_WEEKS, RESPONDER_PERCENTS, Course, OutcomeTable, WeekShare
from app.database import planned_as_a_report
from app.extensions import db
from app.models import QuestionnaireItem, QuestionnaireResponse, Treatment, TreatmentSummary
from app.models.summaries import OUTCOME_COLUMNS, WEEK_COLUMNS, logged_baseline, pain_by_week


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
    """PEG scores (the mean of the items, as measures.mean_score), PSFS activities and PGIC answers at
    evaluation, week 6 and week 12."""
    rounds = (BASELINE_WEEK, *TIMEPOINT_WEEKS)
    base = (
        sa.select()
        .select_from(QuestionnaireResponse)
        .join(QuestionnaireItem)
        .where(QuestionnaireResponse.treatment_id.in_(in_scope), QuestionnaireResponse.week.in_(rounds))
    )
    peg: dict[int, dict[int, float]] = defaultdict(dict)
    for treatment_id, week, total, count in db.session.execute(
        base.add_columns(
            QuestionnaireResponse.treatment_id,
            QuestionnaireResponse.week,
            sa.func.sum(QuestionnaireItem.value),
            sa.func.count(),
        )
        .where(QuestionnaireResponse.kind == "peg")
        .group_by(QuestionnaireResponse.treatment_id, QuestionnaireResponse.week)
    ):
        peg[treatment_id][week] = nearest(10 * int(total), count) / 10
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
    the treatments in `scope` (who may see which is app/web/access.py's rule), counted and ranked
    by the database from each treatment's outcome figures (kept by the writes): one statement,
    whose answer does not grow with the clinic."""
    planned_as_a_report()
    courses = outcome_figures(scope, today).cte("courses").prefix_with("MATERIALIZED")
    counts, spreads = counted_figures(courses, today)

    def group(label: str, week: int, condition: str | None) -> outcomes.GroupOutcome:
        total = summed([counts[condition]] if condition is not None else counts.values())
        found = outcomes.GroupCounts(
            started=total[f"started_{week}"],
            with_data=total[f"with_data_{week}"],
            responders={t: total[f"responders_{t}_{week}"] for t in RESPONDER_PERCENTS},
            claim=total[f"claim_{week}"],
            pgic_responders=total[f"pgic_responders_{week}"],
            pgic_answers=total[f"pgic_answers_{week}"],
        )

        def of(measure: str) -> tuple[outcomes.Spread | None, int]:
            return spreads.get((measure, week, condition), (None, 0))

        return outcomes.group_of(label, week, found, of("reduction")[0], of("psfs_gain"), of("peg_reduction"))

    tables = []
    for week in TIMEPOINT_WEEKS:
        by_condition = [group(name, week, key) for key, name in CONDITIONS.items() if key in counts]
        tables.append(
            OutcomeTable(
                week, group(outcomes.ALL_CONDITIONS, week, None), [g for g in by_condition if g.started]
            )
        )
    total = summed(counts.values())
    weeks = [
        outcomes.week_share(
            week,
            total[f"started_{week}"],
            total[f"with_data_{week}"],
            {t: total[f"responders_{t}_{week}"] for t in RESPONDER_PERCENTS},
        )
        for week in CHART_WEEKS
    ]
    return tables, weeks, total["treatments"]


def summed(rows: Iterable[Mapping[str, int]]) -> Counter[str]:
    """The groups' counts added up (none at all: every count is 0)."""
    total: Counter[str] = Counter()
    for row in rows:
        total.update(row)
    return total


def outcome_figures(scope: ColumnElement[bool], today: date) -> sa.Select[Any]:
    """The counted treatments in `scope` (a condition on the treatment; injected by today):
    condition, injection date and the outcome figures the writes keep (app/models/summaries.py)."""
    figures = sa.inspect(TreatmentSummary).columns
    return (
        sa.select(Treatment.condition, Treatment.injection_date, *(figures[name] for name in OUTCOME_COLUMNS))
        .outerjoin(TreatmentSummary, TreatmentSummary.treatment_id == Treatment.id)
        .where(scope, Treatment.injection_date <= today)
    )


def reached(courses: sa.CTE, week: int, today: date) -> ColumnElement[bool]:
    """The week's time point is over (outcomes.Course.reached): its window ended before today."""
    return courses.c.injection_date < today - timedelta(days=outcomes.window(week)[1])


def group_counts(courses: sa.CTE, today: date) -> list[ColumnElement[Any]]:
    """Per condition: how many treatments count, and for each week how many are past its time
    point, have a pain change, reach each threshold; at weeks 6 and 12 the claim and PGIC too."""
    columns: list[ColumnElement[Any]] = [sa.func.count().label("treatments")]
    for week in CHART_WEEKS:
        past = reached(courses, week, today)
        reduction = courses.c[f"reduction_{week}"]
        columns += [
            sa.func.count().filter(past).label(f"started_{week}"),
            sa.func.count(reduction).filter(past).label(f"with_data_{week}"),
            *(
                sa.func.count().filter(past, reduction >= 10 * t).label(f"responders_{t}_{week}")
                for t in RESPONDER_PERCENTS
            ),
        ]
        if week in TIMEPOINT_WEEKS:
            pgic = courses.c[f"pgic_{week}"]
            columns += [
                sa.func.count().filter(past, reduction >= 10 * outcomes.CLAIM_PERCENT).label(f"claim_{week}"),
                sa.func.count().filter(past, pgic <= PGIC_RESPONDER_MAX).label(f"pgic_responders_{week}"),
                sa.func.count(pgic).filter(past).label(f"pgic_answers_{week}"),
            ]
    return columns


Tallies = dict[tuple[str, int, str | None], tuple[outcomes.Spread | None, int]]


def counted_figures(courses: sa.CTE, today: date) -> tuple[dict[str, dict[str, int]], Tallies]:
    """In one statement that reads the treatments once: per condition, the counts of
    `group_counts`; and for each measure at weeks 6 and 12, how many times each value occurs per
    condition, from which the median and quartiles are read in order, per condition and for all
    ((measure, week, condition or None) -> the spread and how many values). The figures are whole
    tenths in a fixed range, so the rows sent are bounded by the values there can be, not by the
    treatments. (Both kinds of row share the columns: a tally leaves the counts empty.)"""
    counting = group_counts(courses, today)
    names = [column.name for column in counting]
    parts = [
        sa.select(
            sa.literal("counts").label("measure"),
            sa.literal(0).label("week"),
            courses.c.condition,
            sa.cast(sa.null(), sa.Integer).label("value"),
            *counting,
        ).group_by(courses.c.condition)
    ]
    empty = [sa.cast(sa.null(), sa.Integer) for _ in names[1:]]
    for measure in ("reduction", "psfs_gain", "peg_reduction"):
        for week in TIMEPOINT_WEEKS:
            value = courses.c[f"{measure}_{week}"]
            parts.append(
                sa.select(
                    sa.literal(measure), sa.literal(week), courses.c.condition, value, sa.func.count(), *empty
                )
                .where(reached(courses, week, today), value.is_not(None))
                .group_by(courses.c.condition, value)
            )
    counts: dict[str, dict[str, int]] = {}
    tallies: dict[tuple[str, int, str | None], Counter[int]] = defaultdict(Counter)
    for measure, week, condition, value, *figures in db.session.execute(sa.union_all(*parts)):
        if measure == "counts":
            counts[condition] = dict(zip(names, figures, strict=True))
        else:
            tallies[(measure, week, condition)][value] += figures[0]
            tallies[(measure, week, None)][value] += figures[0]
    return counts, {key: spread_of_tally(tally) for key, tally in tallies.items()}


def spread_of_tally(tally: Counter[int]) -> tuple[outcomes.Spread | None, int]:
    """The spread of values given as value -> how many times (in tenths), and how many in all."""
    ordered = sorted(tally)
    ends = list(accumulate(tally[value] for value in ordered))  # the place after each value's last

    def at(place: int) -> float:
        return ordered[bisect_right(ends, place)] / 10

    return outcomes.spread_of_sorted(ends[-1], at), ends[-1]


def reference_outcomes(
    scope: ColumnElement[bool], today: date
) -> tuple[list[OutcomeTable], list[WeekShare], int]:
    """The same figures worked out course by course in Python from the sums and the answers
    (app.care.outcomes, the rule as written): `flask summaries verify` compares the two."""
    courses = load_courses(scope, today)
    tables = outcomes.outcome_tables(courses, today, CONDITIONS)
    return tables, outcomes.responders_by_week(courses, today), len(courses)


def outcome_differences(today: date) -> list[str]:
    """Where the whole clinic's outcome figures, as the page counts them in SQL, differ from the
    rule worked out course by course (empty when they agree)."""
    fast, reference = clinic_outcomes(sa.true(), today), reference_outcomes(sa.true(), today)
    problems = []
    if fast[2] != reference[2]:
        problems.append(f"outcomes: {fast[2]} treatments counted, expected {reference[2]}")
    for got, want in zip(fast[0], reference[0], strict=True):
        groups = {g.label: g for g in (got.overall, *got.by_condition)}
        for expected in (want.overall, *want.by_condition):
            if (found := groups.get(expected.label)) != expected:
                where = f"outcomes at week {want.week}, {expected.label}"
                problems.append(f"{where}: {found!r}, expected {expected!r}")
    problems += [
        f"responders at week {want.week}: {got!r}, expected {want!r}"
        for got, want in zip(fast[1], reference[1], strict=True)
        if got != want
    ]
    return problems
