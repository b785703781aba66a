"""The patient's consent to the PRP injection: the page they read, the version of its words, and
the record that they confirmed it, online or in clinic (docs/clinical-protocol.md#before-the-injection).
Each record is put on the audit trail here, with the record itself."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from app.care.before_injection import BeforeInjectionPage, page_for, version_of
from app.extensions import db
from app.models import ProcedureConsent, Treatment, User
from app.services import audit
from app.services.clinic.settings import ClinicSettings

HOW_WORDS = {"online": "read and confirmed online by the patient", "in_clinic": "recorded in clinic"}


def page_for_treatment(treatment: Treatment, settings: ClinicSettings) -> BeforeInjectionPage:
    return page_for(
        treatment.is_thoracic, settings.blood_draw, settings.drive_home, settings.ultrasound_sites
    )


def shown_version(page: BeforeInjectionPage, say: Callable[[str], str]) -> str:
    """The version of the page as `say` shows it (in the reader's language)."""
    return version_of(say(text) for text in page.texts())


def consent_for(treatment: Treatment) -> ProcedureConsent | None:
    return db.session.scalar(sa.select(ProcedureConsent).where(ProcedureConsent.treatment_id == treatment.id))


def record_consent(
    treatment: Treatment, recorder: User, how: str, version: str, language: str
) -> ProcedureConsent | None:
    """The consent, once per treatment: None when it was already recorded."""
    if consent_for(treatment) is not None:
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
    detail = f"{HOW_WORDS[how]}, text version {version} ({language})"
    audit.record("procedure_consent", patient_id=treatment.patient_id, detail=detail)
    return consent
