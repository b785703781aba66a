"""The patient's treatment dates as an .ics calendar file (built with `icalendar`: RFC 5545
folding, escaping and dates done by a well-kept library)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from app.care import content
from app.care.protocol import PHASES
from app.models import Treatment
from app.services.clinic.settings import ClinicSettings

CALENDAR_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def calendar_events(treatment: Treatment, settings: ClinicSettings) -> list[tuple[str, str, date, date, str]]:
    """(key, title, first day, last day, description) for Visit 1, Visit 2, each phase and the
    NSAID-free days."""
    injection = treatment.injection_date
    events = [
        (
            "visit-1",
            "Visit 1: evaluation",
            treatment.evaluation_date,
            treatment.evaluation_date,
            content.PHASE_GUIDANCE["evaluation"].summary,
        ),
        (
            "visit-2",
            "Visit 2: PRP injection",
            injection,
            injection,
            content.PHASE_GUIDANCE["injection"].summary,
        ),
    ]
    for phase in PHASES:
        if phase.first_day is not None and phase.first_day > 0:
            start = injection + timedelta(days=phase.first_day)
            events.append(
                (
                    f"phase-{phase.key}",
                    f"Starts: {phase.title}",
                    start,
                    start,
                    content.PHASE_GUIDANCE[phase.key].summary,
                )
            )
    window = settings.nsaid_window(injection)
    events.append(
        (
            "nsaid-window",
            "No anti-inflammatory pills (NSAID-free)",
            window.starts,
            window.ends,
            content.render(content.NSAID_EXPLAINED, end=f"{window.ends:%B} {window.ends.day}"),
        )
    )
    return events


def calendar_file(treatment: Treatment, settings: ClinicSettings, now: datetime | None = None) -> bytes:
    """An .ics file. Each event's UID is fixed per treatment and event, so importing the file again
    updates the events; SEQUENCE grows with time, so the newer copy wins."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Backtrack//PRP plan//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    # An X- property is not escaped as text unless it is given as text: a stored line break in the
    # clinic's name would otherwise break the file.
    calendar.add("x-wr-calname", icalendar.vText(f"{settings.name}: your PRP plan"))
    sequence = int((now - CALENDAR_EPOCH).total_seconds() // 60)
    for key, title, first, last, description in calendar_events(treatment, settings):
        event = icalendar.Event()
        event.add("uid", f"treatment-{treatment.id}-{key}@backtrack")
        event.add("summary", title)
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))  # all-day events end the day after
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("description", f"{description}\n\nQuestions? Call {settings.name}: {settings.phone}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
