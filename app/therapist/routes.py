"""Thin views for therapists (and admins, for records): each loads through an ownership check,
writes an audit event for what it shows or changes, and renders a page or its fragment."""

from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app import audit
from app.auth.forms import EmptyForm
from app.auth.session import is_safe_next, role_required
from app.care.adherence import time_ago
from app.care.content import ALL_ALERT_FLAGS, Dose
from app.care.protocol import PHASES_BY_KEY
from app.clinic_settings import clinic_today_now, current_settings
from app.extensions import db
from app.htmx import is_htmx_request, render_page_or_fragment
from app.models import ClinicalNote, PlanItem, Role
from app.models.base import utcnow
from app.models.treatments import DOSE_FIELDS
from app.therapist import bp
from app.therapist.access import (
    alert_in_care_or_404,
    patient_in_care_or_404,
    plan_item_in_care_or_404,
)
from app.therapist.caseload import load_caseload
from app.therapist.dashboard import (
    ATTENTION_LIMIT,
    SORT_LABELS,
    TableQuery,
    attention_items,
    select_rows,
)
from app.therapist.forms import AcknowledgeForm, AddExerciseForm, DoseForm, MoveForm, NoteForm
from app.therapist.record import alerts_for, load_plan, load_record, logs_page, notes_page
from app.treatments import add_plan_item, ensure_exercise_library

STAFF = (Role.THERAPIST, Role.ADMIN)


@bp.context_processor
def staff_helpers() -> dict:
    """Helpers for this blueprint's templates only: "3 hours ago", symptom names, phases."""

    def ago(moment) -> str:  # type: ignore[no-untyped-def]
        return time_ago(moment, utcnow(), clinic_today_now())

    return {"ago": ago, "flags": ALL_ALERT_FLAGS, "phases_by_key": PHASES_BY_KEY}


@bp.get("/")
@role_required(Role.THERAPIST)
def home() -> Response:
    today = clinic_today_now()
    rows = load_caseload(current_user.id, today, current_settings())
    query = TableQuery.from_args(request.args)
    table = select_rows(rows, query)
    items = attention_items(rows)
    table_only = request.headers.get("HX-Target") == "patient-table"  # sorting or filtering
    response = render_page_or_fragment(
        "therapist/home.html",
        "therapist/_patient_table.html" if table_only else "therapist/home.html",
        today=today,
        table=table,
        query=query,
        sort_labels=SORT_LABELS,
        attention=items[:ATTENTION_LIMIT],
        attention_more=max(0, len(items) - ATTENTION_LIMIT),
        patient_count=len(rows),
    )
    # Commit after rendering: a commit expires every loaded row, and reloading them one by one
    # would make the page's query count grow with the caseload.
    audit.record("view_dashboard", detail=f"patients={len(rows)} shown={len(table.items)}")
    db.session.commit()
    return response


def render_record(patient_id: int, status: int = 200, **forms) -> Response:  # type: ignore[no-untyped-def]
    patient, treatment = patient_in_care_or_404(patient_id)
    record = load_record(patient, treatment, clinic_today_now(), current_settings())
    context = {
        "record": record,
        "patient": patient,
        "plan": record.plan,
        "open_phase": record.position.phase.key if record.position else "",
        "logs": logs_page(patient.id, request.args.get("page", 1, type=int)),
        "notes": notes_page(patient.id, request.args.get("notes_page", 1, type=int)),
        "add_form": AddExerciseForm(formdata=None),
        "note_form": NoteForm(formdata=None),
        "can_edit_plan": current_user.has_role(Role.THERAPIST),
        "failed": {},
    }
    context.update(forms)
    return render_page_or_fragment(
        "therapist/patient.html", "therapist/patient.html", status=status, **context
    )


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
    back = (
        form.next.data
        if is_safe_next(form.next.data)
        else url_for("therapist.patient", patient_id=alert.patient_id)
    )
    if not form.validate_on_submit():
        abort(400, " ".join(form.note.errors) or "That request was not understood.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), current_user.id
        alert.acknowledgement_note = form.note.data or ""
        audit.record(
            "acknowledge_alert",
            patient_id=alert.patient_id,
            detail=f"alert={alert.id} symptom={alert.symptom}",
        )
        db.session.commit()
    if not is_htmx_request():
        return redirect(back, code=303)
    if request.headers.get("HX-Target") == "alerts":
        alerts = alerts_for(alert.patient_id)
        return render_page_or_fragment(
            "therapist/_alerts.html", "therapist/_alerts.html", focus="#alerts", alerts=alerts
        )
    return render_page_or_fragment(
        "therapist/_acknowledged.html",
        "therapist/_acknowledged.html",
        focus=f"#acknowledged-{alert.id}",
        alert=alert,
    )


def plan_response(patient_id: int, phase: str, status: int = 200, **failed) -> Response:  # type: ignore[no-untyped-def]
    """After a plan change: the plan region (with the changed phase open) for htmx, the record
    page otherwise."""
    if not is_htmx_request():
        if status == 200:
            return redirect(url_for("therapist.patient", patient_id=patient_id) + "#plan", code=303)
        return render_record(patient_id, status=status, open_phase=phase, **failed)
    patient, treatment = patient_in_care_or_404(patient_id)
    return render_page_or_fragment(
        "therapist/_plan.html",
        "therapist/_plan.html",
        status=status,
        focus="#plan",
        patient=patient,
        plan=load_plan(treatment),
        can_edit_plan=True,
        open_phase=phase,
        add_form=failed.get("add_form") or AddExerciseForm(formdata=None),
        failed=failed.get("failed", {}),
    )


@bp.post("/patients/<int:patient_id>/plan")
@role_required(Role.THERAPIST)
def add_exercise(patient_id: int) -> Response:
    patient, treatment = patient_in_care_or_404(patient_id)
    form = AddExerciseForm()
    if treatment is None:
        abort(404)
    if form.validate_on_submit():
        library = ensure_exercise_library()
        exercise = library[form.exercise.data]
        duplicate = db.session.scalar(
            sa.select(PlanItem.id).where(
                PlanItem.treatment_id == treatment.id,
                PlanItem.phase == form.phase.data,
                PlanItem.exercise_id == exercise.id,
                PlanItem.removed_at.is_(None),
            )
        )
        if duplicate:
            form.exercise.errors.append("This exercise is already in that phase.")
        else:
            add_plan_item(treatment.id, exercise, form.phase.data)
            audit.record(
                "plan_add", patient_id=patient.id, detail=f"{form.exercise.data} in {form.phase.data}"
            )
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
    before = dose_summary(item)
    item.dose = Dose(**{name: form[name].data for name in DOSE_FIELDS})
    audit.record(
        "plan_dose",
        patient_id=patient_id,
        detail=f"{item.exercise.slug} in {item.phase}: {before} -> {dose_summary(item)}",
    )
    db.session.commit()
    return plan_response(patient_id, item.phase)


def dose_summary(item: PlanItem) -> str:
    return " ".join(f"{name}={value!r}" for name, value in asdict(item.dose).items())


@bp.post("/plan/<int:item_id>/remove")
@role_required(Role.THERAPIST)
def remove_exercise(item_id: int) -> Response:
    item = plan_item_in_care_or_404(item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    item.removed_at = utcnow()
    audit.record(
        "plan_remove", patient_id=item.treatment.patient_id, detail=f"{item.exercise.slug} in {item.phase}"
    )
    db.session.commit()
    return plan_response(item.treatment.patient_id, item.phase)


@bp.post("/plan/<int:item_id>/move")
@role_required(Role.THERAPIST)
def move_exercise(item_id: int) -> Response:
    """Swap places with the neighbour above or below in the same phase."""
    item = plan_item_in_care_or_404(item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400, "Unknown direction.")
    siblings = list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(
                PlanItem.treatment_id == item.treatment_id,
                PlanItem.phase == item.phase,
                PlanItem.removed_at.is_(None),
            )
            .order_by(PlanItem.position, PlanItem.id)
        )
    )
    index = siblings.index(item)
    other = index - 1 if form.direction.data == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        audit.record(
            "plan_move",
            patient_id=item.treatment.patient_id,
            detail=f"{item.exercise.slug} in {item.phase} {form.direction.data}",
        )
        db.session.commit()
    return plan_response(item.treatment.patient_id, item.phase)


@bp.post("/patients/<int:patient_id>/notes")
@role_required(*STAFF)
def add_note(patient_id: int) -> Response:
    patient, _treatment = patient_in_care_or_404(patient_id)
    form = NoteForm()
    if form.validate_on_submit():
        db.session.add(ClinicalNote(patient_id=patient.id, author_id=current_user.id, body=form.body.data))
        audit.record("note_add", patient_id=patient.id)
        db.session.commit()
        if not is_htmx_request():
            return redirect(url_for("therapist.patient", patient_id=patient.id) + "#notes", code=303)
        form = NoteForm(formdata=None)
        status = 200
    else:
        status = 422
        if not is_htmx_request():
            return render_record(patient.id, status=status, note_form=form)
    return render_page_or_fragment(
        "therapist/_notes.html",
        "therapist/_notes.html",
        status=status,
        focus="#notes",
        patient=patient,
        note_form=form,
        notes=notes_page(patient.id, 1),
    )
