"""Geometry for the small pain chart drawn on the server as inline SVG."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.care.progress import MEANINGFUL_PERCENT, MEANINGFUL_POINTS
from app.care.protocol import PHASES

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 28, 8, 10, 24


@dataclass(frozen=True)
class ChartPoint:
    day: date
    score: int
    x: float
    y: float


@dataclass(frozen=True)
class PainChart:
    first_day: date
    last_day: date
    points: tuple[ChartPoint, ...]
    lines: tuple[str, ...]  # SVG polyline "points" attributes; a missed day breaks the line
    baseline_y: float | None
    gridlines: tuple[tuple[int, float], ...]  # (score, y)

    @property
    def is_empty(self) -> bool:
        return not self.points

    def x_for(self, day: date) -> float:
        days = (self.last_day - self.first_day).days
        return round(LEFT + (day - self.first_day).days * (WIDTH - LEFT - RIGHT) / max(days, 1), 1)


@dataclass(frozen=True)
class Band:
    label: str
    key: str
    x: float
    width: float


def y_for(score: float) -> float:
    return round(TOP + (10 - score) * (HEIGHT - TOP - BOTTOM) / 10, 1)


def improvement_threshold(baseline: float | None) -> float | None:
    """The pain at or below which the change is meaningful: the points or the percent, whichever
    comes first (docs/clinical-protocol.md#measures)."""
    if not baseline:
        return None
    by_points = baseline - MEANINGFUL_POINTS
    by_percent = baseline * (1 - MEANINGFUL_PERCENT / 100)
    return round(max(by_points, by_percent), 1)


def phase_bands(chart: PainChart, injection: date) -> list[Band]:
    """The protocol's phases as vertical bands across the chart (for shading)."""
    bands = []
    for phase in PHASES:
        start = chart.first_day if phase.first_day is None else injection + timedelta(phase.first_day)
        end = chart.last_day if phase.last_day is None else injection + timedelta(phase.last_day)
        start, end = max(start, chart.first_day), min(end, chart.last_day)
        if start <= end:
            x1 = chart.x_for(start) - (0 if start == chart.first_day else 0.5 * day_width(chart))
            x2 = chart.x_for(end) + (0 if end == chart.last_day else 0.5 * day_width(chart))
            bands.append(Band(phase.title, phase.key, round(x1, 1), round(max(x2 - x1, 1), 1)))
    return bands


def day_width(chart: PainChart) -> float:
    return (WIDTH - LEFT - RIGHT) / max((chart.last_day - chart.first_day).days, 1)


def pain_chart(
    scores_by_day: Mapping[date, int], last_day: date, days: int = 30, baseline: float | None = None
) -> PainChart:
    first_day = last_day - timedelta(days=days - 1)
    step = (WIDTH - LEFT - RIGHT) / max(days - 1, 1)
    points: list[ChartPoint] = []
    lines: list[str] = []
    run: list[str] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day not in scores_by_day:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
            continue
        point = ChartPoint(day, scores_by_day[day], round(LEFT + offset * step, 1), y_for(scores_by_day[day]))
        points.append(point)
        run.append(f"{point.x},{point.y}")
    if len(run) > 1:
        lines.append(" ".join(run))
    baseline_y = y_for(baseline) if baseline is not None else None
    gridlines = tuple((score, y_for(score)) for score in (0, 5, 10))
    return PainChart(first_day, last_day, tuple(points), tuple(lines), baseline_y, gridlines)
