"""Formatting filters every template can use: dates, numbers and pain changes in words, in the
page's language (Babel's CLDR patterns: "Tue, Mar 3" in English, "mar, 3 mar" in Spanish; "4.5"
and "4,5"). They read nothing but their arguments and the page's locale (what pages know of the
clinic is app/web/page_context.py)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent
from flask import Flask
from flask_babel import get_locale, gettext

from app.care.progress import Progress


def locale() -> str:
    return str(get_locale() or "en")


def short_date(day: date) -> str:
    """ "Tue, Mar 3": unambiguous and short enough for a phone."""
    return _skeleton("MMMEd", day, locale())


def month_day(day: date) -> str:
    """ "March 24": a date inside a sentence."""
    return _skeleton("MMMMd", day, locale())


@lru_cache(maxsize=8192)
def _skeleton(skeleton: str, day: date, language: str) -> str:
    """Babel's formatting of a date, kept: a record writes about a hundred, most the same days."""
    return format_skeleton(skeleton, day, locale=language)


def weekday(day: date) -> str:
    """ "Thursday": a day in the coming week."""
    return format_date(day, "EEEE", locale=locale())


def long_date(day: date) -> str:
    """ "Tuesday, March 3, 2026" """
    return format_date(day, "full", locale=locale())


def month_year(day: date) -> str:
    """ "March 2026", "marzo de 2026": a month as a heading names it."""
    return format_skeleton("yMMMM", day, locale=locale())


def decimal(number: float, places: int = 2) -> str:
    """A figure as the page's language writes it, with at most `places` decimals (rounded half to
    even, as "%.0f" does): "4.5", "4,5"; "12"."""
    return _decimal(number, places, locale())


def percent(number: float) -> str:
    """A percent, to the whole number (rounded as "%.0f" does): "80%" in English, "80 %" in Spanish."""
    return _percent(number, locale())


# Kept per figure and language: a staff table writes a few hundred figures a page, mostly the
# same few dozen, and Babel's formatting is the table's largest cost after the rows themselves.
@lru_cache(maxsize=4096)
def _decimal(number: float, places: int, language: str) -> str:
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(number, format=pattern, locale=language)


@lru_cache(maxsize=4096)
def _percent(number: float, language: str) -> str:
    return format_percent(number / 100, locale=language)


def translated(text: str) -> str:
    """A staff word the care rules keep in English (marked with `N_`, app/care/staff_words.py) or
    a catalogue text, in the page's language. Plain gettext: a "%" in it is only a percent sign."""
    return gettext(text) if text else text


def pain_change(progress: Progress) -> str:
    """Pain against baseline for staff tables: "-2 pts (-29%)"; "—" until both are known."""
    if progress.change_points is None:
        return "—"
    text = str(gettext("%(points)s pts", points=signed(-progress.change_points)))
    if progress.change_percent is not None:
        text += f" ({signed(-progress.change_percent)}%)"
    return text


def signed(number: float) -> str:
    """A change with its sign, and no sign on no change: "+2", "-1.5", "0" (never "-0")."""
    if number == 0:
        return "0"
    return ("+" if number > 0 else "-") + decimal(abs(number))


def register(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        short_date=short_date,
        long_date=long_date,
        month_day=month_day,
        weekday=weekday,
        month_year=month_year,
        decimal=decimal,
        percent=percent,
        translated=translated,
        pain_change=pain_change,
    )
