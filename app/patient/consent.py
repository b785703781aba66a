"""The "Before your injection" page: what PRP can and cannot do, its risks and how to get ready,
read and confirmed by the patient before Visit 2 (docs/clinical-protocol.md#before-the-injection).

The page is always the signed-in patient's own active treatment: there is no id in the address,
so nobody can open or confirm another patient's."""

from __future__ import annotations

from datetime import UTC, date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from app.care import content
from app.care.protocol import clinic_today
from app.extensions import db
from app.models import Role
from app.patient import bp
from app.patient.forms import BeforeInjectionForm
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.treatment.consent import (
    asked_again,
    consent_in_force,
    page_for_treatment,
    record_consent,
    shown_version,
)
from app.services.treatment.treatments import active_treatment
from app.web.access import role_required
from app.web.htmx import form_status
from app.web.i18n import page_language
from app.web.page_context import say


@bp.route("/before-your-injection", methods=["GET", "POST"])
@role_required(Role.PATIENT)
def before_injection() -> Response | tuple[str, int]:
    treatment = active_treatment(current_user.id)
    if treatment is None:
        abort(404)
    settings = current_settings()
    page = page_for_treatment(treatment, settings)
    consent = consent_in_force(treatment, settings)  # None too when the words changed since
    can_confirm = consent is None and clinic_today_now() <= treatment.injection_date
    form = BeforeInjectionForm()
    if request.method == "POST":
        if consent is not None:  # confirmed already (another tab, or staff in clinic)
            return redirect(url_for("patient.before_injection"), code=303)
        if not can_confirm:
            abort(400, say(content.BEFORE_TOO_LATE))
        if form.validate_on_submit():
            record_consent(treatment, current_user, "online", shown_version(page, say), page_language())
            try:
                db.session.commit()
            except IntegrityError:  # the same confirmation, sent twice at once: the first one stands
                db.session.rollback()
            flash(say(content.BEFORE_CONFIRM_SAVED), "success")
            # With its own anchor: the form's "#confirm" would otherwise stay on the address.
            return redirect(url_for("patient.today") + "#main", code=303)
    consent_day: date | None = None
    if consent is not None:
        consent_day = clinic_today(consent.consented_at.replace(tzinfo=UTC), settings.timezone)
    html = render_template(
        "patient/before_injection.html",
        page=page,
        form=form,
        consent=consent,
        consent_day=consent_day,
        can_confirm=can_confirm,
        asked_again=consent is None and asked_again(treatment, settings),
    )
    return html, form_status()
