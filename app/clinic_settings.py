"""The clinic's settings (CLINICAL.md marks them *(setting)*), read in one place.

Configuration gives the defaults; an admin's change (stored in `clinic_settings`) overrides them
and takes effect on the next request. Read once per request.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.exc import SQLAlchemyError

from app.care.protocol import clinic_today
from app.extensions import db

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

    @property
    def phone_href(self) -> str:
        """The number as a tap-to-call `tel:` link."""
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


def configured_settings() -> ClinicSettings:
    config = current_app.config
    values = {name: config[key] for name, key in EDITABLE.items()}
    return coerce(values)


def coerce(values: dict) -> ClinicSettings:
    types = {f.name: f.type for f in fields(ClinicSettings)}
    return ClinicSettings(
        **{name: int(value) if types[name] in (int, "int") else str(value) for name, value in values.items()}
    )


def stored_overrides() -> dict[str, str]:
    from app.models import ClinicSetting

    try:
        return dict(db.session.execute(sa.select(ClinicSetting.key, ClinicSetting.value)).all())
    except SQLAlchemyError:  # before the first migration, or the database is down: use defaults
        db.session.rollback()
        return {}


def current_settings() -> ClinicSettings:
    if "clinic_settings" not in g:
        base = configured_settings()
        overrides = {k: v for k, v in stored_overrides().items() if k in EDITABLE}
        g.clinic_settings = coerce({f.name: getattr(base, f.name) for f in fields(base)} | overrides)
    return g.clinic_settings


def clinic_today_now() -> date:
    """Today at the clinic (its time zone, not the server's)."""
    return clinic_today(datetime.now(UTC), current_settings().timezone)
