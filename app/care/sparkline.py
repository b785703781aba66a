"""A tiny pain trend for table rows: one polyline, no axes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta


def sparkline_points(
    scores_by_day: Mapping[date, int], today: date, days: int = 14, width: int = 84, height: int = 24
) -> str:
    """SVG polyline points for the last `days` days (missed days are skipped, not zeroed)."""
    step = width / max(days - 1, 1)
    points = []
    for offset in range(days):
        day = today - timedelta(days=days - 1 - offset)
        if day in scores_by_day:
            y = 2 + (10 - scores_by_day[day]) * (height - 4) / 10
            points.append(f"{offset * step:.1f},{y:.1f}")
    return " ".join(points)
