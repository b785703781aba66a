"""Write audit events: who did what, to whose record, from which address."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, Role, User


def patient_id_of(user: User) -> int | None:
    """The patient an event about this account concerns: the account itself, if a patient."""
    return user.id if user.role == Role.PATIENT.value else None


def record(
    action: str, patient_id: int | None = None, detail: str = "", actor_id: int | None = None
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change it records)."""
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    address = (request.remote_addr or "") if has_request_context() else ""
    event = AuditEvent(
        action=action, patient_id=patient_id, actor_id=actor_id, ip_address=address[:45], detail=detail[:500]
    )
    db.session.add(event)
    return event
