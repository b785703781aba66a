"""A person's reminder choices on the account page, this device's push subscription, and what
staff see of them."""

from datetime import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, PushSubscription, ReminderPreference, Role
from tests.conftest import csrf_token, text_of
from tests.factories import make_user, patient_on_day

CHOICES = {
    "by_email": "y",
    "daily_log_at": "18:30",
    "quiet_from": "22:00",
    "quiet_until": "07:00",
    "timezone": "",
}


def save(client, **changes):
    data = {**CHOICES, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/account/reminders", data={**data, "csrf_token": csrf_token(client.get("/account"))})


def test_reminders_are_off_until_chosen_and_the_defaults_are_shown(client, auth):
    patient = make_user()
    auth.login(patient.email)
    html = client.get("/account").get_data(as_text=True)
    assert 'name="daily_log_at" value="19:00"' in html
    assert 'name="quiet_from" value="21:00"' in html
    assert 'name="quiet_until" value="08:00"' in html
    assert 'name="by_email" value="y">' in html  # not checked


def test_choices_are_saved_and_audited(client, auth):
    patient = make_user()
    auth.login(patient.email)
    response = save(client, timezone="America/Chicago", by_push="y")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account#reminders"
    preference = db.session.get(ReminderPreference, patient.id)
    assert (preference.by_email, preference.by_push) == (True, True)
    assert (preference.daily_log_at, preference.quiet_from, preference.quiet_until) == (
        time(18, 30),
        time(22),
        time(7),
    )
    assert preference.timezone == "America/Chicago"
    assert "Your reminder choices are saved" in text_of(client.get("/account"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reminders_update"))
    assert event.detail == "on=email,push"
    assert event.patient_id == patient.id
    save(client, by_email=None)
    assert not db.session.get(ReminderPreference, patient.id).any_channel


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"daily_log_at": "22:30"}, "Choose a time outside your quiet hours."),
        ({"daily_log_at": ""}, "Enter a time, like 19:00."),
        ({"quiet_from": "25:99"}, "Enter a time, like 21:00."),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
    ],
)
def test_invalid_choices_come_back_with_the_message_and_the_values(client, auth, changes, message):
    auth.login(make_user().email)
    response = save(client, **changes)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    assert 'name="quiet_until" value="07:00"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderPreference)) == 0


SUBSCRIPTION = {
    "endpoint": "https://push.example.net/send/abc",
    "keys": {"p256dh": "BExample", "auth": "secret"},
}


def post_subscription(client, body, url="/account/push-subscriptions"):
    return client.post(url, json=body, headers={"X-CSRFToken": csrf_token(client.get("/account"))})


def test_a_device_subscribes_and_unsubscribes(client, auth):
    patient = make_user()
    auth.login(patient.email)
    assert post_subscription(client, SUBSCRIPTION).status_code == 201
    assert post_subscription(client, SUBSCRIPTION).status_code == 201  # the same device again
    rows = db.session.scalars(sa.select(PushSubscription)).all()
    assert [(r.user_id, r.endpoint, r.p256dh, r.auth) for r in rows] == [
        (patient.id, SUBSCRIPTION["endpoint"], "BExample", "secret")
    ]
    assert db.session.get(ReminderPreference, patient.id).by_push
    assert post_subscription(client, SUBSCRIPTION, "/account/push-subscriptions/remove").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PushSubscription)) == 0


def test_a_phone_that_changes_hands_notifies_only_its_new_owner(client, auth):
    first, second = make_user(), make_user()
    auth.login(first.email)
    post_subscription(client, SUBSCRIPTION)
    auth.logout()
    auth.login(second.email)
    post_subscription(client, SUBSCRIPTION)
    assert db.session.scalars(sa.select(PushSubscription.user_id)).all() == [second.id]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"endpoint": "http://insecure.example/x", "keys": {"p256dh": "a", "auth": "b"}},
        {"endpoint": "https://x", "keys": "no"},
    ],
)
def test_a_bad_subscription_is_refused(client, auth, body):
    auth.login(make_user().email)
    assert post_subscription(client, body).status_code == 400


def test_staff_see_whether_a_patient_has_reminders_on(client, auth, today):
    therapist = make_user(Role.THERAPIST)
    patient, treatment = patient_on_day(10, today)
    treatment.therapist_id = therapist.id
    db.session.commit()
    auth.login(therapist.email)
    assert "Reminders: off" in text_of(client.get(f"/therapist/patients/{patient.id}"))
    db.session.add(ReminderPreference(user_id=patient.id, by_email=True, by_push=True))
    db.session.commit()
    assert "Reminders: on (e-mail and phone notifications)" in text_of(
        client.get(f"/therapist/patients/{patient.id}")
    )
