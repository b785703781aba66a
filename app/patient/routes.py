"""Thin views for the patient: each loads through an ownership-checking helper and renders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.care import content
from app.care.dosing import is_due
from app.care.measures import KINDS
from app.care.programmes import SAFE_BEFORE_PRECAUTIONS
from app.care.protocol import position_on
from app.extensions import db
from app.forms.daily_log import DailyLogForm, new_submission_key
from app.models import Alert, DailyLog, PlanItem, Role
from app.patient import bp
from app.patient.forms import (
    ExerciseFeelingForm,
    ExerciseTickForm,
    HelpAnswerForm,
    LogEveryForm,
    MedicinesForm,
    PegForm,
    PgicForm,
    psfs_form,
)
from app.services import audit
from app.services.clinic.languages import speaking
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.pages.exercise_sheet import build_exercise_sheet
from app.services.pages.summary import build_summary
from app.services.pages.today import (
    DailyLogRegion,
    TodayView,
    asked_flags,
    build_today,
    daily_log_region,
    page_card,
    shows_leg_pain,
    todays_progress,
)
from app.services.records.calendar import calendar_file
from app.services.safety import alerts as safety_alerts
from app.services.safety.alerts import open_alerts
from app.services.treatment import medicines
from app.services.treatment.daily_logs import is_editable, log_for, save_daily_log
from app.services.treatment.measures import (
    MeasureHistory,
    due_questionnaire,
    load_history,
    open_round,
    save_answers,
)
from app.services.treatment.plans import PlanError, row_for, set_done, set_feeling, todays_ticks
from app.services.treatment.treatments import active_treatment, item_of_active_treatment
from app.web.access import found_or_refused, refuse, role_required
from app.web.after_response import notify_after_response
from app.web.downloads import attachment, patient_export
from app.web.htmx import form_status, is_htmx_request, render_fragment, render_page_or_fragment
from app.web.listing import page_number
from app.web.page_context import say
from app.web.security import revalidated_teaching_material

FUTURE_DAY = content.LOG_FUTURE_DAY
NEWER_ENTRY = content.LOG_NEWER_ENTRY
KEY_REUSED = content.LOG_KEY_REUSED
DAY_CLOSED = content.LOG_DAY_CLOSED


def requested_day(value: str) -> tuple[date, date]:
    """The day named in the URL and the clinic's today; 404 for nonsense, 400 for the future."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        abort(404)
    today = clinic_today_now()
    if day > today:
        abort(400, FUTURE_DAY)
    return day, today


def render_today(template: str, view: TodayView, **context: Any) -> str:
    """Today (or Progress) with the menu's unread count that its loader read with the treatment:
    the menu's own query is not needed (a page's context wins over a context processor's)."""
    return render_template(template, view=view, unread_messages=lambda: view.unread_messages, **context)


@bp.get("/today")
@role_required(Role.PATIENT)
def today() -> str:
    view = build_today(current_user, clinic_today_now(), current_settings())
    with_blank_form(view.daily_log)
    return render_today("patient/today.html", view, log_every_form=log_every_form(view))


def log_every_form(view: TodayView, form: LogEveryForm | None = None) -> LogEveryForm | None:
    """The choice of how often to log, on the 12-week review."""
    if view.review is None or view.treatment is None:
        return None
    if form is None:
        form = LogEveryForm(formdata=None)
        form.every.data = str(view.treatment.log_every_days)
    return form


@bp.post("/follow-up/log-every")
@role_required(Role.PATIENT)
def choose_log_every() -> Response | tuple[str, int]:
    treatment = active_treatment(current_user.id)
    if treatment is None:
        abort(404)
    form = LogEveryForm()
    if form.validate_on_submit():
        treatment.log_every_days = int(form.every.data)
        db.session.commit()
        flash(say(content.LOG_EVERY_SAVED), "success")
        return redirect(url_for("patient.today"), code=303)
    view = build_today(current_user, clinic_today_now(), current_settings())
    with_blank_form(view.daily_log)
    page = render_today("patient/today.html", view, log_every_form=log_every_form(view, form))
    return page, form_status()


@bp.get("/today/progress-figures")
@role_required(Role.PATIENT)
def progress_figures() -> str:
    """The figures on Today's progress card; the card asks for them when a log is saved."""
    view = todays_progress(current_user, clinic_today_now())
    return render_template("patient/_progress_figures.html", view=view)


@bp.get("/progress")
@role_required(Role.PATIENT)
def progress() -> str:
    """Pain against before treatment with the 30-day chart and the questionnaires, on a page of
    its own so that Today stays short (Today shows the three figures and links here)."""
    view = build_today(current_user, clinic_today_now(), current_settings())
    return render_today("patient/progress.html", view)


def with_blank_form(region: DailyLogRegion) -> DailyLogRegion:
    """Today with no entry yet shows an empty daily-log form."""
    if region.wants_new_entry:
        region.form = DailyLogForm(formdata=None, asked=region.asked)
    return region


@bp.get("/log/<day>/edit")
@role_required(Role.PATIENT)
def edit_log(day: str) -> Response:
    log_day, today = requested_day(day)
    if not is_editable(log_day, today):
        abort(400, content.LOG_TOO_OLD)
    treatment = active_treatment(current_user.id)
    log = log_for(current_user.id, log_day)
    form = DailyLogForm.filled_from(log, asked=asked_flags(treatment, log_day))
    region = daily_log_region(log_day, today, treatment, current_settings(), log, form=form)
    return render_log_region(region, still_open=open_alerts(current_user.id))


@bp.post("/log/<day>")
@role_required(Role.PATIENT)
def save_log(day: str) -> Response:
    log_day, today = requested_day(day)
    settings = current_settings()
    treatment = active_treatment(current_user.id)
    form = DailyLogForm(asked=asked_flags(treatment, log_day))
    valid = form.validate_on_submit()
    if not is_editable(log_day, today):
        form.form_errors.append(DAY_CLOSED)
        log_day, valid = today, False
        todays = log_for(current_user.id, today)  # the answers now belong to today's entry
        form.base_version.data = str(todays.version) if todays else ""
    if not valid:
        log = log_for(current_user.id, log_day)
        region = daily_log_region(log_day, today, treatment, settings, log, form=form)
        return render_log_region(region, status=422)
    outcome = save_daily_log(current_user.id, log_day, form.answers(), treatment, shows_leg_pain(treatment))
    log = outcome.log
    if outcome.conflict or outcome.key_reused:  # keep what they typed, say why, let them save again
        form.base_version.data = str(log.version)
        form.idempotency_key.data = new_submission_key()
        form.form_errors.append(KEY_REUSED if outcome.key_reused else NEWER_ENTRY)
        region = daily_log_region(log_day, today, treatment, settings, log, form=form)
        return render_log_region(region, status=409)
    notify_after_response(outcome.raised)
    if is_htmx_request():
        region = daily_log_region(log_day, today, treatment, settings, log, reports=outcome.reports)
        response = render_log_region(region, still_open=outcome.open_alerts)
        response.headers["HX-Trigger"] = LOG_SAVED_EVENT  # the progress card refreshes its figures
        return response
    flash(say(content.LOG_IS_SAVED), "success")
    target = url_for("patient.today") if log_day == today else url_for("patient.history")
    # A warning sign: the top of Today, where its message is; otherwise the saved log.
    anchor = "#urgent" if outcome.reports and log_day == today else "#daily-log"
    return redirect(target + anchor, code=303)


LOG_SAVED_EVENT = "log-saved"


def render_log_region(
    region: DailyLogRegion, status: int = 200, still_open: list[Alert] | None = None
) -> Response:
    """The log region (and the urgent card, out of band) for htmx; without JavaScript, today's
    form with its errors shows on Today. With `still_open` None the card is left as it was (a
    save that neither reports a sign nor reported one before changes nothing up there)."""
    if status != 200 and region.is_today and not is_htmx_request():
        view = build_today(current_user, region.today, current_settings())
        view.daily_log = region
        return Response(render_today("patient/today.html", view), status)
    card = page_card(region, still_open) if still_open is not None else None
    return render_page_or_fragment(
        "patient/log_day.html",
        "patient/_log_response.html",
        status=status,
        focus="#urgent" if card else "#daily-log",
        region=region,
        urgent=card if card is not None else page_card(region, []),
        swap_urgent=card is not None,
    )


@bp.post("/today/help")
@role_required(Role.PATIENT)
def answer_help() -> Response:
    """ "Did you get help?" on the urgent card: the answer goes on every open alert."""
    form = HelpAnswerForm()
    if not form.validate_on_submit():
        abort(400, content.ANSWER_NOT_UNDERSTOOD)
    safety_alerts.answer_help(current_user, form.answer.data)
    db.session.commit()
    if not is_htmx_request():
        return redirect(url_for("patient.today") + "#urgent", code=303)
    view = build_today(current_user, clinic_today_now(), current_settings())
    return render_fragment(
        "patient/_urgent.html", focus="#urgent", urgent=view.urgent, oob=False, help_answer=form.answer.data
    )


def todays_plan_item_or_404(item_id: int, today: date) -> PlanItem:
    """A plan item of this patient's active treatment, due today; anything else is 404. The item
    and the treatment are read in one statement (a tick is the patient's most frequent write)."""
    found = item_of_active_treatment(current_user.id, item_id)
    if found is None:
        other: PlanItem = found_or_refused(PlanItem, item_id)
        refuse(other.treatment.patient_id)  # another patient's exercise, or a course that ended
    item, treatment = found
    if item.removed_at is not None:
        abort(404)
    injection = treatment.injection_date
    in_phase = item.phase == position_on(today, injection).phase.key
    if not in_phase or not is_due(item.days_per_week, today, injection):
        abort(404)
    if treatment.precautions_pending and item.exercise.slug not in SAFE_BEFORE_PRECAUTIONS:
        abort(404)  # not shown until the surgeon's precautions are confirmed
    # The item holds on to the treatment read above: the session keeps objects only while
    # something refers to them, and `item.treatment` would otherwise read it again.
    sa.orm.attributes.set_committed_value(item, "treatment", treatment)
    return item


@bp.post("/exercises/<int:item_id>/done")
@role_required(Role.PATIENT)
def tick_exercise(item_id: int) -> Response:
    today = clinic_today_now()
    item = todays_plan_item_or_404(item_id, today)
    condition = item.treatment.condition
    form = ExerciseTickForm()
    marked = form.session_and_done() if form.validate_on_submit() else None
    if marked is None or marked[0] > item.prescription.sessions:
        abort(400, content.ACTION_NOT_UNDERSTOOD)
    session, done = marked
    set_done(item, today, session, done)
    db.session.commit()
    if not is_htmx_request():
        return redirect(url_for("patient.today") + f"#exercise-{item.id}", code=303)
    done_now, feelings = todays_ticks(item, today)
    row = row_for(item, done_now, condition, feelings)
    return render_fragment("patient/_exercise_row.html", focus=f"#tick-{item.id}-{session}", row=row)


@bp.get("/exercises/<int:item_id>/how")
@role_required(Role.PATIENT)
def exercise_guide(item_id: int) -> Response:
    """How to do one exercise of the plan: the row on Today asks for it when "How to do it" is
    opened (the steps are the same every day, so Today no longer carries them), and without
    JavaScript it is a page of its own. Any live exercise of the active plan, due today or not (a
    page left open past midnight still opens); one held back until the surgeon's precautions are
    confirmed is not. Revalidated on each opening (ETag): a new version of the exercise, or another
    language, is never answered from a cache; the service worker keeps a copy for opening offline."""
    found = item_of_active_treatment(current_user.id, item_id)
    if found is None:
        refuse(found_or_refused(PlanItem, item_id).treatment.patient_id)
    item, treatment = found
    held_back = treatment.precautions_pending and item.exercise.slug not in SAFE_BEFORE_PRECAUTIONS
    if item.removed_at is not None or held_back:
        abort(404)
    try:
        row = row_for(item, condition=treatment.condition)
    except PlanError:
        abort(404)  # a version patients may not read
    response = render_page_or_fragment("patient/exercise_guide.html", "patient/_exercise_guide.html", row=row)
    return revalidated_teaching_material(response).make_conditional(request)


@bp.post("/exercises/<int:item_id>/feeling")
@role_required(Role.PATIENT)
def exercise_feeling(item_id: int) -> Response:
    """ "How did that feel?" for a session ticked today; a session not ticked (undone on another
    screen, say) stores nothing and says so."""
    today = clinic_today_now()
    item = todays_plan_item_or_404(item_id, today)
    form = ExerciseFeelingForm()
    one_answer = len(request.form.getlist("feeling")) == 1
    if not (form.validate_on_submit() and one_answer) or int(form.session.data) > item.prescription.sessions:
        abort(400, content.FEELING_NOT_SAVED)
    session = int(form.session.data)
    if not set_feeling(item, today, session, form.feeling.data):
        abort(409, content.FEELING_NOT_SAVED)
    db.session.commit()
    if not is_htmx_request():
        return redirect(url_for("patient.today") + f"#exercise-{item.id}", code=303)
    done_now, feelings = todays_ticks(item, today)
    row = row_for(item, done_now, item.treatment.condition, feelings)
    return render_fragment(
        "patient/_exercise_row.html", focus=f"#feeling-{item.id}", row=row, feeling_saved=True
    )


@bp.get("/history")
@role_required(Role.PATIENT)
def history() -> str:
    entries = db.paginate(
        sa.select(DailyLog).where(DailyLog.patient_id == current_user.id).order_by(DailyLog.day.desc()),
        page=page_number(),
        per_page=current_app.config["HISTORY_PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "patient/history.html", entries=entries, today=clinic_today_now(), is_editable=is_editable
    )


# --- Regular medicines, listed at evaluation ---------------------------------------------------------


@bp.route("/medicines", methods=["GET", "POST"])
@role_required(Role.PATIENT)
def regular_medicines() -> Response | tuple[str, int]:
    treatment = active_treatment(current_user.id)
    if treatment is None:
        abort(404)
    form = MedicinesForm()
    if request.method == "GET":
        form.medicines.data = treatment.regular_medicines
    elif form.validate_on_submit():
        medicines.save_list(treatment, form.medicines.data)
        db.session.commit()
        flash(say(content.MEDICINES_SAVED), "success")
        return redirect(url_for("patient.today"), code=303)
    return render_template("patient/medicines.html", form=form, treatment=treatment), form_status()


# --- Questionnaires ----------------------------------------------------------------------------------


def questionnaire_form(kind: str, history: MeasureHistory, week: int) -> FlaskForm:
    """The form for this kind and round, filled with the round's answers when it was answered."""
    saved = history.by_kind(kind).get(week)
    values = saved.values() if saved else {}
    if kind == "psfs":
        known, room = history.psfs_round(week)
        form: FlaskForm = psfs_form(known, room)
        for n, label in enumerate(known):
            if request.method == "GET" and label in values:
                form[f"rating_{n}"].data = str(values[label])
        return form
    form = PegForm() if kind == "peg" else PgicForm()
    if request.method == "GET":
        for name, value in values.items():
            if name in form:
                form[name].data = str(value)
    return form


@bp.route("/check-in/<kind>", methods=["GET", "POST"])
@role_required(Role.PATIENT)
def questionnaire(kind: str) -> Response:
    if kind not in KINDS:
        abort(404)
    today = clinic_today_now()
    treatment = active_treatment(current_user.id)
    round_ = open_round(treatment, kind, today)
    if treatment is None or round_ is None:
        flash(say(content.QUESTIONNAIRE_CLOSED), "info")
        return redirect(url_for("patient.today"), code=303)
    history = load_history(treatment.id)
    form = questionnaire_form(kind, history, round_.week)
    if form.validate_on_submit():
        save_answers(treatment, round_, today, form.items())
        if not is_htmx_request():
            flash(say(content.QUESTIONNAIRE_THANKS), "success")
            return redirect(url_for("patient.today"), code=303)
        following = due_questionnaire(treatment, today, load_history(treatment.id))
        return render_fragment("patient/_questionnaire_done.html", focus="#questionnaire", due=following)
    text_key = "psfs_again" if kind == "psfs" and getattr(form, "known", None) else kind
    return render_page_or_fragment(
        "patient/questionnaire.html",
        "patient/_questionnaire_form.html",
        status=form_status(),
        focus="#questionnaire",
        form=form,
        kind=kind,
        text=content.QUESTIONNAIRES[text_key],
        answered=history.by_kind(kind).get(round_.week),
        closes=treatment.injection_date + timedelta(days=round_.closes),
    )


# --- The patient's own records ---------------------------------------------------------------------


@bp.get("/records")
@role_required(Role.PATIENT)
def records() -> str:
    return render_template("patient/records.html", treatment=active_treatment(current_user.id))


@bp.get("/records/my-data.zip")
@role_required(Role.PATIENT)
def my_data_zip() -> Response:
    return patient_export(current_user, "zip", "export_own_data")


@bp.get("/records/my-data.fhir.json")
@role_required(Role.PATIENT)
def my_data_fhir() -> Response:
    return patient_export(current_user, "fhir", "export_own_data")


@bp.get("/records/calendar.ics")
@role_required(Role.PATIENT)
def calendar() -> Response:
    treatment = active_treatment(current_user.id)
    if treatment is None:
        abort(404)
    audit.record("calendar_download", patient_id=current_user.id, detail=f"treatment={treatment.id}")
    db.session.commit()
    with speaking(current_user):  # its titles, alarms and dates in the patient's language
        body = calendar_file(treatment, current_settings())
    return attachment(body, "text/calendar", "backtrack-plan.ics")


@bp.get("/summary")
@role_required(Role.PATIENT)
def summary() -> str:
    treatment = active_treatment(current_user.id)
    view = build_summary(current_user, treatment, clinic_today_now(), current_settings())
    page = render_template(
        "records/summary.html",
        summary=view,
        back=url_for("patient.records"),
        sheet_url=url_for("patient.exercise_sheet"),
    )
    audit.record("view_summary", patient_id=current_user.id)  # after rendering: a commit expires the rows
    db.session.commit()
    return page


@bp.get("/exercise-sheet")
@role_required(Role.PATIENT)
def exercise_sheet() -> str:
    """The home exercises of the plan now, with their pictures, to print."""
    sheet = build_exercise_sheet(current_user, active_treatment(current_user.id), clinic_today_now())
    page = render_template("records/exercise_sheet.html", sheet=sheet, back=url_for("patient.today"))
    audit.record("view_exercise_sheet", patient_id=current_user.id)  # after rendering, as the summary
    db.session.commit()
    return page
