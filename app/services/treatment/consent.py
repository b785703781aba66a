"""The patient's consent to the PRP injection: the page they read, the version of its words, and
the record that they confirmed it, online or in clinic (docs/clinical-protocol.md#before-the-injection).
Each record is put on the audit trail here, with the record itself.

A confirmation is of one version of the words. When they change after a patient confirmed (a
new text, a corrected translation, a clinic setting the page follows), that confirmation is no
longer in force and the patient is asked again; the earlier one stays on the record with its
version (and in the patient's data export)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import force_locale

from app.care.before_injection import BeforeInjectionPage, page_for, version_of
from app.extensions import db
from app.models import ProcedureConsent, Treatment, User
from app.services import audit
from app.services.clinic.languages import written
from app.services.clinic.settings import ClinicSettings

HOW_WORDS = {"online": "read and confirmed online by the patient", "in_clinic": "recorded in clinic"}


def page_for_treatment(treatment: Treatment, settings: ClinicSettings) -> BeforeInjectionPage:
    return page_for(
        treatment.is_thoracic, settings.blood_draw, settings.drive_home, settings.ultrasound_sites
    )


def shown_version(page: BeforeInjectionPage, say: Callable[[str], str]) -> str:
    """The version of the page as `say` shows it (in the reader's language)."""
    return version_of(say(text) for text in page.texts())


def version_in(page: BeforeInjectionPage, language: str, settings: ClinicSettings) -> str:
    """The version of the page as it reads now in `language` (what `shown_version` gives a page
    in that language)."""
    with force_locale(language):
        return version_of(written(text, no_ice_hours=settings.no_ice_hours) for text in page.texts())


def consents_of(treatment: Treatment) -> list[ProcedureConsent]:
    """Every confirmation of this treatment, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ProcedureConsent)
            .where(ProcedureConsent.treatment_id == treatment.id)
            .order_by(ProcedureConsent.consented_at, ProcedureConsent.id)
        )
    )


def consent_in_force(treatment: Treatment, settings: ClinicSettings) -> ProcedureConsent | None:
    """The latest confirmation while the words it names are still the words of the page (in the
    language it was read in); None when there is none, or the words have changed since."""
    found = consents_of(treatment)
    if not found:
        return None
    latest = found[-1]
    page = page_for_treatment(treatment, settings)
    return latest if version_in(page, latest.language, settings) == latest.text_version else None


def in_force_among(
    consents: list[ProcedureConsent], treatments: list[Treatment], settings: ClinicSettings
) -> set[int]:
    """Of these confirmations (any order), the ids of those in force: the latest of each
    treatment, while its words are unchanged."""
    latest: dict[int, ProcedureConsent] = {}
    for consent in sorted(consents, key=lambda c: (c.consented_at, c.id)):
        latest[consent.treatment_id] = consent
    by_id = {treatment.id: treatment for treatment in treatments}
    return {
        consent.id
        for treatment_id, consent in latest.items()
        if treatment_id in by_id
        and version_in(page_for_treatment(by_id[treatment_id], settings), consent.language, settings)
        == consent.text_version
    }


def asked_again(treatment: Treatment, settings: ClinicSettings) -> bool:
    """The patient confirmed an earlier version of the words, and is asked to read them again."""
    return consent_in_force(treatment, settings) is None and bool(consents_of(treatment))


def record_consent(
    treatment: Treatment, recorder: User, how: str, version: str, language: str
) -> ProcedureConsent | None:
    """The consent to this version of the words: None when the latest confirmation already names
    it (in this language)."""
    found = consents_of(treatment)
    if found and (found[-1].text_version, found[-1].language) == (version, language):
        return None
    consent = ProcedureConsent(
        treatment_id=treatment.id,
        patient_id=treatment.patient_id,
        text_version=version,
        language=language,
        showed_lung_risk=treatment.is_thoracic,
        how=how,
        recorded_by_id=recorder.id,
    )
    db.session.add(consent)
    again = " (asked again: the words changed)" if found else ""
    detail = f"{HOW_WORDS[how]}, text version {version} ({language}){again}"
    audit.record("procedure_consent", patient_id=treatment.patient_id, detail=detail)
    return consent
