"""How to do an exercise, loaded when its row on Today is opened: Today carries each row's name,
dose, ticks and thumbnail, and "How to do it" (the drawing, the photo, the purpose, the steps and
the stop rule, the same every day) comes from /exercises/<item>/how: a fragment for htmx, a page
of its own without JavaScript, for the patient's own live exercises only, revalidated by ETag,
and kept by the service worker (each of a Today read online) so any row opens offline."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import sqlalchemy as sa

from app.care import content
from app.care.programmes import SAFE_BEFORE_PRECAUTIONS
from app.extensions import db
from app.models import AuditEvent, PlanItem, Role
from app.services.treatment.plans import remove_exercise
from tests.conftest import ROOT, text_of
from tests.factories import make_treatment, make_user, my_patient, patient_on_day
from tests.helpers import HTMX, today_opened
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)

DRAW_IN = content.EXERCISES_BY_SLUG["drawing_in"]


def todays_items(treatment) -> list[PlanItem]:
    """The live items of the phase Today shows on day 20 (restore), in the patient's order."""
    return list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(
                PlanItem.treatment_id == treatment.id,
                PlanItem.phase == "restore",
                PlanItem.removed_at.is_(None),
            )
            .order_by(PlanItem.position, PlanItem.id)
        )
    )


def draw_in_item(treatment) -> PlanItem:
    return next(item for item in todays_items(treatment) if item.exercise.slug == "drawing_in")


def test_today_carries_the_rows_but_not_the_steps(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    page = client.get("/today").get_data(as_text=True)
    item = draw_in_item(treatment)
    assert DRAW_IN.name in page  # the row
    assert f'id="tick-{item.id}-1"' in page
    assert '<ol class="steps">' not in page
    assert unescape(DRAW_IN.steps[1]) not in unescape(page)
    # the link to the steps: app.js fetches it when the row opens, and without JavaScript it is a page
    assert f'<a href="/exercises/{item.id}/how" data-guide>{content.EXERCISE_HOW_SHOW}' in page
    opened = unescape(today_opened(client).get_data(as_text=True))
    assert all(unescape(step) in opened for step in DRAW_IN.steps)


def test_the_fragment_holds_the_drawing_purpose_steps_and_stop_rule(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    item = draw_in_item(treatment)
    response = client.get(f"/exercises/{item.id}/how", headers=HTMX)
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert html.lstrip().startswith('<div class="exercise__guide">')
    assert "<html" not in html
    assert 'class="figure figure--moving"' in html
    assert "/exercise-drawings/drawing_in.svg" in html
    assert DRAW_IN.purpose in html
    assert all(f"<li>{step}</li>" in html for step in DRAW_IN.steps)
    assert DRAW_IN.stop_if in html
    assert "HX-Request" in response.headers["Vary"]


def test_without_javascript_it_is_a_page_with_the_name_dose_and_a_way_back(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    item = draw_in_item(treatment)
    response = client.get(f"/exercises/{item.id}/how")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html
    assert f'<h1 id="guide-title">{DRAW_IN.name}</h1>' in html
    assert f'href="/today#exercise-{item.id}"' in html
    page = text_of(response)
    assert all(unescape(step) in page for step in DRAW_IN.steps)
    assert "10 times" in page  # the dose the therapist set


def test_it_is_revalidated_each_time_and_a_second_opening_costs_no_body(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    path = f"/exercises/{draw_in_item(treatment).id}/how"
    first = client.get(path, headers=HTMX)
    assert first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    again = client.get(path, headers={**HTMX, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    page = client.get(path, headers={"If-None-Match": etag})  # the page is another answer
    assert page.status_code == 200
    assert page.headers["ETag"] != etag


def test_the_mid_backs_stop_rule_and_the_patients_language(app, client, auth, catalogues, today):  # noqa: F811
    signed_off_by_physician(app)
    patient = make_user(Role.PATIENT)
    patient.language = "es"
    db.session.commit()
    treatment = make_treatment(patient, today - timedelta(days=20), condition="thoracic_strain")
    auth.login(patient.email)
    item = next(
        i for i in todays_items(treatment) if "leg" not in content.EXERCISES_BY_SLUG[i.exercise.slug].stop_if
    )
    leg_rule = next(
        i for i in todays_items(treatment) if "leg" in content.EXERCISES_BY_SLUG[i.exercise.slug].stop_if
    )
    html = unescape(client.get(f"/exercises/{leg_rule.id}/how", headers=HTMX).get_data(as_text=True))
    assert "Detenga" in html or "Pare" in html  # the stop rule, in Spanish
    assert content.EXERCISES_BY_SLUG[leg_rule.exercise.slug].stop_if not in html  # not the legs' rule
    assert "Mostrar los pasos" in client.get("/today").get_data(as_text=True)
    assert client.get(f"/exercises/{item.id}/how", headers=HTMX).status_code == 200


def test_another_patients_exercise_is_not_found_and_the_attempt_is_recorded(client, auth, today):
    _owner, treatment = patient_on_day(20, today)
    item = draw_in_item(treatment)
    other, _ = patient_on_day(20, today)
    auth.login(other.email)
    assert client.get(f"/exercises/{item.id}/how", headers=HTMX).status_code == 404
    refused = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access_refused")).all()
    assert [(event.patient_id, event.detail) for event in refused] == [
        (treatment.patient_id, f"GET /exercises/{item.id}/how answered 404")
    ]
    assert client.get("/exercises/999999/how").status_code == 404


def test_staff_and_signed_out_visitors_are_turned_away(client, auth, therapist, today):
    _patient, treatment = my_patient(therapist, today)
    path = f"/exercises/{draw_in_item(treatment).id}/how"
    assert client.get(path).status_code == 403  # the therapist (signed in by the fixture)
    auth.logout()
    signed_out = client.get(path)
    assert signed_out.status_code == 302
    assert "/sign-in" in signed_out.headers["Location"]


def test_a_removed_exercise_and_one_waiting_for_the_precautions_are_not_shown(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    item = draw_in_item(treatment)
    remove_exercise(item)
    db.session.commit()
    auth.login(patient.email)
    assert client.get(f"/exercises/{item.id}/how", headers=HTMX).status_code == 404
    auth.logout()
    waiting = make_user(Role.PATIENT)
    course = make_treatment(waiting, today - timedelta(days=20), condition="failed_back_surgery")
    assert course.precautions_pending
    auth.login(waiting.email)
    items = todays_items(course)
    held = [i for i in items if i.exercise.slug not in SAFE_BEFORE_PRECAUTIONS]
    shown = [i for i in items if i.exercise.slug in SAFE_BEFORE_PRECAUTIONS]
    assert held
    assert shown
    assert client.get(f"/exercises/{held[0].id}/how", headers=HTMX).status_code == 404
    assert client.get(f"/exercises/{shown[0].id}/how", headers=HTMX).status_code == 200


def test_an_exercise_not_due_today_still_opens(client, auth, today):
    """A page left open past midnight asks for a row that is no longer due: it still opens."""
    patient, treatment = patient_on_day(20, today)
    item = draw_in_item(treatment)
    item.phase = "protect"  # another phase's exercise of the same plan
    db.session.commit()
    auth.login(patient.email)
    assert client.get(f"/exercises/{item.id}/how", headers=HTMX).status_code == 200


def test_the_service_worker_keeps_each_rows_guide(client):
    worker = client.get("/sw.js").get_data(as_text=True)
    assert 'var GUIDE_PATH = ["/exercises/", "/how"];' in worker
    assert "key !== GUIDES" in worker  # kept through a new shell
    assert "keptGuide(request)" in worker
    assert "!response.redirected" in worker  # never a sign-in page in its place
    assert 'data.type !== "keep-guides"' in worker  # Today's rows, fetched once it has loaded
    assert "keep-guides" in (ROOT / "app" / "static" / "js" / "app.js").read_text()
