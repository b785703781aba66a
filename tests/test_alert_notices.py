"""Staff are told: the responsible clinician at once when an alert is raised (e-mail through a real
SMTP server, web push to a stand-in push service that checks VAPID and decrypts), and an emergency
nobody acknowledges escalates to the on-call clinician, then the admins, by `flask send-alerts` on
the tests' controlled clock, once per step, on the audit trail. The alert queue and the rota."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Alert, AlertNotice, AuditEvent, OnCallShift, PushSubscription, Role
from app.services.between_visits.channels import new_vapid_keys
from app.services.clinic.settings import current_settings
from app.services.safety.notify import send_due_alerts
from tests.clock import controlled_clock
from tests.conftest import Auth, text_of
from tests.factories import make_treatment, make_user
from tests.helpers import HTMX
from tests.push_service import PushService
from tests.smtp_server import smtp_server

NEW_YORK = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 11, 30, tzinfo=NEW_YORK)  # the clinic is open at noon on a Monday
SUNDAY = datetime(2026, 11, 29, tzinfo=NEW_YORK)  # and closed all Sunday
NO_HEALTH_DETAILS = ("Robert", "Chen", "numb", "groin", "emergency", "warning", "leg", "PRP", "pain")


@pytest.fixture
def smtp():
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def push():
    with PushService() as service:
        yield service


@pytest.fixture
def channels(app, smtp):
    """The app's configuration with e-mail and push on, as the request and the job read it."""
    private, public = new_vapid_keys()
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_DEFAULT_SENDER": "Backtrack <alerts@clinic.example>",
        "PUBLIC_URL": "https://backtrack.clinic.example",
        "VAPID_PRIVATE_KEY": private,
        "VAPID_PUBLIC_KEY": public,
        "VAPID_SUBJECT": "mailto:it@clinic.example",
    }
    before = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    yield app.config
    app.config.update(before)


@pytest.fixture
def people(app, push):
    sam = make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")
    lee = make_user(Role.THERAPIST, name="Lee Chen", email="lee@example.com")
    admin = make_user(Role.ADMIN, name="Alex Morgan", email="alex@example.com")
    robert = make_user(name="Robert Chen", email="robert@example.com")
    make_treatment(robert, datetime.now(UTC).date() - timedelta(days=100), therapist=sam)
    endpoint, browser = push.subscribe("sam-phone")
    db.session.add(
        PushSubscription(user_id=sam.id, endpoint=endpoint, p256dh=browser.p256dh, auth=_b64(browser.auth))
    )
    db.session.commit()
    return {"sam": sam, "lee": lee, "admin": admin, "robert": robert}


def _b64(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def on_call(person, weekday: int, starts: time, ends: time) -> None:
    db.session.add(OnCallShift(clinician_id=person.id, weekday=weekday, starts_at=starts, ends_at=ends))
    db.session.commit()


def report_in_a_note(client, patient, day, note="I wet myself this morning and can't feel my bottom") -> None:
    auth = Auth(client)
    auth.login(patient.email)
    token = auth.token()
    data = {
        "csrf_token": token,
        "back_pain": "4",
        "medication": "none",
        "no_warning_signs": "y",
        "note": note,
    }
    response = client.post(f"/log/{day}", data=data, headers=HTMX)
    assert response.status_code == 200
    response.close()  # the server has sent the response: the first notice goes now


def audit_details(action: str) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def recipients(smtp) -> list[str]:
    return [to[0] for to, _message in smtp.messages]


def test_the_responsible_clinician_is_told_at_once_by_email_and_push_with_no_health_details(
    client, channels, smtp, push, people, today
):
    report_in_a_note(client, people["robert"], today)
    assert recipients(smtp) == ["sam@example.com"]  # two signs in one note: one e-mail
    [(_to, message)] = smtp.messages[:1]
    assert message["Subject"] == "Backtrack: a patient needs attention"
    body = message.get_payload(decode=True).decode()
    assert "https://backtrack.clinic.example/therapist/alerts" in body
    for private in NO_HEALTH_DETAILS:
        assert private.lower() not in body.lower(), private
    assert push.errors == []
    assert push.deliveries
    payload = push.deliveries[0].payload
    assert payload == {
        "title": "Backtrack",
        "body": "A patient needs attention",
        "url": "/therapist/alerts",
        "tag": "alert",
    }
    notices = db.session.scalars(sa.select(AlertNotice)).all()
    assert notices
    assert all(n.step == 0 and n.done_at and n.told == "Sam Patel by e-mail and push" for n in notices)
    assert audit_details("alert_notify")[0].startswith(
        "Told the responsible clinician, Sam Patel by e-mail and push, of an emergency alert"
    )


def test_a_failed_first_notice_is_sent_again_by_the_job_and_only_once(
    client, app, channels, smtp, people, today
):
    app.config["MAIL_PORT"] = 1  # nobody listens: e-mail fails; Sam's push still works
    db.session.execute(sa.delete(PushSubscription))
    db.session.commit()
    report_in_a_note(client, people["robert"], today, note="I wet myself this morning")
    [notice] = db.session.scalars(sa.select(AlertNotice)).all()
    assert notice.done_at is None
    assert "e-mail" in notice.last_error
    assert "Could not reach the responsible clinician (Sam Patel)" in audit_details("alert_notify")[0]
    app.config["MAIL_PORT"] = smtp.port
    later = datetime.now(UTC) + timedelta(minutes=6)
    report = send_due_alerts(later, current_settings(), app.config)
    assert report.sent == [f"alert {notice.alert_id} step 0"]
    assert recipients(smtp) == ["sam@example.com"]
    assert send_due_alerts(later + timedelta(minutes=1), current_settings(), app.config).sent == []


@pytest.mark.parametrize(("start", "wait"), [(MONDAY, 30), (SUNDAY, 60)])
def test_an_emergency_nobody_acknowledges_escalates_to_on_call_then_admins_once_per_step(
    client, app, channels, smtp, people, start, wait
):
    with controlled_clock(start) as noon:
        on_call(people["lee"], noon.weekday(), time(8), time(20))
        report_in_a_note(client, people["robert"], noon.date(), note="I wet myself this morning")
        [alert] = db.session.scalars(sa.select(Alert)).all()
        assert recipients(smtp) == ["sam@example.com"]

        def run(minutes: int):
            return send_due_alerts(noon + timedelta(minutes=minutes), current_settings(), app.config)

        assert run(wait - 1).sent == []  # the clinic's wait has not passed
        assert run(wait + 1).sent == [f"alert {alert.id} step 1"]
        assert recipients(smtp) == ["sam@example.com", "lee@example.com"]
        assert run(wait + 2).sent == []  # once per step
        assert run(2 * wait).sent == []  # the admins wait as long again after the on-call step
        assert run(2 * wait + 1).sent == [f"alert {alert.id} step 2"]
        assert recipients(smtp) == ["sam@example.com", "lee@example.com", "alex@example.com"]
        assert run(10 * wait).sent == []
        [on_call_step, admins_step] = audit_details("alert_escalate")
        assert on_call_step.startswith(
            "Told the on-call clinician, Lee Chen by e-mail, of an emergency alert"
        )
        assert admins_step.startswith("Told the admins, Alex Morgan by e-mail, of an emergency alert")
        queue = app.test_client()
        Auth(queue).login(people["admin"].email)
        page = text_of(queue.get("/therapist/alerts"))
        assert "The on-call clinician: Lee Chen by e-mail" in page
        assert "The admins: Alex Morgan by e-mail" in page


def test_an_acknowledged_emergency_stops_escalating(client, app, channels, smtp, people):
    with controlled_clock(MONDAY) as noon:
        on_call(people["lee"], noon.weekday(), time(8), time(20))
        report_in_a_note(client, people["robert"], noon.date(), note="I wet myself this morning")
        [alert] = db.session.scalars(sa.select(Alert)).all()
        staff = app.test_client()
        Auth(staff).login(people["sam"].email)
        staff.post(f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": Auth(staff).token()})
        assert send_due_alerts(noon + timedelta(hours=3), current_settings(), app.config).sent == []
        assert recipients(smtp) == ["sam@example.com"]


def test_with_nobody_on_call_an_emergency_goes_to_the_admins_without_a_second_wait(
    client, app, channels, smtp, people
):
    with controlled_clock(MONDAY) as noon:
        report_in_a_note(client, people["robert"], noon.date(), note="I wet myself this morning")
        report = send_due_alerts(noon + timedelta(minutes=31), current_settings(), app.config)
        assert len(report.sent) == 1
        assert report.sent[0].endswith("step 1")
        assert (
            send_due_alerts(noon + timedelta(minutes=32), current_settings(), app.config)
            .sent[0]
            .endswith("step 2")
        )
        assert recipients(smtp) == ["sam@example.com", "alex@example.com"]
        assert "nobody on the rota now" in audit_details("alert_escalate")[0]


def test_a_same_day_alert_is_told_and_not_escalated(client, app, channels, smtp, people):
    with controlled_clock(MONDAY) as noon:
        on_call(people["lee"], noon.weekday(), time(8), time(20))
        report_in_a_note(client, people["robert"], noon.date(), note="my temperature is 38.6")
        assert [a.urgency for a in db.session.scalars(sa.select(Alert))] == ["same_day"]
        assert send_due_alerts(noon + timedelta(hours=5), current_settings(), app.config).sent == []
        assert recipients(smtp) == ["sam@example.com"]


def test_several_hosts_running_the_job_at_once_send_each_step_once(
    client, app, migrated_app, channels, smtp, people
):
    with controlled_clock(MONDAY) as noon:
        on_call(people["lee"], noon.weekday(), time(8), time(20))
        report_in_a_note(client, people["robert"], noon.date(), note="I wet myself this morning")
        reports, barrier = [], threading.Barrier(3)

        def host() -> None:
            with migrated_app.app_context():
                barrier.wait()
                reports.append(send_due_alerts(noon + timedelta(minutes=31), current_settings(), app.config))

        threads = [threading.Thread(target=host) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(len(report.sent) for report in reports) == 1
        assert recipients(smtp) == ["sam@example.com", "lee@example.com"]


def test_a_treatment_with_no_responsible_clinician_tells_whoever_is_on_call(
    client, app, channels, smtp, people, today
):
    orphan = make_user(name="Old Record")
    make_treatment(orphan, today - timedelta(days=50))  # from before every treatment had one
    with controlled_clock(MONDAY) as noon:
        on_call(people["lee"], noon.weekday(), time(8), time(20))
        report_in_a_note(client, orphan, noon.date(), note="I wet myself this morning")
        assert recipients(smtp) == ["lee@example.com"]


# --- The alert queue ---------------------------------------------------------------------------------


def open_alert(patient, day, symptom="leg_weakness", urgency="emergency", raised_minutes_ago=0) -> Alert:
    alert = Alert(
        patient_id=patient.id,
        day=day,
        symptom=symptom,
        urgency=urgency,
        raised_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=raised_minutes_ago),
    )
    db.session.add(alert)
    db.session.commit()
    return alert


def test_the_queue_lists_every_open_alert_oldest_emergency_first_for_admins(client, auth, people, today):
    other = make_user(name="Grace Liu")
    make_treatment(other, today - timedelta(days=10), therapist=people["lee"])
    open_alert(people["robert"], today, "fever", "same_day", raised_minutes_ago=300)
    open_alert(other, today, raised_minutes_ago=20)
    open_alert(people["robert"], today, raised_minutes_ago=90)
    auth.login(people["admin"].email)
    response = client.get("/therapist/alerts")
    assert response.status_code == 200
    page = text_of(response)
    listed = page[page.index("Open (3)") : page.index("Acknowledged in the last 7 days")]
    assert listed.index("Robert Chen") < listed.index("Grace Liu") < listed.rindex("Fever of 100.4")
    assert "Nobody told yet" in listed
    [detail] = audit_details("view_alert_queue")
    assert detail.startswith("3 open and 0 lately acknowledged alerts, the whole clinic; patients shown: ")


def test_a_therapist_not_on_call_sees_only_their_patients_and_on_call_sees_all(
    app, client, auth, people, today
):
    other = make_user(name="Grace Liu")
    make_treatment(other, today - timedelta(days=10), therapist=people["lee"])
    alert = open_alert(other, today)
    open_alert(people["robert"], today)
    auth.login(people["sam"].email)
    page = text_of(client.get("/therapist/alerts"))
    assert "Robert Chen" in page
    assert "Grace Liu" not in page
    assert client.get(f"/therapist/patients/{other.id}").status_code == 404
    token = auth.token()
    assert (
        client.post(f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": token}).status_code
        == 404
    )
    now = datetime.now(UTC).astimezone(NEW_YORK)
    on_call(people["sam"], now.weekday(), time(0), time(23, 59))
    on_call(people["sam"], (now.weekday() + 1) % 7, time(0), time(23, 59))
    page = text_of(client.get("/therapist/alerts"))
    assert "Robert Chen" in page
    assert "Grace Liu" in page
    assert "Every open alert in the clinic" in page
    assert client.get(f"/therapist/patients/{other.id}").status_code == 200  # on call: may act on it
    response = client.post(
        f"/therapist/alerts/{alert.id}/acknowledge",
        data={"csrf_token": token, "note": "Sent to the ER"},
        headers=HTMX | {"HX-Target": f"queue-alert-{alert.id}"},
    )
    assert response.status_code == 200
    assert "Acknowledged" in text_of(response)
    page = text_of(client.get("/therapist/alerts"))
    assert "Acknowledged by Sam Patel" in page
    assert "Sent to the ER" in page


def test_patients_cannot_open_the_queue(client, auth, people):
    auth.login(people["robert"].email)
    assert client.get("/therapist/alerts").status_code == 403


# --- The rota ------------------------------------------------------------------------------------------


def test_an_admin_keeps_the_on_call_rota(client, auth, people):
    auth.login(people["admin"].email)
    assert "Nobody is on call yet" in text_of(client.get("/admin/on-call"))
    token = auth.token()
    data = {
        "csrf_token": token,
        "clinician": str(people["lee"].id),
        "days": ["4", "5"],
        "starts_at": "17:00",
        "ends_at": "08:00",
    }
    assert client.post("/admin/on-call", data=data).status_code == 303
    page = text_of(client.get("/admin/on-call"))
    assert "Friday, 5 pm to 8 am the next day Lee Chen" in page
    assert "Saturday, 5 pm to 8 am the next day" in page
    assert audit_details("on_call_add") == [
        "Lee Chen on call: Friday, 5 pm to 8 am the next day; Saturday, 5 pm to 8 am the next day"
    ]
    bad = client.post(
        "/admin/on-call", data=data | {"days": [], "ends_at": "5 pm", "clinician": str(people["robert"].id)}
    )
    assert bad.status_code == 422
    text = text_of(bad, 422)
    assert "Tick at least one day." in text
    assert "Enter a time like 08:00." in text
    assert "Choose an active therapist or admin from the list." in text
    shift = db.session.scalars(sa.select(OnCallShift)).first()
    assert client.post(f"/admin/on-call/{shift.id}/remove", data={"csrf_token": token}).status_code == 303
    assert audit_details("on_call_remove") == [
        "Lee Chen no longer on call: Friday, 5 pm to 8 am the next day"
    ]
    assert client.post(f"/admin/on-call/{shift.id}/remove", data={"csrf_token": token}).status_code == 404
    auth.logout()
    auth.login(people["sam"].email)
    assert client.get("/admin/on-call").status_code == 403
