"""Thin views for therapists (and admins, for records): each loads through an ownership check,
writes an audit event for what it shows or changes, and renders a page or its fragment."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Response as FlaskResponse
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.care import adherence, outcomes, rtm
from app.care.adherence import AttentionReason, time_ago
from app.care.content import ALL_ALERT_FLAGS, Dose
from app.care.escalation import STEP_NAMES
from app.care.lessons import in_order as lessons_in_order
from app.care.programmes import plan_for
from app.care.protocol import PHASES_BY_KEY
from app.extensions import db
from app.models import Role, Treatment
from app.models.base import utcnow
from app.models.treatments import DOSE_FIELDS
from app.services import audit
from app.services.clinic.languages import page_words, speaking, threshold_words
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.pages import rtm as rtm_service
from app.services.pages.alert_queue import load_queue
from app.services.pages.caseload import load_caseload
from app.services.pages.exercise_sheet import build_exercise_sheet
from app.services.pages.outcomes import clinic_outcomes
from app.services.pages.patient_record import alerts_for, load_record, logs_page, notes_page
from app.services.pages.summary import build_summary
from app.services.safety import alerts
from app.services.treatment import library, medicines, monitoring, plans
from app.services.treatment import notes as clinical_notes
from app.services.treatment.lessons import reads_of as lesson_reads_of
from app.services.treatment.measures import load_history
from app.therapist import bp
from app.therapist.dashboard import ATTENTION_LIMIT, SORT_LABELS, TableQuery, attention_items, select_rows
from app.therapist.forms import (
    AcknowledgeForm,
    DirectionForm,
    DoseForm,
    MedicinePlanForm,
    MoveForm,
    NoteForm,
    PrecautionsForm,
    RtmConsentForm,
    RtmSetupForm,
    TimeLogForm,
    VersionForm,
    add_exercise_form,
)
from app.therapist.plan_parts import PlanView, plan_context
from app.web.access import (
    STAFF,
    alert_in_care_or_404,
    outcomes_in_view,
    patient_in_care_or_404,
    plan_item_in_care_or_404,
    role_required,
    treatments_in_view,
)
from app.web.downloads import attachment, patient_export
from app.web.htmx import is_htmx_request, render_fragment, render_page_or_fragment, targets
from app.web.listing import CappedPage, page_number
from app.web.security import is_safe_next


@bp.context_processor
def staff_helpers() -> dict[str, Any]:
    """Helpers for this blueprint's templates only: "3 hours ago", symptom names, phases, and the
    care module whose thresholds the tables show."""

    def ago(moment: Any) -> str:
        return time_ago(moment, utcnow(), clinic_today_now(), page_words())

    def when(reason: AttentionReason) -> str:
        return reason.timing(utcnow(), clinic_today_now(), page_words())

    return {
        "ago": ago,
        "when": when,
        "steps": STEP_NAMES,
        "flags": ALL_ALERT_FLAGS,
        "phases_by_key": PHASES_BY_KEY,
        "adherence": adherence,
        "meaningful_change_words": threshold_words,  # "2 points or 30 %", in the page's language
        "rtm": rtm,
    }


@bp.get("/")
@role_required(Role.THERAPIST)
def home() -> Response:
    today = clinic_today_now()
    rows = load_caseload(current_user.id, today, current_settings())
    query = TableQuery.from_args(request.args)
    table = select_rows(rows, query)
    items = attention_items(rows)
    response = render_page_or_fragment(
        "therapist/home.html",
        "therapist/_patient_table.html" if targets("patient-table") else "therapist/home.html",
        today=today,
        table=table,
        query=query,
        sort_labels=SORT_LABELS,
        attention=items[:ATTENTION_LIMIT],
        attention_more=max(0, len(items) - ATTENTION_LIMIT),
        patient_count=len(rows),
    )
    shown = {row.patient.id for row in table.items} | {
        item.row.patient.id for item in items[:ATTENTION_LIMIT]
    }
    audit.patients_shown("view_dashboard", shown, detail=f"{len(rows)} in the caseload, {len(shown)} shown")
    db.session.commit()
    return response


def render_record(patient_id: int, status: int = 200, **forms: Any) -> Response:
    patient, treatment = patient_in_care_or_404(patient_id)
    record = load_record(patient, treatment, clinic_today_now(), current_settings())
    view = PlanView.from_args()
    context = {
        "record": record,
        "patient": patient,
        "plan": record.plan,
        "open_phase": view.phase or (record.position.phase.key if record.position else ""),
        "dose_open": view.dose,
        "logs": logs_page(patient.id, page_number()),
        "notes": notes_page(patient.id, page_number("notes_page")),
        "add_form": (
            add_exercise_form(
                record.position.phase.key if record.position else None, library.exercise_choices()
            )
            if view.add
            else None  # it comes when opened (plan_parts.add_form)
        ),
        "note_form": NoteForm(formdata=None),
        "direction_form": DirectionForm(
            formdata=None, direction=treatment.directional_preference if treatment else None
        ),
        "precautions_form": PrecautionsForm(formdata=None),
        "condition_plan": plan_for(treatment.condition) if treatment else None,
        "can_edit_plan": current_user.has_role(Role.THERAPIST),
        "failed": {},
        **records_context(patient.id, treatment),
    }
    context.update(forms)
    return render_fragment("therapist/patient.html", status=status, **context)


def records_context(patient_id: int, treatment: Treatment | None) -> dict[str, Any]:
    """The record's questionnaire, monitoring and export panels."""
    today = clinic_today_now()
    return {
        "patient_id": patient_id,
        "measures": load_history(treatment.id if treatment else None),
        "monitoring": rtm_service.patient_monitoring(treatment, today),
        "time_form": fresh_time_form(),
        "setup_form": RtmSetupForm(formdata=None, day=today),
        "consent_form": RtmConsentForm(formdata=None, day=today),
        "lessons": lessons_in_order(),
        "lesson_reads": lesson_reads_of(patient_id),
    }


@bp.get("/patients/<int:patient_id>")
@role_required(*STAFF)
def patient(patient_id: int) -> Response:
    response = render_record(patient_id)  # 404 before anything is recorded
    audit.record("view_patient_record", patient_id=patient_id)
    db.session.commit()
    return response


@bp.post("/alerts/<int:alert_id>/acknowledge")
@role_required(*STAFF)
def acknowledge_alert(alert_id: int) -> Response:
    alert = alert_in_care_or_404(alert_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        abort(400, " ".join(form.note.errors) or "That request was not understood.")
    if alerts.acknowledge(alert, current_user, form.note.data or ""):
        db.session.commit()
    if not is_htmx_request():
        record = url_for("therapist.patient", patient_id=alert.patient_id)
        return redirect(form.next.data if is_safe_next(form.next.data) else record, code=303)
    if targets("alerts"):  # the record's list of warning signs
        return render_fragment("therapist/_alerts.html", focus="#alerts", alerts=alerts_for(alert.patient_id))
    if targets(f"queue-alert-{alert.id}"):  # one row of the alert queue
        return render_fragment("therapist/_acknowledged.html", focus=f"#acknowledged-{alert.id}", alert=alert)
    return render_fragment(  # one line of the dashboard's attention list
        "therapist/_acknowledged.html", focus=f"#acknowledged-{alert.id}", alert=alert
    )


def plan_response(patient_id: int, phase: str, status: int = 200, **failed: Any) -> Response:
    """After a plan change: the plan region (with the changed phase open) for htmx, the record
    page otherwise."""
    if not is_htmx_request():
        if status == 200:
            record = url_for("therapist.patient", patient_id=patient_id, phase=phase or None)
            return redirect(f"{record}#plan", code=303)  # the changed phase open, as with htmx
        return render_record(patient_id, status=status, open_phase=phase, **failed)
    patient, treatment = patient_in_care_or_404(patient_id)
    context = plan_context(patient, treatment) | {"failed": failed.get("failed", {})}
    return render_fragment(
        "therapist/_plan.html",
        status=status,
        focus="#plan",
        open_phase=phase,
        add_form=failed.get("add_form"),
        **context,
    )


@bp.post("/patients/<int:patient_id>/plan")
@role_required(Role.THERAPIST)
def add_exercise(patient_id: int) -> Response:
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None:
        abort(404)
    form = add_exercise_form(None, library.exercise_choices(), submitted=True)
    if form.validate_on_submit():
        try:
            plans.add_exercise(treatment, form.exercise.data, form.phase.data)
        except plans.PlanError as error:
            form.exercise.errors.append(gettext(str(error)))
        else:
            db.session.commit()
            return plan_response(patient.id, form.phase.data)
    return plan_response(patient.id, form.phase.data or "", status=422, add_form=form)


@bp.post("/plan/<int:item_id>/dose")
@role_required(Role.THERAPIST)
def change_dose(item_id: int) -> Response:
    item = plan_item_in_care_or_404(item_id)
    patient_id = item.treatment.patient_id
    form = DoseForm()
    if not form.validate_on_submit():
        return plan_response(patient_id, item.phase, status=422, failed={item.id: form})
    plans.change_dose(item, Dose(**{name: form[name].data for name in DOSE_FIELDS}))
    db.session.commit()
    return plan_response(patient_id, item.phase)


@bp.post("/plan/<int:item_id>/version")
@role_required(Role.THERAPIST)
def update_version(item_id: int) -> Response:
    """ "Update to version N": the item's texts become the exercise's newer signed version."""
    item = plan_item_in_care_or_404(item_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400, "That request was not understood.")
    version = library.current_version(item.exercise)
    if version is None or str(version.id) != form.version.data:
        abort(409, "A newer version was signed since this page was opened. Reload the page.")
    plans.update_version(item, version)
    patient_id = item.treatment.patient_id
    db.session.commit()
    return plan_response(patient_id, item.phase)


@bp.post("/plan/<int:item_id>/remove")
@role_required(Role.THERAPIST)
def remove_exercise(item_id: int) -> Response:
    item = plan_item_in_care_or_404(item_id)
    plans.remove_exercise(item)
    patient_id = item.treatment.patient_id
    db.session.commit()
    return plan_response(patient_id, item.phase)


@bp.post("/plan/<int:item_id>/move")
@role_required(Role.THERAPIST)
def move_exercise(item_id: int) -> Response:
    item = plan_item_in_care_or_404(item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400, "Unknown direction.")
    patient_id = item.treatment.patient_id
    if plans.move_exercise(item, form.direction.data):
        db.session.commit()
    return plan_response(patient_id, item.phase)


@bp.post("/patients/<int:patient_id>/notes")
@role_required(*STAFF)
def add_note(patient_id: int) -> Response:
    patient, _treatment = patient_in_care_or_404(patient_id)
    form = NoteForm()
    status = 200
    if form.validate_on_submit():
        clinical_notes.add_note(patient, current_user, form.body.data)
        db.session.commit()
        if not is_htmx_request():
            return redirect(url_for("therapist.patient", patient_id=patient.id) + "#notes", code=303)
        form = NoteForm(formdata=None)
    else:
        status = 422
        if not is_htmx_request():
            return render_record(patient.id, status=status, note_form=form)
    return render_fragment(
        "therapist/_notes.html",
        status=status,
        focus="#notes",
        patient=patient,
        note_form=form,
        notes=notes_page(patient.id, 1),
    )


# --- The alert queue and the medicine plan ----------------------------------------------------------


@bp.get("/alerts")
@role_required(*STAFF)
def alert_queue() -> str:
    """Every open alert (the whole clinic for admins and whoever is on call now), oldest
    emergency first, with who was told when and who acknowledged."""
    queue = load_queue(current_user, utcnow(), current_settings())
    page = render_template("therapist/alerts.html", queue=queue, today=clinic_today_now())
    scope = "the whole clinic" if queue.whole_clinic else "their own patients"
    shown = {item.patient.id for item in [*queue.open, *queue.acknowledged]}
    audit.patients_shown(
        "view_alert_queue",
        shown,
        detail=f"{queue.open_total} open and {len(queue.acknowledged)} lately acknowledged alerts, {scope}",
    )
    db.session.commit()
    return page


@bp.post("/patients/<int:patient_id>/medicines/confirm")
@role_required(*STAFF)
def confirm_medicine_plan(patient_id: int) -> Response:
    """A clinician confirms the plan for the medicines the patient listed (a blood thinner: made
    with its prescriber); the injection stops showing "plan with prescriber needed"."""
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None or not treatment.medicine_findings:
        abort(404)
    form = MedicinePlanForm()
    if not form.validate_on_submit():
        abort(400, " ".join(form.note.errors) or "That request was not understood.")
    if medicines.confirm_plan(treatment, current_user, form.note.data or ""):
        db.session.commit()
    return redirect(url_for("therapist.patient", patient_id=patient.id) + "#medicines", code=303)


@bp.post("/patients/<int:patient_id>/direction")
@role_required(Role.THERAPIST)
def choose_direction(patient_id: int) -> Response:
    """The therapist's directional preference for radiculopathy or failed back surgery."""
    _patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None or not plan_for(treatment.condition).chooses_direction:
        abort(404)
    form = DirectionForm()
    if not form.validate_on_submit():
        return render_record(patient_id, status=422, direction_form=form)
    plans.choose_direction(treatment, form.direction.data)
    db.session.commit()
    return redirect(url_for("therapist.patient", patient_id=patient_id) + "#condition-steps", code=303)


@bp.post("/patients/<int:patient_id>/precautions")
@role_required(Role.THERAPIST)
def confirm_precautions(patient_id: int) -> Response:
    """The therapist confirms the surgeon's precautions after back surgery."""
    _patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None or not plan_for(treatment.condition).needs_precautions:
        abort(404)
    form = PrecautionsForm()
    if not form.validate_on_submit():
        return render_record(patient_id, status=422, precautions_form=form)
    plans.confirm_precautions(treatment, current_user.id, form.note.data)
    db.session.commit()
    return redirect(url_for("therapist.patient", patient_id=patient_id) + "#condition-steps", code=303)


# --- Outcomes across patients -----------------------------------------------------------------------


@bp.get("/outcomes")
@role_required(*STAFF)
def outcomes_page() -> str:
    today = clinic_today_now()
    tables, weeks, counted = clinic_outcomes(outcomes_in_view(), today)
    return render_template(
        "therapist/outcomes.html",
        today=today,
        tables=tables,
        weeks=weeks,
        series=outcomes.chart_series(weeks),
        counted=counted,
        outcomes=outcomes,
        whole_clinic=current_user.has_role(Role.ADMIN),
    )


# --- Remote monitoring: the time log, the set-up record and the month report ------------------------


def rtm_response(patient_id: int, status: int = 200, **forms: Any) -> Response:
    """The record's monitoring region for htmx; the record page without JavaScript."""
    if not is_htmx_request():
        if status == 200:
            return redirect(url_for("therapist.patient", patient_id=patient_id) + "#rtm", code=303)
        return render_record(patient_id, status=status, **forms)
    _patient, treatment = patient_in_care_or_404(patient_id)
    return render_fragment(
        "therapist/_rtm.html",
        status=status,
        focus="#rtm",
        patient_id=patient_id,
        monitoring=rtm_service.patient_monitoring(treatment, clinic_today_now()),
        time_form=forms.get("time_form") or fresh_time_form(),
        setup_form=forms.get("setup_form") or RtmSetupForm(formdata=None, day=clinic_today_now()),
        consent_form=forms.get("consent_form") or RtmConsentForm(formdata=None, day=clinic_today_now()),
        treatment=treatment,
    )


def fresh_time_form() -> TimeLogForm:
    return TimeLogForm(formdata=None, day=clinic_today_now())


@bp.post("/patients/<int:patient_id>/time-log")
@role_required(*STAFF)
def add_time(patient_id: int) -> Response:
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None:
        abort(404)
    form = TimeLogForm()
    if form.validate_on_submit() and form.check_day(clinic_today_now(), treatment.evaluation_date):
        day, minutes, what, interactive = form.entry()
        monitoring.log_time(treatment, current_user, day, minutes, what, interactive)
        db.session.commit()
        return rtm_response(patient.id)
    return rtm_response(patient.id, status=422, time_form=form)


@bp.post("/patients/<int:patient_id>/rtm-consent")
@role_required(*STAFF)
def record_consent(patient_id: int) -> Response:
    """The patient's consent to remote monitoring: before it, no code is reported."""
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None:
        abort(404)
    form = RtmConsentForm()
    today = clinic_today_now()
    if form.validate_on_submit() and form.day.data is not None and form.day.data <= today:
        if monitoring.record_consent(treatment, current_user, form.day.data, form.how.data):
            db.session.commit()
        return rtm_response(patient.id)
    if form.day.data is not None and form.day.data > today:
        form.day.errors = [gettext("The date cannot be in the future.")]
    return rtm_response(patient.id, status=422, consent_form=form)


@bp.post("/patients/<int:patient_id>/rtm-setup")
@role_required(*STAFF)
def record_setup(patient_id: int) -> Response:
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None:
        abort(404)
    form = RtmSetupForm()
    today = clinic_today_now()
    if form.validate_on_submit() and form.day.data is not None and form.day.data <= today:
        if monitoring.record_setup(treatment, current_user, form.day.data):
            db.session.commit()
        return rtm_response(patient.id)
    if form.day.data is not None and form.day.data > today:
        form.day.errors = [gettext("The date cannot be in the future.")]
    return rtm_response(patient.id, status=422, setup_form=form)


def requested_month() -> tuple[int, int]:
    """?month=YYYY-MM (2000-2099), this month when absent; anything else is not found."""
    value = request.args.get("month")
    if value is None:
        today = clinic_today_now()
        return today.year, today.month
    match = re.match(rtm_service.MONTH_PATTERN, value)
    if not match:
        abort(404)
    return int(match.group(1)), int(match.group(2))


RTM_PAGE_SIZE = 100  # a clinic group's month has thousands of rows: a page a phone can hold


@bp.get("/rtm")
@role_required(*STAFF)
def rtm_report() -> str:
    year, month = requested_month()
    today = clinic_today_now()
    rows, number, counted, has_next = rtm_service.month_report_page(
        treatments_in_view(), year, month, today, page_words(), page_number(), RTM_PAGE_SIZE
    )
    table = CappedPage(rows, number, RTM_PAGE_SIZE, counted, has_next)  # the CSV holds every row
    first, _last = rtm.month_bounds(year, month)
    previous = first - timedelta(days=1)
    following = first + timedelta(days=32)
    page = render_template(
        "therapist/rtm.html",
        table=table,
        month=first,
        previous=f"{previous:%Y-%m}",
        following=f"{following:%Y-%m}" if following.replace(day=1) <= today else None,
        rtm=rtm,
        whole_clinic=current_user.has_role(Role.ADMIN),
    )
    # It names patients and their monitoring days: audited like the dashboard, after rendering (a
    # commit expires the rows).
    audit.patients_shown(
        "view_rtm_report",
        [row.treatment.patient_id for row in table.items],
        detail=f"month={year}-{month:02d} rows={len(table.items)} of {table.total}",
    )
    db.session.commit()
    return page


@bp.get("/rtm.csv")
@role_required(*STAFF)
def rtm_csv() -> FlaskResponse:
    year, month = requested_month()
    rows = rtm_service.month_report(treatments_in_view(), year, month, clinic_today_now())
    audit.patients_shown(
        "rtm_report_export",
        [row.treatment.patient_id for row in rows],
        detail=f"month={year}-{month:02d} rows={len(rows)}",
    )
    db.session.commit()
    return attachment(rtm_service.report_csv(rows), "text/csv", f"backtrack-rtm-{year}-{month:02d}.csv")


# --- A patient's records, for staff who may see them -----------------------------------------------


@bp.get("/patients/<int:patient_id>/export.zip")
@role_required(*STAFF)
def patient_export_zip(patient_id: int) -> FlaskResponse:
    patient, _treatment = patient_in_care_or_404(patient_id)
    return patient_export(patient, "zip", "export_patient_data")


@bp.get("/patients/<int:patient_id>/export.fhir.json")
@role_required(*STAFF)
def patient_export_fhir(patient_id: int) -> FlaskResponse:
    patient, _treatment = patient_in_care_or_404(patient_id)
    return patient_export(patient, "fhir", "export_patient_data")


@bp.get("/patients/<int:patient_id>/summary")
@role_required(*STAFF)
def patient_summary(patient_id: int) -> str:
    patient, treatment = patient_in_care_or_404(patient_id)
    view = build_summary(patient, treatment, clinic_today_now(), current_settings())
    back = url_for("therapist.patient", patient_id=patient.id)
    sheet_url = url_for("therapist.patient_exercise_sheet", patient_id=patient.id)
    page = render_template("records/summary.html", summary=view, back=back, sheet_url=sheet_url)
    audit.record("view_summary", patient_id=patient.id)  # after rendering: a commit expires the rows
    db.session.commit()
    return page


@bp.get("/patients/<int:patient_id>/exercise-sheet")
@role_required(*STAFF)
def patient_exercise_sheet(patient_id: int) -> str:
    """The patient's home-exercise sheet, to print and hand them: in the patient's language (a
    sheet for a Spanish reader is in Spanish, whoever prints it)."""
    patient, treatment = patient_in_care_or_404(patient_id)
    sheet = build_exercise_sheet(patient, treatment, clinic_today_now())
    back = url_for("therapist.patient", patient_id=patient.id)
    with speaking(patient):
        page = render_template("records/exercise_sheet.html", sheet=sheet, back=back)
    audit.record("view_exercise_sheet", patient_id=patient.id)  # after rendering: a commit expires the rows
    db.session.commit()
    return page
