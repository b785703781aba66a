"""The clinic's settings (CLINICAL.md marks them *(setting)*), read in one place."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


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


def current_settings() -> ClinicSettings:
    config = current_app.config
    return ClinicSettings(
        name=config["CLINIC_NAME"],
        timezone=config["CLINIC_TIMEZONE"],
        phone=config["CLINIC_PHONE"],
        nsaid_days_before=int(config["NSAID_DAYS_BEFORE"]),
        nsaid_days_after=int(config["NSAID_DAYS_AFTER"]),
        no_ice_hours=int(config["NO_ICE_HOURS"]),
    )
