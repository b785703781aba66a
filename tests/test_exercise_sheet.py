"""The printable home-exercise sheet: every exercise of the patient's plan now, each with its
drawing (start and end), name, dose, steps and stop rule, with the clinic's name and phone and the
date; for the patient from Today, for staff from the patient's record (on the audit trail), and in
the patient's language for either. Printing it in a real browser: tests/test_e2e_exercise_sheet.py."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from app.care import content, poses
from app.care.programmes import SAFE_BEFORE_PRECAUTIONS
from app.extensions import db
from app.models import AuditEvent, PlanItem, Role
from app.services.clinic.settings import current_settings
from app.services.treatment.plans import remove_exercise
from app.web.templating import long_date
from tests.conftest import text_of
from tests.factories import make_treatment, make_user, my_patient, patient_on_day
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)
from tests.test_spanish_pages import english_words


def plan_now(treatment, phase: str = "restore") -> list[PlanItem]:
    return list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(
                PlanItem.treatment_id == treatment.id, PlanItem.phase == phase, PlanItem.removed_at.is_(None)
            )
            .order_by(PlanItem.position, PlanItem.id)
        )
    )


def audited(action: str) -> list[tuple[int | None, int | None]]:
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    )
    return [(event.actor_id, event.patient_id) for event in events]


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sheet_part(response) -> str:
    """The visible text of the sheet itself (the <article>), without the site's menu."""
    html = response.get_data(as_text=True)
    article = re.search(r'<article class="exercise-sheet".*?</article>', html, flags=re.S)
    assert article, "no exercise sheet on the page"
    return folded(unescape(re.sub(r"<[^>]+>", " ", article.group(0))))


def test_the_patients_sheet_has_every_exercise_of_the_plan_now_with_all_its_parts(client, auth, today):
    patient, treatment = patient_on_day(20, today)  # weeks 3-6: restore
    auth.login(patient.email)
    response = client.get("/exercise-sheet")
    page, html = text_of(response), response.get_data(as_text=True)
    items = plan_now(treatment)
    assert len(items) >= 3
    settings = current_settings()
    assert content.SHEET_TITLE in page
    assert content.render(content.SHEET_QUESTIONS, clinic=settings.name, phone=settings.phone) in page
    assert long_date(today) in page
    assert patient.full_name in page
    for item in items:
        text = content.EXERCISES_BY_SLUG[item.exercise.slug]
        slug = item.exercise.slug
        assert text.name in page
        assert content.dose_text(item.dose) in page
        for step in text.steps:
            assert folded(content.render(step, no_ice_hours=settings.no_ice_hours)) in page
        assert folded(text.stop_if) in page
        drawing = f"/exercise-drawings/{slug}.svg?v={poses.digest(slug)}"
        assert f"{drawing}#start" in html
        assert f"{drawing}#end" in html
        assert f'aria-label="{poses.DRAWINGS[slug].alt}"' in unescape(html)
    # In the plan's order, one block each.
    names = re.findall(r'<h2 class="sheet-exercise__name">([^<]+)</h2>', html)
    assert [unescape(name) for name in names] == [
        content.EXERCISES_BY_SLUG[i.exercise.slug].name for i in items
    ]
    assert audited("view_exercise_sheet") == [(patient.id, patient.id)]


def test_today_links_to_the_sheet(client, auth, today):
    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    assert 'href="/exercise-sheet"' in client.get("/today").get_data(as_text=True)
    assert 'href="/exercise-sheet"' in client.get("/summary").get_data(as_text=True)


def test_an_exercise_taken_out_of_the_plan_leaves_the_sheet(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    gone, *kept = plan_now(treatment)
    remove_exercise(gone)
    db.session.commit()
    auth.login(patient.email)
    html = client.get("/exercise-sheet").get_data(as_text=True)
    names = [unescape(n) for n in re.findall(r'<h2 class="sheet-exercise__name">([^<]+)</h2>', html)]
    assert names == [content.EXERCISES_BY_SLUG[item.exercise.slug].name for item in kept]


def test_before_the_injection_the_sheet_says_there_is_nothing_to_print_yet(client, auth, today):
    patient, _ = patient_on_day(-5, today)
    auth.login(patient.email)
    page = text_of(client.get("/exercise-sheet"))
    assert content.SHEET_NONE in page
    assert "sheet-exercise__name" not in client.get("/exercise-sheet").get_data(as_text=True)


def test_after_back_surgery_the_sheet_waits_for_the_surgeons_precautions_as_today_does(client, auth, today):
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=20), condition="failed_back_surgery")
    assert treatment.precautions_pending
    assert {item.exercise.slug for item in plan_now(treatment)} - SAFE_BEFORE_PRECAUTIONS
    auth.login(patient.email)
    html = client.get("/exercise-sheet").get_data(as_text=True)
    shown = set(re.findall(r"/exercise-drawings/([a-z_]+)\.svg", html))
    assert shown
    assert shown <= SAFE_BEFORE_PRECAUTIONS
    assert content.PRECAUTIONS_PENDING in text_of(client.get("/exercise-sheet"))


def test_the_patients_therapist_prints_the_same_sheet_and_it_is_on_the_audit_trail(client, auth, today):
    therapist = make_user(Role.THERAPIST, name="Sam Patel")
    patient, _ = my_patient(therapist, today)
    auth.login(patient.email)
    own = sheet_part(client.get("/exercise-sheet"))
    auth.logout()
    auth.login(therapist.email)
    record = client.get(f"/therapist/patients/{patient.id}").get_data(as_text=True)
    assert f'href="/therapist/patients/{patient.id}/exercise-sheet"' in record
    summary = client.get(f"/therapist/patients/{patient.id}/summary").get_data(as_text=True)
    assert f'href="/therapist/patients/{patient.id}/exercise-sheet"' in summary
    response = client.get(f"/therapist/patients/{patient.id}/exercise-sheet")
    assert response.status_code == 200
    assert sheet_part(response) == own
    assert (therapist.id, patient.id) in audited("view_exercise_sheet")


def test_a_therapist_without_the_patient_and_another_patient_cannot_see_the_sheet(client, auth, today):
    therapist = make_user(Role.THERAPIST)
    other = make_user(Role.THERAPIST)
    patient, _ = my_patient(therapist, today)
    auth.login(other.email)
    assert client.get(f"/therapist/patients/{patient.id}/exercise-sheet").status_code == 404
    auth.logout()
    someone, _ = patient_on_day(20, today)
    auth.login(someone.email)
    assert client.get(f"/therapist/patients/{patient.id}/exercise-sheet").status_code in (403, 404)
    assert audited("view_exercise_sheet") == []


@pytest.fixture
def spanish_patient(app, catalogues, today):  # noqa: F811 (the fixture imported above)
    signed_off_by_physician(app)
    therapist = make_user(Role.THERAPIST, name="Sam Patel")
    patient, _ = my_patient(therapist, today, name="María Álvarez")
    patient.language = "es"
    db.session.commit()
    return patient, therapist


def test_the_sheet_speaks_spanish_to_a_spanish_reader(client, auth, spanish_patient):
    patient, _ = spanish_patient
    auth.login(patient.email)
    page = text_of(client.get("/exercise-sheet"))
    assert "Mis ejercicios en casa" in page
    assert "Si tiene preguntas, llame a" in page
    assert "Pare:" in page
    assert english_words(page, patient.full_name) == []
    assert "Imprimir mis ejercicios" in text_of(client.get("/today"))


def test_staff_print_a_spanish_readers_sheet_in_spanish(client, auth, spanish_patient):
    patient, therapist = spanish_patient
    auth.login(therapist.email)
    response = client.get(f"/therapist/patients/{patient.id}/exercise-sheet")
    sheet = sheet_part(response)
    assert "Mis ejercicios en casa" in sheet
    assert english_words(sheet, patient.full_name) == []
    assert '<html lang="es">' in response.get_data(as_text=True)
    # The therapist's own pages stay in the therapist's language.
    assert "Records and summary" in text_of(client.get(f"/therapist/patients/{patient.id}"))
