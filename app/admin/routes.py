"""Thin views for clinic admins: accounts, sign-in links, treatments, settings, audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

import segno
import sqlalchemy as sa
from flask import Response as FlaskResponse
from flask import abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.admin import bp
from app.admin.forms import (
    AccountForm,
    AuditFilterForm,
    ExerciseVersionForm,
    OnCallForm,
    PhotoForm,
    RemovePhotoForm,
    SettingsForm,
    SignoffForm,
    SignVersionForm,
    TreatmentForm,
    TreatmentStatusForm,
    version_form_data,
)
from app.care.content import Dose, dose_text
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASES_BY_KEY, position_on
from app.database import planned_per_value
from app.extensions import db
from app.models import Exercise, ExerciseVersion, OnCallShift, Role, Treatment, User
from app.services import audit
from app.services.accounts.accounts import (
    SETUP_LINK_LIFETIME,
    AccountRuleError,
    check_admin_change,
    create_account,
    deactivate,
    end_every_session,
    issue_setup_link,
    reactivate,
    update_account,
)
from app.services.audit import ACTIONS
from app.services.audit.trail import (
    AuditFilter,
    csv_rows,
    filtered_events,
    matches,
    patients_in,
    patients_in_export,
)
from app.services.clinic import languages
from app.services.clinic.content_signoff import (
    SignoffError,
    current_fingerprint,
    needs_signoff,
    sheet_for,
    signoff_history,
)
from app.services.clinic.settings import EDITABLE, clinic_today_now, current_settings, save_settings
from app.services.safety import on_call as rota
from app.services.treatment import library, photos, treatments
from app.services.treatment.treatments import TreatmentRuleError, details_of, treatment_words
from app.web.access import role_required
from app.web.bodies import takes_photo
from app.web.htmx import form_status
from app.web.listing import capped_page, page_number

ACCOUNTS_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50


def account_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


# --- Accounts --------------------------------------------------------------------------------------


@bp.get("/")
@role_required(Role.ADMIN)
def home() -> str:
    """All accounts, searchable by name or email, filterable by role and status, paginated."""
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    query = sa.select(User).order_by(User.full_name, User.id)
    if q:
        planned_per_value()
        query = query.where(matches(User, q))
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    if status in ("active", "inactive"):
        query = query.where(User.active.is_(status == "active"))
    page = capped_page(query, page_number(), ACCOUNTS_PAGE_SIZE)
    html = render_template("admin/accounts.html", page=page, q=q, role=role, status=status)
    # The list names people (and a search finds them): on the record with the patients shown.
    shown = [user.id for user in page.items if user.role == Role.PATIENT.value]
    audit.patients_shown("view_account_list", shown, detail=account_list_words(q, role, status, page.page))
    db.session.commit()
    return html


def account_list_words(q: str, role: str, status: str, page: int) -> str:
    """What the list showed, as words on the audit trail."""
    words = [f"searched for “{q}”"] if q else []
    words += [f"role {role}"] if role in {r.value for r in Role} else []
    words += [f"{status} accounts"] if status in ("active", "inactive") else []
    return f"The account list, page {page}" + (f", {', '.join(words)}" if words else "")


@bp.route("/accounts/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_account() -> Response | tuple[str, int]:
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = create_account(form.full_name.data, form.email.data, form.role.data, current_user)
        except AccountRuleError as error:
            form.form_errors.append(_(str(error)))
        else:
            token = issue_setup_link(user, current_user)
            db.session.commit()
            return show_setup_link(user, token, created=True)
    return render_template("admin/account_form.html", form=form, account=None), form_status()


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def account(user_id: int) -> Response | tuple[str, int]:
    user = account_or_404(user_id)
    form = AccountForm(obj=user, account=user)
    if form.validate_on_submit():
        try:
            update_account(user, current_user, form.full_name.data, form.email.data, form.role.data)
        except AccountRuleError as error:
            form.role.errors.append(_(str(error)))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.account", user_id=user.id), code=303)
    response = render_template(
        "admin/account.html",
        account=user,
        form=form,
        treatments=treatments.all_of(user.id),
        today=clinic_today_now(),
        position_on=position_on,
    )
    if user.role == Role.PATIENT.value and request.method == "GET":
        audit.record("view_account", patient_id=user.id)
        db.session.commit()
    return response, form_status()


@bp.get("/accounts/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def confirm_deactivation(user_id: int) -> str:
    """The second step: say what deactivating does, and ask once more (no JavaScript needed)."""
    user = account_or_404(user_id)
    try:
        check_admin_change(user, current_user, deactivating=True)
    except AccountRuleError as error:
        refusal: str | None = _(str(error))
    else:
        refusal = None
    html = render_template("admin/deactivate.html", account=user, refusal=refusal)
    if user.role == Role.PATIENT.value:
        audit.record("view_account", patient_id=user.id, detail="The deactivation page")
        db.session.commit()
    return html


@bp.post("/accounts/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
def deactivate_account(user_id: int) -> Response:
    user = account_or_404(user_id)
    try:
        deactivate(user, current_user)
    except AccountRuleError as error:
        flash(_(str(error)), "error")
        return redirect(url_for("admin.account", user_id=user.id), code=303)
    db.session.commit()
    flash(_("%(name)s is deactivated and signed out everywhere.", name=user.full_name), "success")
    return redirect(url_for("admin.account", user_id=user.id), code=303)


@bp.post("/accounts/<int:user_id>/end-sessions")
@role_required(Role.ADMIN)
def end_sessions(user_id: int) -> Response:
    """Sign a person out on every device (a lost phone, a shared computer), without deactivating."""
    user = account_or_404(user_id)
    end_every_session(user)
    db.session.commit()
    flash(_("%(name)s is signed out on every device.", name=user.full_name), "success")
    return redirect(url_for("admin.account", user_id=user.id), code=303)


@bp.post("/accounts/<int:user_id>/reactivate")
@role_required(Role.ADMIN)
def reactivate_account(user_id: int) -> Response:
    user = account_or_404(user_id)
    reactivate(user)
    db.session.commit()
    flash(_("%(name)s is active again.", name=user.full_name), "success")
    return redirect(url_for("admin.account", user_id=user.id), code=303)


@bp.post("/accounts/<int:user_id>/setup-link")
@role_required(Role.ADMIN)
def new_setup_link(user_id: int) -> Response:
    """ "Reset password": a fresh one-time link; earlier links stop working."""
    user = account_or_404(user_id)
    if not user.active:
        flash(_("Reactivate the account before sending a sign-in link."), "error")
        return redirect(url_for("admin.account", user_id=user.id), code=303)
    token = issue_setup_link(user, current_user)
    db.session.commit()
    return show_setup_link(user, token, created=False)


def show_setup_link(user: User, token: str, created: bool) -> Response:
    """The link is shown once (only its hash is stored): copy it or let the person scan it."""
    link = url_for("auth.setup", token=token, _external=True)
    qr = segno.make(link, error="m").svg_data_uri(scale=5, dark="#000", light="#fff", border=3)
    response = FlaskResponse(
        render_template(
            "admin/setup_link.html",
            account=user,
            link=link,
            qr=qr,
            created=created,
            hours=int(SETUP_LINK_LIFETIME.total_seconds() // 3600),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Treatments ------------------------------------------------------------------------------------


def patient_or_404(user_id: int) -> User:
    user = account_or_404(user_id)
    if user.role != Role.PATIENT.value:
        abort(404)
    return user


@bp.route("/accounts/<int:user_id>/treatments/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_treatment(user_id: int) -> Response | tuple[str, int]:
    patient = patient_or_404(user_id)
    form = TreatmentForm(today=clinic_today_now())
    if form.validate_on_submit():
        try:
            treatments.schedule(patient, form.details())
        except TreatmentRuleError as error:
            form.form_errors.append(_(str(error)))
        else:
            db.session.commit()
            flash(_("Treatment scheduled."), "success")
            return redirect(url_for("admin.account", user_id=patient.id), code=303)
    html = render_template("admin/treatment_form.html", form=form, patient=patient, treatment=None)
    patient_id = patient.id
    db.session.rollback()  # a refused schedule leaves nothing behind; the look is still recorded
    audit.record("view_account", patient_id=patient_id, detail="The new-treatment page")
    db.session.commit()
    return html, form_status()


@bp.route("/treatments/<int:treatment_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_treatment(treatment_id: int) -> Response | tuple[str, int]:
    """Change dates, condition, sites, baseline or therapist (the injection moved, say)."""
    treatment = db.get_or_404(Treatment, treatment_id)
    form = TreatmentForm(obj=treatment, today=clinic_today_now())
    if request.method == "GET":
        form.sites.data = treatment.site_keys
        form.therapist.data = str(treatment.therapist_id or "")
    if treatment.status != "active":
        form.form_errors.append(_("This treatment is closed; its record stays as it was."))
    elif form.validate_on_submit():
        try:
            treatments.change(treatment, form.details())
        except TreatmentRuleError as error:
            form.form_errors.append(_(str(error)))
        else:
            db.session.commit()
            flash(_("Treatment saved."), "success")
            return redirect(url_for("admin.account", user_id=treatment.patient_id), code=303)
    page = render_template(
        "admin/treatment_form.html", form=form, patient=treatment.patient, treatment=treatment
    )
    if request.method == "GET":  # recorded after rendering: a commit would reload every row
        detail = treatment_words(details_of(treatment))
        audit.record("view_treatment", patient_id=treatment.patient_id, detail=detail)
        db.session.commit()
    return page, form_status()


@bp.post("/treatments/<int:treatment_id>/status")
@role_required(Role.ADMIN)
def close_treatment(treatment_id: int) -> Response:
    treatment = db.get_or_404(Treatment, treatment_id)
    form = TreatmentStatusForm()
    if not form.validate_on_submit() or treatment.status != "active":
        abort(400, "Only an active treatment can be marked completed or cancelled.")
    treatments.close(treatment, form.status.data)
    db.session.commit()
    flash(
        _("Treatment marked completed.")
        if form.status.data == "completed"
        else _("Treatment marked cancelled."),
        "success",
    )
    return redirect(url_for("admin.account", user_id=treatment.patient_id), code=303)


# --- Clinic settings -------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings() -> Response | tuple[str, int]:
    current = current_settings()
    form = SettingsForm(current=current)
    if form.validate_on_submit():
        values = form.values()
        if all(str(getattr(current, name)) == values[name] for name in EDITABLE):
            # Nothing to store, so nothing on the audit trail ("changed: with no change" is noise).
            flash(_("Nothing changed: the settings are as they were."), "info")
            return redirect(url_for("admin.settings"), code=303)
        save_settings(current, values, current_user.id)
        db.session.commit()
        flash(_("Clinic settings saved. They apply from now on."), "success")
        return redirect(url_for("admin.settings"), code=303)
    return render_template("admin/settings.html", form=form), form_status()


# --- On-call rota ------------------------------------------------------------------------------------


@bp.route("/on-call", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def on_call() -> Response | tuple[str, int]:
    """Who covers which days and hours: an emergency nobody acknowledges goes to them."""
    form = OnCallForm()
    if form.validate_on_submit():
        clinician_id, days, starts, ends = form.shift()
        rota.add_shifts(db.get_or_404(User, clinician_id), days, starts, ends)
        db.session.commit()
        flash(_("On-call shift added."), "success")
        return redirect(url_for("admin.on_call"), code=303)
    return render_template("admin/on_call.html", form=form, shifts=rota.rota()), form_status()


@bp.post("/on-call/<int:shift_id>/remove")
@role_required(Role.ADMIN)
def remove_on_call(shift_id: int) -> Response:
    shift = db.get_or_404(OnCallShift, shift_id)  # CSRFProtect has checked the token
    rota.remove_shift(shift)
    db.session.commit()
    flash(_("On-call shift removed."), "success")
    return redirect(url_for("admin.on_call"), code=303)


# --- Clinical content sign-off ----------------------------------------------------------------------


def shown_versions(translations: list[languages.TranslationStatus]) -> str:
    """The translation versions on the page, carried by the form ("es:es-1a2b3c…")."""
    return " ".join(f"{status.language}:{status.version}" for status in translations)


def read_versions(carried: str | None) -> dict[str, str]:
    pairs = (item.partition(":") for item in (carried or "").split())
    return {language: version for language, _, version in pairs}


@bp.route("/clinical-content", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def clinical_content() -> Response | tuple[str, int]:
    """Every patient-facing text and protocol number on one printable sheet, and the physician's
    sign-off of exactly this version."""
    settings = current_settings()
    version = current_fingerprint(settings)
    translations = languages.translation_statuses()
    form = SignoffForm(version=version, translations=shown_versions(translations))
    if form.validate_on_submit():
        try:
            shown = read_versions(form.translations.data)
            signed = languages.sign_off_sheet(form.version.data, settings, current_user, shown)
        except SignoffError as error:
            db.session.rollback()  # nothing of a stale sign-off is kept
            form.form_errors.append(_(str(error)))
        else:
            db.session.commit()
            with_translations = "".join(
                _(", with the %(language)s translation", language=status.name) for status in signed
            )
            flash(
                _(
                    "Version %(version)s is signed off%(translations)s. Thank you.",
                    version=version,
                    translations=with_translations,
                ),
                "success",
            )
            return redirect(url_for("admin.clinical_content"), code=303)
    return render_template(
        "admin/clinical_content.html",
        sheet=sheet_for(settings),
        translations=translations,
        translation_of=languages.sheet_translation_of,
        version=version,
        form=form,
        history=signoff_history(),
        signed=not needs_signoff(settings),
        nothing_to_sign=not languages.anything_to_sign(settings),
    ), form_status()


# --- The clinic's exercise library -----------------------------------------------------------------
# Signing a version is the physician's, as the clinical content sign-off is (the admin role).


@bp.get("/library")
@role_required(Role.ADMIN)
def exercise_library() -> str:
    """Every exercise with its signed version in force and any draft."""
    html = render_template("admin/library.html", entries=library.library_entries())
    db.session.commit()  # a library not laid out yet has just been
    return html


@bp.route("/library/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_library_exercise() -> Response | tuple[str, int]:
    form = ExerciseVersionForm()
    if form.validate_on_submit():
        version = library.add_exercise(form.draft(), current_user)
        db.session.commit()
        flash(
            _(
                "“%(name)s” is saved as a draft. Patients see it once the physician signs it.",
                name=version.name,
            ),
            "success",
        )
        return redirect(url_for("admin.library_version", version_id=version.id), code=303)
    html = render_template(
        "admin/library_form.html", form=form, exercise=None, editing=None, phase_titles=phase_titles()
    )
    return html, form_status()


@bp.route("/library/<int:exercise_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_library_exercise(exercise_id: int) -> Response | tuple[str, int]:
    """Editing an exercise writes a draft: a new version after the latest (or the draft there is).
    The page's second form gives the exercise a photo (upload_library_photo)."""
    exercise = db.get_or_404(Exercise, exercise_id)
    if request.method == "POST":
        form = ExerciseVersionForm()
        if form.validate_on_submit():
            version = library.write_draft(exercise, form.draft(), current_user)
            db.session.commit()
            flash(
                _(
                    "Draft of version %(number)s saved. Patients see it once the physician signs it.",
                    number=version.number,
                ),
                "success",
            )
            return redirect(url_for("admin.library_version", version_id=version.id), code=303)
        return library_edit_page(exercise, form=form)
    return library_edit_page(exercise)


def library_edit_page(
    exercise: Exercise, form: ExerciseVersionForm | None = None, photo_form: PhotoForm | None = None
) -> tuple[str, int]:
    """The edit page: the texts form starts from the latest version unless it comes back with
    what was typed, and so does the photo form (its words kept, the file chosen again)."""
    entry = next(e for e in library.library_entries() if e.exercise.id == exercise.id)
    editing = entry.latest
    if form is None and editing is not None:
        data = version_form_data(editing, library.version_doses(editing, exercise.slug))
        form = ExerciseVersionForm(formdata=None, data=data)
    elif form is None:
        form = ExerciseVersionForm(formdata=None)
    if photo_form is None:
        alt = editing.photo_alt if editing is not None and editing.photo is not None else ""
        photo_form = PhotoForm(formdata=None, data={"photo_alt": alt})
    html = render_template(
        "admin/library_form.html",
        form=form,
        exercise=exercise,
        editing=editing,
        entry=entry,
        phase_titles=phase_titles(),
        photo_form=photo_form,
        remove_photo_form=RemovePhotoForm(formdata=None),
        photo=library.photo_of(editing),
        photo_limit=photos.megabytes(int(current_app.config["EXERCISE_PHOTO_MAX_BYTES"])),
        language_names=LANGUAGE_NAMES,
    )
    return html, form_status()


@bp.post("/library/<int:exercise_id>/photo")
@takes_photo
@role_required(Role.ADMIN)
def upload_library_photo(exercise_id: int) -> Response | tuple[str, int]:
    """A photo for the exercise, as a draft version the physician signs. The upload is decoded and
    only its pixels, encoded again, are kept (app/services/treatment/photos.py); a refusal comes
    back on the edit page with the reason beside the field and the words typed kept."""
    exercise = db.get_or_404(Exercise, exercise_id)
    photo_form = PhotoForm()
    if photo_form.validate_on_submit() and photo_form.cleaned is not None:
        stored = photos.store(photo_form.cleaned, current_user)
        version = library.set_photo(exercise, stored, photo_form.photo_alt.data or "", current_user)
        db.session.commit()
        flash(
            _(
                "Photo added to the draft of version %(number)s. "
                "Patients see it once the physician signs it.",
                number=version.number,
            ),
            "success",
        )
        return redirect(url_for("admin.library_version", version_id=version.id), code=303)
    return library_edit_page(exercise, photo_form=photo_form)


@bp.post("/library/<int:exercise_id>/photo/remove")
@role_required(Role.ADMIN)
def remove_library_photo(exercise_id: int) -> Response | tuple[str, int]:
    """No photo, as a draft version: patients keep the signed photo until the physician signs it."""
    exercise = db.get_or_404(Exercise, exercise_id)
    if not RemovePhotoForm().validate_on_submit():
        return library_edit_page(exercise)
    version = library.set_photo(exercise, None, "", current_user)
    db.session.commit()
    flash(
        _(
            "The draft of version %(number)s has no photo. "
            "Patients see the change once the physician signs it.",
            number=version.number,
        ),
        "success",
    )
    return redirect(url_for("admin.library_version", version_id=version.id), code=303)


@bp.route("/library/versions/<int:version_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def library_version(version_id: int) -> Response | tuple[str, int]:
    """One version whole, as patients will read it, and the physician's sign-off of a draft."""
    version = db.get_or_404(ExerciseVersion, version_id)
    exercise = db.session.get(Exercise, version.exercise_id)
    fingerprint = library.fingerprint(version)
    form = SignVersionForm()
    if form.validate_on_submit():
        try:
            library.sign(version, current_user, form.fingerprint.data or "")
        except library.LibraryError as error:
            db.session.rollback()
            form.form_errors.append(_(str(error)))
        else:
            db.session.commit()
            flash(
                _(
                    "Version %(number)s of “%(name)s” is signed off. New prescriptions use it.",
                    number=version.number,
                    name=version.name,
                ),
                "success",
            )
            return redirect(url_for("admin.exercise_library"), code=303)
    doses = library.version_doses(version, exercise.slug if exercise else "")
    form.fingerprint.data = fingerprint  # a sign-off after this page is of what it shows now
    return render_template(
        "admin/library_version.html",
        version=version,
        exercise=exercise,
        doses=doses,
        form=form,
        fingerprint=fingerprint,
        photo=library.photo_of(version),
        phase_titles=phase_titles(),
        language_names=LANGUAGE_NAMES,
        dose_line=dose_line,
    ), form_status()


LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def phase_titles() -> dict[str, str]:
    return {key: PHASES_BY_KEY[key].title for key in EXERCISE_PHASE_KEYS}


def dose_line(dose: Dose) -> str:
    return " · ".join(part for part in (dose_text(dose), dose.cue) if part) or "—"


# --- Audit trail -----------------------------------------------------------------------------------


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_trail() -> tuple[str, int]:
    form = AuditFilterForm(request.args)
    valid = form.validate()
    page = db.paginate(
        filtered_events(form.wanted() if valid else AuditFilter()),
        page=page_number(),
        per_page=AUDIT_PAGE_SIZE,
        error_out=False,
        count=True,
    )
    html = render_template(
        "admin/audit.html",
        form=form,
        page=page,
        actions=ACTIONS,
        args={k: v for k, v in request.args.items() if k != "page"},
    )
    # Recorded after rendering: a commit would reload every row shown, one by one.
    words = form.words() if valid else "The whole trail, unfiltered"
    audit.patients_shown("view_audit", patients_in(page.items), detail=words)
    db.session.commit()
    return html, 200 if valid else 422


@bp.get("/audit.csv")
@role_required(Role.ADMIN)
def audit_csv() -> FlaskResponse:
    form = AuditFilterForm(request.args)
    if not form.validate():
        abort(400, "Fix the filter first: " + " ".join(e for errs in form.errors.values() for e in errs))
    audit.patients_shown("audit_export", patients_in_export(form.wanted()), detail=form.words())
    db.session.commit()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return FlaskResponse(
        stream_with_context(csv_rows(filtered_events(form.wanted()))),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="backtrack-audit-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )
