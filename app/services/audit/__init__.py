"""Write audit events: who did what, to whose record, from which address."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from itertools import groupby

from flask import has_request_context, request
from flask_login import current_user

from app.care.staff_words import N_
from app.extensions import db
from app.models import AuditEvent, Role, User
from app.services.audit import chain as audit_chain

ACTIONS = {  # staff words: the page shows them in the reader's language, the CSV in English
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Failed sign-in"),
    "sign_in_refused_inactive": N_("Sign-in refused (inactive)"),
    "sign_in_throttled": N_("Sign-in refused (too many tries)"),
    "sign_out": N_("Signed out"),
    "access_refused": N_("Access refused"),
    "log_save": N_("Daily log saved by the patient"),
    "exercise_tick": N_("Exercise ticked by the patient"),
    "exercise_feeling": N_("How an exercise felt, told by the patient"),
    "view_treatment": N_("Viewed treatment"),
    "view_audit": N_("Viewed audit trail"),
    "session_end": N_("Session ended from the account page"),
    "password_check_failed": N_("Wrong current password on the account page"),
    "account_create": N_("Account created"),
    "account_update": N_("Account changed"),
    "account_deactivate": N_("Account deactivated"),
    "account_reactivate": N_("Account reactivated"),
    "setup_link_issued": N_("Setup link issued"),
    "setup_link_used": N_("Setup link used"),
    "password_changed": N_("Password changed"),
    "language_changed": N_("Language changed"),
    "treatment_create": N_("Treatment scheduled"),
    "treatment_update": N_("Treatment changed"),
    "treatment_status": N_("Treatment completed/cancelled"),
    "settings_update": N_("Clinic settings changed"),
    "view_patient_record": N_("Viewed patient record"),
    "view_account": N_("Viewed patient account"),
    "view_account_list": N_("Viewed the account list"),
    "view_dashboard": N_("Viewed dashboard"),
    "acknowledge_alert": N_("Acknowledged warning sign"),
    "alert_raise": N_("Warning sign raised"),
    "alert_notify": N_("Staff told of a warning sign"),
    "alert_escalate": N_("Warning sign escalated"),
    "alert_help_answer": N_("Patient answered “Did you get help?”"),
    "view_alert_queue": N_("Viewed the alert queue"),
    "on_call_add": N_("On-call shift added"),
    "on_call_remove": N_("On-call shift removed"),
    "medicines_update": N_("Regular medicines listed by the patient"),
    "medicines_review": N_("Medicine plan confirmed"),
    "plan_add": N_("Plan: exercise added"),
    "plan_remove": N_("Plan: exercise removed"),
    "plan_dose": N_("Plan: dose changed"),
    "plan_move": N_("Plan: order changed"),
    "plan_direction": N_("Plan: directional preference chosen"),
    "plan_version": N_("Plan: exercise updated to a newer signed version"),
    "library_add": N_("Exercise library: exercise added"),
    "library_draft": N_("Exercise library: draft version written"),
    "library_photo": N_("Exercise library: photo uploaded or removed (a draft)"),
    "library_sign": N_("Exercise library: version signed off"),
    "precautions_confirm": N_("Surgeon's precautions confirmed"),
    "note_add": N_("Clinical note added"),
    "audit_export": N_("Audit trail exported"),
    "content_signoff": N_("Clinical content signed off"),
    "time_log_add": N_("Monitoring time logged"),
    "rtm_setup": N_("Monitoring set-up recorded"),
    "rtm_consent": N_("Consent to remote monitoring recorded"),
    "procedure_consent": N_("Consent to the PRP injection recorded"),
    "rtm_report_export": N_("Monitoring month report exported"),
    "view_rtm_report": N_("Viewed monitoring month report"),
    "export_own_data": N_("Patient downloaded their data"),
    "export_patient_data": N_("Patient data exported by staff"),
    "calendar_download": N_("Calendar file downloaded"),
    "view_summary": N_("Printable summary viewed"),
    "view_exercise_sheet": N_("Printable exercise sheet viewed"),
    "message_send": N_("Message sent"),
    "view_messages": N_("Viewed messages"),
    "passkey_add": N_("Passkey added"),
    "passkey_remove": N_("Passkey removed"),
    "sign_in_passkey_failed": N_("Failed passkey sign-in"),
    "sign_in_link_sent": N_("Sign-in link e-mailed (many wrong tries on the account)"),
    "reminders_update": N_("Reminder choices changed"),
    "push_subscribe": N_("Phone notifications turned on"),
    "push_unsubscribe": N_("Phone notifications turned off"),
    "audit_key_change": N_("Audit key changed"),  # written by the chain itself (chain.py), never record()ed
    "fhir_read": N_("FHIR API: resource read"),
    "fhir_search": N_("FHIR API: search"),
    "fhir_refused": N_("FHIR API: read refused"),
    "oauth_consent_approved": N_("App allowed to read records"),
    "oauth_consent_denied": N_("App refused"),
    "api_token_issued": N_("API access token issued"),
    "api_token_refused": N_("API token refused (code invalid or replayed)"),
    "api_app_disconnect": N_("App's access stopped from the account page"),
    "api_client_register": N_("API client registered"),
    "api_client_disable": N_("API client disabled"),
    "bulk_export_start": N_("Bulk export started"),
    "bulk_export_step": N_("Bulk export: file written"),
    "bulk_export_download": N_("Bulk export file downloaded"),
    "bulk_export_cancel": N_("Bulk export cancelled"),
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
