"""Sessions that really end, and sign-in throttling that cannot lock the owner out
(docs/security.md#sessions, #sign-in; OWASP ASVS 5.0 V6, V7)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.models import AuditEvent, DailyLog, Role, SetupLink, SignInAttempt, User, UserSession
from app.services.accounts.accounts import issue_setup_link
from app.services.accounts.sign_in_throttle import (
    FREE_PER_ACCOUNT_AND_ADDRESS,
    FREE_PER_ADDRESS,
    waiting_time,
)
from tests.conftest import PASSWORD, Auth, RequestIsolatingClient, csrf_token, text_of
from tests.factories import make_user, patient_on_day

PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131 Mobile"


def browser(app, address: str = "198.51.100.7", user_agent: str = PHONE_UA) -> RequestIsolatingClient:
    """A separate browser (its own cookies) at an address of its own."""
    app.test_client_class = RequestIsolatingClient
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": user_agent})
    return client


def session_cookie(client) -> str:
    return client.get_cookie("session").value


@contextmanager
def later(**delta: float):
    """The clock moved on, for the app in this process."""
    with time_machine.travel(datetime.now(UTC) + timedelta(**delta), tick=True):
        yield


def log_answers(token: str) -> dict:
    return {"csrf_token": token, "back_pain": "4", "medication": "none", "no_warning_signs": "y"}


# --- Sessions that really end --------------------------------------------------------------------


def test_a_cookie_copied_before_sign_out_is_refused_afterwards_from_anywhere(app, today):
    patient, _ = patient_on_day(10, today)
    phone = browser(app)
    Auth(phone).login(patient.email)
    token = csrf_token(phone.get("/today"))
    stolen = session_cookie(phone)
    Auth(phone).logout()

    thief = browser(app, address="203.0.113.66")
    thief.set_cookie("session", stolen)
    assert thief.get("/today").status_code == 302
    response = thief.post(f"/log/{today}", data=log_answers(token))
    assert response.status_code in (302, 400)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DailyLog)) == 0
    [row] = db.session.scalars(sa.select(UserSession)).all()
    assert row.revoked_at is not None
    assert row.revoked_reason == "signed out"


def test_the_database_keeps_only_a_hash_of_the_session_key(app, today):
    patient, _ = patient_on_day(10, today)
    phone = browser(app)
    response = Auth(phone).login(patient.email)
    assert "session" not in response.headers["Location"]  # never in a URL
    cookie = session_cookie(phone)
    row = db.session.scalars(sa.select(UserSession)).one()
    assert len(row.token_hash) == 64
    assert row.token_hash not in cookie
    details = " ".join(db.session.scalars(sa.select(AuditEvent.detail)))
    assert cookie not in details
    assert row.token_hash not in details


def test_the_csrf_token_changes_at_sign_in(app):
    patient = make_user()
    phone = browser(app)
    before = csrf_token(phone.get("/sign-in"))
    phone.post("/sign-in", data={"email": patient.email, "password": PASSWORD, "csrf_token": before})
    after = csrf_token(phone.get("/today"))
    assert before != after
    stale = phone.post("/sign-out", data={"csrf_token": before})
    assert stale.status_code == 400
    assert phone.get("/today").status_code == 200


def test_the_account_page_lists_sessions_and_ends_one(app):
    patient = make_user()
    phone, laptop = browser(app), browser(app, "192.0.2.10", "Mozilla/5.0 (Windows NT 10.0) Firefox/133.0")
    Auth(phone).login(patient.email)
    Auth(laptop).login(patient.email)
    page = text_of(laptop.get("/account"))
    assert "Chrome on Android" in page
    assert "Firefox on Windows" in page
    assert "From 198.51.100.7" in page
    assert page.count("This device") == 1
    phones_session = db.session.scalars(
        sa.select(UserSession).where(UserSession.ip_address == "198.51.100.7")
    ).one()
    laptop.post(
        f"/account/sessions/{phones_session.id}/end", data={"csrf_token": csrf_token(laptop.get("/account"))}
    )
    assert phone.get("/today").status_code == 302
    assert laptop.get("/today").status_code == 200


def test_another_persons_session_cannot_be_ended(app):
    owner, stranger = make_user(), make_user()
    Auth(browser(app)).login(owner.email)
    attacker = browser(app, "203.0.113.66")
    Auth(attacker).login(stranger.email)
    owners = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == owner.id)).one()
    token = csrf_token(attacker.get("/account"))
    assert attacker.post(f"/account/sessions/{owners.id}/end", data={"csrf_token": token}).status_code == 404
    assert attacker.post("/account/sessions/99999999999/end", data={"csrf_token": token}).status_code == 404
    db.session.refresh(owners)
    assert owners.revoked_at is None


def test_sign_out_everywhere_ends_every_session(app):
    patient = make_user()
    phone, laptop = browser(app), browser(app, "192.0.2.10")
    Auth(phone).login(patient.email)
    Auth(laptop).login(patient.email)
    response = laptop.post(
        "/account/sessions/end-all", data={"csrf_token": csrf_token(laptop.get("/account"))}
    )
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert phone.get("/today").status_code == 302
    assert laptop.get("/today").status_code == 302


def test_a_new_password_ends_the_other_sessions_and_keeps_this_device_signed_in(app):
    patient = make_user()
    phone, laptop = browser(app), browser(app, "192.0.2.10")
    Auth(phone).login(patient.email)
    Auth(laptop).login(patient.email)
    response = laptop.post(
        "/account",
        data={
            "csrf_token": csrf_token(laptop.get("/account")),
            "current_password": PASSWORD,
            "password": "river lamp orange cloud seven",
        },
    )
    assert response.status_code == 303
    assert phone.get("/today").status_code == 302
    assert laptop.get("/today").status_code == 200


def test_deactivation_and_a_role_change_end_every_session(app, auth):
    patient, therapist = make_user(), make_user(Role.THERAPIST)
    admin = make_user(Role.ADMIN)
    phone, work = browser(app), browser(app, "192.0.2.20")
    Auth(phone).login(patient.email)
    Auth(work).login(therapist.email)
    auth.login(admin.email)
    desk = auth.client
    desk.post(f"/admin/accounts/{patient.id}/deactivate", data={"csrf_token": auth.token()})
    assert phone.get("/today").status_code == 302
    page = desk.get(f"/admin/accounts/{therapist.id}")
    desk.post(
        f"/admin/accounts/{therapist.id}",
        data={
            "csrf_token": csrf_token(page),
            "full_name": therapist.full_name,
            "email": therapist.email,
            "role": "admin",
        },
    )
    assert work.get("/admin/").status_code == 302  # signed out: sign in again as what they are now
    assert {row.revoked_reason for row in db.session.scalars(sa.select(UserSession))} >= {
        "deactivated",
        "role changed",
    }


@pytest.mark.parametrize(("role", "idle"), [(Role.PATIENT, 30), (Role.THERAPIST, 30)])
def test_a_session_idle_too_long_ends_on_the_server(app, role, idle):
    person = make_user(role)
    device = browser(app)
    Auth(device).login(person.email)
    home = "/today" if role == Role.PATIENT else "/therapist/"
    for minutes in (idle - 1, 2 * (idle - 1)):  # use keeps it alive, well past `idle` in all
        with later(minutes=minutes):
            assert device.get(home).status_code == 200
    with later(minutes=2 * (idle - 1) + idle + 1):
        assert device.get(home).status_code == 302
    assert db.session.scalars(sa.select(UserSession.revoked_reason)).one() == "idle"


def test_every_session_ends_after_its_hours_however_busy(app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_MAX_HOURS_STAFF", 2)
    therapist = make_user(Role.THERAPIST)
    device = browser(app)
    Auth(device).login(therapist.email)
    for minutes in range(20, 120, 20):
        with later(minutes=minutes):
            assert device.get("/therapist/").status_code == 200
    with later(minutes=121):
        assert device.get("/therapist/").status_code == 302
    assert db.session.scalars(sa.select(UserSession.revoked_reason)).one() == "too long"


def test_last_seen_is_written_at_most_once_a_minute(app):
    patient = make_user()
    device = browser(app)
    Auth(device).login(patient.email)
    first = db.session.scalars(sa.select(UserSession.last_seen_at)).one()
    device.get("/today")
    db.session.expire_all()
    assert db.session.scalars(sa.select(UserSession.last_seen_at)).one() == first
    with later(minutes=2):
        device.get("/today")
        db.session.expire_all()
        assert db.session.scalars(sa.select(UserSession.last_seen_at)).one() > first


# --- Sign-in that cannot be used against the user ------------------------------------------------


def wrong(client, email: str):
    return client.post(
        "/sign-in",
        data={
            "email": email,
            "password": "a wrong guess here",
            "csrf_token": csrf_token(client.get("/sign-in")),
        },
    )


def right(client, email: str):
    return client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client.get("/sign-in"))},
    )


def test_the_wait_grows_with_each_failure():
    free = FREE_PER_ACCOUNT_AND_ADDRESS
    assert waiting_time(free - 1, free) == timedelta(0)
    assert [waiting_time(free + n, free).total_seconds() for n in range(4)] == [2, 4, 8, 16]
    assert waiting_time(free + 30, free) == timedelta(minutes=15)


def test_a_stranger_guessing_slows_down_only_themselves(app):
    owner = make_user()
    stranger = browser(app, "203.0.113.66")
    for _ in range(FREE_PER_ACCOUNT_AND_ADDRESS):
        assert wrong(stranger, owner.email).status_code == 422
    slowed = wrong(stranger, owner.email)
    assert slowed.status_code == 429
    assert "wait 2 seconds" in text_of(slowed, 429)
    assert right(stranger, owner.email).status_code == 429  # not even the right one, from there
    assert right(browser(app), owner.email).status_code == 303  # the owner, elsewhere: at once
    with later(seconds=3):
        assert wrong(stranger, owner.email).status_code == 422  # allowed again, then a longer wait
        assert "wait 4 seconds" in text_of(wrong(stranger, owner.email), 429)


def test_many_accounts_tried_from_one_address_are_slowed_down(app):
    guesser = browser(app, "203.0.113.66")
    db.session.add_all(
        [
            SignInAttempt(email=f"guess{n}@example.com", ip_address="203.0.113.66")
            for n in range(FREE_PER_ADDRESS)
        ]
    )
    db.session.commit()
    assert right(guesser, make_user().email).status_code == 429
    assert right(browser(app, "192.0.2.99"), make_user().email).status_code == 303


def test_failed_sign_ins_are_attempts_on_the_account_not_actions_by_it(app):
    patient = make_user()
    wrong(browser(app, "203.0.113.66"), patient.email)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).one()
    assert event.actor_id is None
    assert event.patient_id == patient.id
    assert event.ip_address == "203.0.113.66"


def test_the_owner_is_told_of_failed_tries_at_their_next_sign_in(app):
    patient = make_user()
    stranger = browser(app, "203.0.113.66")
    for _ in range(3):
        wrong(stranger, patient.email)
    phone = browser(app)
    right(phone, patient.email)
    page = text_of(phone.get("/today"))
    assert "There were 3 failed tries to sign in to your account" in page
    assert "203.0.113.66" in page
    Auth(phone).logout()
    right(phone, patient.email)
    assert "failed tries" not in text_of(phone.get("/today"))  # told once


def test_the_current_password_check_is_throttled_and_audited(app):
    patient = make_user()
    device = browser(app)
    Auth(device).login(patient.email)

    def change(current: str):
        return device.post(
            "/account",
            data={
                "csrf_token": csrf_token(device.get("/account")),
                "current_password": current,
                "password": "river lamp orange cloud seven",
            },
        )

    for _ in range(FREE_PER_ACCOUNT_AND_ADDRESS):
        assert change("a wrong guess here").status_code == 422
    refused = change(PASSWORD)
    assert refused.status_code == 429
    assert "Too many tries" in text_of(refused, 429)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("password_check_failed") == FREE_PER_ACCOUNT_AND_ADDRESS


def test_a_setup_link_from_before_a_deactivation_never_works_after_reactivation(app, auth):
    patient = make_user()
    admin = make_user(Role.ADMIN)
    token = issue_setup_link(patient, None)
    db.session.commit()
    auth.login(admin.email)
    auth.client.post(f"/admin/accounts/{patient.id}/deactivate", data={"csrf_token": auth.token()})
    auth.client.post(f"/admin/accounts/{patient.id}/reactivate", data={"csrf_token": auth.token()})
    assert browser(app).get(f"/setup/{token}").status_code == 410
    assert db.session.scalars(sa.select(SetupLink.revoked_at)).one() is not None
    assert db.session.get(User, patient.id).active


def test_an_admin_can_sign_a_person_out_everywhere_without_deactivating(app, auth):
    patient = make_user()
    phone = browser(app)
    Auth(phone).login(patient.email)
    auth.login(make_user(Role.ADMIN).email)
    response = auth.client.post(
        f"/admin/accounts/{patient.id}/end-sessions", data={"csrf_token": auth.token()}
    )
    assert response.status_code == 303
    assert phone.get("/today").status_code == 302
    assert db.session.get(User, patient.id).active
    assert Auth(phone).login(patient.email).status_code == 303  # and may sign in again
