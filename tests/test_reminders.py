"""Sending reminders: e-mail through a real SMTP server (aiosmtpd) started here, web push to a
stand-in push service that checks the VAPID signature and decrypts the payload; claims that make
several runs send once; retries of a failed channel; expired subscriptions removed."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, time, timedelta
from email.message import Message as EmailMessage
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Message, PushSubscription, ReminderPreference, ReminderSend, Role
from app.services.between_visits.reminders import send_due_reminders
from app.services.clinic.settings import current_settings
from app.services.treatment.treatments import active_treatment
from tests.factories import make_log, make_user, patient_on_day, with_reminders
from tests.helpers import evening
from tests.push_service import PushService
from tests.smtp_server import smtp_server

NEW_YORK = ZoneInfo("America/New_York")
VAPID_PRIVATE = "nNXHfD5l9nv7yAqDn8zO-N0dQsp1eFl4VK6aNkAtsVY"


@pytest.fixture
def smtp():
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def refusing_port():
    """A port that refuses connections: bound here but never listening, so no one else takes it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def push():
    with PushService() as service:
        yield service


@pytest.fixture
def config(app, smtp):
    from app.services.between_visits.channels import new_vapid_keys

    private, public = new_vapid_keys()
    return {
        **app.config,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_DEFAULT_SENDER": "Backtrack <reminders@clinic.example>",
        "PUBLIC_URL": "https://backtrack.clinic.example",
        "VAPID_PRIVATE_KEY": private,
        "VAPID_PUBLIC_KEY": public,
        "VAPID_SUBJECT": "mailto:it@clinic.example",
    }


def run(config, now: datetime):
    return send_due_reminders(now, current_settings(), config)


def body_of(message: EmailMessage) -> str:
    return message.get_payload(decode=True).decode()


@pytest.fixture
def maria(app, today):
    patient, _treatment = patient_on_day(20, today, name="Maria Alvarez", email="maria@example.com")
    for offset in range(1, 4):
        make_log(patient, today - timedelta(days=offset), back_pain=7, note="sciatica down my left leg")
    with_reminders(patient)
    return patient


# --- E-mail ---------------------------------------------------------------------------------------


def test_the_daily_log_reminder_is_emailed_once_with_no_health_data(config, smtp, maria, today):
    report = run(config, evening(today))
    assert report.sent == ["maria@example.com daily_log"]
    [(recipients, message)] = smtp.messages
    assert recipients == ["maria@example.com"]
    assert message["Subject"] == "Backtrack: your daily check-in is ready"
    assert message["From"] == "Backtrack <reminders@clinic.example>"
    body = body_of(message)
    assert "https://backtrack.clinic.example/today" in body
    assert "https://backtrack.clinic.example/account#reminders" in body
    for private in ("Maria", "Alvarez", "pain", "7", "sciatica", "PRP", "injection", "facet", "NSAID"):
        assert private.lower() not in body.lower(), private

    assert run(config, evening(today, 19, 20)).sent == []  # at most one a day
    assert len(smtp.messages) == 1
    row = db.session.scalar(sa.select(ReminderSend))
    assert (row.kind, row.day, row.attempts) == ("daily_log", today, 1)
    assert row.email_sent_at
    assert row.done_at
    assert row.push_sent_at is None


def test_no_reminder_when_today_is_already_logged(config, smtp, maria, today):
    make_log(maria, today)
    assert run(config, evening(today)).sent == []
    assert smtp.messages == []


def test_no_reminder_before_the_chosen_time_or_in_quiet_hours(config, smtp, maria, today):
    assert run(config, evening(today, 18, 55)).sent == []
    assert run(config, evening(today, 21, 0)).sent == []
    assert smtp.messages == []


def test_the_patients_own_time_and_time_zone(config, smtp, maria, today):
    preference = db.session.get(ReminderPreference, maria.id)
    preference.daily_log_at, preference.timezone = time(18, 0), "America/Los_Angeles"
    db.session.commit()
    los_angeles = datetime.combine(today, time(18, 0), tzinfo=ZoneInfo("America/Los_Angeles"))
    assert run(config, los_angeles - timedelta(minutes=1)).sent == []
    assert run(config, los_angeles).sent == ["maria@example.com daily_log"]


def test_reminders_off_means_nothing_is_sent(config, smtp, maria, today):
    preference = db.session.get(ReminderPreference, maria.id)
    preference.by_email = False
    db.session.commit()
    assert run(config, evening(today)).sent == []


def test_an_inactive_account_gets_nothing(config, smtp, maria, today):
    maria.active = False
    db.session.commit()
    assert run(config, evening(today)).sent == []


def test_several_runs_at_once_send_once(config, smtp, maria, today, migrated_app):
    """Two hosts run send-reminders at the same moment: the unique claim lets one send."""
    reports, barrier = [], threading.Barrier(3)

    def host() -> None:
        with migrated_app.app_context():
            barrier.wait()
            reports.append(run(config, evening(today)))

    threads = [threading.Thread(target=host) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(report.sent) for report in reports) == 1
    assert len(smtp.messages) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderSend)) == 1


def test_a_failing_smtp_server_is_logged_and_tried_again_later(
    config, smtp, maria, today, caplog, refusing_port
):
    broken = {**config, "MAIL_PORT": refusing_port}
    report = run(broken, evening(today))
    assert report.failed == ["maria@example.com daily_log"]
    assert report.sent == []
    assert "reminder maria@example.com daily_log (attempt 1) failed: e-mail:" in caplog.text
    row = db.session.scalar(sa.select(ReminderSend))
    assert row.done_at is None
    assert row.last_error.startswith("e-mail:")

    assert run(config, evening(today, 19, 10)).sent == []  # not before the retry time
    report = run(config, evening(today, 19, 16))
    assert report.sent == ["maria@example.com daily_log"]
    assert len(smtp.messages) == 1
    db.session.refresh(row)
    assert row.attempts == 2
    assert row.done_at is not None
    assert row.last_error == ""


def test_a_retry_is_dropped_once_the_log_is_done(config, smtp, maria, today, refusing_port):
    run({**config, "MAIL_PORT": refusing_port}, evening(today))
    make_log(maria, today)
    assert run(config, evening(today, 19, 30)).sent == []
    assert smtp.messages == []


def test_e_mail_not_configured_is_a_failure_not_a_crash(config, smtp, maria, today):
    report = run({**config, "MAIL_SERVER": None}, evening(today))
    assert report.failed == ["maria@example.com daily_log"]
    assert "MAIL_SERVER" in db.session.scalar(sa.select(ReminderSend.last_error))


def test_the_day_before_visit_2_and_before_the_nsaid_window(config, smtp, today):
    visit, _ = patient_on_day(-1, today, email="visit@example.com")  # injection tomorrow
    window, _ = patient_on_day(-8, today, email="window@example.com")  # NSAIDs stop tomorrow (7 days before)
    make_log(visit, today)
    make_log(window, today)
    with_reminders(visit)
    with_reminders(window)
    report = run(config, evening(today, 9, 0))
    assert sorted(report.sent) == ["visit@example.com visit_2", "window@example.com nsaid_window"]
    subjects = {recipients[0]: message["Subject"] for recipients, message in smtp.messages}
    assert subjects == {
        "visit@example.com": "Backtrack: you have a visit tomorrow",
        "window@example.com": "Backtrack: check your plan for tomorrow",
    }


def test_a_new_message_reminds_the_recipient(config, smtp, maria, today):
    sam = make_user(Role.THERAPIST, email="sam@example.com")
    active_treatment(maria.id).therapist_id = sam.id
    make_log(maria, today)
    with_reminders(sam)
    db.session.add(Message(patient_id=maria.id, author_id=sam.id, body="How is the new exercise going?"))
    db.session.commit()
    report = run(config, evening(today, 10, 0))
    assert report.sent == ["maria@example.com message"]
    [(_recipients, message)] = smtp.messages
    assert message["Subject"] == "Backtrack: you have a new message"
    assert "https://backtrack.clinic.example/messages" in body_of(message)
    assert "exercise" not in body_of(message)

    db.session.add(Message(patient_id=maria.id, author_id=maria.id, body="Going well, thanks"))
    db.session.commit()
    report = run(config, evening(today, 10, 10))
    assert report.sent == ["sam@example.com message"]
    assert "https://backtrack.clinic.example/therapist/" in body_of(smtp.messages[-1][1])


def test_a_read_message_needs_no_reminder(config, smtp, maria, today):
    sam = make_user(Role.THERAPIST)
    make_log(maria, today)
    db.session.add(Message(patient_id=maria.id, author_id=sam.id, body="hi", read_at=datetime(2026, 1, 1)))
    db.session.commit()
    assert run(config, evening(today, 10, 0)).sent == []


# --- Web push -------------------------------------------------------------------------------------


def subscribe(push: PushService, user, name: str) -> PushSubscription:
    endpoint, browser = push.subscribe(name)
    subscription = PushSubscription(
        user_id=user.id, endpoint=endpoint, p256dh=browser.p256dh, auth=push_b64(browser.auth)
    )
    db.session.add(subscription)
    db.session.commit()
    return subscription


def push_b64(raw: bytes) -> str:
    from tests.push_service import b64url

    return b64url(raw)


def test_web_push_is_encrypted_for_the_subscription_and_signed_with_vapid(config, smtp, push, maria, today):
    preference = db.session.get(ReminderPreference, maria.id)
    preference.by_email, preference.by_push = False, True
    db.session.commit()
    subscribe(push, maria, "marias-phone")
    report = run(config, evening(today))
    assert report.sent == ["maria@example.com daily_log"]
    assert push.errors == []
    [delivery] = push.deliveries
    assert delivery.payload == {
        "title": "Backtrack",
        "body": "Your daily check-in is ready",
        "url": "/today",
        "tag": "daily_log",
    }
    assert delivery.vapid_key == config["VAPID_PUBLIC_KEY"]
    assert delivery.claims["sub"] == "mailto:it@clinic.example"
    assert int(delivery.ttl) > 0
    assert smtp.messages == []


def test_an_expired_subscription_is_removed(config, smtp, push, maria, today):
    preference = db.session.get(ReminderPreference, maria.id)
    preference.by_push = True
    db.session.commit()
    subscribe(push, maria, "old-phone/gone")
    kept = subscribe(push, maria, "new-phone")
    report = run(config, evening(today))
    assert report.sent == ["maria@example.com daily_log"]
    assert list(db.session.scalars(sa.select(PushSubscription.id))) == [kept.id]
    assert len(push.deliveries) == 1
    assert len(smtp.messages) == 1


def test_a_failing_push_service_is_retried_without_repeating_the_e_mail(config, smtp, push, maria, today):
    preference = db.session.get(ReminderPreference, maria.id)
    preference.by_push = True
    db.session.commit()
    broken = subscribe(push, maria, "phone/broken")
    report = run(config, evening(today))
    assert report.failed == ["maria@example.com daily_log"]
    row = db.session.scalar(sa.select(ReminderSend))
    assert row.email_sent_at is not None
    assert row.push_sent_at is None
    assert "push: 500" in row.last_error

    endpoint, browser = push.subscribe("phone-mended")  # the push service is back
    broken.endpoint, broken.p256dh, broken.auth = endpoint, browser.p256dh, push_b64(browser.auth)
    db.session.commit()
    report = run(config, evening(today, 19, 20))
    assert report.sent == ["maria@example.com daily_log"]
    assert len(smtp.messages) == 1
    assert len(push.deliveries) == 1


def test_a_forged_vapid_signature_is_caught_by_the_stand_in(push):
    """The push stand-in really checks signatures: a token signed by another key is refused."""
    import requests
    from py_vapid import Vapid

    endpoint, _browser = push.subscribe("phone")
    signer, other = Vapid(), Vapid()
    signer.generate_keys()
    other.generate_keys()
    headers = signer.sign({"sub": "mailto:x@example.com", "aud": push.origin})
    good_token = headers["Authorization"].split("t=")[1].split(",")[0]
    forged = other.sign({"sub": "mailto:x@example.com", "aud": push.origin})["Authorization"]
    forged_key = forged.split("k=")[1]
    headers = {"Authorization": f"vapid t={good_token}, k={forged_key}", "Content-Encoding": "aes128gcm"}
    assert requests.post(endpoint, data=b"x", headers=headers, timeout=5).status_code == 400
    assert "InvalidSignature" in push.errors[0]


# --- The command ----------------------------------------------------------------------------------


def test_the_send_reminders_command(app, config, smtp, maria, today, monkeypatch):
    for key in ("MAIL_SERVER", "MAIL_PORT", "PUBLIC_URL"):
        monkeypatch.setitem(app.config, key, config[key])
    preference = db.session.get(ReminderPreference, maria.id)
    preference.quiet_from = preference.quiet_until = time(0, 0)  # no quiet hours: any time is fine
    sam = make_user(Role.THERAPIST)
    make_log(maria, today)
    db.session.add(Message(patient_id=maria.id, author_id=sam.id, body="hello"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Reminders: 1 sent, 0 failed" in result.output
    assert [recipients for recipients, _ in smtp.messages] == [["maria@example.com"]]
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Reminders: 0 sent, 0 failed" in result.output


def test_the_vapid_keys_command_makes_a_usable_pair(app):
    from py_vapid import Vapid

    result = app.test_cli_runner().invoke(args=["vapid-keys"])
    lines = dict(line.split("=", 1) for line in result.output.split())
    vapid = Vapid.from_string(lines["VAPID_PRIVATE_KEY"])
    from cryptography.hazmat.primitives import serialization
    from py_vapid.utils import b64urlencode

    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert b64urlencode(public) == lines["VAPID_PUBLIC_KEY"]


def test_utc_now_is_accepted(config, smtp, maria, today):
    assert run(config, evening(today).astimezone(UTC)).sent == ["maria@example.com daily_log"]
