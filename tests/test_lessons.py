"""Lessons by phase: the lesson of the day on Today (on its day only), the Learn page with what
the patient has read, "Got it" as a CSRF POST that records the reading (never a GET), and the
therapist's record listing the reads, audited like the rest of the record."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.care import content
from app.care.lessons import SCHEDULE, lesson_for_day
from app.extensions import db
from app.models import LessonRead, Role
from tests.conftest import QueryCounter, csrf_token, text_of
from tests.factories import make_treatment, make_user, patient_on_day
from tests.helpers import HTMX, actions_about_patients

FLARE = content.LESSON_FLARE


def reads(patient) -> dict[str, datetime]:
    rows = db.session.execute(
        sa.select(LessonRead.lesson, LessonRead.read_at).where(LessonRead.patient_id == patient.id)
    )
    return dict(rows.all())


def got_it(client, key: str, **data):
    token = csrf_token(client.get(f"/learn/{key}"))
    return client.post(f"/learn/{key}/read", data={"csrf_token": token, "read": "1", **data})


# --- The schedule --------------------------------------------------------------------------------


def test_each_lesson_has_its_day_and_no_day_has_two():
    assert {entry.lesson for entry in SCHEDULE} == set(content.LESSONS)
    assert lesson_for_day(-5) == lesson_for_day(-1) == content.LESSON_PRP  # the evaluation phase
    assert lesson_for_day(0) == content.LESSON_FIRST_TWO_WEEKS
    assert lesson_for_day(2) == FLARE
    assert lesson_for_day(84) == content.LESSON_AFTER_WEEK_12
    assert lesson_for_day(3) is None
    assert lesson_for_day(85) is None
    assert lesson_for_day(None) is None
    for day in range(-30, 200):
        assert sum(entry.shows_on(day) for entry in SCHEDULE) <= 1, day


# --- Today ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "lesson"),
    [
        (-3, content.LESSON_PRP),
        (0, content.LESSON_FIRST_TWO_WEEKS),
        (1, content.LESSON_SIT_SLEEP_LIFT),
        (2, FLARE),
        (4, content.LESSON_WORK_DRIVING),
        (15, content.LESSON_PAIN_AND_NERVES),
        (84, content.LESSON_AFTER_WEEK_12),
    ],
)
def test_today_shows_the_lesson_on_its_day(client, auth, today, day, lesson):
    patient, _ = patient_on_day(day, today)
    auth.login(patient.email)
    page = text_of(client.get("/today"))
    assert content.LESSON_TODAY in page
    assert lesson.title in page
    assert lesson.teaser in page
    assert f'href="/learn/{lesson.key}"' in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize("day", [3, 5, 14, 16, 83, 85, 120])
def test_today_shows_no_lesson_on_other_days(client, auth, today, day):
    patient, _ = patient_on_day(day, today)
    auth.login(patient.email)
    page = text_of(client.get("/today"))
    assert content.LESSON_TODAY not in page
    assert not any(lesson.teaser in page for lesson in content.LESSONS)


def test_a_patient_with_nothing_scheduled_sees_no_lesson_on_today_but_can_learn(client, auth):
    patient = make_user(Role.PATIENT)
    auth.login(patient.email)
    assert content.LESSON_TODAY not in text_of(client.get("/today"))
    assert content.LESSON_PRP.title in text_of(client.get("/learn"))


def test_today_says_when_the_lesson_of_the_day_was_read(client, auth, today):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    assert content.LESSON_READ_IT in text_of(client.get("/today"))
    got_it(client, FLARE.key)
    page = text_of(client.get("/today"))
    assert FLARE.title in page
    assert "You read this on" in page
    assert content.LESSON_READ_AGAIN in page


def test_todays_statements_do_not_grow_with_the_lessons_read(client, auth, today):
    """The lesson of the day costs one query on its primary key, however many lessons were read."""
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    client.get("/today")
    with QueryCounter() as none_read:
        client.get("/today")
    for lesson in content.LESSONS:
        db.session.add(LessonRead(patient_id=patient.id, lesson=lesson.key))
    db.session.commit()
    with QueryCounter() as all_read:
        client.get("/today")
    assert none_read.count == all_read.count


# --- The Learn page and a lesson -----------------------------------------------------------------


def test_the_learn_page_lists_every_lesson_with_whether_it_was_read(client, auth, today):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    page = text_of(client.get("/learn"))
    assert all(lesson.title in page for lesson in content.LESSONS)
    assert page.count(content.LESSON_NOT_READ) == len(content.LESSONS)
    titles = [lesson.title for lesson in content.LESSONS]
    order = sorted(titles, key=page.index)
    assert order[0] == content.LESSON_PRP.title
    assert order[-1] == content.LESSON_AFTER_WEEK_12.title
    got_it(client, FLARE.key)
    html = client.get("/learn").get_data(as_text=True)
    assert text_of(client.get("/learn")).count(content.LESSON_NOT_READ) == len(content.LESSONS) - 1
    flare_item = html[html.index(f'id="lesson-{FLARE.key}"') :].split("</li>")[0]
    assert content.LESSON_READ in flare_item
    assert content.LESSON_NOT_READ not in flare_item


@pytest.mark.parametrize("day", [2, 20])
def test_today_links_to_the_learn_page_on_every_day(client, auth, today, day):
    """The patient's menu has no room for another item on a 390 px phone (tests/test_e2e_lessons.py
    measures it): Today links to the Learn page instead, and the menu marks Today there."""
    patient, _ = patient_on_day(day, today)
    auth.login(patient.email)
    html = client.get("/today").get_data(as_text=True)
    card = html.split('class="card lesson-card"')[1].split("</section>")[0]
    assert 'href="/learn"' in card
    assert content.LESSON_ALL in card
    for path in ("/learn", f"/learn/{FLARE.key}"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/today" aria-current="page"' in page, path


def test_a_lesson_shows_its_words_and_opening_it_records_nothing(client, auth, today):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    page = text_of(client.get(f"/learn/{FLARE.key}"))
    assert FLARE.title in page
    assert FLARE.intro in page
    assert FLARE.closing in page
    assert all(point.replace("{no_ice_hours}", "72") in page for point in FLARE.points)
    assert content.LESSON_GOT_IT in page
    assert reads(patient) == {}  # a GET never writes


def test_got_it_marks_the_lesson_read_once(client, auth, today):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    response = got_it(client, FLARE.key)
    assert response.status_code == 303
    assert response.location.endswith(f"/learn/{FLARE.key}#lesson-read")
    first = reads(patient)[FLARE.key]
    page = text_of(client.get(f"/learn/{FLARE.key}"))
    assert "You read this on" in page
    assert content.LESSON_GOT_IT not in page
    got_it_again = client.post(
        f"/learn/{FLARE.key}/read", data={"csrf_token": csrf_token(client.get("/learn")), "read": "1"}
    )
    assert got_it_again.status_code == 303
    assert reads(patient) == {FLARE.key: first}  # the first reading is kept


def test_got_it_with_htmx_answers_with_the_read_region(client, auth, today):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    token = csrf_token(client.get(f"/learn/{FLARE.key}"))
    response = client.post(f"/learn/{FLARE.key}/read", data={"csrf_token": token, "read": "1"}, headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="lesson-read"' in html
    assert "You read this on" in html
    assert "<html" not in html
    assert FLARE.key in reads(patient)


@pytest.mark.parametrize(
    "data",
    [
        {},  # no CSRF token
        {"csrf_token": "forged", "read": "1"},
        {"read": "1"},
    ],
    ids=["empty", "forged-token", "no-token"],
)
def test_got_it_needs_the_csrf_token(client, auth, today, data):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    assert client.post(f"/learn/{FLARE.key}/read", data=data).status_code == 400
    assert reads(patient) == {}


@pytest.mark.parametrize(
    "body",
    [
        {"read": "0"},
        {"read": "yes"},
        {"read": "1" * 5000},
        {"read": ""},
        {},
    ],
    ids=["zero", "word", "long", "blank", "missing"],
)
def test_odd_bodies_are_refused_plainly(client, auth, today, body):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    token = csrf_token(client.get(f"/learn/{FLARE.key}"))
    response = client.post(f"/learn/{FLARE.key}/read", data={"csrf_token": token, **body})
    assert response.status_code == 400
    assert reads(patient) == {}


def test_odd_encodings_are_refused_plainly(client, auth, today):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    token = csrf_token(client.get(f"/learn/{FLARE.key}"))
    for kind, body in (
        ("application/json", '{"read": "1"}'),
        ("text/plain", "\x00\xff"),
        ("multipart/form-data", "--x"),
    ):
        response = client.post(
            f"/learn/{FLARE.key}/read", data=body, content_type=kind, headers={"X-CSRFToken": token}
        )
        assert 400 <= response.status_code < 500, (kind, response.status_code)
    assert reads(patient) == {}


@pytest.mark.parametrize("key", ["nope", "PRP", "prp%00", "../today", "x" * 300])
def test_an_unknown_lesson_is_not_found(client, auth, today, key):
    patient, _ = patient_on_day(2, today)
    auth.login(patient.email)
    token = csrf_token(client.get("/learn"))
    refused = (400, 404)  # a NUL in the address is refused before routing
    assert client.get(f"/learn/{key}").status_code in refused
    assert client.post(f"/learn/{key}/read", data={"csrf_token": token, "read": "1"}).status_code in refused
    assert reads(patient) == {}


def test_a_reading_is_the_patients_own(client, auth, today):
    """One patient's "Got it" marks nothing for another; no address names another patient."""
    first, _ = patient_on_day(2, today)
    second, _ = patient_on_day(2, today)
    auth.login(first.email)
    got_it(client, FLARE.key)
    auth.logout()
    auth.login(second.email)
    assert text_of(client.get("/learn")).count(content.LESSON_NOT_READ) == len(content.LESSONS)
    assert content.LESSON_GOT_IT in text_of(client.get(f"/learn/{FLARE.key}"))
    token = csrf_token(client.get("/learn"))
    client.post(
        f"/learn/{FLARE.key}/read",
        data={"csrf_token": token, "read": "1", "patient_id": str(first.id)},
        query_string={"patient_id": first.id},
    )
    assert set(reads(first)) == {FLARE.key}
    assert set(reads(second)) == {FLARE.key}
    assert reads(first)[FLARE.key] <= reads(second)[FLARE.key]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.ADMIN])
def test_staff_cannot_mark_a_lesson_read(client, auth, role):
    staff = make_user(role)
    auth.login(staff.email)
    token = auth.token()
    assert client.get("/learn").status_code == 403
    assert client.post(f"/learn/{FLARE.key}/read", data={"csrf_token": token, "read": "1"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonRead)) == 0


def test_signed_out_people_go_to_sign_in(client):
    assert client.get("/learn").status_code == 302
    assert client.get(f"/learn/{FLARE.key}").status_code == 302


# --- The therapist's record ------------------------------------------------------------------------


def test_the_therapist_sees_which_lessons_were_read_and_the_view_is_audited(client, auth, today):
    therapist = make_user(Role.THERAPIST)
    patient = make_user(Role.PATIENT)
    make_treatment(patient, today - timedelta(days=2), therapist=therapist)
    auth.login(patient.email)
    got_it(client, FLARE.key)
    got_it(client, content.LESSON_PRP.key)
    auth.logout()
    auth.login(therapist.email)
    before = len(actions_about_patients())
    page = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "Lessons read" in page
    assert f"2 of {len(content.LESSONS)} read" in page
    assert f"{FLARE.title}: read" in page
    assert f"{content.LESSON_PRP.title}: read" in page
    assert f"{content.LESSON_AFTER_WEEK_12.title}: not read" in page
    assert actions_about_patients()[before:] == [("view_patient_record", patient.id)]


def test_another_therapists_patient_reads_are_not_shown(client, auth, today):
    mine, other = make_user(Role.THERAPIST), make_user(Role.THERAPIST)
    patient = make_user(Role.PATIENT)
    make_treatment(patient, today - timedelta(days=2), therapist=other)
    db.session.add(LessonRead(patient_id=patient.id, lesson=FLARE.key))
    db.session.commit()
    auth.login(mine.email)
    assert client.get(f"/therapist/patients/{patient.id}").status_code == 404
