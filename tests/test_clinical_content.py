"""The clinical content sheet and its sign-off: one printable sheet, a fingerprint that changes with
any text or number, and a banner on staff pages until the physician signs off this version."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.care import adherence, content, content_sheet, follow_up, programmes, progress
from app.care.content import Dose
from app.extensions import db
from app.models import AuditEvent, ContentSignoff, Role
from app.services.clinic.content_signoff import current_fingerprint
from tests.conftest import Auth, csrf_token, text_of
from tests.factories import make_user

SETTINGS = {"NSAID-free days before the injection": 7}


def version() -> str:
    return content_sheet.fingerprint(content_sheet.content_sheet(SETTINGS))


def text_constants() -> list[str]:
    return [name for name, value in vars(content).items() if name.isupper() and isinstance(value, str)]


def test_the_fingerprint_is_stable():
    assert version() == version()
    assert len(version()) == 12


@pytest.mark.parametrize("name", text_constants())
def test_changing_any_text_changes_the_fingerprint(monkeypatch, name):
    before = version()
    monkeypatch.setattr(content, name, getattr(content, name) + " (changed)")
    assert version() != before


def test_changing_guidance_a_warning_sign_or_a_dose_changes_the_fingerprint(monkeypatch):
    before = version()
    guidance = content.PHASE_GUIDANCE["protect"]
    monkeypatch.setitem(
        content.PHASE_GUIDANCE,
        "protect",
        guidance.__class__(guidance.summary, guidance.do[:-1], guidance.avoid),
    )
    after_guidance = version()
    assert after_guidance != before
    walking = content.EXERCISES[0]
    changed = walking.__class__(
        **{**walking.__dict__, "doses": {**walking.doses, "restore": Dose(minutes=25)}}
    )
    monkeypatch.setattr(content, "EXERCISES", (changed, *content.EXERCISES[1:]))
    assert version() != after_guidance


@pytest.mark.parametrize(
    ("module", "name", "value"),
    [
        (progress, "MEANINGFUL_POINTS", 3.0),
        (adherence, "SILENCE_DAYS", 4),
        (adherence, "RTM_DAYS_WITH_DATA", 12),
        (follow_up, "DEFAULT_LOG_EVERY", 1),
        (follow_up, "PEG_EVERY_WEEKS_AFTER", 2),
    ],
)
def test_changing_a_protocol_number_changes_the_fingerprint(monkeypatch, module, name, value):
    before = version()
    monkeypatch.setattr(module, name, value)
    assert version() != before


def test_changing_a_clinical_setting_changes_the_fingerprint():
    changed = content_sheet.content_sheet({"NSAID-free days before the injection": 10})
    assert content_sheet.fingerprint(changed) != version()


def test_every_text_is_on_the_sheet():
    lines = [line.text for section in content_sheet.content_sheet(SETTINGS) for line in section.lines]
    for name in text_constants():
        assert getattr(content, name) in lines, name
    for exercise in content.ALL_EXERCISES:
        assert all(step in lines for step in exercise.steps), exercise.slug


def test_the_questionnaires_are_on_the_sheet_word_for_word_with_their_sources():
    lines = [line.text for section in content_sheet.content_sheet(SETTINGS) for line in section.lines]
    sheet = " ".join(lines)
    for _key, question, low, high in content.PEG_ITEMS:
        assert f"{question} 0 = {low}; 10 = {high}" in lines
    assert all(label in lines for _value, label in content.PGIC_CHOICES)
    assert content.PEG_SOURCE in lines
    assert content.PGIC_SOURCE in lines
    assert content.QUESTIONNAIRES["pgic"].intro in sheet


def test_changing_a_condition_programme_changes_the_fingerprint(monkeypatch):
    before = version()
    monkeypatch.setitem(programmes.PLANS, "si_joint", programmes.ConditionPlan())
    assert version() != before


def test_changing_a_questionnaire_item_changes_the_fingerprint(monkeypatch):
    before = version()
    first, *rest = content.PEG_ITEMS
    monkeypatch.setattr(content, "PEG_ITEMS", ((first[0], "How bad is it?", *first[2:]), *rest))
    assert version() != before


@pytest.fixture
def admin(auth):
    admin = make_user(Role.ADMIN, name="Dr Rivera")
    auth.login(admin.email)
    return admin


def test_staff_see_a_banner_until_this_version_is_signed_off(app, client, admin):
    page = client.get("/admin/clinical-content")
    assert page.status_code == 200
    sheet = text_of(page)
    assert "has not been signed off" in sheet
    assert "not signed off yet" in sheet
    assert "Stop if pain goes more than 2 points above your usual pain" in sheet
    assert "Meaningful change in pain" in sheet
    assert "Blood thinner" in sheet
    assert "eliquis" in sheet
    assert "Warning signs in words (en)" in sheet
    therapist = make_user(Role.THERAPIST)
    therapists_browser = app.test_client()
    Auth(therapists_browser).login(therapist.email)
    assert "has not been signed off" in text_of(therapists_browser.get("/therapist/"))

    refused = client.post("/admin/clinical-content", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 422
    assert "Tick the box to confirm" in text_of(refused, 422)
    settings_version = current_fingerprint_now(app)
    done = client.post(
        "/admin/clinical-content",
        data={"csrf_token": csrf_token(page), "version": settings_version, "reviewed": "y"},
    )
    assert done.status_code == 303
    signed = text_of(client.get("/admin/clinical-content"))
    assert "has not been signed off" not in signed
    assert f"Version {settings_version} by Dr Rivera" in signed
    assert "has not been signed off" not in text_of(therapists_browser.get("/therapist/"))
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "content_signoff")).one()
    assert event.detail == f"Reviewed and approved version {settings_version}"


def test_a_signed_version_is_not_offered_for_signing_again(app, client, admin):
    page = client.get("/admin/clinical-content")
    version = current_fingerprint_now(app)
    data = {"csrf_token": csrf_token(page), "version": version, "reviewed": "y"}
    assert client.post("/admin/clinical-content", data=data).status_code == 303
    signed = text_of(client.get("/admin/clinical-content"))
    assert "This version is signed off. There is nothing to sign" in signed
    assert f"Sign off version {version}" not in signed
    again = client.post("/admin/clinical-content", data=data)
    assert again.status_code == 422
    assert "This version is signed off already." in text_of(again, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentSignoff)) == 1


def test_the_sheet_shows_texts_filled_as_the_patient_reads_them(client, admin):
    sheet = text_of(client.get("/admin/clinical-content"))
    assert "{nsaid_start}" not in sheet
    assert "{no_ice_hours}" not in sheet
    # Example injection on March 10: NSAID-free from March 3 (7 days before) to March 24 (14 after).
    assert "Take no anti-inflammatory pills from March 3 to March 24." in sheet
    assert "Do not put ice on the injection site for 72 hours." in sheet


def test_a_stale_version_cannot_be_signed_off(client, admin):
    page = client.get("/admin/clinical-content")
    response = client.post(
        "/admin/clinical-content",
        data={"csrf_token": csrf_token(page), "version": "000000000000", "reviewed": "y"},
    )
    assert response.status_code == 422
    assert "The content changed since this page was opened" in text_of(response, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentSignoff)) == 0


def test_a_changed_setting_needs_a_new_sign_off(app, client, admin, monkeypatch):
    page = client.get("/admin/clinical-content")
    client.post(
        "/admin/clinical-content",
        data={"csrf_token": csrf_token(page), "version": current_fingerprint_now(app), "reviewed": "y"},
    )
    assert "has not been signed off" not in text_of(client.get("/admin/"))
    monkeypatch.setitem(app.config, "NO_ICE_HOURS", 48)
    assert "has not been signed off" in text_of(client.get("/admin/"))


def test_patients_never_see_the_banner_and_cannot_open_the_sheet(app, client):
    patient = make_user()
    Auth(client).login(patient.email)
    assert "signed off" not in text_of(client.get("/today"))
    assert client.get("/admin/clinical-content").status_code == 403


def current_fingerprint_now(app) -> str:
    from app.services.clinic.settings import current_settings

    with app.test_request_context():
        return current_fingerprint(current_settings())
