"""Setup links, password rules and changing your own password."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Role, SetupLink
from app.models.base import utcnow
from app.services.accounts.accounts import issue_setup_link, password_problems, token_digest
from app.services.accounts.passwords import verify_password
from tests.conftest import PASSWORD, Auth, csrf_token, text_of
from tests.factories import make_treatment, make_user

GOOD_PASSWORD = "river lamp orange cloud"


def link_for(user) -> str:
    token = issue_setup_link(user, None)
    db.session.commit()
    return f"/setup/{token}"


def choose(client, path, password):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page), "password": password})


def test_a_setup_link_sets_the_password_and_signs_in(client, today):
    patient = make_user(Role.PATIENT, name="Nora Quinn", password="unused placeholder pw")
    make_treatment(patient, today - timedelta(days=3))
    path = link_for(patient)
    page = client.get(path)
    assert page.status_code == 200
    assert "Welcome, Nora" in text_of(page)
    response = client.post(path, data={"csrf_token": csrf_token(page), "password": GOOD_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/today"
    assert "Weeks 1–2: calm and protect" in text_of(client.get("/today"))
    db.session.refresh(patient)
    assert verify_password(patient.password_hash, GOOD_PASSWORD)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "setup_link_used" in actions


def test_only_a_hash_of_the_token_is_stored(app):
    user = make_user()
    token = issue_setup_link(user, None)
    db.session.commit()
    stored = db.session.scalar(sa.select(SetupLink.token_hash))
    assert stored == token_digest(token)
    assert token not in stored
    assert len(token) >= 40


def test_a_link_works_once(client):
    path = link_for(make_user())
    assert choose(client, path, GOOD_PASSWORD).status_code == 303
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/today"))})
    again = client.get(path)
    assert again.status_code == 410
    assert "was already used" in text_of(again, 410)


def test_a_link_expires_after_72_hours(client):
    user = make_user()
    path = link_for(user)
    link = db.session.scalar(sa.select(SetupLink))
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 410
    token = csrf_token(client.get("/sign-in"))
    assert client.post(path, data={"csrf_token": token, "password": GOOD_PASSWORD}).status_code == 410
    db.session.refresh(user)
    assert not verify_password(user.password_hash, GOOD_PASSWORD)


def test_a_fresh_link_lasts_72_hours(app):
    issue_setup_link(make_user(), None)
    db.session.commit()
    link = db.session.scalar(sa.select(SetupLink))
    assert timedelta(hours=71, minutes=59) < link.expires_at - link.created_at <= timedelta(hours=72)


def test_a_newer_link_voids_the_older_one(client):
    user = make_user()
    old, new = link_for(user), link_for(user)
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("token", ["x", "A" * 43, "../../etc/passwd", "%00", "a" * 500])
def test_a_tampered_token_does_not_work(client, token):
    link_for(make_user())
    assert client.get(f"/setup/{token}").status_code in (400, 404, 410)  # 400: a NUL in the address


def test_a_link_for_a_deactivated_account_does_not_work(client):
    user = make_user()
    path = link_for(user)
    user.active = False
    db.session.commit()
    assert client.get(path).status_code == 410


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "Use at least 15 characters. It has 10 now."),
        ("password password", "Try a few unrelated words"),
        ("aaaaaaaaaaaaaaaa", "Try a few unrelated words"),
        ("123456789987654321", "Try a few unrelated words"),
        ("qwertyuiopasdfghjkl", "Try a few unrelated words"),
        ("nora.quinn@example.com", "Do not use your email address in your password."),
        ("nora.quinn-is-the-best", "Do not use your email address in your password."),
    ],
)
def test_password_rules(app, password, message):
    user = make_user(name="Nora Quinn", email="nora.quinn@example.com")
    problems = password_problems(password, user)
    assert problems
    assert message in problems[0]


@pytest.mark.parametrize(
    "password", ["river lamp orange cloud", "correct horse battery staple", "My knees like the blue bicycle!"]
)
def test_good_passphrases_pass(app, password):
    assert password_problems(password, make_user(name="Nora Quinn")) == []


def test_a_weak_password_is_refused_on_the_page_and_kept(client):
    path = link_for(make_user())
    response = choose(client, path, "password password")
    assert response.status_code == 422
    assert "Try a few unrelated words" in text_of(response, 422)
    assert 'value="password password"' in response.get_data(as_text=True)


def test_setup_needs_csrf(client):
    path = link_for(make_user())
    assert client.post(path, data={"password": GOOD_PASSWORD}).status_code == 400


def test_the_page_allows_paste_and_offers_a_show_toggle(client):
    html = client.get(link_for(make_user())).get_data(as_text=True)
    assert "onpaste" not in html
    assert "data-toggle-password" in html
    assert 'autocomplete="new-password"' in html


# --- Changing your own password ------------------------------------------------------------------


def change_password(client, current: str, new: str):
    page = client.get("/account")
    return client.post(
        "/account", data={"csrf_token": csrf_token(page), "current_password": current, "password": new}
    )


def test_changing_my_password_signs_out_my_other_sessions(app, auth, client):
    user = make_user()
    other_device = app.test_client()
    Auth(other_device).login(user.email)
    assert other_device.get("/today").status_code == 200
    auth.login(user.email)
    assert change_password(client, PASSWORD, GOOD_PASSWORD).status_code == 303
    assert client.get("/today").status_code == 200  # this session continues
    assert other_device.get("/today").status_code == 302  # the other one is gone
    events = db.session.scalars(sa.select(AuditEvent)).all()
    assert ("password_changed", user.id) in [(e.action, e.patient_id) for e in events]


def test_changing_my_password_needs_the_current_one(client, auth):
    user = make_user()
    auth.login(user.email)
    response = change_password(client, "wrong", GOOD_PASSWORD)
    assert response.status_code == 422
    assert "That is not your current password." in text_of(response, 422)
    db.session.refresh(user)
    assert not verify_password(user.password_hash, GOOD_PASSWORD)


def test_a_weak_new_password_is_refused(client, auth):
    auth.login(make_user().email)
    response = change_password(client, PASSWORD, "tooshort")
    assert response.status_code == 422
    assert "Use at least 15 characters" in text_of(response, 422)


def test_the_account_page_needs_sign_in(client):
    assert client.get("/account").status_code == 302


def test_the_qr_code_is_generated_on_the_server(client, auth):
    auth.login(make_user(Role.ADMIN).email)
    patient = make_user()
    response = client.post(f"/admin/accounts/{patient.id}/setup-link", data={"csrf_token": auth.token()})
    html = response.get_data(as_text=True)
    assert re.search(r'<img src="data:image/svg\+xml;charset=utf-8,[^"]+" alt="QR code', html)
    assert response.headers["Cache-Control"] == "no-store"
