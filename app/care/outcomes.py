"""The clinic's results across patients, honestly counted (docs/clinical-protocol.md#outcomes).

At week 6 and week 12 after the injection, per condition and overall:

- **pain change** = the 7-day average of back pain around the time point (days 7W-3 to 7W+3,
  so days 39-45 for week 6 and 81-87 for week 12) against the baseline (the pain recorded at
  evaluation, else the mean of the logs before the injection), as a percent reduction;
- **responders** reach a reduction of 30 % (meaningful) or 50 % (substantial); the share is given
  among treatments with data, with a 95 % Wilson interval, and again counting every treatment
  without data as a non-responder (the honest lower figure);
- the median PSFS change (points, on the activities rated both times), the median PEG change
  (percent lower) and the share answering PGIC "much" or "very much improved".

A treatment counts at a time point once that time point's window is over. Groups with fewer than
10 treatments with data are too few to judge. There is no control group: these are before-and-after
figures, which also hold the natural course of back pain and regression to the mean.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.care.measures import BASELINE_WEEK, percent_reduction, pgic_responder, psfs_change
from app.care.staff_words import N_

TIMEPOINT_WEEKS: tuple[int, ...] = (6, 12)
RESPONDER_PERCENTS: tuple[int, int] = (30, 50)
CLAIM_PERCENT = 60  # the brochure's own threshold ("60-90 %"), shown beside it
MIN_GROUP = 10
CHART_WEEKS: tuple[int, ...] = tuple(range(1, 13))
HALF_WINDOW = 3  # days either side of the time point: a 7-day average
WILSON_Z = 1.959964  # 95 %
# Staff words, shown in the reader's language (the brochure's claims translated as claims).
BROCHURE_CLAIMS: tuple[str, ...] = (
    N_("Up to 60–90% pain reduction in 2 to 3 months"),
    N_("50–90% in properly selected patients"),
)
EVIDENCE_NOTE = N_(
    "Pooled randomised trials of PRP for low back pain report about 1.5 points less pain on 0–10 "
    "than comparison groups at 3 months; one placebo-controlled trial of intradiscal PRP found no "
    "difference at 12 months."
)
ALL_CONDITIONS = N_("All conditions")


def window(week: int) -> tuple[int, int]:
    """The days (after the injection) whose pain is averaged for a week's time point."""
    return 7 * week - HALF_WINDOW, 7 * week + HALF_WINDOW


@dataclass(frozen=True)
class Course:
    """One treatment's data, as plain values: what the outcome figures are computed from."""

    condition: str
    injection_date: date
    baseline_pain: float | None
    pain_by_week: Mapping[int, float] = field(default_factory=dict)  # 7-day mean around week W
    peg_by_week: Mapping[int, float] = field(default_factory=dict)  # week 0 = baseline
    psfs_by_week: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    pgic_by_week: Mapping[int, int] = field(default_factory=dict)

    def reached(self, week: int, today: date) -> bool:
        """The time point's window is over (so missing data is really missing)."""
        return self.injection_date + timedelta(days=window(week)[1]) < today

    def pain_reduction(self, week: int) -> float | None:
        return percent_reduction(self.baseline_pain, self.pain_by_week.get(week))

    def peg_reduction(self, week: int) -> float | None:
        return percent_reduction(self.peg_by_week.get(BASELINE_WEEK), self.peg_by_week.get(week))

    def psfs_gain(self, week: int) -> float | None:
        baseline, later = self.psfs_by_week.get(BASELINE_WEEK), self.psfs_by_week.get(week)
        return psfs_change(baseline, later) if baseline and later else None


# --- Statistics ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95 % Wilson score interval, in percent."""
        return wilson_interval(self.count, self.total)


def wilson_interval(count: int, total: int, z: float = WILSON_Z) -> tuple[float, float] | None:
    if total <= 0:
        return None
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


@dataclass(frozen=True)
class Spread:
    median: float
    q1: float
    q3: float


def spread(values: Sequence[float]) -> Spread | None:
    """Median and interquartile range (quartiles by linear interpolation, as spreadsheets do)."""
    ordered = sorted(values)
    return spread_of_sorted(len(ordered), ordered.__getitem__)


def spread_of_sorted(count: int, at: Callable[[int], float]) -> Spread | None:
    """`spread` from the `count` values in order, read by place (`at`): the median as
    statistics.median and the quartiles as statistics.quantiles(n=4, method="inclusive") work
    them out (the database sends each value with how many times it occurs, not every value)."""
    if count == 0:
        return None
    if count == 1:
        return Spread(at(0), at(0), at(0))
    middle = count // 2
    centre = at(middle) if count % 2 else (at(middle - 1) + at(middle)) / 2
    q1, q3 = (quartile(i, count - 1, at) for i in (1, 3))
    return Spread(centre, q1, q3)


def quartile(i: int, last: int, at: Callable[[int], float]) -> float:
    j, delta = divmod(i * last, 4)
    return (at(j) * (4 - delta) + at(j + 1) * delta) / 4


# --- Groups ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupOutcome:
    label: str  # a condition's name (a catalogue text) or ALL_CONDITIONS: shown translated
    week: int
    started: int  # treatments whose time point has passed
    with_data: int  # ... with a baseline and a pain average around the time point
    pain: Spread | None  # percent reduction
    responders: dict[int, Share]  # threshold -> among treatments with data
    responders_all: dict[int, Share]  # threshold -> counting missing data as non-responders
    psfs: Spread | None
    psfs_count: int
    peg: Spread | None
    peg_count: int
    pgic: Share
    claim: Share = Share(0, 0)  # reaching the brochure's 60 %, among treatments with data
    claim_all: Share = Share(0, 0)  # ... counting missing data as not improved

    @property
    def too_few(self) -> bool:
        return self.with_data < MIN_GROUP


@dataclass(frozen=True)
class GroupCounts:
    """What a group's outcome is made of, counted over its treatments past the time point
    (`started`): by these functions from courses, or by the database (app/services/pages/outcomes.py)."""

    started: int
    with_data: int  # with a percent change in pain
    responders: Mapping[int, int]  # threshold -> treatments reaching it
    claim: int  # reaching CLAIM_PERCENT
    pgic_responders: int
    pgic_answers: int


def group_of(
    label: str,
    week: int,
    counts: GroupCounts,
    pain: Spread | None,
    psfs: tuple[Spread | None, int],
    peg: tuple[Spread | None, int],
) -> GroupOutcome:
    """The group's outcome from its counts and its spreads (with how many values each has)."""
    return GroupOutcome(
        label=label,
        week=week,
        started=counts.started,
        with_data=counts.with_data,
        pain=pain,
        responders={t: Share(counts.responders[t], counts.with_data) for t in RESPONDER_PERCENTS},
        responders_all={t: Share(counts.responders[t], counts.started) for t in RESPONDER_PERCENTS},
        psfs=psfs[0],
        psfs_count=psfs[1],
        peg=peg[0],
        peg_count=peg[1],
        pgic=Share(counts.pgic_responders, counts.pgic_answers),
        claim=Share(counts.claim, counts.with_data),
        claim_all=Share(counts.claim, counts.started),
    )


def group_outcome(label: str, courses: Iterable[Course], week: int, today: date) -> GroupOutcome:
    """The rule, one course at a time: what the database's figures are checked against
    (`flask summaries verify`)."""
    started = [c for c in courses if c.reached(week, today)]
    reductions = [r for r in (c.pain_reduction(week) for c in started) if r is not None]
    psfs = [g for g in (c.psfs_gain(week) for c in started) if g is not None]
    peg = [r for r in (c.peg_reduction(week) for c in started) if r is not None]
    pgic = [c.pgic_by_week[week] for c in started if week in c.pgic_by_week]
    counts = GroupCounts(
        started=len(started),
        with_data=len(reductions),
        responders={t: sum(1 for r in reductions if r >= t) for t in RESPONDER_PERCENTS},
        claim=sum(1 for r in reductions if r >= CLAIM_PERCENT),
        pgic_responders=sum(1 for v in pgic if pgic_responder(v)),
        pgic_answers=len(pgic),
    )
    return group_of(
        label, week, counts, spread(reductions), (spread(psfs), len(psfs)), (spread(peg), len(peg))
    )


@dataclass(frozen=True)
class OutcomeTable:
    week: int
    overall: GroupOutcome
    by_condition: list[GroupOutcome]


def outcome_tables(
    courses: Sequence[Course], today: date, condition_names: Mapping[str, str]
) -> list[OutcomeTable]:
    """Overall and per condition (in the order of `condition_names`), at each time point."""
    tables = []
    for week in TIMEPOINT_WEEKS:
        groups = [
            group_outcome(name, [c for c in courses if c.condition == key], week, today)
            for key, name in condition_names.items()
        ]
        overall = group_outcome(ALL_CONDITIONS, courses, week, today)
        tables.append(OutcomeTable(week, overall, [g for g in groups if g.started]))
    return tables


@dataclass(frozen=True)
class WeekShare:
    week: int
    with_data: int
    responders: dict[int, Share]
    started: int = 0  # treatments past the week: the denominator when missing = not improved
    responders_all: dict[int, Share] = field(default_factory=dict)


def responders_by_week(courses: Sequence[Course], today: date) -> list[WeekShare]:
    """The share reaching 30 % and 50 % less pain at each week 1-12, among treatments with data,
    and again counting every treatment past the week without data as not improved (as patients
    stop logging, the first share can rise while the second shows who is left out)."""
    found = []
    for week in CHART_WEEKS:
        started = [c for c in courses if c.reached(week, today)]
        reductions = [r for r in (c.pain_reduction(week) for c in started) if r is not None]
        counts = {t: sum(1 for r in reductions if r >= t) for t in RESPONDER_PERCENTS}
        found.append(week_share(week, len(started), len(reductions), counts))
    return found


def week_share(week: int, started: int, with_data: int, responders: Mapping[int, int]) -> WeekShare:
    return WeekShare(
        week,
        with_data,
        {t: Share(n, with_data) for t, n in responders.items()},
        started,
        {t: Share(n, started) for t, n in responders.items()},
    )


# --- The chart -------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 260
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 44, 16, 16, 36


@dataclass(frozen=True)
class ChartSeries:
    threshold: int
    points: tuple[tuple[float, float, int, float], ...]  # x, y, week, percent
    line: str  # polyline points; weeks without data break nothing, they are left out
    missing_as_not_improved: bool = False


def chart_x(week: int) -> float:
    span = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    return round(CHART_LEFT + (week - CHART_WEEKS[0]) * span / (len(CHART_WEEKS) - 1), 1)


def chart_y(percent: float) -> float:
    return round(CHART_TOP + (100 - percent) * (CHART_HEIGHT - CHART_TOP - CHART_BOTTOM) / 100, 1)


def chart_series(weeks: Sequence[WeekShare]) -> list[ChartSeries]:
    """A line per threshold among treatments with data, and one per threshold counting missing
    data as not improved."""
    series = []
    for missing in (False, True):
        for threshold in RESPONDER_PERCENTS:
            points = tuple(
                (chart_x(w.week), chart_y(percent), w.week, percent)
                for w in weeks
                if (percent := (w.responders_all if missing else w.responders)[threshold].percent) is not None
            )
            line = " ".join(f"{x},{y}" for x, y, _w, _p in points)
            series.append(ChartSeries(threshold, points, line, missing))
    return series
