"""The clinical content's sign-off: the current sheet and fingerprint, and whether the clinic's
physician has reviewed exactly this version."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from flask_login import current_user

from app.care.content_sheet import SheetSection, content_sheet, fingerprint
from app.care.staff_words import N_
from app.extensions import db
from app.models import ContentSignoff, User
from app.services import audit
from app.services.clinic.settings import SETTING_LABELS, ClinicSettings

# The settings that change what patients are told (the clinic's name does not).
CLINICAL_SETTINGS = (
    "timezone",
    "phone",
    "after_hours_phone",
    "open_days",
    "opens_at",
    "closes_at",
    "nsaid_days_before",
    "nsaid_days_after",
    "no_ice_hours",
    "blood_draw",
    "ultrasound_sites",
    "drive_home",
)


# Refusals: staff words, shown in the reader's language.
CONTENT_CHANGED = N_(
    "The content changed since this page was opened. Review the version shown now, then sign it off."
)
ALREADY_SIGNED = N_("This version is signed off already. Nothing to sign until the content changes.")
EXAMPLE_INJECTION = date(2026, 3, 10)  # the sheet's example dates are counted from it


class SignoffError(ValueError):
    """The version signed is not the one in force (the message says what to do)."""


def sheet_for(settings: ClinicSettings) -> tuple[SheetSection, ...]:
    """The sheet with its texts filled as a patient would read them: this clinic's settings, and
    example dates from an injection on EXAMPLE_INJECTION."""
    values = asdict(settings)
    window = settings.nsaid_window(EXAMPLE_INJECTION)
    examples = {
        "no_ice_hours": settings.no_ice_hours,
        "nsaid_start": f"{window.starts:%B} {window.starts.day}",
        "nsaid_end": f"{window.ends:%B} {window.ends.day}",
        "start": f"{window.starts:%B} {window.starts.day}",
        "end": f"{window.ends:%B} {window.ends.day}",
    }
    return content_sheet({SETTING_LABELS[name]: values[name] for name in CLINICAL_SETTINGS}, examples)


@lru_cache(maxsize=16)
def current_fingerprint(settings: ClinicSettings) -> str:
    """Cached per settings: the content itself only changes with a new release."""
    return fingerprint(sheet_for(settings))


SIGNED_KEY = "backtrack.signed_versions"


def version_signed(version: str) -> bool:
    """Whether a sign-off of `version` exists. A sign-off is never taken back, so each process
    remembers the versions it has seen signed (every staff page asks)."""
    seen_signed: set[str] = current_app.extensions.setdefault(SIGNED_KEY, set())
    if version in seen_signed:
        return True
    signed = db.session.scalar(
        sa.select(ContentSignoff.id).where(ContentSignoff.fingerprint == version).limit(1)
    )
    if signed is not None:
        seen_signed.add(version)
    return signed is not None


def needs_signoff(settings: ClinicSettings) -> bool:
    """True until the latest sign-off is of the content in force now."""
    return not version_signed(current_fingerprint(settings))


def sign_off(version: str, settings: ClinicSettings, physician: User) -> ContentSignoff:
    if version != current_fingerprint(settings):
        raise SignoffError(CONTENT_CHANGED)
    if version_signed(version):
        raise SignoffError(ALREADY_SIGNED)
    return record_signoff(version, f"Reviewed and approved version {version}", physician)


def record_signoff(version: str, words: str, physician: User | None = None) -> ContentSignoff:
    """A sign-off row for `version`, by the signed-in physician, on the audit trail."""
    signoff = ContentSignoff(fingerprint=version, signed_by_id=(physician or current_user).id)
    db.session.add(signoff)
    audit.record("content_signoff", detail=words)
    return signoff


def signoff_history(limit: int = 20) -> list[ContentSignoff]:
    return list(
        db.session.scalars(
            sa.select(ContentSignoff)
            .order_by(ContentSignoff.signed_at.desc(), ContentSignoff.id.desc())
            .limit(limit)
        )
    )
