"""Which patients a staff member may see: admins all of them, a therapist only the patients whose
current treatment is theirs. Anything else answers 404, so ids reveal nothing."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.extensions import db
from app.models import Alert, PlanItem, Role, Treatment, User


def current_treatment(patient_id: int) -> Treatment | None:
    """The active treatment, else the most recent one."""
    return db.session.scalar(
        sa.select(Treatment)
        .where(Treatment.patient_id == patient_id)
        .order_by((Treatment.status == "active").desc(), Treatment.injection_date.desc(), Treatment.id.desc())
        .limit(1)
    )


def may_see(treatment: Treatment | None) -> bool:
    if current_user.has_role(Role.ADMIN):
        return True
    return treatment is not None and treatment.therapist_id == current_user.id


def patient_in_care_or_404(patient_id: int) -> tuple[User, Treatment | None]:
    patient = db.session.get(User, patient_id)
    if patient is None or patient.role != Role.PATIENT.value:
        abort(404)
    treatment = current_treatment(patient_id)
    if not may_see(treatment):
        abort(404)
    return patient, treatment


def alert_in_care_or_404(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        abort(404)
    patient_in_care_or_404(alert.patient_id)
    return alert


def plan_item_in_care_or_404(item_id: int) -> PlanItem:
    """A live plan item of a treatment this person may change (the patient's current one)."""
    item = db.session.get(PlanItem, item_id)
    if item is None or item.removed_at is not None:
        abort(404)
    _patient, treatment = patient_in_care_or_404(item.treatment.patient_id)
    if treatment is None or treatment.id != item.treatment_id:
        abort(404)
    return item
