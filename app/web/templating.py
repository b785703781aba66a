"""Formatting filters every template can use: dates and pain changes in words. Pure: they read
nothing but their arguments (what pages know of the clinic is app/web/page_context.py)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from app.care.progress import Progress


def short_date(day: date) -> str:
    """ "Tue, Mar 3": unambiguous and short enough for a phone."""
    return f"{day:%a}, {day:%b} {day.day}"


def month_day(day: date) -> str:
    """ "March 24": a date inside a sentence."""
    return f"{day:%B} {day.day}"


def weekday(day: date) -> str:
    """ "Thursday": a day in the coming week."""
    return f"{day:%A}"


def long_date(day: date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def pain_change(progress: Progress) -> str:
    """Pain against baseline for staff tables: "-2 pts (-29%)"; "—" until both are known."""
    if progress.change_points is None:
        return "—"
    text = f"{-progress.change_points:+g} pts"
    if progress.change_percent is not None:
        text += f" ({-progress.change_percent:+d}%)"
    return text


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        short_date=short_date,
        long_date=long_date,
        month_day=month_day,
        weekday=weekday,
        pain_change=pain_change,
    )
