"""The Learn page and its lessons: every lesson with whether the patient has read it, one lesson a
page, and "Got it", a small POST (with CSRF) that records the reading. Opening a lesson records
nothing: a GET never writes, and a lesson opened is not yet a lesson read."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.care import content
from app.care.lessons import LESSONS_BY_KEY, SCHEDULED_BY_KEY, in_order
from app.care.words.lessons import Lesson
from app.extensions import db
from app.models import Role
from app.patient import bp
from app.patient.forms import LessonReadForm
from app.services.treatment.lessons import mark_read, read_at, reads_of
from app.web.access import role_required
from app.web.htmx import is_htmx_request, render_page_or_fragment

READ_REGION = "#lesson-read"


def lesson_or_404(key: str) -> Lesson:
    lesson = LESSONS_BY_KEY.get(key)
    if lesson is None:
        abort(404)
    return lesson


@bp.get("/learn")
@role_required(Role.PATIENT)
def learn() -> str:
    return render_template("patient/learn.html", lessons=in_order(), reads=reads_of(current_user.id))


@bp.get("/learn/<key>")
@role_required(Role.PATIENT)
def lesson(key: str) -> str:
    shown = lesson_or_404(key)
    return render_template(
        "patient/lesson.html",
        lesson=shown,
        when=SCHEDULED_BY_KEY[key].day,
        read_at=read_at(current_user.id, key),
        form=LessonReadForm(formdata=None),
    )


@bp.post("/learn/<key>/read")
@role_required(Role.PATIENT)
def mark_lesson_read(key: str) -> Response:
    shown = lesson_or_404(key)
    form = LessonReadForm()
    if not form.validate_on_submit():
        abort(400, content.ACTION_NOT_UNDERSTOOD)
    when = mark_read(current_user.id, shown.key)
    db.session.commit()
    if not is_htmx_request():
        return redirect(url_for("patient.lesson", key=shown.key) + READ_REGION, code=303)
    return render_page_or_fragment(
        "patient/_lesson_read.html",
        "patient/_lesson_read.html",
        focus=READ_REGION,
        lesson=shown,
        read_at=when,
        form=form,
    )
