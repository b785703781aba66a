"""The clinic's settings (docs/clinical-protocol.md#clinic-settings), read in one place.

Configuration gives the defaults; an admin's change (stored in `clinic_settings`) overrides them
and takes effect on the next request. Read once per request.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.exc import SQLAlchemyError

from app.care.medication import NsaidWindow, nsaid_window
from app.care.protocol import clinic_today
from app.extensions import db
from app.models import ClinicSetting

EDITABLE = {  # setting -> configuration key
    "name": "CLINIC_NAME",
    "timezone": "CLINIC_TIMEZONE",
    "phone": "CLINIC_PHONE",
    "nsaid_days_before": "NSAID_DAYS_BEFORE",
    "nsaid_days_after": "NSAID_DAYS_AFTER",
    "no_ice_hours": "NO_ICE_HOURS",
}


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    timezone: str
    phone: str
    nsaid_days_before: int
    nsaid_days_after: int
    no_ice_hours: int

    def nsaid_window(self, injection_date: date) -> NsaidWindow:
        """The NSAID-free days around this injection, by this clinic's settings."""
        return nsaid_window(injection_date, self.nsaid_days_before, self.nsaid_days_after)

    @property
    def phone_href(self) -> str:
        """The number as a tap-to-call `tel:` link."""
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


def coerce(values: dict[str, Any]) -> ClinicSettings:
    """Stored overrides are text; the numeric settings become ints again."""
    numeric = {f.name for f in fields(ClinicSettings) if f.type == "int"}
    typed: dict[str, Any] = {name: int(v) if name in numeric else str(v) for name, v in values.items()}
    return ClinicSettings(**typed)


def stored_overrides() -> dict[str, str]:
    try:
        return dict(db.session.execute(sa.select(ClinicSetting.key, ClinicSetting.value)).all())
    except SQLAlchemyError:  # before the first migration, or the database is down: use defaults
        db.session.rollback()
        return {}


def current_settings() -> ClinicSettings:
    if "clinic_settings" not in g:
        configured = {name: current_app.config[key] for name, key in EDITABLE.items()}
        overrides = {name: value for name, value in stored_overrides().items() if name in EDITABLE}
        g.clinic_settings = coerce(configured | overrides)
    return g.clinic_settings


def clinic_today_now() -> date:
    """Today at the clinic (its time zone, not the server's)."""
    return clinic_today(datetime.now(UTC), current_settings().timezone)
