"""Passkeys through the real app, with a software authenticator: adding, naming, removing, signing
in through the same session start as a password; single-use, expiring challenges; a passkey of
another site, origin or person refused; the one-time offer on Today after a phone sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Passkey, Role, User, WebAuthnChallenge
from app.models.base import utcnow
from tests import soft_authenticator as soft
from tests.conftest import csrf_token, text_of
from tests.factories import make_user
from tests.helpers import actions_with_detail as audit_actions

ORIGIN = "http://localhost"  # the test client's host
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def post_json(client, url: str, body: dict | None = None, token: str | None = None):
    token = token or csrf_token(client.get("/sign-in" if "sign-in" in url else "/account"))
    return client.post(url, json=body or {}, headers={"X-CSRFToken": token})


def add_passkey(client, name: str = "My phone", origin: str = ORIGIN, rp_id: str | None = None, flags=None):
    options = post_json(client, "/passkeys/register/options").get_json()
    extra = {"flags": flags} if flags is not None else {}
    credential, body = soft.create(options, origin, rp_id=rp_id, **extra)
    return credential, post_json(client, "/passkeys/register", {"name": name, "credential": body})


def sign_in_with(client, credential, next: str = "", **assertion):
    options = post_json(client, "/passkeys/sign-in/options").get_json()
    body = soft.get(credential, options, assertion.pop("origin", ORIGIN), **assertion)
    return post_json(client, "/passkeys/sign-in", {"credential": body, "next": next}), body


@pytest.fixture
def patient(app):
    return make_user(Role.PATIENT, name="Maria Alvarez", email="maria@example.com")


def test_add_a_passkey_sign_out_and_sign_in_with_it(client, auth, patient):
    auth.login(patient.email)
    credential, response = add_passkey(client, "Maria's iPhone")
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/account#passkeys"}
    page = text_of(client.get("/account"))
    assert "The passkey “Maria's iPhone” is added" in page
    assert "Maria's iPhone Added" in page
    auth.logout()
    assert client.get("/today").status_code == 302

    response, _ = sign_in_with(client, credential)
    assert response.status_code == 200
    assert response.get_json() == {"redirect": "/today"}
    assert client.get("/today").status_code == 200
    passkey = db.session.scalar(sa.select(Passkey))
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None
    actions = audit_actions()
    assert ("sign_in", "With a password") in actions
    assert ("sign_in", "With a passkey") in actions
    assert ("passkey_add", f"passkey={passkey.id}") in actions


def test_a_passkey_sign_in_keeps_a_safe_next_page(client, auth, patient):
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    assert sign_in_with(client, credential, next="/history")[0].get_json() == {"redirect": "/history"}
    auth.logout()
    assert sign_in_with(client, credential, next="//evil.example")[0].get_json() == {"redirect": "/today"}


def test_several_passkeys_each_named_and_removable(client, auth, patient):
    auth.login(patient.email)
    phone, _ = add_passkey(client, "Phone")
    laptop, _ = add_passkey(client, "Laptop")
    assert [p.name for p in db.session.scalars(sa.select(Passkey).order_by(Passkey.id))] == [
        "Phone",
        "Laptop",
    ]
    phone_id = db.session.scalar(sa.select(Passkey.id).where(Passkey.name == "Phone"))
    response = client.post(
        f"/passkeys/{phone_id}/remove", data={"csrf_token": csrf_token(client.get("/account"))}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/account#passkeys"
    assert "The passkey “Phone” is removed" in text_of(client.get("/account"))
    assert ("passkey_remove", f"passkey={phone_id}") in audit_actions()
    auth.logout()
    refused, _ = sign_in_with(client, phone)
    assert refused.status_code == 400
    assert "does not work here" in refused.get_json()["error"]
    assert client.get("/today").status_code == 302
    assert sign_in_with(client, laptop)[0].status_code == 200


def test_nobody_removes_another_persons_passkey(client, auth, patient):
    auth.login(patient.email)
    add_passkey(client)
    passkey_id = db.session.scalar(sa.select(Passkey.id))
    auth.logout()
    other = make_user(Role.PATIENT)
    auth.login(other.email)
    token = csrf_token(client.get("/account"))
    assert client.post(f"/passkeys/{passkey_id}/remove", data={"csrf_token": token}).status_code == 404
    assert client.post("/passkeys/99999999999/remove", data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Passkey)) == 1


def test_a_challenge_is_used_once(client, auth, patient):
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    first, body = sign_in_with(client, credential)
    assert first.status_code == 200
    auth.logout()
    replay = post_json(client, "/passkeys/sign-in", {"credential": body})
    assert replay.status_code == 400
    assert "took too long" in replay.get_json()["error"]
    assert client.get("/today").status_code == 302


def test_a_challenge_expires(client, auth, patient):
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    options = post_json(client, "/passkeys/sign-in/options").get_json()
    db.session.execute(sa.update(WebAuthnChallenge).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    body = soft.get(credential, options, ORIGIN)
    response = post_json(client, "/passkeys/sign-in", {"credential": body})
    assert response.status_code == 400
    assert "took too long" in response.get_json()["error"]


def test_expired_challenges_are_cleared(client, auth, patient):
    for _ in range(3):
        post_json(client, "/passkeys/sign-in/options")
    db.session.execute(sa.update(WebAuthnChallenge).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    post_json(client, "/passkeys/sign-in/options")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WebAuthnChallenge)) == 1


@pytest.mark.parametrize(
    "assertion",
    [{"rp_id": "evil.example"}, {"origin": "https://evil.example"}],
    ids=["another-site", "another-origin"],
)
def test_a_passkey_of_another_site_is_refused(client, auth, patient, assertion):
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    response, _ = sign_in_with(client, credential, **assertion)
    assert response.status_code == 400
    assert "could not be checked" in response.get_json()["error"]
    assert client.get("/today").status_code == 302
    assert (
        "sign_in_passkey_failed",
        f"credential={soft.b64url(credential.credential_id)}",
    ) in audit_actions()


def test_registering_a_passkey_for_another_site_is_refused(client, auth, patient):
    auth.login(patient.email)
    _, response = add_passkey(client, rp_id="evil.example")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Passkey)) == 0


def test_a_passkey_without_user_verification_is_refused(client, auth, patient):
    auth.login(patient.email)
    _, response = add_passkey(client, flags=soft.UP | soft.AT)
    assert response.status_code == 400


def test_a_passkey_claiming_another_person_is_refused(client, auth, patient):
    other = make_user(Role.PATIENT, email="other@example.com")
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    response, _ = sign_in_with(client, credential, user_handle=str(other.id).encode())
    assert response.status_code == 400
    assert client.get("/today").status_code == 302


def test_a_passkey_the_site_never_saw_is_refused(client, patient):
    stranger = soft.SoftCredential(rp_id="localhost", user_handle=str(patient.id).encode())
    response, _ = sign_in_with(client, stranger)
    assert response.status_code == 400
    assert "does not work here" in response.get_json()["error"]


def test_another_persons_key_cannot_sign_for_this_credential(client, auth, patient):
    """A forged assertion: the right credential id, signed with some other key."""
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    forged = soft.SoftCredential(
        rp_id="localhost", user_handle=credential.user_handle, credential_id=credential.credential_id
    )
    response, _ = sign_in_with(client, forged)
    assert response.status_code == 400
    assert client.get("/today").status_code == 302


def test_an_inactive_account_cannot_sign_in_with_a_passkey(client, auth, patient):
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    patient.active = False
    db.session.commit()
    assert sign_in_with(client, credential)[0].status_code == 403


@pytest.mark.parametrize(
    ("name", "status", "stored"), [("", 422, None), ("x" * 61, 422, None), ("Ph\x00one", 200, "Phone")]
)
def test_passkey_names_are_checked(client, auth, patient, name, status, stored):
    auth.login(patient.email)
    _, response = add_passkey(client, name)
    assert response.status_code == status
    assert db.session.scalar(sa.select(Passkey.name)) == stored


@pytest.mark.parametrize(
    "body",
    [{}, {"credential": "nope"}, {"credential": {}}, {"credential": {"response": {"clientDataJSON": "!!"}}}],
)
def test_nonsense_is_refused_cleanly(client, auth, patient, body):
    auth.login(patient.email)
    assert post_json(client, "/passkeys/register", body).status_code in (400, 422)
    auth.logout()
    assert post_json(client, "/passkeys/sign-in", body).status_code == 400


def test_passkey_routes_need_a_csrf_token(client, auth, patient):
    assert client.post("/passkeys/sign-in/options", json={}).status_code == 400
    auth.login(patient.email)
    assert client.post("/passkeys/register/options", json={}).status_code == 400


def test_adding_a_passkey_needs_a_signed_in_person(client):
    token = csrf_token(client.get("/sign-in"))
    assert (
        client.post("/passkeys/register/options", json={}, headers={"X-CSRFToken": token}).status_code == 302
    )


# --- The offer on Today ---------------------------------------------------------------------------


def sign_in_on(client, email: str, user_agent: str):
    token = csrf_token(client.get("/sign-in"))
    return client.post(
        "/sign-in",
        data={"email": email, "password": "correct horse battery staple", "csrf_token": token},
        headers={"User-Agent": user_agent},
    )


def test_today_offers_a_passkey_once_after_the_first_password_sign_in_on_a_phone(
    client, auth, patient, today
):
    sign_in_on(client, patient.email, IPHONE)
    page = client.get("/today").get_data(as_text=True)
    assert "Sign in with your face or fingerprint next time" in page
    token = csrf_token(client.get("/today"))
    assert client.post("/passkeys/offer/dismiss", data={"csrf_token": token}).status_code == 303
    assert "Sign in with your face or fingerprint" not in client.get("/today").get_data(as_text=True)
    auth.logout()
    sign_in_on(client, patient.email, IPHONE)  # a later sign-in: offered already
    assert "Sign in with your face or fingerprint" not in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize(("role", "agent"), [(Role.PATIENT, DESKTOP), (Role.THERAPIST, IPHONE)])
def test_no_offer_on_a_computer_or_for_staff(client, role, agent):
    user = make_user(role)
    sign_in_on(client, user.email, agent)
    assert db.session.get(User, user.id).passkey_offered_at is None


def test_no_offer_for_someone_who_has_a_passkey(client, auth, patient):
    auth.login(patient.email)
    add_passkey(client)
    auth.logout()
    sign_in_on(client, patient.email, IPHONE)
    assert "Sign in with your face or fingerprint" not in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize("field", ["id", "challenge"])
def test_a_nul_byte_in_a_credential_is_refused_not_a_crash(client, auth, patient, field):
    auth.login(patient.email)
    credential, _ = add_passkey(client)
    auth.logout()
    options = post_json(client, "/passkeys/sign-in/options").get_json()
    if field == "challenge":
        options["challenge"] = "abc\x00def"
    body = soft.get(credential, options, ORIGIN)
    if field == "id":
        body["id"] = "abc\x00def"
    response = post_json(client, "/passkeys/sign-in", {"credential": body})
    assert response.status_code == 400
    assert "\x00" not in db.session.scalar(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "sign_in_passkey_failed")
    )
