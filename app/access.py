"""Who may see what. Deny by default: every view names the roles it serves, and staff reach a
patient's data only through these helpers. Admins see every patient; a therapist only the patients
whose current treatment is theirs. Anything else answers 404, so ids reveal nothing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Alert, PlanItem, Role, Treatment, User
from app.services.treatments import current_treatment

STAFF = (Role.THERAPIST, Role.ADMIN)


def role_required(*roles: Role) -> Callable:
    """Signed-out people go to sign-in, other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may_see(treatment: Treatment | None) -> bool:
    if current_user.has_role(Role.ADMIN):
        return True
    return treatment is not None and treatment.therapist_id == current_user.id


def patient_in_care_or_404(patient_id: int) -> tuple[User, Treatment | None]:
    patient = db.get_or_404(User, patient_id)
    if patient.role != Role.PATIENT.value:
        abort(404)
    treatment = current_treatment(patient_id)
    if not may_see(treatment):
        abort(404)
    return patient, treatment


def alert_in_care_or_404(alert_id: int) -> Alert:
    alert = db.get_or_404(Alert, alert_id)
    patient_in_care_or_404(alert.patient_id)
    return alert


def plan_item_in_care_or_404(item_id: int) -> PlanItem:
    """A live plan item of a treatment this person may change (the patient's current one)."""
    item = db.get_or_404(PlanItem, item_id)
    if item.removed_at is not None:
        abort(404)
    _patient, treatment = patient_in_care_or_404(item.treatment.patient_id)
    if treatment is None or treatment.id != item.treatment_id:
        abort(404)
    return item
