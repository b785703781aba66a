"""The parts of the plan editor that come when asked for: the record carries only the open
phase's exercises, no dose forms and no "Add an exercise" form (with the library's choices; the
plan was 177 KB of a 197 KB page at a full plan), so a phase the therapist opens, a dose form and
the add form load then. Without script, each opener is a link to the record with that phase or
form open (PlanView.from_args)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.care.protocol import EXERCISE_PHASE_KEYS, PHASES_BY_KEY, position_on
from app.extensions import db
from app.models import Role, Treatment, User
from app.services import audit
from app.services.clinic.settings import clinic_today_now
from app.services.pages.patient_record import chart_scores
from app.services.treatment import library, plans
from app.therapist import bp
from app.therapist.forms import add_exercise_form
from app.web.access import STAFF, patient_in_care_or_404, plan_item_in_care_or_404, role_required
from app.web.htmx import is_htmx_request, render_fragment
from app.web.page_context import say


@dataclass(frozen=True)
class PlanView:
    """Which phase of the plan editor is open, which item's dose form, and whether the add form
    is (`?phase=`, `?dose=`, `?add=1`)."""

    phase: str | None = None
    dose: int | None = None
    add: bool = False

    @classmethod
    def from_args(cls) -> PlanView:
        phase = request.args.get("phase", "")
        dose = request.args.get("dose", "")
        return cls(
            phase=phase if phase in EXERCISE_PHASE_KEYS else None,
            dose=int(dose) if dose.isascii() and dose.isdigit() and len(dose) < 10 else None,
            add=request.args.get("add") == "1",
        )


def plan_context(patient: User, treatment: Treatment | None) -> dict[str, Any]:
    """What a part of the plan editor needs, as the record gives it (after a change, too)."""
    today = clinic_today_now()
    scores = chart_scores(patient, treatment, today - timedelta(days=13))  # two weeks: pain steady?
    return {
        "patient": patient,
        "plan": plans.load_plan(treatment, today, scores),
        "can_edit_plan": current_user.has_role(Role.THERAPIST),
        "failed": {},
        "dose_open": None,
    }


@bp.get("/patients/<int:patient_id>/plan/<phase>")
@role_required(*STAFF)
def plan_phase(patient_id: int, phase: str) -> Response:
    """One phase's exercises, when the therapist opens it."""
    if phase not in EXERCISE_PHASE_KEYS:
        abort(404)
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None:
        abort(404)
    if not is_htmx_request():
        return redirect(url_for("therapist.patient", patient_id=patient_id, phase=phase) + f"#phase-{phase}")
    context = plan_context(patient, treatment)
    shown = next(p for p in context["plan"] if p.key == phase)
    response = render_fragment("therapist/_plan_phase.html", phase=shown, **context)
    audit.record("view_patient_record", patient_id=patient_id, detail=f"Plan: {PHASES_BY_KEY[phase].title}")
    db.session.commit()
    return response


@bp.get("/plan/<int:item_id>/dose")
@role_required(Role.THERAPIST)
def item_changes(item_id: int) -> Response:
    """One plan item's dose form and its removal, when the therapist opens "Change dose or
    remove"."""
    item = plan_item_in_care_or_404(item_id)
    patient = item.treatment.patient
    if not is_htmx_request():
        target = url_for("therapist.patient", patient_id=patient.id, phase=item.phase, dose=item.id)
        return redirect(f"{target}#plan-item-{item.id}")
    text = library.item_text(item, item.treatment.condition)
    if text is None:  # no signed version: the plan does not show it either
        abort(404)
    audit.record("view_patient_record", patient_id=patient.id, detail="Plan: dose form")
    response = render_fragment(
        "therapist/_item_changes.html",
        item=item,
        form=None,
        exercise_name=say(text.name),
        phase_title=say(PHASES_BY_KEY[item.phase].title),
        patient=patient,
    )
    db.session.commit()
    return response


@bp.get("/patients/<int:patient_id>/add-exercise")
@role_required(Role.THERAPIST)
def add_form(patient_id: int) -> Response:
    """The "Add an exercise" form, when the therapist opens it: the library's exercises, and the
    phase the patient is in."""
    patient, treatment = patient_in_care_or_404(patient_id)
    if treatment is None:
        abort(404)
    if not is_htmx_request():
        return redirect(url_for("therapist.patient", patient_id=patient_id, add=1) + "#add-exercise")
    phase = position_on(clinic_today_now(), treatment.injection_date).phase.key
    form = add_exercise_form(phase, library.exercise_choices())
    response = render_fragment("therapist/_add_exercise.html", patient=patient, add_form=form)
    audit.record("view_patient_record", patient_id=patient_id, detail="Plan: add form")
    db.session.commit()
    return response
