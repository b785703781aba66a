"""Write audit events: who did what, to whose record, from which address."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from itertools import groupby

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
    "exercise_feeling": "How an exercise felt, told by the patient",
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
    "language_changed": "Language changed",
    "treatment_create": "Treatment scheduled",
    "treatment_update": "Treatment changed",
    "treatment_status": "Treatment completed/cancelled",
    "settings_update": "Clinic settings changed",
    "view_patient_record": "Viewed patient record",
    "view_account": "Viewed patient account",
    "view_account_list": "Viewed the account list",
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
    "plan_version": "Plan: exercise updated to a newer signed version",
    "library_add": "Exercise library: exercise added",
    "library_draft": "Exercise library: draft version written",
    "library_photo": "Exercise library: photo uploaded or removed (a draft)",
    "library_sign": "Exercise library: version signed off",
    "precautions_confirm": "Surgeon's precautions confirmed",
    "note_add": "Clinical note added",
    "audit_export": "Audit trail exported",
    "content_signoff": "Clinical content signed off",
    "time_log_add": "Monitoring time logged",
    "rtm_setup": "Monitoring set-up recorded",
    "rtm_consent": "Consent to remote monitoring recorded",
    "procedure_consent": "Consent to the PRP injection recorded",
    "rtm_report_export": "Monitoring month report exported",
    "view_rtm_report": "Viewed monitoring month report",
    "export_own_data": "Patient downloaded their data",
    "export_patient_data": "Patient data exported by staff",
    "calendar_download": "Calendar file downloaded",
    "view_summary": "Printable summary viewed",
    "view_exercise_sheet": "Printable exercise sheet viewed",
    "message_send": "Message sent",
    "view_messages": "Viewed messages",
    "passkey_add": "Passkey added",
    "passkey_remove": "Passkey removed",
    "sign_in_passkey_failed": "Failed passkey sign-in",
    "sign_in_link_sent": "Sign-in link e-mailed (many wrong tries on the account)",
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


SHOWN = re.compile(r"patients shown: ([0-9, \-]+)")
DETAIL_LENGTH = 500


def id_ranges(ids: Iterable[int]) -> str:
    """Ids, sorted, runs written as ranges: "3-5, 9, 12"."""
    parts: list[str] = []
    for _, run in groupby(enumerate(sorted(set(ids))), key=lambda pair: pair[1] - pair[0]):
        numbers = [number for _, number in run]
        parts.append(str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}")
    return ", ".join(parts)


def ids_in(detail: str) -> set[int]:
    """The patient ids a detail written by `patients_shown` names (the tests and readers)."""
    found: set[int] = set()
    for listed in SHOWN.findall(detail):
        for part in listed.split(","):
            first, _, last = part.strip().partition("-")
            if first.isdigit():
                found.update(range(int(first), int(last or first) + 1))
    return found


def patients_shown(action: str, patient_ids: Iterable[int], detail: str = "") -> None:
    """A staff view that showed several patients' names: on the record with the patients it
    showed, compactly ("…; patients shown: 3-5, 9"), in as many rows as the ids need (a row's
    detail holds 500 characters). One patient shown: that row's `patient_id` too, like a record
    view."""
    ids = sorted(set(patient_ids))

    def words(shown: str) -> str:
        return f"{detail}; patients shown: {shown}" if detail else f"Patients shown: {shown}"

    if len(ids) == 1:
        record(action, patient_id=ids[0], detail=words(str(ids[0])))
        return
    room = DETAIL_LENGTH - len(words(""))
    chunk: list[int] = []
    for patient_id in ids:
        if chunk and len(id_ranges([*chunk, patient_id])) > room:
            record(action, detail=words(id_ranges(chunk)))
            chunk = []
        chunk.append(patient_id)
    record(action, detail=words(id_ranges(chunk) or "none"))


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
