"""Staff pages in Spanish, in a real browser: a therapist who reads Spanish sees the dashboard and
a patient's record in Spanish on a 390 px phone and a 1280 px desktop, and every staff page of
tests/test_e2e_fit.py still fits a phone in Spanish, whose words run longer than the English
("Registros diarios, los más recientes primero"). The demo clinic is served with Spanish offered
and signed off by the physician; its therapist and admin chose Spanish on their account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Exercise, ExerciseVersion, Role, Treatment, User
from app.services.clinic import languages
from app.services.clinic.content_signoff import record_signoff
from tests.browser import PHONE, demo_clinic_server, screenshot, sign_in, watched_page
from tests.test_e2e_fit import OVERFLOW, STAFF_PAGES

pytestmark = pytest.mark.e2e

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
SPANISH_READERS = ("therapist@example.com", "admin@example.com")


def spanish_signed_off(app) -> None:
    """Spanish offered, its translation signed off by the clinic's physician (the demo's admin),
    and the demo's therapist and admin reading it."""
    offered = app.config["LANGUAGES"]
    app.config["LANGUAGES"] = ["en", "es"]
    try:
        physician = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN.value))
        for status in languages.translation_statuses():
            assert status.complete, f"{status.missing} Spanish texts are not translated"
            record_signoff(status.version, f"Reviewed and approved the {status.name} translation", physician)
        for user in db.session.scalars(sa.select(User).where(User.email.in_(SPANISH_READERS))):
            user.language = "es"
        db.session.commit()
    finally:
        app.config["LANGUAGES"] = offered
        languages.catalogue_in.cache_clear()


@pytest.fixture(scope="module")
def spanish_server(migrated_app, database_url, clock):
    with demo_clinic_server(
        migrated_app,
        database_url,
        clock.date(),
        prepare=lambda: spanish_signed_off(migrated_app),
        LANGUAGES="en es",
    ) as url:
        yield url


@pytest.fixture(scope="module")
def ids(migrated_app, spanish_server):
    with migrated_app.app_context():
        person = {
            email: db.session.scalar(sa.select(User.id).where(User.email == email))
            for email in ("patient@example.com", "maintenance@example.com")
        }
        maria = person["patient@example.com"]
        return {
            "maria": maria,
            "robert": person["maintenance@example.com"],
            "maria_treatment": db.session.scalar(
                sa.select(Treatment.id).where(Treatment.patient_id == maria)
            ),
            "walking": db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == "walking")),
            "walking_version": db.session.scalar(
                sa.select(ExerciseVersion.id)
                .join(Exercise, Exercise.id == ExerciseVersion.exercise_id)
                .where(Exercise.slug == "walking")
            ),
        }


def fits(page) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["page"] <= found["width"], f"{page.url} is {found['page']} px wide"
    assert found["out"] == [], f"{page.url}: {found['out']}"


@pytest.mark.parametrize(("screen", "suffix"), [(PHONE, ""), (DESKTOP, "-1280")], ids=["390", "1280"])
def test_a_therapist_reads_the_dashboard_and_a_record_in_spanish(
    browser, spanish_server, ids, screen, suffix
):
    with watched_page(browser, spanish_server, **screen) as page:
        sign_in(page, "therapist@example.com", lands_on="**/therapist/")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_role("heading", name="Sus pacientes", level=1).is_visible()
        assert page.get_by_role("heading", name="Necesita atención").is_visible()
        assert page.get_by_role("columnheader", name="Paciente").count() == 1
        fits(page)
        screenshot(page, f"es-therapist-dashboard{suffix}")

        page.get_by_role("link", name="Maria Alvarez").first.click()
        page.wait_for_url(f"**/therapist/patients/{ids['maria']}")
        assert page.get_by_role("heading", name="Plan de ejercicios en casa").is_visible()
        assert page.get_by_role("heading", name="Registros diarios").is_visible()
        assert page.get_by_role("link", name="← Todos los pacientes").is_visible()
        # What Maria wrote is shown as she wrote it.
        assert page.get_by_text("Walked to the park and back with my sister", exact=False).count() >= 1
        fits(page)
        screenshot(page, f"es-patient-record{suffix}")
        assert page.errors == []


@pytest.fixture(scope="module")
def spanish_pages(browser, spanish_server):
    """One signed-in phone per person, reused across the pages."""
    opened = {}
    yield lambda email: opened.setdefault(email, open_phone(browser, spanish_server, email))
    for context in {page.context for page in opened.values()}:
        context.close()


def open_phone(browser, base_url: str, email: str):
    context = browser.new_context(base_url=base_url, **PHONE)
    page = context.new_page()
    sign_in(page, email, lands_on="**/*")
    return page


@pytest.mark.parametrize(("name", "email", "path"), STAFF_PAGES, ids=[name for name, _e, _p in STAFF_PAGES])
def test_every_staff_page_fits_a_phone_in_spanish(spanish_pages, ids, name, email, path):
    page = spanish_pages(email)
    response = page.goto(path.format(**ids))
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "es"
    found = page.evaluate(OVERFLOW)
    if found["page"] > found["width"] or found["out"]:  # a picture of what sticks out
        screenshot(page, f"es-fit-{name}-390")
    assert found["page"] <= found["width"], f"{name} is {found['page']} px wide at 390 px in Spanish"
    assert found["out"] == [], f"{name} at 390 px in Spanish: {found['out']}"
