"""Thin views: the patient's own thread at /messages, staff's view of a patient's thread at
/patients/<id>/messages. The thread region refreshes itself with htmx every few seconds while the
tab is visible; sending returns the emptied composer and the new thread."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.care import content
from app.care.hours import hours_words, when_words
from app.care.warnings import Reported
from app.extensions import db
from app.messages import bp
from app.messages.forms import MessageForm
from app.models import Alert, Role, User
from app.models.between_visits import MESSAGE_MAX_LENGTH
from app.services import audit
from app.services.between_visits.messages import (
    Thread,
    load_thread,
    mark_read,
    send_message,
    unread_for_patient,
)
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.pages.today import patient_card, warning_actions
from app.services.safety.alerts import open_alerts
from app.web.access import STAFF, patient_in_care_or_404, role_required
from app.web.after_response import notify_after_response
from app.web.htmx import is_htmx_request, render_page_or_fragment, targets
from app.web.page_context import clinic_clock, say

POLL_SECONDS = 10


@bp.app_context_processor
def message_helpers() -> dict[str, Any]:
    def unread_messages() -> int:
        """For the patient's menu: one small query, only when a patient's page asks."""
        if current_user.is_authenticated and current_user.has_role(Role.PATIENT):
            return unread_for_patient(current_user.id)
        return 0

    return {"unread_messages": unread_messages}


def office_hours_context() -> dict[str, Any]:
    """When messages are read (the clinic's opening hours, a clinic setting), and outside them when
    to expect a reply."""
    settings = current_settings()
    hours, local = settings.hours, settings.now()
    opening = None if hours.is_open(local) else hours.next_opening(local)
    return {
        "read_when": say(content.MESSAGES_READ_WHEN, hours=hours_words(hours, say)),
        "closed_note": None
        if opening is None
        else say(content.MESSAGES_CLOSED, when=when_words(opening, local, "after", say)),
    }


def render_thread(
    thread: Thread,
    form: MessageForm,
    post_url: str,
    can_write: bool,
    status: int = 200,
    **patient_context: Any,
) -> Response:
    """The page; for htmx the thread alone (a poll) or the composer with the thread (a send)."""
    context = {
        **patient_context,
        "thread": thread,
        "form": form,
        "post_url": post_url,
        "poll_url": post_url,
        "poll_seconds": POLL_SECONDS,
        "can_write": can_write,
        "clock": clinic_clock,
        "viewer_is_patient": current_user.id == thread.patient.id,
        "message_max": MESSAGE_MAX_LENGTH,
        "thread_oob": is_htmx_request() and request.method == "POST" and status == 200,
        **office_hours_context(),
    }
    if targets("thread"):
        return render_page_or_fragment("messages/thread.html", "messages/_thread.html", **context)
    fragment = "messages/_composer.html" if is_htmx_request() else "messages/thread.html"
    focus = "#urgent" if patient_context.get("urgent_oob") else "#message-body"
    return render_page_or_fragment("messages/thread.html", fragment, status=status, focus=focus, **context)


# --- The patient ----------------------------------------------------------------------------------


@bp.route("/messages", methods=["GET", "POST"])
@role_required(Role.PATIENT)
def mine() -> Response:
    patient: User = current_user._get_current_object()
    form = MessageForm()
    status = 200
    today, settings = clinic_today_now(), current_settings()
    reports: list[Reported] = []
    still_open: list[Alert] | None = None
    if form.is_submitted():
        if form.validate():
            sent = send_message(patient, patient, form.body.data, today)
            db.session.commit()
            notify_after_response(sent.raised)
            if not is_htmx_request():  # a warning sign: the top of the page, where its message is
                return redirect(
                    url_for("messages.mine") + ("#urgent" if sent.reports else "#composer"), code=303
                )
            form = MessageForm(formdata=None)
            reports, still_open = sent.reports, sent.open_alerts
        else:
            status = 422
    thread = load_thread(patient)
    mark_read(thread, patient)
    page: dict[str, Any] = {}
    if not targets("thread"):  # a poll shows the thread alone
        if still_open is None:
            still_open = open_alerts(patient.id)
        urgent = patient_card(patient.id, reports, still_open, today, settings)
        page = {
            "urgent": urgent,
            "urgent_oob": bool(reports),
            "sent_with_warning": bool(reports),
            "warning_actions": warning_actions(urgent.circumstances, say),
        }
    # Commit after rendering: a commit expires the loaded messages, and reloading them one by one
    # would make the query count grow with the thread.
    response = render_thread(thread, form, url_for("messages.mine"), True, status=status, **page)
    db.session.commit()
    return response


# --- Staff ----------------------------------------------------------------------------------------


@bp.route("/patients/<int(max=2147483647):patient_id>/messages", methods=["GET", "POST"])  # ids fit INTEGER
@role_required(*STAFF)
def patient_thread(patient_id: int) -> Response:
    patient, _treatment = patient_in_care_or_404(patient_id)
    staff: User = current_user._get_current_object()
    can_write = staff.has_role(Role.THERAPIST)  # admins read; the therapist answers
    form = MessageForm()
    status = 200
    if form.is_submitted():
        if not can_write:
            abort(403)
        if form.validate():
            send_message(patient, staff, form.body.data, clinic_today_now())
            db.session.commit()
            if not is_htmx_request():
                return redirect(url_for("messages.patient_thread", patient_id=patient.id) + "#composer", 303)
            form = MessageForm(formdata=None)
        else:
            status = 422
    thread = load_thread(patient)
    newly_read = mark_read(thread, staff)
    polled = targets("thread")
    if not polled or newly_read:  # a poll that shows nothing new is not a new look at the record
        audit.record("view_messages", patient_id=patient.id, detail=f"new={newly_read}")
    post_url = url_for("messages.patient_thread", patient_id=patient.id)
    response = render_thread(thread, form, post_url, can_write, status=status)
    db.session.commit()
    return response
