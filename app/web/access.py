"""Who may see what. Deny by default: every view names the roles it serves, and staff reach a
patient's data only through these helpers. Admins see every patient; a therapist only the patients
whose current treatment is theirs. Anything else answers 404, so ids reveal nothing, and every
refusal is in the audit trail (HIPAA 164.312(b): attempts on a patient's data are recorded too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy.sql.expression import ColumnElement

from app.extensions import db
from app.models import Alert, PlanItem, Role, Treatment, User
from app.services import audit
from app.services.clinic.settings import current_settings
from app.services.safety.notify import on_call_now
from app.services.treatment.treatments import current_treatment

STAFF = (Role.THERAPIST, Role.ADMIN)
P = ParamSpec("P")
R = TypeVar("R")


def refuse(patient_id: int | None = None, code: int = 404) -> NoReturn:
    """Answer 404 (or 403) and record who asked for what: the patient concerned when the id is a
    real patient's, none when it names nothing."""
    if current_user.is_authenticated:
        detail = f"{request.method} {request.path[:200]} answered {code}"
        audit.record("access_refused", patient_id=patient_id, detail=detail)
        db.session.commit()
    abort(code)


def role_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Signed-out people go to sign-in, other roles get 403. The view keeps its own signature
    and return type (ParamSpec), so a wrong argument or return is still a type error."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.has_role(*roles):
                refuse(code=403)
            return view(*args, **kwargs)

        signed_in: Callable[P, R] = login_required(wrapped)
        return signed_in

    return decorator


def treatments_in_view() -> ColumnElement[bool]:
    """The treatments whose figures the signed-in staff member may see in a whole-clinic report
    (outcomes, the monitoring month): admins the whole clinic, a therapist the courses assigned
    to them; cancelled courses are left out."""
    counted: ColumnElement[bool] = Treatment.status != "cancelled"
    if current_user.has_role(Role.ADMIN):
        return counted
    theirs: ColumnElement[bool] = counted & (Treatment.therapist_id == current_user.id)
    return theirs


def outcomes_in_view() -> ColumnElement[bool]:
    """As `treatments_in_view`, but a course cancelled on or after its injection day still counts
    (a dropout is a result: "missing = not improved"); one cancelled before it never started."""
    started: ColumnElement[bool] = (Treatment.status != "cancelled") | (
        Treatment.ended_on >= Treatment.injection_date
    )
    if current_user.has_role(Role.ADMIN):
        return started
    theirs: ColumnElement[bool] = started & (Treatment.therapist_id == current_user.id)
    return theirs


def may_see(treatment: Treatment | None, patient_id: int | None = None) -> bool:
    """Admins every patient; a therapist their own; and the clinician on call now a patient with
    an open alert (an escalation sends them to it: they must be able to act on it)."""
    if current_user.has_role(Role.ADMIN):
        return True
    if treatment is not None and treatment.therapist_id == current_user.id:
        return True
    return patient_id is not None and covers_open_alert(patient_id)


def covers_open_alert(patient_id: int) -> bool:
    """The signed-in clinician is on call now and this patient has an alert nobody has seen."""
    has_open = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Alert)
        .where(Alert.patient_id == patient_id, Alert.acknowledged_at.is_(None))
    )
    if not has_open:
        return False
    return any(person.id == current_user.id for person in on_call_now(datetime.now(UTC), current_settings()))


def found_or_refused(model: type[Any], object_id: int) -> Any:
    """The row with this id, or a refusal on the record."""
    row = db.session.get(model, object_id)
    if row is None:
        refuse()
    return row


def patient_in_care_or_404(patient_id: int) -> tuple[User, Treatment | None]:
    patient = found_or_refused(User, patient_id)
    if patient.role != Role.PATIENT.value:
        refuse()
    treatment = current_treatment(patient_id)
    if not may_see(treatment, patient.id):
        refuse(patient.id)
    return patient, treatment


def alert_in_care_or_404(alert_id: int) -> Alert:
    alert: Alert = found_or_refused(Alert, alert_id)
    patient_in_care_or_404(alert.patient_id)
    return alert


def plan_item_in_care_or_404(item_id: int) -> PlanItem:
    """A live plan item of a treatment this person may change (the patient's current one)."""
    item: PlanItem = found_or_refused(PlanItem, item_id)
    patient_id = item.treatment.patient_id
    if item.removed_at is not None:
        refuse(patient_id)
    _patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None or treatment.id != item.treatment_id:
        refuse(patient_id)
    return item
