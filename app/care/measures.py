"""The validated questionnaires: when each is due, and how each is scored
(docs/clinical-protocol.md#questionnaires).

- **PEG** (Krebs 2009): pain on average, interference with enjoyment of life and with general
  activity, each 0-10; score = mean. Once before the injection (week 0, from Visit 1), then once in
  every week up to week 12 (week W = days 7W-6 to 7W), then every fourth week (weeks 16, 20 ...;
  `follow_up.py`). Meaningful change: 30 %.
- **PSFS** (Stratford 1995): up to three activities the patient names, each 0 (unable) to 10 (as
  before); score = mean. At evaluation (week 0), week 6 (days 36-48) and week 12 (days 78-90);
  later rounds re-rate the same activities and may add one. Meaningful change: 2 points, measured
  on the activities rated both times (an activity added later has no baseline).
- **PGIC**: seven steps from "very much improved" (1) to "very much worse" (7) at weeks 6 and 12;
  "much" or "very much improved" (1-2) counts as a responder.

Days are counted from the injection (day 0), like everything in `protocol.py`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from app.care import content
from app.care.follow_up import peg_round_week
from app.care.hours import Say

KINDS: tuple[str, ...] = ("peg", "psfs", "pgic")
KIND_NAMES = {"peg": "PEG", "psfs": "PSFS", "pgic": "PGIC"}
# When several are open at once, the rarer one comes first: it has the shorter window.
CARD_ORDER: tuple[str, ...] = ("psfs", "pgic", "peg")
BASELINE_WEEK = 0
TIMEPOINT_WEEKS: tuple[int, ...] = (6, 12)
# (opens, target, closes) in days after the injection, for the week 6 and week 12 rounds.
TIMEPOINT_WINDOWS: dict[int, tuple[int, int, int]] = {6: (36, 42, 48), 12: (78, 84, 90)}
BASELINE_GRACE_DAYS = 2  # the evaluation round is "overdue" two days after Visit 1
PEG_ITEM_KEYS: tuple[str, ...] = ("pain", "enjoyment", "activity")
PGIC_RESPONDER_MAX = 2  # 1 very much improved, 2 much improved
PGIC_VALUES = range(1, 8)
PEG_MEANINGFUL_PERCENT = 30.0
PSFS_MEANINGFUL_POINTS = 2.0
PSFS_FIRST_ROUND_ACTIVITIES = 3
PSFS_MAX_NEW_PER_ROUND = 1
PSFS_MAX_ACTIVITIES = 5  # three at evaluation, one added at week 6 and at week 12
PSFS_LABEL_MAX = 80


@dataclass(frozen=True)
class Round:
    """One scheduled time to answer a questionnaire."""

    kind: str
    week: int  # 0 = before the injection (evaluation); else the week after it
    opens: int  # first day it can be answered (days after the injection)
    target: int  # after this day it is overdue
    closes: int  # last day it can be answered


@dataclass(frozen=True)
class Due:
    round: Round
    overdue: bool

    @property
    def kind(self) -> str:
        return self.round.kind


def peg_week(day: int) -> int:
    """The PEG round for a day: 0 up to the injection, then week W = ceil(day / 7)."""
    return 0 if day <= 0 else math.ceil(day / 7)


def baseline_round(kind: str, evaluation_day: int) -> Round:
    """From Visit 1 to the injection day; overdue two days after Visit 1."""
    opens = min(evaluation_day, 0)
    return Round(kind, BASELINE_WEEK, opens, min(opens + BASELINE_GRACE_DAYS, 0), 0)


def rounds_open_on(day: int, evaluation_day: int) -> list[Round]:
    """Every round that can be answered on `day` (days after the injection; `evaluation_day` is
    Visit 1 on the same count, zero or negative)."""
    found: list[Round] = []
    if evaluation_day <= day <= 0:
        found += [baseline_round(kind, evaluation_day) for kind in ("psfs", "peg")]
    week = peg_round_week(day)
    if week is not None:
        found.append(Round("peg", week, 7 * week - 6, 7 * week - 4, 7 * week))
    for week, (opens, target, closes) in TIMEPOINT_WINDOWS.items():
        if opens <= day <= closes:
            found += [Round(kind, week, opens, target, closes) for kind in ("psfs", "pgic")]
    return found


def due_on(day: int, evaluation_day: int, answered: Iterable[tuple[str, int]]) -> Due | None:
    """The one questionnaire to offer today, or None: an overdue one before a due one, then the
    rarer kind first. `answered` holds the (kind, week) rounds already answered."""
    done = set(answered)
    waiting = [r for r in rounds_open_on(day, evaluation_day) if (r.kind, r.week) not in done]
    if not waiting:
        return None
    first = min(waiting, key=lambda r: (day <= r.target, CARD_ORDER.index(r.kind)))
    return Due(first, overdue=day > first.target)


def round_for(kind: str, day: int, evaluation_day: int) -> Round | None:
    """The open round of this kind on `day`, if any (what a submitted answer belongs to)."""
    return next((r for r in rounds_open_on(day, evaluation_day) if r.kind == kind), None)


# --- Scores ----------------------------------------------------------------------------------------


def nearest(numerator: int, denominator: int) -> int:
    """The whole number nearest to numerator / denominator (denominator > 0), a tie going to the
    even one, worked out exactly: the SQL that keeps the outcome figures (app/services/summaries/
    sql.py `nearest`) does the same integer steps, so the database and the pages agree to the last
    digit. (Rounding a float instead rounds 0.15 down, as it is stored a hair below.)"""
    quotient, remainder = divmod(numerator, denominator)
    if 2 * remainder > denominator or (2 * remainder == denominator and quotient % 2):
        quotient += 1
    return quotient


def in_tenths(value: float) -> int:
    """A figure with one decimal (a score, a mean pain, a baseline) as whole tenths."""
    return round(value * 10)


def mean_score(values: Iterable[int]) -> float | None:
    """PEG and PSFS: the mean of the items, to one decimal."""
    items = list(values)
    return nearest(10 * sum(items), len(items)) / 10 if items else None


def pgic_responder(value: int) -> bool:
    return value <= PGIC_RESPONDER_MAX


def label_key(label: str) -> str:
    """Activities match across rounds by name, ignoring case and spacing."""
    return " ".join(label.split()).casefold()


def psfs_matched(baseline: Mapping[str, int], later: Mapping[str, int]) -> tuple[list[int], list[int]]:
    """The baseline and the later ratings of the activities rated in both rounds, in order."""
    first = {label_key(k): v for k, v in baseline.items()}
    second = {label_key(k): v for k, v in later.items()}
    shared = [key for key in first if key in second]
    return [first[k] for k in shared], [second[k] for k in shared]


def psfs_change(baseline: Mapping[str, int], later: Mapping[str, int]) -> float | None:
    """Points gained on the shared activities (positive = can do more): the later mean less the
    baseline mean, to one decimal."""
    before, after = psfs_matched(baseline, later)
    return nearest(10 * (sum(after) - sum(before)), len(before)) / 10 if before else None


def percent_reduction(baseline: float | None, latest: float | None) -> float | None:
    """How much lower, as a percent of the baseline (positive = better for pain and PEG), to one
    decimal, from figures with one decimal: worked out exactly, so 1.8 of 6 is 30 %, not 29.99."""
    if baseline is None or latest is None or baseline <= 0:
        return None
    first = in_tenths(baseline)
    return nearest(1000 * (first - in_tenths(latest)), first) / 10


@dataclass(frozen=True)
class MeasureTrend:
    """One measure's latest value against its baseline, and whether the change is meaningful."""

    name: str
    baseline: float | None
    latest: float | None
    change: float | None  # points, positive = better
    percent: int | None  # percent better than baseline (PEG); None where it is not used
    meaningful: bool
    threshold: str  # the threshold in words, in English
    threshold_percent: float | None = None  # "30 % lower" (PEG)
    threshold_points: float | None = None  # "2 points higher" (PSFS)

    @property
    def has_change(self) -> bool:
        return self.change is not None

    def threshold_in(self, say: Say, say_count: Callable[..., str]) -> str:
        """The threshold in the reader's language (the page's `say` and `say_count`), from the
        catalogue's own words for it."""
        if self.threshold_percent is not None:
            return say(content.TREND_LOWER, threshold=f"{self.threshold_percent:g} %")
        if self.threshold_points is not None:
            return say_count(content.POINTS_HIGHER, self.threshold_points)
        return self.threshold


def peg_trend(scores_by_week: Mapping[int, float]) -> MeasureTrend:
    """Latest PEG against the week-0 PEG; meaningful at 30 % lower."""
    baseline = scores_by_week.get(BASELINE_WEEK)
    later = [week for week in scores_by_week if week != BASELINE_WEEK]
    latest = scores_by_week[max(later)] if later else None
    reduction = percent_reduction(baseline, latest)
    change = round(baseline - latest, 1) if baseline is not None and latest is not None else None
    return MeasureTrend(
        "PEG",
        baseline,
        latest,
        change,
        None if reduction is None else round(reduction),
        reduction is not None and reduction >= PEG_MEANINGFUL_PERCENT,
        f"{PEG_MEANINGFUL_PERCENT:g} % lower",
        threshold_percent=PEG_MEANINGFUL_PERCENT,
    )


def psfs_trend(items_by_week: Mapping[int, Mapping[str, int]]) -> MeasureTrend:
    """Latest PSFS round against evaluation, on the activities rated both times; meaningful at
    2 points."""
    baseline_items = items_by_week.get(BASELINE_WEEK)
    later = [week for week in items_by_week if week != BASELINE_WEEK]
    latest_items = items_by_week[max(later)] if later else None
    baseline = mean_score(baseline_items.values()) if baseline_items else None
    latest = mean_score(latest_items.values()) if latest_items else None
    change = psfs_change(baseline_items, latest_items) if baseline_items and latest_items else None
    return MeasureTrend(
        "PSFS",
        baseline,
        latest,
        change,
        None,
        change is not None and change >= PSFS_MEANINGFUL_POINTS,
        f"{PSFS_MEANINGFUL_POINTS:g} points higher",
        threshold_points=PSFS_MEANINGFUL_POINTS,
    )
