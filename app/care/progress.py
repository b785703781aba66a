"""A patient's pain against their own baseline (docs/clinical-protocol.md#measures)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

MEANINGFUL_POINTS = 2.0  # Ostelo 2008: >= 2 points or >= 30 % is a meaningful change
MEANINGFUL_PERCENT = 30.0
SUBSTANTIAL_PERCENT = 50.0
RECENT_DAYS = 7
FAIR_AVERAGE_LOGS = 4  # a 7-day average on fewer logs than this is too thin to call a change


@dataclass(frozen=True)
class Progress:
    baseline: float | None
    recent_average: float | None
    recent_count: int

    @property
    def change_points(self) -> float | None:
        """Baseline minus the recent average: positive means less pain."""
        if self.baseline is None or self.recent_average is None:
            return None
        return round(self.baseline - self.recent_average, 1)

    @property
    def change_percent(self) -> int | None:
        if self.baseline is None or self.recent_average is None or not self.baseline:
            return None
        return round(100 * (self.baseline - self.recent_average) / self.baseline)

    @property
    def is_meaningful(self) -> bool:
        points, percent = self.change_points, self.change_percent
        return points is not None and (
            points >= MEANINGFUL_POINTS or (percent is not None and percent >= MEANINGFUL_PERCENT)
        )

    @property
    def has_enough_logs(self) -> bool:
        return self.recent_count >= FAIR_AVERAGE_LOGS

    @property
    def logs_needed(self) -> int:
        return FAIR_AVERAGE_LOGS

    @property
    def is_substantial(self) -> bool:
        return self.change_percent is not None and self.change_percent >= SUBSTANTIAL_PERCENT


def meaningful_change_words() -> str:
    """The threshold in words for staff: "2 points or 30 %"."""
    return f"{MEANINGFUL_POINTS:g} points or {MEANINGFUL_PERCENT:g} %"


def baseline_pain(recorded: int | None, pre_injection_scores: Iterable[int]) -> float | None:
    """The pain recorded at evaluation, else the mean of the logs before the injection."""
    if recorded is not None:
        return float(recorded)
    scores = list(pre_injection_scores)
    return round(fmean(scores), 1) if scores else None


def recent_average(
    scores_by_day: Mapping[date, int], today: date, days: int = RECENT_DAYS
) -> tuple[float | None, int]:
    """Mean back pain over the `days` days ending today, and how many days had a log."""
    first = today - timedelta(days=days - 1)
    recent = [score for day, score in scores_by_day.items() if first <= day <= today]
    return (round(fmean(recent), 1) if recent else None), len(recent)


def progress_on(
    today: date, recorded_baseline: int | None, injection_date: date | None, scores_by_day: Mapping[date, int]
) -> Progress:
    pre = [s for d, s in scores_by_day.items() if injection_date and d < injection_date]
    average, count = recent_average(scores_by_day, today)
    return Progress(baseline_pain(recorded_baseline, pre), average, count)
