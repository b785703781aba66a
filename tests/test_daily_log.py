"""The daily log (docs/clinical-protocol.md#daily-log): saving, updating, validation, warning symptoms, NSAIDs."""

import contextlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Alert, AuditEvent, DailyLog, LogSubmission
from tests.conftest import Auth, checked_values, text_of
from tests.factories import make_log, make_treatment, make_user, patient_on_day
from tests.helpers import HTMX


def answers(token: str, **overrides) -> dict:
    data = {"csrf_token": token, "back_pain": "4", "medication": "none", "no_warning_signs": "y", "note": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def logs_of(patient) -> list[DailyLog]:
    return list(db.session.scalars(sa.select(DailyLog).where(DailyLog.patient_id == patient.id)))


def test_saving_without_javascript_redirects_to_today_with_the_summary(client, auth, patient, today):
    response = client.post(f"/log/{today}", data=answers(auth.token(), note="Walked to the shop"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/today#daily-log"
    page = text_of(client.get("/today"))
    assert "Saved. Thank you." in page
    assert "Walked to the shop" in page
    [log] = logs_of(patient)
    assert (log.day, log.back_pain, log.note) == (today, 4, "Walked to the shop")


def test_htmx_save_returns_only_the_summary_fragment(client, auth, patient, today):
    response = client.post(f"/log/{today}", data=answers(auth.token(), back_pain="6"), headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="daily-log"' in html
    assert "Saved. Thank you." in text_of(response)
    assert "HX-Request" in response.headers["Vary"]
    assert "focusregion" in response.headers["HX-Trigger-After-Settle"]


def test_saving_again_the_same_day_updates_the_one_entry(client, auth, patient, today):
    token = auth.token()
    client.post(f"/log/{today}", data=answers(token, back_pain="6"))
    client.post(f"/log/{today}", data=answers(token, back_pain="3", note="Better after a walk"))
    [log] = logs_of(patient)
    assert (log.back_pain, log.note) == (3, "Better after a walk")


def test_the_database_allows_one_entry_per_patient_per_day(app, today):
    patient = make_user()
    make_log(patient, today)
    db.session.add(DailyLog(patient_id=patient.id, day=today, back_pain=2))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("score", ["11", "-1", "abc", "", "4.5", None])
def test_an_impossible_back_pain_score_is_refused_and_the_note_kept(client, auth, patient, today, score):
    response = client.post(
        f"/log/{today}", data=answers(auth.token(), back_pain=score, note="Stiff in the morning")
    )
    assert response.status_code == 422
    page = text_of(response, 422)
    assert "Choose a number from 0 to 10." in page
    assert "Stiff in the morning" in page
    assert logs_of(patient) == []


def test_a_long_note_is_refused_with_its_length_and_kept(client, auth, patient, today):
    note = "I walked twice today. " * 91  # 2,002 characters
    response = client.post(f"/log/{today}", data=answers(auth.token(), note=note), headers=HTMX)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Keep the note to 500 characters or fewer. It has 2001 now." in text_of(response, 422)
    assert note.strip() in page
    assert 'aria-invalid="true"' in page
    assert logs_of(patient) == []


def test_errors_keep_every_answer_the_patient_gave(client, auth, patient, today):
    response = client.post(
        f"/log/{today}", data=answers(auth.token(), back_pain="7", medication="acetaminophen", note="x" * 600)
    )
    assert checked_values(response, "back_pain") == ["7"]
    assert checked_values(response, "medication") == ["acetaminophen"]
    assert checked_values(response, "no_warning_signs") == ["y"]
    assert response.get_data(as_text=True).count("x" * 600) == 1


def test_unknown_medication_is_refused(client, auth, patient, today):
    response = client.post(f"/log/{today}", data=answers(auth.token(), medication="morphine"))
    assert response.status_code == 422
    assert "Choose from the listed options." in text_of(response, 422)


def test_warning_signs_must_be_answered(client, auth, patient, today):
    response = client.post(f"/log/{today}", data=answers(auth.token(), no_warning_signs=None))
    assert response.status_code == 422
    assert "Tick any warning sign you have, or tick “No, none of these”." in text_of(response, 422)


def test_none_of_these_and_a_symptom_together_are_questioned(client, auth, patient, today):
    response = client.post(f"/log/{today}", data=answers(auth.token(), fever="y"))
    assert response.status_code == 422
    assert "You ticked a warning sign and also “No, none of these”." in text_of(response, 422)
    assert logs_of(patient) == []


def test_an_emergency_symptom_shows_the_urgent_message_and_alerts_staff(client, auth, patient, today):
    response = client.post(
        f"/log/{today}", data=answers(auth.token(), no_warning_signs=None, leg_weakness="y"), headers=HTMX
    )
    page = text_of(response)
    assert "Go to the emergency department now or call 911." in page
    html = response.get_data(as_text=True)
    assert 'href="tel:911"' in html
    assert "Call the clinic:" not in page  # one action when an emergency is present
    [alert] = db.session.scalars(sa.select(Alert)).all()
    assert (alert.patient_id, alert.symptom, alert.urgency) == (patient.id, "leg_weakness", "emergency")
    assert alert.acknowledged_at is None


def test_a_same_day_symptom_says_call_the_clinic(client, auth, patient, today, clinic_open_all_day):
    client.post(f"/log/{today}", data=answers(auth.token(), no_warning_signs=None, fever="y"))
    page = text_of(client.get("/today"))
    assert "Call the clinic today." in page
    assert "emergency department" not in page


def test_saving_again_does_not_duplicate_alerts(client, auth, patient, today):
    token = auth.token()
    for _ in range(2):
        client.post(f"/log/{today}", data=answers(token, no_warning_signs=None, fever="y"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 1


def test_three_days_of_severe_pain_raise_an_alert(client, auth, patient, today, clinic_open_all_day):
    """Baseline 7: severe means 9 or more (2 above the usual), three days running."""
    make_log(patient, today - timedelta(days=2), back_pain=9)
    make_log(patient, today - timedelta(days=1), back_pain=10)
    response = client.post(f"/log/{today}", data=answers(auth.token(), back_pain="9"), headers=HTMX)
    assert "Call the clinic today." in text_of(response)
    assert "Back pain much worse than your usual pain for three days in a row" in text_of(response)
    [alert] = db.session.scalars(sa.select(Alert)).all()
    assert (alert.symptom, alert.source) == ("severe_pain_3_days", "derived")


def test_a_patient_who_lives_with_pain_8_is_not_told_to_call_for_his_usual_pain(client, auth, today):
    """Baseline 8: an 8 or a 9 is his usual; only 10, three days running, is severe for him."""
    patient = make_user()
    make_treatment(patient, today - timedelta(days=40), baseline=8)
    auth.login(patient.email)
    make_log(patient, today - timedelta(days=2), back_pain=9)
    make_log(patient, today - timedelta(days=1), back_pain=8)
    response = client.post(f"/log/{today}", data=answers(auth.token(), back_pain="9"), headers=HTMX)
    assert response.status_code == 200
    assert "Call the clinic" not in text_of(response)
    assert db.session.scalars(sa.select(Alert)).all() == []


def test_without_a_recorded_baseline_the_logs_before_the_injection_are_the_usual_pain(client, auth, today):
    patient = make_user()
    injection = today - timedelta(days=30)
    make_treatment(patient, injection, baseline=None)
    for offset in range(1, 4):
        make_log(patient, injection - timedelta(days=offset), back_pain=8)  # usual 8
    make_log(patient, today - timedelta(days=2), back_pain=9)
    make_log(patient, today - timedelta(days=1), back_pain=9)
    auth.login(patient.email)
    client.post(f"/log/{today}", data=answers(auth.token(), back_pain="9"), headers=HTMX)
    assert db.session.scalars(sa.select(Alert)).all() == []
    client.post(f"/log/{today}", data=answers(auth.token(), back_pain="10", base_version="1"), headers=HTMX)
    assert db.session.scalars(sa.select(Alert)).all() == []  # 9, 9, 10: not all 10


@pytest.mark.parametrize(("day", "raised"), [(1, False), (2, False), (3, True)])
def test_the_flare_of_days_0_to_2_raises_no_severe_pain_alert(client, auth, today, day, raised):
    """The aftercare text: a flare for up to three days is normal; call if not settling by day 3."""
    patient, _ = patient_on_day(day, today)
    for offset in (1, 2):
        make_log(patient, today - timedelta(days=offset), back_pain=10)
    auth.login(patient.email)
    client.post(f"/log/{today}", data=answers(auth.token(), back_pain="10"), headers=HTMX)
    symptoms = db.session.scalars(sa.select(Alert.symptom)).all()
    assert symptoms == (["severe_pain_3_days"] if raised else [])


def test_an_nsaid_inside_the_window_shows_the_calm_reminder(client, auth, today):
    patient, _ = patient_on_day(5, today)
    auth.login(patient.email)
    response = client.post(
        f"/log/{today}", data=answers(auth.token(), medication="anti_inflammatory"), headers=HTMX
    )
    assert "You took an anti-inflammatory on this day. That is okay" in text_of(response)
    assert "Medicine Anti-inflammatory Warning signs" in text_of(response)  # the short name in the summary


def test_an_nsaid_after_the_window_needs_no_reminder(client, auth, today):
    patient, _ = patient_on_day(30, today)
    auth.login(patient.email)
    response = client.post(
        f"/log/{today}", data=answers(auth.token(), medication="anti_inflammatory"), headers=HTMX
    )
    assert response.status_code == 200
    assert "You took an anti-inflammatory" not in text_of(response)


def test_leg_pain_is_asked_for_radiculopathy_only(client, auth, today):
    from tests.factories import make_treatment

    radicular = make_user()
    make_treatment(radicular, today - timedelta(days=5), condition="lumbar_radiculopathy")
    auth.login(radicular.email)
    assert "Leg pain right now" in text_of(client.get("/today"))
    client.post(f"/log/{today}", data=answers(auth.token(), leg_pain="6"))
    assert logs_of(radicular)[0].leg_pain == 6


def test_leg_pain_is_not_asked_for_facet_pain(client, auth, patient, today):
    assert "Leg pain right now" not in text_of(client.get("/today"))


def test_an_impossible_leg_pain_is_refused(client, auth, today):
    from tests.factories import make_treatment

    radicular = make_user()
    make_treatment(radicular, today - timedelta(days=5), condition="failed_back_surgery")
    auth.login(radicular.email)
    response = client.post(f"/log/{today}", data=answers(auth.token(), leg_pain="12"))
    assert response.status_code == 422
    assert logs_of(radicular) == []


def test_yesterday_can_still_be_edited(client, auth, patient, today):
    yesterday = today - timedelta(days=1)
    make_log(patient, yesterday, back_pain=5)
    form = client.get(f"/log/{yesterday}/edit")
    assert form.status_code == 200
    assert checked_values(form, "back_pain") == ["5"]
    response = client.post(f"/log/{yesterday}", data=answers(auth.token(), back_pain="2"))
    assert response.headers["Location"] == "/history#daily-log"
    assert logs_of(patient)[0].back_pain == 2


def test_a_future_day_is_refused_and_nothing_saved(client, auth, patient, today):
    tomorrow = today + timedelta(days=1)
    response = client.post(f"/log/{tomorrow}", data=answers(auth.token()))
    assert response.status_code == 400
    assert "You cannot log a day that has not happened yet." in text_of(response, 400)
    assert client.get(f"/log/{tomorrow}/edit").status_code == 400
    assert logs_of(patient) == []


def test_an_old_day_is_refused_with_the_answers_kept_for_today(client, auth, patient, today):
    old = today - timedelta(days=2)
    make_log(patient, old, back_pain=8)
    response = client.post(
        f"/log/{old}", data=answers(auth.token(), back_pain="3", note="Slept well", base_version="1")
    )
    assert response.status_code == 422
    page = text_of(response, 422)
    assert "That day can no longer be changed." in page
    assert "Slept well" in page
    assert f'action="/log/{today}"' in response.get_data(as_text=True)
    assert 'name="base_version" type="hidden" value=""' in response.get_data(as_text=True)
    assert [(log.day, log.back_pain) for log in logs_of(patient)] == [(old, 8)]
    assert client.get(f"/log/{old}/edit").status_code == 400


@pytest.mark.parametrize("day", ["yesterday", "2026-13-01", "2026-02-30", "1"])
def test_a_malformed_day_is_not_found(client, auth, patient, day):
    assert client.post(f"/log/{day}", data=answers(auth.token())).status_code == 404


def test_a_missing_csrf_token_saves_nothing(client, patient, today):
    response = client.post(f"/log/{today}", data=answers("") | {"csrf_token": ""})
    assert response.status_code == 400
    assert logs_of(patient) == []


def test_a_patient_only_ever_writes_their_own_log(client, auth, patient, today):
    other = make_user()
    make_log(other, today, back_pain=9)
    client.post(f"/log/{today}", data=answers(auth.token(), back_pain="1", patient_id=str(other.id)))
    assert logs_of(other)[0].back_pain == 9
    assert logs_of(patient)[0].back_pain == 1


def test_a_patient_without_a_treatment_can_still_log(client, auth, today):
    patient = make_user()
    auth.login(patient.email)
    assert "has not scheduled your treatment yet" in text_of(client.get("/today"))
    client.post(f"/log/{today}", data=answers(auth.token()))
    assert logs_of(patient)[0].treatment_id is None


# --- Replays and stale copies (offline queue, double taps) ----------------------------------------


def test_a_replayed_submission_gets_the_stored_result_and_changes_nothing(client, auth, patient, today):
    token = auth.token()
    first = client.post(
        f"/log/{today}", data=answers(token, back_pain="6", idempotency_key="offline-key-0001"), headers=HTMX
    )
    replay = client.post(
        f"/log/{today}", data=answers(token, back_pain="6", idempotency_key="offline-key-0001"), headers=HTMX
    )
    assert first.status_code == replay.status_code == 200
    assert "Back pain 6 /10" in text_of(replay)
    [log] = logs_of(patient)
    assert (log.back_pain, log.version) == (6, 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LogSubmission)) == 1


def test_the_same_key_with_other_answers_is_refused_plainly_and_nothing_is_lost(client, auth, patient, today):
    """A leg-weakness report sent under a key already used for "no warning signs" must not be
    answered "saved" and dropped: the form comes back with it ticked, and a fresh key."""
    token = auth.token()
    client.post(
        f"/log/{today}", data=answers(token, back_pain="3", idempotency_key="offline-key-0002"), headers=HTMX
    )
    changed = answers(
        token, back_pain="7", idempotency_key="offline-key-0002", leg_weakness="y", no_warning_signs=None
    )
    response = client.post(f"/log/{today}", data=changed, headers=HTMX)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "already saved once with other answers" in text_of(response, 409)
    assert checked_values(response, "leg_weakness") == ["y"]
    assert checked_values(response, "back_pain") == ["7"]
    assert 'value="offline-key-0002"' not in html  # saving again is a new save
    [log] = logs_of(patient)
    assert (log.back_pain, log.leg_weakness) == (3, False)  # nothing changed behind the patient's back


def test_saves_and_edits_are_audited_with_what_changed(client, auth, patient, today):
    token = auth.token()
    client.post(f"/log/{today}", data=answers(token, back_pain="5", leg_weakness="y", no_warning_signs=None))
    client.post(f"/log/{today}", data=answers(token, back_pain="4", base_version="1"))
    details = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "log_save").order_by(AuditEvent.id)
    ).all()
    assert details[0].startswith(f"New entry for {today.isoformat()}: Back pain 5;")
    leg = "New or worse weakness in a leg or foot, or new numbness in one or both legs"
    assert f"Warning signs {leg}" in details[0]
    assert "Back pain changed from 5 to 4" in details[1]
    assert f"Warning signs changed from {leg} to none" in details[1]


def test_a_stale_copy_never_overwrites_a_newer_entry(client, auth, patient, today):
    token = auth.token()
    client.post(f"/log/{today}", data=answers(token, back_pain="5", base_version=""))
    client.post(
        f"/log/{today}",
        data=answers(token, back_pain="3", base_version="1", idempotency_key="second-save-01"),
    )
    stale = client.post(
        f"/log/{today}",
        data=answers(
            token, back_pain="8", base_version="", note="from the old tab", idempotency_key="stale-copy-0001"
        ),
        headers=HTMX,
    )
    assert stale.status_code == 409
    assert "This day's log was changed on another phone or tab" in text_of(stale, 409)
    assert checked_values(stale, "back_pain") == ["8"]
    assert "from the old tab" in text_of(stale, 409)
    assert 'name="base_version" type="hidden" value="2"' in stale.get_data(as_text=True)
    [log] = logs_of(patient)
    assert (log.back_pain, log.version) == (3, 2)
    again = client.post(
        f"/log/{today}",
        data=answers(token, back_pain="8", base_version="2", idempotency_key="stale-copy-0002"),
    )
    assert again.status_code == 303
    db.session.refresh(log)
    assert (log.back_pain, log.version) == (8, 3)


@pytest.mark.parametrize(
    ("field", "value"), [("idempotency_key", "<script>"), ("base_version", "-1"), ("base_version", "abc")]
)
def test_tampered_hidden_fields_are_refused(client, auth, patient, today, field, value):
    response = client.post(f"/log/{today}", data=answers(auth.token(), **{field: value}))
    assert response.status_code == 422
    assert logs_of(patient) == []


def test_the_same_save_sent_twice_at_once_is_stored_once_and_never_a_conflict(app, client, today):
    """The page and the service worker can send one kept log at the same moment. On PostgreSQL both
    reach the insert together (the barrier holds each until the other arrives) and the second loses
    the race on the unique day; on SQLite the write lock lines them up. Either way: one entry, one
    submission, and both answered with the saved log, never with "changed on another phone"."""
    patient, _ = patient_on_day(20, today)
    clients = [(client, Auth(client)), (second := app.test_client(), Auth(second))]
    for _client, auth in clients:
        auth.login(patient.email)
    tokens = [auth.token() for _client, auth in clients]
    barrier = threading.Barrier(2, timeout=2)

    def meet_at_the_insert(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DAILY_LOGS"):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    def send(index: int) -> int:
        client, _auth = clients[index]
        data = answers(tokens[index], back_pain="5", idempotency_key="one-kept-log-0001", base_version="")
        with app.app_context():
            return client.post(f"/log/{today}", data=data, headers=HTMX).status_code

    db.session.commit()  # this thread holds no lock while the two requests run
    sa.event.listen(db.engine, "before_cursor_execute", meet_at_the_insert)
    try:
        with ThreadPoolExecutor(2) as pool:
            statuses = list(pool.map(send, range(2)))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", meet_at_the_insert)
    assert statuses == [200, 200]
    assert [log.back_pain for log in logs_of(patient)] == [5]
    submissions = sa.select(sa.func.count()).select_from(LogSubmission)
    assert db.session.scalar(submissions.where(LogSubmission.patient_id == patient.id)) == 1


def progress_figures(html: str) -> str:
    """The text of the progress figures (`#progress-figures`) in a page or a fragment."""
    start = html.index(">", html.index('id="progress-figures"')) + 1
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</dl>", start)]).split())


def test_a_save_tells_todays_progress_card_to_fetch_its_new_figures(client, auth, today):
    """The card under the log showed the old 7-day average until a reload: a save answers with
    the `log-saved` event, the card listens for it and fetches figures that include the save."""
    patient, _ = patient_on_day(20, today)
    for days_ago in range(1, 7):
        make_log(patient, today - timedelta(days=days_ago), back_pain=6)
    auth.login(patient.email)
    page = client.get("/today").get_data(as_text=True)
    card = page[page.index('id="progress-figures"') : page.index(">", page.index('id="progress-figures"'))]
    assert 'data-hx-get="/today/progress-figures"' in card
    assert 'data-hx-trigger="log-saved from:body"' in card
    before = progress_figures(client.get("/today/progress-figures").get_data(as_text=True))
    assert "Last 7 days 6 /10" in before
    response = client.post(f"/log/{today}", data=answers(auth.token(), back_pain="1"), headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "log-saved"
    figures = client.get("/today/progress-figures")
    assert figures.status_code == 200
    after = progress_figures(figures.get_data(as_text=True))
    assert after != before
    assert "Last 7 days 5.3 /10" in after  # (6 × 6 + 1) / 7
    assert after == progress_figures(client.get("/today").get_data(as_text=True))


def test_a_refused_save_does_not_ask_for_new_figures(client, auth, today):
    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    response = client.post(f"/log/{today}", data=answers(auth.token(), back_pain="11"), headers=HTMX)
    assert response.status_code == 422
    assert "HX-Trigger" not in response.headers


def test_only_the_patient_gets_their_progress_figures(app, client, auth, therapist, today):
    patient_on_day(20, today)
    assert client.get("/today/progress-figures").status_code == 403  # the therapist is signed in
    assert app.test_client().get("/today/progress-figures").status_code in (302, 401)
