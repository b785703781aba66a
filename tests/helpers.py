"""Small helpers many test files share: the htmx request header, what the audit trail recorded,
the CSV files inside a downloaded archive, and Today as a patient reads it with every exercise's
"How to do it" opened."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response

from app.extensions import db
from app.models import AuditEvent

HTMX = {"HX-Request": "true"}
NEW_YORK = ZoneInfo("America/New_York")  # the tests' clinic time zone


def today_opened(client, path: str = "/today") -> Response:
    """Today with each row's "How to do it" swapped in as it loads when opened (the row asks for
    it: patient/_exercise_row.html), as the browser shows it once opened; read it as a response."""
    response = client.get(path)

    def opened(placeholder: re.Match[str]) -> str:
        guide = client.get(placeholder[1], headers=HTMX)
        assert guide.status_code == 200, placeholder[1]
        return guide.get_data(as_text=True)

    page = GUIDE_PLACEHOLDER.sub(opened, response.get_data(as_text=True))
    return Response(page, status=response.status_code, mimetype=response.mimetype)


GUIDE_PLACEHOLDER = re.compile(
    r'<div class="exercise__guide"><a href="(/exercises/[0-9]+/how)" data-guide>.*?</div>', re.S
)


def actions() -> list[str]:
    """Every audit action recorded so far, oldest first."""
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def actions_about_patients() -> list[tuple[str, int | None]]:
    """Every audit action with the patient it concerns, oldest first."""
    return [
        (event.action, event.patient_id)
        for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
    ]


def actions_with_detail() -> list[tuple[str, str]]:
    """Every audit action with its detail text, oldest first."""
    return [
        (action, detail)
        for action, detail in db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)
        )
    ]


def unzip(response) -> dict[str, list[list[str]]]:
    """The CSV files of a downloaded ZIP archive, each as its rows."""
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: list(csv.reader(io.StringIO(archive.read(name).decode()))) for name in archive.namelist()}


def evening(day: date, hour: int = 19, minute: int = 5) -> datetime:
    """A moment of the evening of `day` in the clinic's time zone (reminders go out then)."""
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


def settings_fields(**changed: object) -> dict[str, object]:
    """A valid clinic-settings form, with `changed` fields put in."""
    return {
        "name": "Clinic",
        "timezone": "America/New_York",
        "phone": "+1 555 010 0199",
        "nsaid_days_before": "7",
        "nsaid_days_after": "14",
        "no_ice_hours": "72",
        "open_days": ["mon", "tue"],
        "opens_at": "08:00",
        "closes_at": "17:00",
        "closed_dates": "",
        "after_hours_phone": "+1 555 010 0111",
        "patient_idle_minutes": "30",
        "patient_max_hours": "12",
        "staff_idle_minutes": "30",
        "staff_max_hours": "12",
        "escalate_minutes_open": "30",
        "escalate_minutes_closed": "60",
        "blood_draw": "visit_1",
        "ultrasound_sites": ["facet_joints", "si_joint"],
        "drive_home": "no",
        **changed,
    }
