"""The safety net on the patient's side: warning signs written in a note or a message answered like
ticked ones, an open alert kept at the top of Today with "Did you get help?", the new questions,
several medicine answers, and the medicines listed at evaluation."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Alert, AuditEvent, DailyLog, Message, Role
from tests.conftest import Auth, text_of
from tests.factories import make_log, make_treatment, make_user, patient_on_day
from tests.helpers import HTMX, unzip

ISSUE_NOTE = "my bottom and groin feel numb and I wet myself this morning. Legs feel weak."
ISSUE_MESSAGE = "chest pain and can't breathe well… numb in my groin"


def answers(token: str, **overrides) -> dict:
    data = {"csrf_token": token, "back_pain": "4", "medication": "none", "no_warning_signs": "y", "note": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def alerts() -> list[Alert]:
    return list(db.session.scalars(sa.select(Alert).order_by(Alert.id)))


def position_of(html: str, marker: str) -> int:
    assert marker in html, marker
    return html.index(marker)


@pytest.fixture
def therapist():
    return make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")


@pytest.fixture
def robert(auth, today, therapist):
    """Day 100, as in the issue: nothing ticked, the warning only in the note."""
    patient = make_user(name="Robert Chen")
    make_treatment(patient, today - timedelta(days=100), therapist=therapist)
    auth.login(patient.email)
    return patient


# --- Warning signs written in words -------------------------------------------------------------


def test_a_note_with_warning_signs_answers_like_ticks_and_raises_alerts_quoting_the_words(
    client, auth, robert, today
):
    response = client.post(f"/log/{today}", data=answers(auth.token(), note=ISSUE_NOTE), headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    # The urgent card comes out of band, first on the page, with its call button, and one action.
    assert 'id="urgent" class="urgent-slot" data-hx-swap-oob="true"' in html
    assert (
        "Go to the emergency department now or call 911. Tell them you had a spine injection. Do not drive"
        in page
    )
    assert 'href="tel:911"' in html
    assert "Call the clinic:" not in page
    assert "You wrote: “bottom and groin feel numb”." in page
    assert "You wrote: “wet myself”." in page
    assert response.headers["HX-Trigger-After-Settle"].count("#urgent")
    # The saved summary no longer says "None" after such a note.
    assert "Warning signs None" not in page
    assert "Your note may tell of a warning sign." in page
    raised = alerts()
    assert [(a.symptom, a.urgency, a.source) for a in raised] == [
        ("saddle_numbness", "emergency", "words"),
        ("bladder_bowel", "emergency", "words"),
        ("leg_weakness", "emergency", "words"),
    ]
    assert raised[1].quote == "wet myself"
    assert raised[0].daily_log_id is not None
    [log] = db.session.scalars(sa.select(DailyLog)).all()
    assert log.red_flags == []  # what the patient ticked is never changed
    actions = db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "alert_raise")).all()
    assert actions[1] == (
        "Emergency alert from the log for "
        f"{today:%a}, {today:%b} {today.day}: possible warning sign, in the patient's words: “wet myself” "
        "(New trouble holding or passing urine or stool)"
    )


def test_without_javascript_the_save_lands_on_the_urgent_card(client, auth, robert, today):
    response = client.post(f"/log/{today}", data=answers(auth.token(), note=ISSUE_NOTE))
    assert response.status_code == 303
    assert response.headers["Location"] == "/today#urgent"
    html = client.get("/today").get_data(as_text=True)
    assert position_of(html, 'class="card urgent"') < position_of(html, 'id="phase-title"')
    assert "Did you get help?" in text_of(client.get("/today"))


def test_a_note_that_says_a_sign_is_absent_raises_nothing(client, auth, robert, today):
    note = "No numbness today and no fever. The site looks fine, legs strong on the walk."
    response = client.post(f"/log/{today}", data=answers(auth.token(), note=note), headers=HTMX)
    assert response.status_code == 200
    assert "Warning signs None" in text_of(response)
    assert alerts() == []
    assert 'data-hx-swap-oob="true"' not in response.get_data(as_text=True)  # the card is left alone


def test_the_summary_and_the_record_show_alerts_from_words(app, client, auth, robert, therapist, today):
    client.post(
        f"/log/{today}",
        data=answers(
            auth.token(),
            note=ISSUE_NOTE,
            medication=["acetaminophen", "other_prescribed"],
            other_medicine="Norco",
        ),
    )
    files = unzip(client.get("/records/my-data.zip"))
    signs = files["warning_signs.csv"]
    assert signs[0][-3:] == ["How you told us", "In your own words", "Did you get help"]
    assert signs[2][-3:-1] == ["In your own words", "wet myself"]
    logs = files["daily_logs.csv"]
    assert logs[1][3] == "Acetaminophen, Other medicine from the doctor"
    assert logs[1][-1] == "Norco"
    summary = text_of(client.get("/summary"))
    assert "None reported" not in summary
    assert "possible warning sign, in the patient's words: “wet myself”" in summary
    staff = app.test_client()
    Auth(staff).login(therapist.email)
    record = text_of(staff.get(f"/therapist/patients/{robert.id}"))
    assert "Possible warning sign, in the patient's words: wet myself" in record
    assert "In the note's words: New trouble holding or passing urine or stool" in record
    dashboard = text_of(staff.get("/therapist/"))
    attention = dashboard[dashboard.index("Needs attention") : dashboard.index("All patients")]
    assert "Possible warning sign, in the patient's words: “bottom and groin feel numb”" in attention


def test_a_message_with_warning_signs_is_answered_at_once_and_ranked_above_messages(
    app, client, auth, robert, therapist, today
):
    other, _ = patient_on_day(30, today)
    db.session.add(Message(patient_id=other.id, author_id=other.id, body="Can I swim yet?"))
    db.session.commit()
    response = client.post(
        "/messages", data={"csrf_token": auth.token(), "body": ISSUE_MESSAGE}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert 'id="urgent" class="urgent-slot" data-hx-swap-oob="true"' in html
    assert "Go to the emergency department now or call 911." in page
    assert 'href="tel:911"' in html
    assert "Your message is sent. It may tell of a warning sign" in page
    assert "You wrote: “chest pain … can't breathe”." in page
    [message] = db.session.scalars(sa.select(Message).where(Message.patient_id == robert.id)).all()
    raised = alerts()
    assert {(a.symptom, a.source, a.message_id) for a in raised} == {
        ("saddle_numbness", "words", message.id),
        ("chest_symptoms", "words", message.id),
    }
    staff = app.test_client()
    Auth(staff).login(therapist.email)
    dashboard = text_of(staff.get("/therapist/"))
    attention = dashboard[dashboard.index("Needs attention") : dashboard.index("All patients")]
    assert attention.index("Emergency") < attention.index("unread message")


def test_a_message_without_javascript_goes_to_the_urgent_card_at_the_top(client, auth, robert):
    response = client.post("/messages", data={"csrf_token": auth.token(), "body": "I wet myself twice today"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/messages#urgent"
    html = client.get("/messages").get_data(as_text=True)
    assert position_of(html, 'class="card urgent"') < position_of(html, 'id="thread"')
    routine = client.post("/messages", data={"csrf_token": auth.token(), "body": "Can I drive next week?"})
    assert routine.headers["Location"] == "/messages#composer"


def test_the_composer_lists_each_sign_with_its_action_and_says_it_is_not_for_emergencies(
    client, auth, robert
):
    page = client.get("/messages").get_data(as_text=True)
    text = text_of(client.get("/messages"))
    assert ": </strong>" not in page
    assert ": <strong></strong>" not in page
    assert (
        "Numb skin in the groin, buttocks or inner thighs (the parts you sit on): Go to the emergency department"
        in text
    )
    assert "Fever of 100.4 °F (38.0 °C) or more, or chills: Call the clinic" in text
    assert "Messages are not read in an emergency." in text


def test_the_note_box_says_it_is_not_read_in_an_emergency(client, auth, robert):
    assert "Notes are not read in an emergency" in text_of(client.get("/today"))


# --- An alert that is not lost --------------------------------------------------------------------


def raise_yesterday(patient, today, symptom="leg_weakness", urgency="emergency") -> Alert:
    log = make_log(patient, today - timedelta(days=1), **{symptom: True})
    alert = Alert(patient_id=patient.id, daily_log_id=log.id, day=log.day, symptom=symptom, urgency=urgency)
    db.session.add(alert)
    db.session.commit()
    return alert


def test_an_open_alert_stays_at_the_top_of_today_on_the_next_days_until_staff_acknowledge_it(
    app, client, auth, robert, therapist, today
):
    alert = raise_yesterday(robert, today)
    html = client.get("/today").get_data(as_text=True)
    assert position_of(html, 'class="card urgent"') < position_of(html, 'id="phase-title"')
    page = text_of(client.get("/today"))
    assert "You told us: New or worse weakness in a leg or foot" in page
    assert "Did you get help?" in page
    client.post(f"/log/{today}", data=answers(auth.token()))  # a calm log today does not clear it
    assert "Did you get help?" in text_of(client.get("/today"))
    staff = app.test_client()
    Auth(staff).login(therapist.email)
    token = Auth(staff).token()
    staff.post(f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": token, "note": "Called her"})
    assert 'class="card urgent"' not in client.get("/today").get_data(as_text=True)


@pytest.mark.parametrize("htmx", [True, False])
def test_did_you_get_help_is_recorded_on_the_alert(client, auth, robert, today, htmx):
    alert = raise_yesterday(robert, today)
    response = client.post(
        "/today/help", data={"csrf_token": auth.token(), "answer": "went"}, headers=HTMX if htmx else {}
    )
    if htmx:
        assert response.status_code == 200
        assert "Thank you. You told us you went for help." in text_of(response)
        assert 'aria-pressed="true">I went' in response.get_data(as_text=True)
    else:
        assert response.status_code == 303
        assert response.headers["Location"] == "/today#urgent"
        assert "Thank you. You told us you went for help." in text_of(client.get("/today"))
    db.session.refresh(alert)
    assert alert.help_answer == "went"
    assert alert.help_answered_at is not None
    [detail] = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "alert_help_answer")
    )
    assert detail.startswith("“I went” about")
    assert client.post("/today/help", data={"csrf_token": auth.token(), "answer": "maybe"}).status_code == 400


def test_a_sign_reported_again_while_its_alert_is_open_raises_no_second_alert(client, auth, robert, today):
    raise_yesterday(robert, today)
    client.post(f"/log/{today}", data=answers(auth.token(), no_warning_signs=None, leg_weakness="y"))
    client.post("/messages", data={"csrf_token": auth.token(), "body": "my leg keeps giving way"})
    assert [a.symptom for a in alerts()] == ["leg_weakness"]


# --- The questions ------------------------------------------------------------------------------------


def test_with_an_emergency_the_same_day_signs_are_for_the_emergency_team(client, auth, robert, today):
    data = answers(auth.token(), no_warning_signs=None, headache_fever="y", bleeding="y", fever_back_pain="y")
    response = client.post(f"/log/{today}", data=data, headers=HTMX)
    page = text_of(response)
    assert "Tell the emergency team about these too:" in page
    also = page[page.index("Tell the emergency team") :]
    assert "Bleeding from the injection site" in also
    assert "Fever with back pain that is getting worse" in also
    assert page.count("Go to the emergency department now") == 1
    assert {(a.symptom, a.urgency) for a in alerts()} == {
        ("headache_fever", "emergency"),
        ("bleeding", "same_day"),
        ("fever_back_pain", "same_day"),
    }


def test_the_bleeding_question_is_emphasised_for_a_patient_on_a_blood_thinner(client, auth, robert, today):
    assert "You take a blood thinner, so watch for this one." not in text_of(client.get("/today"))
    treatment = robert_treatment(robert)
    treatment.regular_medicines, treatment.medicines_listed_at = "Xarelto 20 mg", today
    db.session.commit()
    assert "You take a blood thinner, so watch for this one." in text_of(client.get("/today"))


def robert_treatment(patient):
    from app.services.treatment.treatments import active_treatment

    treatment = active_treatment(patient.id)
    assert treatment is not None
    return treatment


def test_the_allergy_question_is_asked_in_the_first_days_only(client, auth, today):
    early, _ = patient_on_day(2, today)
    auth.login(early.email)
    assert 'name="allergic_reaction"' in client.get("/today").get_data(as_text=True)
    later, _ = patient_on_day(20, today)
    auth.logout()
    auth.login(later.email)
    assert 'name="allergic_reaction"' not in client.get("/today").get_data(as_text=True)


# --- Medicines ----------------------------------------------------------------------------------------


def test_the_medicine_question_takes_several_answers(client, auth, today):
    patient, _ = patient_on_day(5, today)
    auth.login(patient.email)
    data = answers(auth.token(), medication=["acetaminophen", "anti_inflammatory"])
    response = client.post(f"/log/{today}", data=data, headers=HTMX)
    assert "Acetaminophen, Anti-inflammatory" in text_of(response)
    assert "You took an anti-inflammatory on this day." in text_of(response)
    [log] = db.session.scalars(sa.select(DailyLog)).all()
    assert (log.medication, log.nsaid) == ("acetaminophen,anti_inflammatory", True)
    both = client.post(f"/log/{today}", data=answers(auth.token(), medication=["none", "acetaminophen"]))
    assert both.status_code == 422
    assert "You ticked “None” and a medicine." in text_of(both, 422)
    nothing = client.post(f"/log/{today}", data=answers(auth.token(), medication=None))
    assert nothing.status_code == 422
    assert "Tick the pain medicine you took today" in text_of(nothing, 422)


def test_the_other_medicine_is_asked_and_read_for_anti_inflammatories(app, client, auth, today, therapist):
    patient = make_user()
    make_treatment(patient, today - timedelta(days=4), therapist=therapist)
    auth.login(patient.email)
    assert "Which one did your doctor give you?" in text_of(client.get("/today"))
    data = answers(auth.token(), medication="other_prescribed", other_medicine="Mobic 15 mg")
    response = client.post(f"/log/{today}", data=data, headers=HTMX)
    assert "You took an anti-inflammatory on this day." in text_of(response)
    assert "Other medicine from the doctor (Mobic 15 mg)" in text_of(response)
    [log] = db.session.scalars(sa.select(DailyLog)).all()
    assert (log.medication, log.other_medicine, log.nsaid) == ("other_prescribed", "Mobic 15 mg", True)
    staff = app.test_client()
    Auth(staff).login(therapist.email)
    assert "inside the NSAID-free window" in text_of(staff.get("/therapist/"))
    edit = client.get(f"/log/{today}/edit").get_data(as_text=True)
    assert 'value="other_prescribed" checked' in edit
    assert 'value="Mobic 15 mg"' in edit


def test_at_evaluation_the_patient_lists_medicines_and_the_injection_needs_a_plan_until_confirmed(
    app, client, auth, today, therapist
):
    patient = make_user(name="James Okafor")
    make_treatment(
        patient, today + timedelta(days=5), therapist=therapist, evaluation=today - timedelta(days=2)
    )
    auth.login(patient.email)
    assert "Please tell us the medicines you take most days" in text_of(client.get("/today"))
    form = client.get("/medicines")
    assert form.status_code == 200
    assert form.mimetype == "text/html"
    empty = client.post("/medicines", data={"csrf_token": auth.token(), "medicines": "  "})
    assert empty.status_code == 422
    assert "Write your medicines, or “none”." in text_of(empty, 422)
    listed = "Eliquis 5 mg twice a day\nsertraline 50 mg\nfish oil"
    saved = client.post("/medicines", data={"csrf_token": auth.token(), "medicines": listed})
    assert saved.status_code == 303
    assert "You take a medicine that thins the blood. Do not stop it on your own." in text_of(
        client.get("/today")
    )
    staff = app.test_client()
    Auth(staff).login(therapist.email)
    record = text_of(staff.get(f"/therapist/patients/{patient.id}"))
    assert "plan with prescriber needed" in record
    assert "Blood thinner eliquis" in record
    assert "SSRI or SNRI antidepressant sertraline" in record
    assert "Supplement that affects platelets fish oil" in record
    assert "Plan with the prescriber needed: Blood thinner (eliquis)" in text_of(staff.get("/therapist/"))
    token = Auth(staff).token()
    confirmed = staff.post(
        f"/therapist/patients/{patient.id}/medicines/confirm",
        data={"csrf_token": token, "note": "Hold Eliquis 2 days, per Dr Fox"},
    )
    assert confirmed.status_code == 303
    record = text_of(staff.get(f"/therapist/patients/{patient.id}"))
    assert "plan with prescriber needed" not in record
    assert "Plan confirmed by Sam Patel" in record
    [detail] = db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "medicines_review"))
    assert "Blood thinner: eliquis" in detail
    assert "Hold Eliquis 2 days" in detail
    # A new kind of medicine in the list needs a new review.
    client.post("/medicines", data={"csrf_token": auth.token(), "medicines": listed + "\nprednisone"})
    assert "plan with prescriber needed" in text_of(staff.get(f"/therapist/patients/{patient.id}"))


def test_another_therapists_patient_cannot_have_a_plan_confirmed(app, client, auth, today):
    patient, _ = patient_on_day(-5, today)
    auth.login(make_user(Role.THERAPIST).email)
    assert (
        client.post(
            f"/therapist/patients/{patient.id}/medicines/confirm", data={"csrf_token": auth.token()}
        ).status_code
        == 404
    )
