"""Filtering the audit trail, for the page and the CSV export alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from app.admin.forms import AuditFilterForm
from app.extensions import db
from app.models import AuditEvent, User

ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "sign_in_refused_inactive": "Sign-in refused (inactive)",
    "sign_in_throttled": "Sign-in refused (too many tries)",
    "sign_out": "Signed out",
    "account_create": "Account created",
    "account_update": "Account changed",
    "account_deactivate": "Account deactivated",
    "account_reactivate": "Account reactivated",
    "setup_link_issued": "Setup link issued",
    "setup_link_used": "Setup link used",
    "password_changed": "Password changed",
    "treatment_create": "Treatment scheduled",
    "treatment_update": "Treatment changed",
    "treatment_status": "Treatment completed/cancelled",
    "settings_update": "Clinic settings changed",
    "view_patient_record": "Viewed patient record",
    "view_account": "Viewed patient account",
    "view_dashboard": "Viewed dashboard",
    "acknowledge_alert": "Acknowledged warning sign",
    "plan_add": "Plan: exercise added",
    "plan_remove": "Plan: exercise removed",
    "plan_dose": "Plan: dose changed",
    "plan_move": "Plan: order changed",
    "note_add": "Clinical note added",
    "audit_export": "Audit trail exported",
}
Actor, Patient = aliased(User), aliased(User)


def filtered_events(form: AuditFilterForm) -> sa.Select:
    """Events matching the filter, newest first, with the acting person and patient joined."""
    query = (
        sa.select(AuditEvent)
        .outerjoin(Actor, AuditEvent.actor_id == Actor.id)
        .outerjoin(Patient, AuditEvent.patient_id == Patient.id)
        .options(
            contains_eager(AuditEvent.actor.of_type(Actor)),
            contains_eager(AuditEvent.patient.of_type(Patient)),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if form.actor.data:
        query = query.where(Actor.email == form.actor.data.lower())
    if form.patient.data:
        query = query.where(Patient.email == form.patient.data.lower())
    if form.action.data in ACTIONS:
        query = query.where(AuditEvent.action == form.action.data)
    if form.date_from.data:
        query = query.where(AuditEvent.at >= datetime.combine(form.date_from.data, time.min))
    if form.date_to.data:
        query = query.where(AuditEvent.at < datetime.combine(form.date_to.data + timedelta(days=1), time.min))
    return query


CSV_HEADER = ["time (UTC)", "action", "person acting", "patient", "address", "detail"]


def csv_rows(query: sa.Select) -> Iterator[str]:
    """The export, streamed in batches so a long trail never sits in memory at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for event in db.session.scalars(query.execution_options(yield_per=500)):
        writer.writerow(
            [
                event.at.isoformat(sep=" ", timespec="seconds"),
                event.action,
                event.actor.email if event.actor else "",
                event.patient.email if event.patient else "",
                event.ip_address,
                safe_cell(event.detail),
            ]
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def safe_cell(text: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
