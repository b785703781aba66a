"""The patient's consent to the PRP injection as staff see it on the record, and as they record it
when the patient reads "Before your injection" with them in clinic (app/patient/consent.py is the
patient's own confirmation)."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.extensions import db
from app.services.clinic.languages import speaking
from app.services.clinic.settings import current_settings
from app.services.treatment.consent import (
    consent_in_force,
    page_for_treatment,
    record_consent,
    shown_version,
)
from app.therapist import bp
from app.therapist.forms import ProcedureConsentForm
from app.therapist.routes import render_record
from app.web.access import STAFF, patient_in_care_or_404, role_required
from app.web.page_context import say


@bp.post("/patients/<int:patient_id>/procedure-consent")
@role_required(*STAFF)
def record_procedure_consent(patient_id: int) -> Response:
    """Recorded in clinic, by whom: the version is of the page in the patient's language."""
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None or treatment.status != "active":
        abort(404)
    form = ProcedureConsentForm()
    if not form.validate_on_submit():
        return render_record(patient_id, status=422, procedure_consent_form=form)
    settings = current_settings()
    if consent_in_force(treatment, settings) is None:
        page = page_for_treatment(treatment, settings)
        with speaking(patient) as language:
            version = shown_version(page, say)
        record_consent(treatment, current_user, "in_clinic", version, language)
        try:
            db.session.commit()
        except IntegrityError:  # the patient confirmed online at the same moment: theirs stands
            db.session.rollback()
    return redirect(url_for("therapist.patient", patient_id=patient.id) + "#procedure-consent", code=303)
