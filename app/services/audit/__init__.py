"""Write audit events: who did what, to whose record, from which address."""

from __future__ import annotations

from datetime import date

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent, Role, User
from app.services.audit import chain as audit_chain

ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "sign_in_refused_inactive": "Sign-in refused (inactive)",
    "sign_in_throttled": "Sign-in refused (too many tries)",
    "sign_out": "Signed out",
    "access_refused": "Access refused",
    "log_save": "Daily log saved by the patient",
    "exercise_tick": "Exercise ticked by the patient",
    "view_treatment": "Viewed treatment",
    "view_audit": "Viewed audit trail",
    "session_end": "Session ended from the account page",
    "password_check_failed": "Wrong current password on the account page",
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
    "alert_raise": "Warning sign raised",
    "alert_notify": "Staff told of a warning sign",
    "alert_escalate": "Warning sign escalated",
    "alert_help_answer": "Patient answered “Did you get help?”",
    "view_alert_queue": "Viewed the alert queue",
    "on_call_add": "On-call shift added",
    "on_call_remove": "On-call shift removed",
    "medicines_update": "Regular medicines listed by the patient",
    "medicines_review": "Medicine plan confirmed",
    "plan_add": "Plan: exercise added",
    "plan_remove": "Plan: exercise removed",
    "plan_dose": "Plan: dose changed",
    "plan_move": "Plan: order changed",
    "plan_direction": "Plan: directional preference chosen",
    "precautions_confirm": "Surgeon's precautions confirmed",
    "note_add": "Clinical note added",
    "audit_export": "Audit trail exported",
    "content_signoff": "Clinical content signed off",
    "time_log_add": "Monitoring time logged",
    "rtm_setup": "Monitoring set-up recorded",
    "rtm_consent": "Consent to remote monitoring recorded",
    "rtm_report_export": "Monitoring month report exported",
    "view_rtm_report": "Viewed monitoring month report",
    "export_own_data": "Patient downloaded their data",
    "export_patient_data": "Patient data exported by staff",
    "calendar_download": "Calendar file downloaded",
    "view_summary": "Printable summary viewed",
    "message_send": "Message sent",
    "view_messages": "Viewed messages",
    "passkey_add": "Passkey added",
    "passkey_remove": "Passkey removed",
    "sign_in_passkey_failed": "Failed passkey sign-in",
    "reminders_update": "Reminder choices changed",
    "push_subscribe": "Phone notifications turned on",
    "push_unsubscribe": "Phone notifications turned off",
    "audit_key_change": "Audit key changed",  # written by the chain itself (chain.py), never record()ed
    "fhir_read": "FHIR API: resource read",
    "fhir_search": "FHIR API: search",
    "fhir_refused": "FHIR API: read refused",
    "oauth_consent_approved": "App allowed to read records",
    "oauth_consent_denied": "App refused",
    "api_token_issued": "API access token issued",
    "api_token_refused": "API token refused (code invalid or replayed)",
    "api_app_disconnect": "App's access stopped from the account page",
    "api_client_register": "API client registered",
    "api_client_disable": "API client disabled",
    "bulk_export_start": "Bulk export started",
    "bulk_export_step": "Bulk export: file written",
    "bulk_export_download": "Bulk export file downloaded",
    "bulk_export_cancel": "Bulk export cancelled",
}


def day_words(day: date) -> str:
    """A day inside an audit sentence ("Tue, Mar 3"). The trail is a record written once, in the
    clinic's working language, whoever reads it later: not the page's formatting or locale."""
    return f"{day:%a}, {day:%b} {day.day}"


def patient_id_of(user: User) -> int | None:
    """The patient an event about this account concerns: the account itself, if a patient."""
    return user.id if user.role == Role.PATIENT.value else None


def record(
    action: str, patient_id: int | None = None, detail: str = "", actor_id: int | None = None
) -> AuditEvent:
    """Add an audit event to the current transaction: it is written, chained to the trail, when
    the transaction commits, with the change it records (app/services/audit/chain.py)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: name it in ACTIONS")
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    address = (request.remote_addr or "") if has_request_context() else ""
    event = AuditEvent(
        action=action, patient_id=patient_id, actor_id=actor_id, ip_address=address[:45], detail=detail[:500]
    )
    audit_chain.append(db.session(), event)
    return event
