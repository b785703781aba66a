"""Messages between a patient and their care team: who can read and write, read receipts, unread
counts, the composer's words, validation and escaping, auditing, and flat query counts."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.care import content
from app.care.hours import opening_hours, when_words
from app.extensions import db
from app.models import AuditEvent, Message, Role
from tests.conftest import QueryCounter, csrf_token, text_of
from tests.factories import make_user, patient_on_day
from tests.helpers import HTMX

POLL = {"HX-Request": "true", "HX-Target": "thread"}


@pytest.fixture
def care(app, today):
    """A patient of Sam's, Sam, another therapist and an admin."""
    sam = make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")
    patient, treatment = patient_on_day(10, today, name="Maria Alvarez", email="maria@example.com")
    treatment.therapist_id = sam.id
    db.session.commit()
    other = make_user(Role.THERAPIST, name="Jordan Lee", email="jordan@example.com")
    admin = make_user(Role.ADMIN, name="Alex Morgan", email="alex@example.com")
    stranger = make_user(Role.PATIENT, name="Other Patient", email="other@example.com")
    return {"patient": patient, "sam": sam, "other": other, "admin": admin, "stranger": stranger}


def send(client, url: str, body: str, headers: dict | None = None):
    token = csrf_token(client.get(url))
    return client.post(url, data={"body": body, "csrf_token": token}, headers=headers or {})


def messages() -> list[Message]:
    return list(db.session.scalars(sa.select(Message).order_by(Message.id)))


def test_a_round_trip_with_read_receipts_and_unread_counts(client, auth, care):
    patient, sam = care["patient"], care["sam"]
    auth.login(patient.email)
    response = send(client, "/messages", "Is it normal to feel sore after the bridge exercise?")
    assert response.status_code == 303
    assert response.headers["Location"] == "/messages#composer"
    page = text_of(client.get("/messages"))
    assert "Is it normal to feel sore" in page
    assert "Sent" in page
    auth.logout()

    auth.login(sam.email)
    thread_url = f"/patients/{patient.id}/messages"
    page = text_of(client.get(thread_url))
    assert "Maria Alvarez" in page
    assert "Is it normal to feel sore" in page
    assert messages()[0].read_at is not None  # her therapist has now read it
    assert send(client, thread_url, "Yes, a little. Stop if it goes above 5.").status_code == 303
    auth.logout()

    auth.login(patient.email)
    today_page = client.get("/today").get_data(as_text=True)
    assert (
        'Messages <span class="badge badge--count">1<span class="visually-hidden"> unread</span>'
        in today_page
    )
    page = text_of(client.get("/messages"))
    assert "Yes, a little" in page
    assert "Sam Patel, your care team" in page
    assert "Read" in page  # her own message shows its read receipt
    assert "badge--count" not in client.get("/today").get_data(as_text=True)  # she has seen it
    assert [m.read_at is not None for m in messages()] == [True, True]


def test_newest_messages_are_at_the_bottom(client, auth, care):
    patient = care["patient"]
    start = datetime(2026, 3, 10, 14)
    for minutes, body in ((0, "first message"), (5, "second message"), (9, "third message")):
        db.session.add(
            Message(
                patient_id=patient.id,
                author_id=patient.id,
                body=body,
                created_at=start + timedelta(minutes=minutes),
            )
        )
    db.session.commit()
    auth.login(patient.email)
    page = text_of(client.get("/messages"))
    assert page.index("first message") < page.index("second message") < page.index("third message")


def test_an_admin_reads_without_marking_read_and_cannot_send(client, auth, care):
    patient = care["patient"]
    db.session.add(Message(patient_id=patient.id, author_id=patient.id, body="Question for Sam"))
    db.session.commit()
    auth.login(care["admin"].email)
    url = f"/patients/{patient.id}/messages"
    page = client.get(url)
    assert page.status_code == 200
    assert "Question for Sam" in text_of(page)
    assert 'id="composer"' not in page.get_data(as_text=True)
    assert messages()[0].read_at is None  # still new for Sam
    token = csrf_token(client.get("/account"))
    assert client.post(url, data={"body": "hello", "csrf_token": token}).status_code == 403
    assert len(messages()) == 1


ROLES = ["sam", "other", "admin", "patient", "stranger"]
STAFF_CAN_READ = {"sam": 200, "admin": 200, "other": 404, "patient": 403, "stranger": 403}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("headers", [{}, POLL], ids=["page", "fragment"])
def test_who_may_read_a_patients_thread(client, auth, care, who, headers):
    patient = care["patient"]
    db.session.add(Message(patient_id=patient.id, author_id=patient.id, body="private words"))
    db.session.commit()
    auth.login(care[who].email)
    response = client.get(f"/patients/{patient.id}/messages", headers=headers)
    assert response.status_code == STAFF_CAN_READ[who]
    assert ("private words" in response.get_data(as_text=True)) is (response.status_code == 200)


@pytest.mark.parametrize("who", ROLES)
def test_who_may_write_in_a_patients_thread(client, auth, care, who):
    patient = care["patient"]
    auth.login(care[who].email)
    token = csrf_token(client.get("/account"))
    response = client.post(f"/patients/{patient.id}/messages", data={"body": "hi", "csrf_token": token})
    assert response.status_code == {"sam": 303, "admin": 403, "other": 404}.get(who, 403)
    assert len(messages()) == (1 if who == "sam" else 0)


@pytest.mark.parametrize("who", ["sam", "admin", "other"])
@pytest.mark.parametrize("headers", [{}, POLL], ids=["page", "fragment"])
def test_the_patients_own_thread_is_for_the_patient_only(client, auth, care, who, headers):
    auth.login(care[who].email)
    assert client.get("/messages", headers=headers).status_code == 403


@pytest.mark.parametrize("patient_id", ["999999", "99999999999999999999", "0"])
def test_unknown_or_huge_patient_ids_are_not_found(client, auth, care, patient_id):
    auth.login(care["admin"].email)
    assert client.get(f"/patients/{patient_id}/messages").status_code == 404


def test_a_staff_id_is_not_a_thread(client, auth, care):
    auth.login(care["admin"].email)
    assert client.get(f"/patients/{care['sam'].id}/messages").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, care):
    assert client.get("/messages").status_code == 302
    assert client.get(f"/patients/{care['patient'].id}/messages").status_code == 302


def test_a_patient_sees_only_their_own_thread(client, auth, care):
    db.session.add(Message(patient_id=care["patient"].id, author_id=care["sam"].id, body="for Maria only"))
    db.session.commit()
    auth.login(care["stranger"].email)
    assert "for Maria only" not in text_of(client.get("/messages"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your message first."),
        ("   \n  ", "Write your message first."),
        ("x" * 2001, "Keep the message to 2000 characters or fewer. It has 2001 now."),
    ],
)
def test_a_failed_send_keeps_the_text_in_the_box(client, auth, care, body, message):
    auth.login(care["patient"].email)
    response = send(client, "/messages", body)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    if body.strip():
        assert body in response.get_data(as_text=True)
    htmx = send(client, "/messages", body, headers=HTMX)
    assert htmx.status_code == 422
    assert 'id="composer"' in htmx.get_data(as_text=True)
    assert messages() == []


def test_a_message_of_exactly_the_limit_is_sent(client, auth, care):
    auth.login(care["patient"].email)
    assert send(client, "/messages", "y" * 2000).status_code == 303
    assert len(messages()[0].body) == 2000


def test_control_characters_never_reach_the_database(client, auth, care):
    auth.login(care["patient"].email)
    assert send(client, "/messages", "before\x00after\x07 ok\nnext line").status_code == 303
    assert messages()[0].body == "beforeafter ok\nnext line"


def test_messages_are_escaped(client, auth, care):
    auth.login(care["patient"].email)
    send(client, "/messages", '<script>alert("x")</script><b>bold</b>')
    html = client.get("/messages").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert "<b>bold" not in html


def test_an_htmx_send_returns_an_empty_composer_and_the_new_thread(client, auth, care):
    auth.login(care["patient"].email)
    response = send(client, "/messages", "Sent with htmx", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="composer"' in html
    assert 'data-hx-swap-oob="true"' in html
    assert "Sent with htmx" in html
    assert (
        '<textarea class="input" id="message-body" name="body" rows="4" maxlength="2000"></textarea>' in html
    )


def test_the_poll_returns_only_the_thread(client, auth, care):
    auth.login(care["patient"].email)
    html = client.get("/messages", headers=POLL).get_data(as_text=True)
    assert html.lstrip().startswith("<section")
    assert 'id="thread"' in html
    assert 'id="composer"' not in html
    assert "<html" not in html
    assert 'data-hx-trigger="every 10s, poll-now"' in html


def test_the_composer_says_when_messages_are_read_and_that_they_are_not_for_emergencies(client, auth, care):
    auth.login(care["patient"].email)
    now = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
    page = text_of(client.get("/messages"))
    assert content.MESSAGES_NOT_FOR_EMERGENCIES in page
    assert "reads them when the clinic is open: Monday to Friday, 8 am to 5 pm" in page
    assert "See the warning signs" in page
    assert content.RED_FLAGS[0].question in page
    hours = opening_hours("mon,tue,wed,thu,fri", "08:00", "17:00")
    reopens = hours.next_opening(now)
    closed = (
        content.render(content.MESSAGES_CLOSED, when=when_words(reopens, now, "after")) if reopens else ""
    )
    assert (closed in page) is (not hours.is_open(now))
    assert 'href="tel:911"' in client.get("/messages").get_data(as_text=True)


def test_staff_reads_are_audited_and_quiet_polls_are_not(client, auth, care):
    patient = care["patient"]
    auth.login(care["sam"].email)
    url = f"/patients/{patient.id}/messages"
    client.get(url)
    client.get(url, headers=POLL)  # nothing new: not another look at the record
    db.session.add(Message(patient_id=patient.id, author_id=patient.id, body="new one"))
    db.session.commit()
    client.get(url, headers=POLL)  # shows a new message: audited
    events = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.patient_id, AuditEvent.detail)
        .where(AuditEvent.action == "view_messages")
        .order_by(AuditEvent.id)
    ).all()
    assert [(a, p, d) for a, p, d in events] == [
        ("view_messages", patient.id, "new=0"),
        ("view_messages", patient.id, "new=1"),
    ]


def test_sending_is_audited_without_the_words(client, auth, care):
    auth.login(care["patient"].email)
    send(client, "/messages", "secret words")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "message_send"))
    assert event.patient_id == care["patient"].id
    assert "secret" not in event.detail


@pytest.mark.parametrize("viewer", ["patient", "sam"])
def test_the_threads_query_count_does_not_grow_with_its_length(client, auth, care, viewer):
    patient = care["patient"]
    auth.login(care[viewer].email)
    url = "/messages" if viewer == "patient" else f"/patients/{patient.id}/messages"

    def add(count: int) -> None:
        for n in range(count):
            author = patient.id if n % 2 else care["sam"].id
            db.session.add(Message(patient_id=patient.id, author_id=author, body=f"message {n}"))
        db.session.commit()

    add(3)
    client.get(url)
    with QueryCounter() as few:
        client.get(url)
    add(80)
    client.get(url)
    with QueryCounter() as many:
        page = client.get(url)
    assert few.count == many.count
    assert "33 earlier messages not shown" in text_of(page)


def test_the_dashboard_shows_unread_messages_in_a_column_and_the_attention_list(client, auth, care):
    patient = care["patient"]
    for body in ("one", "two"):
        db.session.add(Message(patient_id=patient.id, author_id=patient.id, body=body))
    db.session.commit()
    auth.login(care["sam"].email)
    html = client.get("/therapist/").get_data(as_text=True)
    page = text_of(client.get("/therapist/"))
    assert "Message Maria Alvarez 2 unread messages" in page
    assert f'href="/patients/{patient.id}/messages"><strong>2 unread</strong>' in html
    client.get(f"/patients/{patient.id}/messages")  # Sam reads them
    page = text_of(client.get("/therapist/"))
    assert "unread message" not in page


def test_the_dashboard_can_sort_by_unread_messages(client, auth, care, today):
    _quiet, _ = patient_on_day(12, today, name="Aaron Quiet")
    _.therapist_id = care["sam"].id
    db.session.add(Message(patient_id=care["patient"].id, author_id=care["patient"].id, body="hi"))
    db.session.commit()
    auth.login(care["sam"].email)
    page = text_of(client.get("/therapist/?sort=messages"))
    table = page.split("All patients")[-1]
    assert table.index("Maria Alvarez") < table.index("Aaron Quiet")


def test_an_unread_message_is_a_reason_for_attention():
    from datetime import date

    from app.care.adherence import PatientFacts, attention_reasons

    sent = datetime(2026, 3, 10, 9)
    facts = PatientFacts(
        injection_date=date(2026, 3, 1),
        evaluation_date=date(2026, 2, 20),
        scores_by_day={date(2026, 3, 10): 3},
        ticks_by_day={},
        nsaid_days=[],
        last_data_day=date(2026, 3, 10),
        unread_messages=1,
        unread_since=sent,
    )
    [reason] = [r for r in attention_reasons(facts, date(2026, 3, 10)) if r.kind == "message"]
    assert reason.text == "1 unread message"
    assert reason.since == sent
    assert not reason.is_urgent
