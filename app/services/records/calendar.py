"""The patient's treatment dates as an .ics calendar file (built with `icalendar`: RFC 5545
folding, escaping and dates done by a well-kept library), its words from the content catalogue
(app/care/words/outside.py) in the patient's language, its dates written by Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from app.care import content
from app.care.before_injection import guidance_for
from app.care.protocol import PHASES
from app.models import Treatment
from app.services.clinic.languages import written
from app.services.clinic.settings import ClinicSettings

CALENDAR_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def calendar_events(treatment: Treatment, settings: ClinicSettings) -> list[tuple[str, str, date, date, str]]:
    """(key, title, first day, last day, description) for Visit 1, Visit 2, each phase and the
    NSAID-free days, in the language in force (the patient's, inside `speaking`)."""
    injection = treatment.injection_date
    evaluation = guidance_for("evaluation", settings.blood_draw)
    on_the_day = guidance_for("injection", settings.blood_draw)
    events = [
        (
            "visit-1",
            written(content.CALENDAR_VISIT_1),
            treatment.evaluation_date,
            treatment.evaluation_date,
            written(evaluation.summary),
        ),
        ("visit-2", written(content.CALENDAR_VISIT_2), injection, injection, written(on_the_day.summary)),
    ]
    for phase in PHASES:
        if phase.first_day is not None and phase.first_day > 0:
            start = injection + timedelta(days=phase.first_day)
            title = written(content.CALENDAR_PHASE_STARTS, phase=written(content.PHASE_TITLES[phase.key]))
            events.append(
                (
                    f"phase-{phase.key}",
                    title,
                    start,
                    start,
                    written(content.PHASE_GUIDANCE[phase.key].summary),
                )
            )
    window = settings.nsaid_window(injection)
    events.append(
        (
            "nsaid-window",
            written(content.CALENDAR_NO_NSAIDS),
            window.starts,
            window.ends,
            written(content.NSAID_EXPLAINED, end=window.ends),
        )
    )
    return events


VISIT_KEYS = ("visit-1", "visit-2")
ALARM_BEFORE = timedelta(
    hours=6
)  # an all-day event starts at midnight: the alarm rings at 6 pm the day before


def calendar_file(treatment: Treatment, settings: ClinicSettings, now: datetime | None = None) -> bytes:
    """An .ics file in the language in force. Each event's UID is fixed per treatment and event, so
    importing the file again updates the events; SEQUENCE grows with time, so the newer copy wins.
    Each visit rings an alarm the evening before."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Backtrack//PRP plan//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    # An X- property is not escaped as text unless it is given as text: a stored line break in the
    # clinic's name would otherwise break the file.
    calendar.add("x-wr-calname", icalendar.vText(written(content.CALENDAR_NAME, clinic=settings.name)))
    sequence = int((now - CALENDAR_EPOCH).total_seconds() // 60)
    questions = written(content.CALENDAR_QUESTIONS, clinic=settings.name, phone=settings.phone)
    for key, title, first, last, description in calendar_events(treatment, settings):
        event = icalendar.Event()
        event.add("uid", f"treatment-{treatment.id}-{key}@backtrack")
        event.add("summary", title)
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))  # all-day events end the day after
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("description", f"{description}\n\n{questions}")
        event.add("transp", "TRANSPARENT")
        if key in VISIT_KEYS:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", written(content.CALENDAR_ALARM_VISIT, clinic=settings.name))
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
