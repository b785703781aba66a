"""What every page knows about the clinic: its settings in force, its content texts with the
settings filled in, and whether the physician has signed this version off. These are the only
template values read through the services (each cached per process or request there); the
formatting filters in app/web/templating.py touch nothing but their arguments."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import get_locale
from markupsafe import Markup, escape

from app.care import content, poses
from app.care.hours import clock_words
from app.care.timer import shared_timer_words, timer_plan, timer_words
from app.care.translation import IDENTIFIER
from app.care.words import Plural
from app.services.clinic.content_signoff import current_fingerprint, needs_signoff
from app.services.clinic.languages import page_translations
from app.services.clinic.settings import current_settings
from app.services.pages.today import offline_messages
from app.web.assets import THEME_COLOR, asset_url, drawing_url, photo_url, warning_phrases_url
from app.web.script_words import script_words
from app.web.templating import month_day, short_date


def say(text: str, **values: Any) -> str:
    """A content text in the page's language with its placeholders filled: the clinic's settings
    and the given values, dates written as a patient reads them inside a sentence ("March 24").
    A value that is a piece of the page (Markup: a link, a name in bold) goes in as it is, the
    text around it escaped, so a translation can put the link where its sentence needs it."""
    shown = {key: month_day(value) if isinstance(value, date) else value for key, value in values.items()}
    translated = page_translations().gettext(text) if text else text
    settings = {"no_ice_hours": current_settings().no_ice_hours}
    if any(isinstance(value, Markup) for value in shown.values()):
        return Markup(escape(translated)).format(**settings, **shown)  # noqa: S704 (escaped first)
    return content.render(translated, **settings, **shown)


def say_count(text: Plural, count: float, **values: Any) -> str:
    """A text with a number, in the page's language and its plural rule: "in 1 day", "in 3 days",
    "2.5 points". gettext's plural rules take whole numbers: a fraction is counted as 2 (the "other"
    form, as in English and Spanish). Flask-Babel's own ngettext would read a "%" as a format sign."""
    whole = float(count).is_integer()
    chosen = page_translations().ngettext(text.one, text.other, int(count) if whole else 2)
    return say(chosen, count=int(count) if whole else f"{count:g}", **values)


def dose_words(dose: Any, cue: str | None = None) -> str:
    """An exercise's dose and cue in the page's language: "2 series de 10 · Cada lado."."""
    parts = (content.dose_text(dose, say_count, say), say(cue) if cue else "")
    return " · ".join(part for part in parts if part)


def exercise_timer(dose: Any) -> dict[str, Any] | None:
    """The timer of an exercise row (app/care/timer.py): its plan and its words in the page's
    language, or None for a dose with no hold and no minutes."""
    plan = timer_plan(dose)
    if plan is None:
        return None
    return {"plan": plan, "words": timer_words(plan, say, say_count)}


def in_readers_language(value: Any) -> Any:
    """A catalogue value with every text in the page's language: strings through gettext, inside
    tuples, lists, dict values and dataclasses alike; keys, numbers and sets of keys as they are."""
    if isinstance(value, str):
        return value if IDENTIFIER.match(value) else page_translations().gettext(value)
    if isinstance(value, tuple | list):
        return type(value)(in_readers_language(item) for item in value)
    if isinstance(value, dict):
        return {key: in_readers_language(item) for key, item in value.items()}
    if isinstance(value, Plural):
        return value  # translated with its number, by say_count
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [field.name for field in dataclasses.fields(value) if field.init]
        return dataclasses.replace(
            value, **{name: in_readers_language(getattr(value, name)) for name in fields}
        )
    return value


class ContentInReadersLanguage:
    """`content` as templates read it: `content.WARNING_PROMPT` is the prompt in the reader's
    language, so no template can show a Spanish reader the English by leaving out `say`. The
    module's own values stay the signed-off English; functions pass through. A translated
    structure is kept per language (the catalogues are fixed for the life of a process)."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], Any] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(content, name)
        if callable(value) and not dataclasses.is_dataclass(value):
            return value
        if isinstance(value, str):
            return in_readers_language(value)
        key = (name, str(get_locale()))
        if key not in self._kept:
            self._kept[key] = in_readers_language(value)
        return self._kept[key]


def clinic_clock(moment: datetime) -> str:
    """A stored (naive UTC) time on the clinic's clock, as every page shows times: "Tue, Mar 10,
    2:05 pm"."""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(current_settings().timezone))
    return f"{short_date(local.date())}, {clock_words(local.time(), say)}"


def register(app: Flask) -> None:
    # Globals, so that macros imported without context can use them too.
    app.jinja_env.globals.update(
        content=ContentInReadersLanguage(),
        say=say,
        say_count=say_count,
        dose_words=dose_words,
        exercise_timer=exercise_timer,
        shared_timer_words=lambda: shared_timer_words(say),
        clinic_clock=clinic_clock,
        script_words=script_words,
        offline_messages=lambda circumstances: offline_messages(circumstances, say),
        content_needs_signoff=lambda: needs_signoff(current_settings()),
        content_version=lambda: current_fingerprint(current_settings()),
        drawing_url=drawing_url,
        drawing_alt=lambda slug: poses.DRAWINGS[slug].alt,
        drawing_frame=poses.frame_of,
        photo_url=photo_url,
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
