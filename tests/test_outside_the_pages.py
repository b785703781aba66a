"""What reaches a patient outside the pages speaks their language, in words from the content
catalogue (app/care/words/outside.py): the reminder e-mails and pushes, the sign-in link e-mail,
the calendar file, the printable summary, the data export's headers and the service worker's line.
Each is rendered for an English and a Spanish patient; the Spanish one fails on any English word
(the detector of tests/test_spanish_pages.py).

And two clinical rules of the injection: the phase guidance follows where the clinic draws the
blood, and a consent to changed words is asked again, every confirmation kept and exported."""

from __future__ import annotations

import re

import icalendar
import pytest
import sqlalchemy as sa
from flask_babel import gettext

from app.care import content
from app.care.before_injection import guidance_for
from app.care.reminders import REMINDER_KINDS
from app.extensions import db
from app.models import ClinicSetting, ProcedureConsent, Role
from app.services.accounts import sign_in_links
from app.services.between_visits.reminders import email_body, push_payload
from app.services.clinic.languages import speaking
from app.services.clinic.settings import forget_stored_settings
from tests.conftest import csrf_token, text_of
from tests.factories import make_log, make_user, patient_on_day
from tests.helpers import unzip
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)
from tests.test_spanish_pages import english_words

CONFIG = {"PUBLIC_URL": "https://clinic.example"}
LINKS = re.compile(r"https?://\S+")
CLINIC = "Backtrack Spine Clinic"


@pytest.fixture
def spanish_ready(app, auth, catalogues):  # noqa: F811 (the fixture imported above)
    """Spanish complete and signed off, so a patient who chose it reads it."""
    signed_off_by_physician(app)


def patient_in(language: str, today, day: int = 20):
    patient, treatment = patient_on_day(day, today)
    patient.language = language
    db.session.commit()
    return patient, treatment


def spanish_problems(text: str, *shown: str) -> list[str]:
    """The English words of `text`, links and the names shown as they are left out."""
    return english_words(LINKS.sub(" ", text), CLINIC, *shown)


# --- Reminders and the sign-in link -----------------------------------------------------------------


@pytest.mark.parametrize("kind", REMINDER_KINDS, ids=[kind.key for kind in REMINDER_KINDS])
def test_each_reminder_e_mail_and_push_is_in_the_patients_language(spanish_ready, today, kind):
    english, _ = patient_in("en", today)
    spanish, _ = patient_in("es", today)
    with speaking(english) as language:
        assert language == "en"
        subject, body, push = (
            gettext(kind.subject),
            email_body(kind, english, CONFIG),
            push_payload(kind, english),
        )
    assert subject == kind.subject
    assert body.startswith(kind.subject + ".")
    assert "For your privacy" in body
    assert (push.title, push.body.lower()) == ("Backtrack", kind.subject.partition(": ")[2])

    with speaking(spanish) as language:
        assert language == "es"
        subject, body, push = (
            gettext(kind.subject),
            email_body(kind, spanish, CONFIG),
            push_payload(kind, spanish),
        )
    assert subject != kind.subject
    assert spanish_problems(subject) == []
    assert spanish_problems(body) == [], body
    assert subject in body
    assert push.title == "Backtrack"
    assert spanish_problems(push.body) == []
    assert push.body


def test_the_sign_in_link_e_mail_is_in_its_owners_language(spanish_ready, today):
    link = "https://clinic.example/sign-in/link/abc"
    english = make_user(Role.PATIENT)
    subject, body = sign_in_links.subject_and_body(english, link)
    assert subject == content.SIGN_IN_LINK_SUBJECT
    assert "for 15 minutes" in body
    assert link in body

    spanish = make_user(Role.PATIENT)
    spanish.language = "es"
    db.session.commit()
    subject, body = sign_in_links.subject_and_body(spanish, link)
    assert spanish_problems(subject) == []
    assert spanish_problems(body) == [], body
    assert "15 minutos" in body
    assert link in body


def test_a_language_not_signed_off_yet_writes_in_english(app, catalogues, today):  # noqa: F811
    """Until the physician signs the Spanish off, a patient who chose it is written to in English."""
    spanish, _ = patient_in("es", today)
    subject, _body = sign_in_links.subject_and_body(spanish, "https://clinic.example/x")
    assert subject == content.SIGN_IN_LINK_SUBJECT


# --- The calendar file ---------------------------------------------------------------------------------


def calendar_words(response) -> tuple[list[str], int]:
    """Every text of the file a person reads (its name, titles, descriptions, alarms), and how many
    alarms it has."""
    calendar = icalendar.Calendar.from_ical(response.data)
    texts = [str(calendar["X-WR-CALNAME"])]
    for event in calendar.walk("VEVENT"):
        texts += [str(event["SUMMARY"]), str(event["DESCRIPTION"])]
    alarms = calendar.walk("VALARM")
    texts += [str(alarm["DESCRIPTION"]) for alarm in alarms]
    return texts, len(alarms)


def test_the_calendar_file_is_in_the_patients_language(client, auth, spanish_ready, today):
    english, _ = patient_in("en", today)
    auth.login(english.email)
    texts, alarms = calendar_words(client.get("/records/calendar.ics"))
    assert texts[0] == f"{CLINIC}: your PRP plan"
    assert content.CALENDAR_VISIT_1 in texts
    assert alarms == 2  # the evening before each visit
    assert f"Your visit at {CLINIC} is tomorrow." in texts
    assert any(re.search(r"until [A-Z][a-z]+ \d+\.", text) for text in texts)  # a date by Babel

    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/today"))})
    spanish, _ = patient_in("es", today)
    auth.login(spanish.email)
    texts, alarms = calendar_words(client.get("/records/calendar.ics"))
    assert alarms == 2
    for text in texts:
        assert spanish_problems(text, "+1 555 010 0199") == [], text
    assert any(re.search(r"\d+ de [a-z]+", text) for text in texts)  # "24 de marzo"


# --- The printable summary ------------------------------------------------------------------------------


def test_the_printable_summary_is_in_the_patients_language(client, auth, spanish_ready, today):
    english, _ = patient_in("en", today)
    make_log(english, today, back_pain=4)
    auth.login(english.email)
    page = text_of(client.get("/summary"))
    assert f"{english.full_name}: PRP treatment summary" in page
    assert "What was done, last 21 days" in page

    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/today"))})
    spanish, _ = patient_in("es", today)
    make_log(spanish, today, back_pain=4)
    auth.login(spanish.email)
    page = text_of(client.get("/summary"))
    assert "resumen del tratamiento con PRP" in page
    assert spanish_problems(page, spanish.full_name, "+1 555 010 0199") == [], page


# --- The data export ------------------------------------------------------------------------------------


def test_the_exports_headers_are_in_the_patients_language(client, auth, spanish_ready, today):
    english, _ = patient_in("en", today)
    make_log(english, today, back_pain=4)
    auth.login(english.email)
    files = unzip(client.get("/records/my-data.zip"))
    assert files["daily_logs.csv"][0][:2] == ["Day", "Back pain (0-10)"]

    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/today"))})
    spanish, _ = patient_in("es", today)
    make_log(spanish, today, back_pain=4)
    auth.login(spanish.email)
    files = unzip(client.get("/records/my-data.zip"))
    assert files["daily_logs.csv"][0][:2] == ["Día", "Dolor de espalda (0-10)"]
    for name, rows in files.items():
        assert spanish_problems(" ".join(rows[0])) == [], (name, rows[0])


def test_staff_download_the_export_in_the_patients_language(client, auth, spanish_ready, today):
    spanish, treatment = patient_in("es", today)
    therapist = make_user(Role.THERAPIST)
    treatment.therapist_id = therapist.id
    db.session.commit()
    auth.login(therapist.email)
    files = unzip(client.get(f"/therapist/patients/{spanish.id}/export.zip"))
    assert files["daily_logs.csv"][0][0] == "Día"


# --- The service worker ------------------------------------------------------------------------------


def test_the_service_workers_own_line_is_in_the_readers_language(client, auth, spanish_ready, today):
    english = client.get("/sw.js").get_data(as_text=True)
    assert '"Open Backtrack to see what is new."' in english
    spanish, _ = patient_in("es", today)
    auth.login(spanish.email)
    response = client.get("/sw.js")
    assert "Cookie" in response.headers["Vary"]
    line = re.search(r"var FALLBACK_LINE = (\"[^\"]*\")", response.get_data(as_text=True))
    assert line
    assert spanish_problems(line.group(1)) == []
    assert line.group(1) != '"Open Backtrack to see what is new."'


# --- The phase guidance follows where the blood is drawn --------------------------------------------


def set_blood_draw(value: str) -> None:
    db.session.merge(ClinicSetting(key="blood_draw", value=value))
    db.session.commit()
    forget_stored_settings()


VISIT_1_BLOOD = "take a small amount of blood"  # words of the guidance that says Visit 1


@pytest.mark.parametrize("where", ["visit_1", "injection_day"])
def test_the_evaluation_guidance_follows_where_the_clinic_draws_the_blood(client, auth, today, where):
    set_blood_draw(where)
    patient, _ = patient_on_day(-5, today)
    auth.login(patient.email)
    page = text_of(client.get("/today"))
    evaluation = guidance_for("evaluation", where).summary
    assert evaluation in page
    calendar = icalendar.Calendar.from_ical(client.get("/records/calendar.ics").data)
    described = {str(e["UID"]).split("-", 2)[2]: str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}
    if where == "visit_1":
        assert VISIT_1_BLOOD in page
        assert content.EVALUATION_SUMMARY_BLOOD_ON_INJECTION_DAY not in page
        assert VISIT_1_BLOOD in described["visit-1@backtrack"]
    else:
        assert VISIT_1_BLOOD not in page  # never "at your first visit we take blood"
        assert content.EVALUATION_SUMMARY_BLOOD_ON_INJECTION_DAY in page
        assert content.INJECTION_SUMMARY_BLOOD_ON_INJECTION_DAY in described["visit-2@backtrack"]
        assert VISIT_1_BLOOD not in described["visit-1@backtrack"]


@pytest.mark.parametrize("where", ["visit_1", "injection_day"])
def test_injection_day_guidance_says_blood_is_drawn_only_when_it_is(client, auth, today, where):
    set_blood_draw(where)
    patient, _ = patient_on_day(0, today)
    auth.login(patient.email)
    page = text_of(client.get("/today"))
    assert guidance_for("injection", where).summary in page
    assert ("blood from your arm" in page) == (where == "injection_day")


# --- The consent is asked again when its words change ----------------------------------------------


PAGE = "/before-your-injection"


def confirm(client):
    return client.post(PAGE, data={"csrf_token": csrf_token(client.get(PAGE)), "has_read": "y"})


def consents() -> list[ProcedureConsent]:
    return list(db.session.scalars(sa.select(ProcedureConsent).order_by(ProcedureConsent.id)))


def test_changed_words_ask_the_patient_again_and_the_old_confirmation_stays(client, auth, today):
    patient, _ = patient_on_day(-5, today)
    auth.login(patient.email)
    assert confirm(client).status_code == 303
    assert content.BEFORE_CARD_TEXT not in text_of(client.get("/today"))
    assert content.BEFORE_ASKED_AGAIN not in text_of(client.get(PAGE))

    db.session.add(ClinicSetting(key="drive_home", value="yes"))  # the page now says other words
    db.session.commit()
    forget_stored_settings()
    assert content.BEFORE_CARD_TEXT in text_of(client.get("/today"))
    page = text_of(client.get(PAGE))
    assert content.BEFORE_ASKED_AGAIN in page
    assert content.BEFORE_CONFIRM_LABEL in page  # the box to tick again

    assert confirm(client).status_code == 303
    first, second = consents()
    assert first.text_version != second.text_version  # the earlier one kept, with its version
    assert content.BEFORE_CARD_TEXT not in text_of(client.get("/today"))
    assert content.BEFORE_ASKED_AGAIN not in text_of(client.get(PAGE))
    assert confirm(client).status_code == 303  # confirming the same words again adds nothing
    assert len(consents()) == 2

    rows = unzip(client.get("/records/my-data.zip"))["injection_consent.csv"]
    assert rows[0] == [
        "Treatment",
        "When (UTC)",
        "How",
        "Recorded by",
        "Version of the words",
        "Language",
        "Still in force",
    ]
    assert [(row[4], row[6]) for row in rows[1:]] == [
        (first.text_version, "No longer in force"),
        (second.text_version, "In force"),
    ]
    assert rows[1][2] == "Read and confirmed online"


def test_staff_can_record_consent_again_in_clinic_once_the_words_changed(client, auth, today):
    therapist = make_user(Role.THERAPIST)
    patient, treatment = patient_on_day(-5, today)
    treatment.therapist_id = therapist.id
    db.session.commit()
    auth.login(patient.email)
    confirm(client)
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/today"))})

    db.session.add(ClinicSetting(key="blood_draw", value="injection_day"))
    db.session.commit()
    forget_stored_settings()
    auth.login(therapist.email)
    record = client.get(f"/therapist/patients/{patient.id}")
    url = f"/therapist/patients/{patient.id}/procedure-consent"
    response = client.post(url, data={"csrf_token": csrf_token(record), "confirmed": "y"})
    assert response.status_code == 303
    online, in_clinic = consents()
    assert (online.how, in_clinic.how) == ("online", "in_clinic")
    assert online.text_version != in_clinic.text_version
