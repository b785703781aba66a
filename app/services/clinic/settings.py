"""The clinic's settings (docs/clinical-protocol.md#clinic-settings), read in one place.

Configuration gives the defaults; an admin's change (stored in `clinic_settings`) overrides them.
Every page needs them and they change a few times a year, so each process keeps the stored ones for
`CLINIC_SETTINGS_MAX_AGE` seconds: the process that saves them forgets its copy at once, the other
processes and hosts follow within that time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.exc import SQLAlchemyError

from app.care.hours import OpeningHours, opening_hours
from app.care.medication import NsaidWindow, nsaid_window
from app.care.protocol import clinic_today
from app.extensions import db
from app.models import ClinicSetting
from app.services import audit

EDITABLE = {  # setting -> configuration key
    "name": "CLINIC_NAME",
    "timezone": "CLINIC_TIMEZONE",
    "phone": "CLINIC_PHONE",
    "nsaid_days_before": "NSAID_DAYS_BEFORE",
    "nsaid_days_after": "NSAID_DAYS_AFTER",
    "no_ice_hours": "NO_ICE_HOURS",
    "open_days": "CLINIC_OPEN_DAYS",
    "opens_at": "CLINIC_OPENS_AT",
    "closes_at": "CLINIC_CLOSES_AT",
    "closed_dates": "CLINIC_CLOSED_DATES",
    "after_hours_phone": "CLINIC_AFTER_HOURS_PHONE",
    "patient_idle_minutes": "SESSION_IDLE_MINUTES_PATIENT",
    "patient_max_hours": "SESSION_MAX_HOURS_PATIENT",
    "staff_idle_minutes": "SESSION_IDLE_MINUTES_STAFF",
    "staff_max_hours": "SESSION_MAX_HOURS_STAFF",
    "escalate_minutes_open": "ALERT_ESCALATE_MINUTES_OPEN",
    "escalate_minutes_closed": "ALERT_ESCALATE_MINUTES_CLOSED",
    "blood_draw": "BLOOD_DRAW",
    "ultrasound_sites": "ULTRASOUND_SITES",
    "drive_home": "DRIVE_HOME",
}

SETTING_LABELS = {
    "name": "Clinic name",
    "timezone": "Time zone",
    "phone": "Phone",
    "nsaid_days_before": "NSAID-free days before the injection",
    "nsaid_days_after": "NSAID-free days after the injection",
    "no_ice_hours": "Hours without ice",
    "open_days": "Open days",
    "opens_at": "Opening time",
    "closes_at": "Closing time",
    "closed_dates": "Holidays (closed)",
    "after_hours_phone": "After-hours phone",
    "patient_idle_minutes": "Patients: minutes idle before signing out",
    "patient_max_hours": "Patients: hours before signing in again",
    "staff_idle_minutes": "Staff: minutes idle before signing out",
    "staff_max_hours": "Staff: hours before signing in again",
    "escalate_minutes_open": "Minutes before an emergency escalates, clinic open",
    "escalate_minutes_closed": "Minutes before an emergency escalates, clinic closed",
    "blood_draw": "Where the blood for the PRP is drawn",
    "ultrasound_sites": "Sites injected under ultrasound",
    "drive_home": "Patients may drive themselves home",
}


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    timezone: str
    phone: str
    nsaid_days_before: int
    nsaid_days_after: int
    no_ice_hours: int
    open_days: str  # "mon,tue,wed,thu,fri"
    opens_at: str  # "08:00", clinic time
    closes_at: str
    closed_dates: str  # "2026-12-25,2027-01-01": holidays on open days, clinic dates
    after_hours_phone: str
    patient_idle_minutes: int
    patient_max_hours: int
    staff_idle_minutes: int
    staff_max_hours: int
    escalate_minutes_open: int  # an emergency nobody acknowledged goes to the on-call clinician after this
    escalate_minutes_closed: int
    # The "Before your injection" page follows these (app/care/before_injection.py).
    blood_draw: str  # "visit_1" or "injection_day"
    ultrasound_sites: str  # "facet_joints,si_joint", injection-site keys
    drive_home: str  # "no" or "yes"

    def nsaid_window(self, injection_date: date) -> NsaidWindow:
        """The NSAID-free days around this injection, by this clinic's settings."""
        return nsaid_window(injection_date, self.nsaid_days_before, self.nsaid_days_after)

    @property
    def phone_href(self) -> str:
        """The number as a tap-to-call `tel:` link."""
        return tel_href(self.phone)

    @property
    def after_hours_href(self) -> str:
        return tel_href(self.after_hours_phone)

    @property
    def hours(self) -> OpeningHours:
        return opening_hours(self.open_days, self.opens_at, self.closes_at, self.closed_dates)

    def now(self) -> datetime:
        """The wall-clock time at the clinic."""
        return datetime.now(UTC).astimezone(ZoneInfo(self.timezone))


def tel_href(number: str) -> str:
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def coerce(values: dict[str, Any]) -> ClinicSettings:
    """Stored overrides are text; the numeric settings become ints again."""
    numeric = {f.name for f in fields(ClinicSettings) if f.type == "int"}
    typed: dict[str, Any] = {name: int(v) if name in numeric else str(v) for name, v in values.items()}
    return ClinicSettings(**typed)


CACHE_KEY = "backtrack.clinic_settings"


def stored_overrides() -> dict[str, str]:
    """The admin's stored settings, from this process's copy while it is fresh enough."""
    now = time.monotonic()
    read_at: float | None
    stored: dict[str, str]
    read_at, stored = current_app.extensions.get(CACHE_KEY, (None, {}))
    if read_at is not None and now - read_at < current_app.config["CLINIC_SETTINGS_MAX_AGE"]:
        return stored
    try:
        stored = dict(db.session.execute(sa.select(ClinicSetting.key, ClinicSetting.value)).all())
    except SQLAlchemyError:  # before the first migration, or the database is down: use defaults
        db.session.rollback()
        return {}
    current_app.extensions[CACHE_KEY] = (now, stored)
    return stored


def forget_stored_settings() -> None:
    """Read the stored settings again at the next request (after a save, or a test's cleanup)."""
    current_app.extensions.pop(CACHE_KEY, None)


def current_settings() -> ClinicSettings:
    if "clinic_settings" not in g:
        configured = {name: current_app.config[key] for name, key in EDITABLE.items()}
        overrides = {name: value for name, value in stored_overrides().items() if name in EDITABLE}
        g.clinic_settings = coerce(configured | overrides)
    settings: ClinicSettings = g.clinic_settings
    return settings


def clinic_today_now() -> date:
    """Today at the clinic (its time zone, not the server's)."""
    return clinic_today(datetime.now(UTC), current_settings().timezone)


def save_settings(current: ClinicSettings, values: dict[str, str], user_id: int) -> list[str]:
    """Store an admin's settings, on the audit trail with what changed in words; returns those words."""
    changes = []
    forget_stored_settings()
    for name in EDITABLE:
        value = values[name]
        if str(getattr(current, name)) != value:
            changes.append(f"{SETTING_LABELS[name]} changed from {getattr(current, name)} to {value}")
        row = db.session.get(ClinicSetting, name) or ClinicSetting(key=name)
        row.value, row.updated_by_id = value, user_id
        db.session.add(row)
    audit.record("settings_update", detail="; ".join(changes) or "Saved with no change")
    return changes
