"""Signing in and out, the role homes, and deny-by-default access."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Role, User
from tests.conftest import PASSWORD, csrf_token, text_of
from tests.factories import make_user


@pytest.mark.parametrize(
    ("role", "home"), [(Role.PATIENT, "/today"), (Role.THERAPIST, "/therapist/"), (Role.ADMIN, "/admin/")]
)
def test_each_role_lands_on_its_own_home(client, auth, role, home):
    user = make_user(role)
    response = auth.login(user.email)
    assert response.status_code == 303
    assert response.headers["Location"] == home
    assert client.get("/").headers["Location"] == home
    assert client.get(home).status_code == 200


def test_email_is_matched_without_regard_to_case_or_spaces(auth):
    make_user(email="maria@example.com")
    assert auth.login("  Maria@Example.COM ").status_code == 303


def test_wrong_password_keeps_the_email_and_says_what_to_do(client, auth):
    user = make_user()
    response = auth.login(user.email, "not the password")
    assert response.status_code == 422
    assert "That email and password do not match" in text_of(response, 422)
    assert f'value="{user.email}"' in response.get_data(as_text=True)
    assert client.get("/today").status_code == 302  # still signed out


def test_unknown_email_gets_the_same_message(auth):
    response = auth.login("nobody@example.com", "whatever password")
    assert response.status_code == 422
    assert "That email and password do not match" in text_of(response, 422)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", "x", "Enter your email address."),
        ("not-an-email", "x", "Enter an email address like"),
        ("a@example.com", "", "Enter your password."),
    ],
)
def test_sign_in_validation(client, email, password, message):
    token = csrf_token(client.get("/sign-in"))
    response = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 422
    assert message in text_of(response, 422)


def test_sign_in_without_csrf_token_is_refused(client):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": "x"})
    assert response.status_code == 400
    assert "nothing was saved" in text_of(response, 400)


def test_inactive_account_cannot_sign_in(auth):
    user = make_user(active=False)
    response = auth.login(user.email)
    assert response.status_code == 422
    assert "not active" in text_of(response, 422)


def test_sign_in_and_failures_are_audited(auth):
    user = make_user()
    auth.login(user.email, "wrong password here")
    auth.login(user.email)
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["sign_in_failed", "sign_in"]


def sign_in_then_go(client, target: str):
    user = make_user()
    token = csrf_token(client.get(f"/sign-in?next={target}"))
    return client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": target}
    )


@pytest.mark.parametrize("target", ["/history", "/today?x=1"])
def test_safe_next_is_followed(client, target):
    assert sign_in_then_go(client, target).headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        " /today",
        "/\t/evil.example",
    ],
)
def test_unsafe_next_is_ignored(client, target):
    assert sign_in_then_go(client, target).headers["Location"] == "/today"


def test_sign_out_needs_a_post_with_csrf(client, auth):
    user = make_user()
    auth.login(user.email)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/today").status_code == 200
    response = auth.logout()
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/today").status_code == 302


def test_deactivated_user_is_signed_out_on_next_request(client, auth):
    user = make_user()
    auth.login(user.email)
    db.session.get(User, user.id).active = False
    db.session.commit()
    assert client.get("/today").status_code == 302


@pytest.mark.parametrize("path", ["/today", "/history", "/therapist/", "/admin/", "/log/2026-01-01/edit"])
def test_anonymous_visitors_are_sent_to_sign_in(client, app, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.THERAPIST, "/today"),
        (Role.ADMIN, "/today"),
        (Role.THERAPIST, "/history"),
        (Role.PATIENT, "/therapist/"),
        (Role.PATIENT, "/admin/"),
        (Role.THERAPIST, "/admin/"),
        (Role.ADMIN, "/therapist/"),
    ],
)
def test_other_roles_are_forbidden(client, auth, role, path):
    auth.login(make_user(role).email)
    assert client.get(path).status_code == 403


def test_login_page_redirects_a_signed_in_user_home(client, auth):
    auth.login(make_user().email)
    assert client.get("/sign-in").headers["Location"] == "/today"
