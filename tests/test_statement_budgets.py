"""SQL statements per request for the requests a clinic makes most, against the budgets the
benchmark reports (`make bench`): Today 7 (8 on the day of a lesson), a daily-log save 9, an
exercise tick 8 (its plan item and the patient's treatment in one statement), the therapist
dashboard 7. (A tick took 10 in a server, where nothing a test
holds keeps the patient's treatment in the session, until its plan item kept the treatment it
was checked against: the tick's test now holds nothing either.)

A save and a tick rose from 7 to 9 for the read model: the same transaction writes the day's
summary row and the treatment's running figures (app/services/summaries), so the dashboard, the
outcomes and the RTM report read those instead of every log and tick; the dashboard fell from 10
to 7 with them (its recent days in one query of the summaries, not logs, ticks and answers).

Today rose from 6 to 7 for the safety net: an alert staff have not acknowledged stays at the top of
Today on every day, whichever day raised it, so Today reads the patient's open alerts (one query on
the (patient, acknowledged) index, however many logs or alerts there are). A save that reports no
warning sign, and reported none before, reads nothing more. Each is measured on a patient (or caseload) with months of data, after a
first request has warmed what a process keeps (the clinic settings, the signed-off content).

On the day a lesson matters (app/care/lessons.py: every day before the injection, and days 0,
1, 2, 4, 15 and 84) Today takes 8: the lesson's card says whether the patient has read it, one
query on the primary key of the patient's reads, however many lessons they read. On the other days
no lesson shows and nothing more is read.

The dashboard's target is 8; it takes 7 (8 on PostgreSQL), of which a view of patients' data
written to the audit trail costs a read of the chain's head and the insert (and, on PostgreSQL,
the lock that keeps the chain in order)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.care import content
from app.extensions import db
from app.models import Alert, LessonRead, Message, PlanItem, Role
from app.services.clinic.content_signoff import current_fingerprint, sign_off
from app.services.clinic.settings import current_settings
from tests.conftest import QueryCounter, csrf_token
from tests.factories import bulk_patients, make_answer, make_log, make_user, patient_on_day
from tests.helpers import HTMX

ON_POSTGRESQL_THE_AUDIT_LOCK = 1  # pg_advisory_xact_lock before a chained audit row


def audit_lock() -> int:
    return ON_POSTGRESQL_THE_AUDIT_LOCK if db.engine.dialect.name == "postgresql" else 0


@pytest.fixture
def busy_patient(auth, today):
    """Three months in: a log most days, ticks, questionnaires, a message, today's log not yet."""
    patient, treatment = patient_on_day(90, today)
    for offset in range(1, 100):
        make_log(patient, today - timedelta(days=offset), back_pain=offset % 11)
    make_answer(treatment, "peg", 1, [("pain", 6), ("enjoyment", 5), ("activity", 5)], today - timedelta(80))
    make_answer(treatment, "peg", 6, [("pain", 4), ("enjoyment", 4), ("activity", 3)], today - timedelta(45))
    therapist = make_user(Role.THERAPIST)
    db.session.add(Message(patient_id=patient.id, author_id=therapist.id, body="How was the walk?"))
    db.session.commit()
    auth.login(patient.email)
    return patient, treatment


def counted(client, method: str, path: str, **kwargs) -> int:
    with QueryCounter() as counter:
        response = client.open(path, method=method, **kwargs)
    assert response.status_code == 200, response.status_code
    print(f"{method} {path}: {counter.count} statements")
    return counter.count


def test_today_takes_at_most_7_statements(client, busy_patient):
    client.get("/today")
    assert counted(client, "GET", "/today") <= 7


def test_today_with_open_alerts_from_many_days_takes_the_same(client, busy_patient, today):
    """An open alert from each of 30 days (the patient reports a sign every day, nobody answers)."""
    patient, _treatment = busy_patient
    for offset in range(1, 31):
        db.session.add(
            Alert(
                patient_id=patient.id, day=today - timedelta(days=offset), symptom="fever", urgency="same_day"
            )
        )
    db.session.commit()
    client.get("/today")
    assert counted(client, "GET", "/today") <= 7


LESSON_OF_THE_DAY = 1  # on its day only: has the patient read it (app/services/treatment/lessons.py)


def test_today_on_a_lesson_day_takes_one_more(client, auth, today):
    """Day 84 of a busy course (the lesson after week 12), every lesson read already."""
    patient, treatment = patient_on_day(84, today)
    for offset in range(1, 90):
        make_log(patient, today - timedelta(days=offset), back_pain=offset % 11)
    make_answer(treatment, "peg", 1, [("pain", 6), ("enjoyment", 5), ("activity", 5)], today - timedelta(80))
    for lesson in content.LESSONS:
        db.session.add(LessonRead(patient_id=patient.id, lesson=lesson.key))
    db.session.commit()
    auth.login(patient.email)
    client.get("/today")
    assert counted(client, "GET", "/today") <= 7 + LESSON_OF_THE_DAY


SUMMARY_WRITE = 2  # the day's summary row, then the treatment's running figures (app/services/summaries)


def test_a_daily_log_save_takes_at_most_9_statements(client, busy_patient, today):
    token = csrf_token(client.get("/today"))
    answers = {"csrf_token": token, "back_pain": "4", "medication": "none", "no_warning_signs": "y"}
    first = counted(
        client, "POST", f"/log/{today}", data=answers | {"idempotency_key": "k" * 24}, headers=HTMX
    )
    edit = answers | {"back_pain": "5", "idempotency_key": "e" * 24}
    again = counted(client, "POST", f"/log/{today}", data=edit, headers=HTMX)
    assert first <= 7 + SUMMARY_WRITE + audit_lock(), first
    assert again <= 7 + SUMMARY_WRITE + audit_lock(), again


def test_an_exercise_tick_takes_at_most_8_statements(client, busy_patient):
    """The session, the plan item with the patient's active treatment (one statement), the tick,
    the audit row (its chain's head, then the row), the two summaries, then the row's ticks."""
    _, treatment = busy_patient
    token = csrf_token(client.get("/today"))
    item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "maintain")
    ).first()
    assert item is not None
    path = f"/exercises/{item.id}/done"
    db.session.expunge_all()  # as in a server: nothing this test holds keeps a row in the session
    assert (
        counted(client, "POST", path, data={"csrf_token": token, "done": "1", "session": "1"}, headers=HTMX)
        <= 6 + SUMMARY_WRITE + audit_lock()
    )


def test_the_dashboard_takes_7_statements_for_200_patients(client, auth, today):
    therapist = make_user(Role.THERAPIST)
    sign_off(current_fingerprint(current_settings()), current_settings(), make_user(Role.ADMIN))
    db.session.commit()
    bulk_patients(therapist, today, 200)
    auth.login(therapist.email)
    client.get("/therapist/")
    assert counted(client, "GET", "/therapist/") <= 7 + audit_lock()
