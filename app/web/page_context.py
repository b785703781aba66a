"""What every page knows about the clinic: its settings in force, its content texts with the
settings filled in, and whether the physician has signed this version off. These are the only
template values read through the services (each cached per process or request there); the
formatting filters in app/web/templating.py touch nothing but their arguments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import gettext

from app.care import content, poses
from app.care.hours import clock_words
from app.services.clinic.content_signoff import current_fingerprint, needs_signoff
from app.services.clinic.settings import current_settings
from app.services.pages.today import offline_messages
from app.web.assets import THEME_COLOR, asset_url, drawing_url, warning_phrases_url
from app.web.templating import month_day, short_date


def say(text: str, **values: Any) -> str:
    """A content text in the page's language with its placeholders filled: the clinic's settings
    and the given values, dates written as a patient reads them inside a sentence ("March 24")."""
    shown = {key: month_day(value) if isinstance(value, date) else value for key, value in values.items()}
    return content.render(
        gettext(text) if text else text, no_ice_hours=current_settings().no_ice_hours, **shown
    )


def clinic_clock(moment: datetime) -> str:
    """A stored (naive UTC) time on the clinic's clock, as every page shows times: "Tue, Mar 10,
    2:05 pm"."""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(current_settings().timezone))
    return f"{short_date(local.date())}, {clock_words(local.time(), say)}"


def register(app: Flask) -> None:
    # Globals, so that macros imported without context can use them too.
    app.jinja_env.globals.update(
        content=content,
        say=say,
        clinic_clock=clinic_clock,
        offline_messages=lambda circumstances: offline_messages(circumstances, say),
        content_needs_signoff=lambda: needs_signoff(current_settings()),
        content_version=lambda: current_fingerprint(current_settings()),
        drawing_url=drawing_url,
        drawing_alt=lambda slug: poses.DRAWINGS[slug].alt,
        drawing_frame=poses.frame_of,
    )

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        return {
            "clinic": current_settings(),
            "htmx_url": current_app.config["HTMX_URL"],
            "htmx_sri": current_app.config["HTMX_SRI"],
            "asset_url": asset_url,
            "warning_phrases_url": warning_phrases_url,
            "theme_color": THEME_COLOR,
        }
