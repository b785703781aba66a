"""Values and filters every template can use."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, current_app

from app.care import content
from app.care.progress import Progress
from app.services.clinic.content_signoff import current_fingerprint, needs_signoff
from app.services.clinic.settings import current_settings
from app.web.assets import THEME_COLOR, asset_url


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


def say(text: str, **values: Any) -> str:
    """A content text with its placeholders filled: the clinic's settings and the given values,
    dates written as a patient reads them inside a sentence ("March 24")."""
    shown = {key: month_day(value) if isinstance(value, date) else value for key, value in values.items()}
    return content.render(text, no_ice_hours=current_settings().no_ice_hours, **shown)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        short_date=short_date,
        long_date=long_date,
        month_day=month_day,
        weekday=weekday,
        pain_change=pain_change,
    )
    # Globals, so that macros imported without context can use them too.
    app.jinja_env.globals.update(
        content=content,
        say=say,
        content_needs_signoff=lambda: needs_signoff(current_settings()),
        content_version=lambda: current_fingerprint(current_settings()),
    )

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        return {
            "clinic": current_settings(),
            "htmx_url": current_app.config["HTMX_URL"],
            "htmx_sri": current_app.config["HTMX_SRI"],
            "asset_url": asset_url,
            "theme_color": THEME_COLOR,
        }
