"""Formatting filters every template can use: dates and pain changes in words, in the page's
language (Babel's CLDR patterns: "Tue, Mar 3" in English, "mar, 3 mar" in Spanish). They read
nothing but their arguments and the page's locale (what pages know of the clinic is
app/web/page_context.py)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date, format_skeleton
from flask import Flask
from flask_babel import get_locale

from app.care.progress import Progress


def locale() -> str:
    return str(get_locale() or "en")


def short_date(day: date) -> str:
    """ "Tue, Mar 3": unambiguous and short enough for a phone."""
    return format_skeleton("MMMEd", day, locale=locale())


def month_day(day: date) -> str:
    """ "March 24": a date inside a sentence."""
    return format_skeleton("MMMMd", day, locale=locale())


def weekday(day: date) -> str:
    """ "Thursday": a day in the coming week."""
    return format_date(day, "EEEE", locale=locale())


def long_date(day: date) -> str:
    """ "Tuesday, March 3, 2026" """
    return format_date(day, "full", locale=locale())


def pain_change(progress: Progress) -> str:
    """Pain against baseline for staff tables: "-2 pts (-29%)"; "—" until both are known."""
    if progress.change_points is None:
        return "—"
    text = f"{signed(-progress.change_points)} pts"
    if progress.change_percent is not None:
        text += f" ({signed(-progress.change_percent)}%)"
    return text


def signed(number: float) -> str:
    """A change with its sign, and no sign on no change: "+2", "-1.5", "0" (never "-0")."""
    return "0" if number == 0 else f"{number:+g}"


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        short_date=short_date,
        long_date=long_date,
        month_day=month_day,
        weekday=weekday,
        pain_change=pain_change,
    )
