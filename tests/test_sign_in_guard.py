"""Password guessing from many addresses, and the owner who must still get in
(app/services/accounts/sign_in_throttle.py, devices.py, sign_in_links.py).

A guesser moving to a new address for every try meets the per-account limit: a growing wait, and
past FREE_PER_ACCOUNT the right password only e-mails the owner a link, with the same answer as a
wrong one. The owner passes every limit on a browser they signed in on before, or with a passkey,
and anywhere through the e-mailed link. The README quotes the constants the code uses."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.models import AuditEvent, SignInAttempt, SignInLink
from app.services.accounts import devices
from app.services.accounts.sign_in_throttle import (
    ACCOUNT_WINDOW,
    FIRST_WAIT,
    FREE_PER_ACCOUNT,
    FREE_PER_ACCOUNT_AND_ADDRESS,
    FREE_PER_ADDRESS,
    FREE_PER_DEVICE,
    LONGEST_WAIT,
    WINDOW,
    guesses_per_hour_on_one_account,
)
from tests.conftest import PASSWORD, ROOT, RequestIsolatingClient, csrf_token, text_of
from tests.factories import make_user
from tests.smtp_server import smtp_server
from tests.test_passkeys import add_passkey, sign_in_with


def browser(app, address: str) -> RequestIsolatingClient:
    app.test_client_class = RequestIsolatingClient
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address})
    return client


def try_password(client, email: str, password: str):
    token = csrf_token(client.get("/sign-in"))
    answer = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
    answer.close()  # the server has sent it: work after the response (the e-mail) runs now
    return answer


@contextmanager
def later(**delta: float):
    with time_machine.travel(datetime.now(UTC) + timedelta(**delta), tick=True):
        yield


@pytest.fixture
def inbox(app):
    with smtp_server() as messages:
        before = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT", "PUBLIC_URL")}
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=messages.port, PUBLIC_URL="https://clinic.example"
        )
        yield messages
        app.config.update(before)


def guess_from_new_addresses(app, email: str, count: int, first: int = 0) -> list[int]:
    return [
        try_password(browser(app, f"10.0.{n // 250}.{n % 250 + 1}"), email, "a wrong guess here").status_code
        for n in range(first, first + count)
    ]


def link_in(inbox) -> str:
    deadline = time.monotonic() + 5  # sent once the response is out
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.02)
    _recipients, message = inbox.messages[-1]
    body = message.get_payload(decode=True).decode()
    found = re.search(r"https://clinic\.example(/sign-in/link/\S+)", body)
    assert found, body
    return found.group(1)


def test_guesses_from_a_new_address_each_time_meet_a_limit_on_the_account(app):
    owner = make_user()
    with time_machine.travel(datetime.now(UTC), tick=False):  # 60 tries within the first wait
        statuses = guess_from_new_addresses(app, owner.email, 60)
    assert statuses[:FREE_PER_ACCOUNT] == [422] * FREE_PER_ACCOUNT
    assert set(statuses[FREE_PER_ACCOUNT:]) == {429}  # each new try comes before the growing wait ends
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInAttempt)) == FREE_PER_ACCOUNT


def test_past_the_limit_the_right_password_only_e_mails_a_link_and_answers_like_a_wrong_one(app, inbox):
    owner = make_user(email="owner@example.com")
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT)
    with later(seconds=3):
        stranger = try_password(browser(app, "10.9.0.1"), owner.email, "another wrong guess")
    with later(seconds=10):
        newcomer = browser(app, "10.9.0.2")
        answer = try_password(newcomer, owner.email, PASSWORD)
        assert answer.status_code == stranger.status_code == 202
        assert text_of(answer, 202) == text_of(stranger, 202)
        assert newcomer.get("/today").status_code == 302  # not signed in by the password alone
        path = link_in(inbox)
        assert [recipients for recipients, _ in inbox.messages] == [["owner@example.com"]]
        assert newcomer.get(path).status_code == 200  # opening it (a mail scanner) signs nobody in
        assert newcomer.get("/today").status_code == 302
        signed = newcomer.post(path, data={"csrf_token": csrf_token(newcomer.get(path))})
        assert signed.status_code == 303
        assert newcomer.get("/today").status_code == 200
        assert browser(app, "10.9.0.3").get(path).status_code == 410  # once only
    actions = db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "sign_in")).all()
    assert actions == ["With a sign-in link by e-mail"]


def test_a_wrong_password_past_the_limit_sends_nothing(app, inbox):
    owner = make_user()
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT)
    with later(seconds=3):
        assert try_password(browser(app, "10.9.0.1"), owner.email, "another wrong guess").status_code == 202
    time.sleep(0.3)
    assert inbox.messages == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInLink)) == 0


def test_the_sign_in_link_expires_and_a_newer_one_replaces_it(app, inbox):
    owner = make_user()
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT)
    with later(seconds=3):
        try_password(browser(app, "10.9.0.1"), owner.email, PASSWORD)
        first = link_in(inbox)
    with later(seconds=10):
        try_password(browser(app, "10.9.0.2"), owner.email, PASSWORD)
    with later(seconds=11):
        assert browser(app, "10.9.0.2").get(first).status_code == 410  # replaced
        assert browser(app, "10.9.0.2").get(link_in(inbox)).status_code == 200
    with later(minutes=20):
        assert browser(app, "10.9.0.2").get(link_in(inbox)).status_code == 410  # expired


def test_the_owner_on_a_device_they_used_before_passes_the_address_limit(app):
    owner = make_user()
    shared_network = "203.0.113.5"
    owners_phone = browser(app, shared_network)
    assert try_password(owners_phone, owner.email, PASSWORD).status_code == 303
    assert owners_phone.get_cookie(devices.COOKIE) is not None
    owners_phone.post("/sign-out", data={"csrf_token": csrf_token(owners_phone.get("/account"))})
    stranger = browser(app, shared_network)
    for _ in range(FREE_PER_ACCOUNT_AND_ADDRESS + 1):
        try_password(stranger, owner.email, "a wrong guess here")
    assert try_password(stranger, owner.email, PASSWORD).status_code == 429  # the stranger: held back
    assert try_password(browser(app, shared_network), owner.email, PASSWORD).status_code == 429
    assert try_password(owners_phone, owner.email, PASSWORD).status_code == 303  # the owner: in


def test_a_recognised_device_passes_the_account_guard_too(app, inbox):
    owner = make_user()
    owners_phone = browser(app, "198.51.100.20")
    try_password(owners_phone, owner.email, PASSWORD)
    owners_phone.post("/sign-out", data={"csrf_token": csrf_token(owners_phone.get("/account"))})
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT + 5)
    assert try_password(owners_phone, owner.email, PASSWORD).status_code == 303
    assert inbox.messages == []


def test_a_copied_device_cookie_is_no_licence_to_guess(app):
    owner = make_user()
    owners_phone = browser(app, "198.51.100.20")
    try_password(owners_phone, owner.email, PASSWORD)
    copy = browser(app, "203.0.113.9")
    copy.set_cookie(devices.COOKIE, owners_phone.get_cookie(devices.COOKIE).value)
    statuses = [try_password(copy, owner.email, f"wrong guess {n}").status_code for n in range(12)]
    assert statuses[:FREE_PER_DEVICE] == [422] * FREE_PER_DEVICE
    assert 429 in statuses[FREE_PER_DEVICE:]


def test_a_device_cookie_is_for_its_own_account_and_password(app):
    owner, other = make_user(), make_user()
    phone = browser(app, "198.51.100.20")
    try_password(phone, owner.email, PASSWORD)
    cookie = phone.get_cookie(devices.COOKIE).value
    assert devices.recognised(cookie, owner) is not None
    assert devices.recognised(cookie, other) is None
    # Forged: one character of the signature changed. Not its last: base64 leaves that one's low
    # bits unused, so a change there can decode to the same signature (1 time in 256 for "xx").
    changed = "A" if cookie[-5] != "A" else "B"
    assert devices.recognised(cookie[:-5] + changed + cookie[-4:], owner) is None
    owner.password_hash = "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNo"
    assert devices.recognised(cookie, owner) is None  # a new password forgets the devices


def test_a_passkey_passes_the_address_limit(app, client, auth):
    owner = make_user()
    auth.login(owner.email)
    credential, _ = add_passkey(client)
    auth.logout()
    address = "127.0.0.1"  # the test client's own address, where a stranger now fails
    db.session.add_all(SignInAttempt(email=f"guess{n}@example.com", ip_address=address) for n in range(40))
    db.session.add_all(SignInAttempt(email=owner.email, ip_address=f"10.1.0.{n}") for n in range(40))
    db.session.commit()
    assert try_password(browser(app, address), owner.email, PASSWORD).status_code == 429
    response, _ = sign_in_with(client, credential)
    assert response.status_code == 200
    assert client.get("/today").status_code == 200


def test_the_account_window_forgets_old_failures(app):
    owner = make_user()
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT)
    with later(seconds=ACCOUNT_WINDOW.total_seconds() + 60):
        assert try_password(browser(app, "10.8.0.1"), owner.email, PASSWORD).status_code == 303


def test_guesses_per_hour_from_many_addresses_follow_the_waits():
    assert FREE_PER_ACCOUNT < guesses_per_hour_on_one_account() < FREE_PER_ACCOUNT + 15
    assert guesses_per_hour_on_one_account() == 21


def test_the_readme_states_the_limits_the_code_uses():
    readme = " ".join((ROOT / "README.md").read_text().split())
    minutes = int(WINDOW.total_seconds() // 60)
    expected = (
        f"{FREE_PER_ACCOUNT_AND_ADDRESS} failures per account and address or {FREE_PER_ADDRESS} per address "
        f"in {minutes} minutes, {FREE_PER_ACCOUNT} per account from any address in "
        f"{int(ACCOUNT_WINDOW.total_seconds() // 3600)} hour, then waits from "
        f"{int(FIRST_WAIT.total_seconds())} s doubling to {int(LONGEST_WAIT.total_seconds() // 60)} minutes; "
        f"at most {guesses_per_hour_on_one_account()} guesses an hour on one account from any number of "
        "addresses"
    )
    assert expected in readme
