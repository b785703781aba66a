"""The urgent card speaks the reader's language to the last word: its action, the clock time and
the day in it, the warning sign's question and why, and its call buttons all pass through the
page's `say` (which translates), so a Spanish patient with a warning sign never reads English."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest

from app.care import content
from app.care.content import ALL_ALERT_FLAGS
from app.care.hours import clock_words, hours_words, opening_hours, when_words
from app.care.translation import catalogue_texts
from app.care.warnings import Circumstances, UrgentNotice, message_for
from app.extensions import db
from tests.conftest import csrf_token, text_of
from tests.factories import patient_on_day
from tests.test_care_warnings_chart import TODAY, WEEKDAYS_8_TO_5, at, circumstances
from tests.test_languages import catalogues, signed_off_by_physician, spanish  # noqa: F401 (a fixture)


def marked(text: str, **values: object) -> str:
    """A `say` that shows where it was used: every text it gives is wrapped in ⟨ ⟩."""
    return f"⟨{content.render(text, **values)}⟩"


@pytest.fixture
def spanish_patient(app, auth, catalogues, today):  # noqa: F811 (the fixture imported above)
    """A patient on day 20 who reads Spanish, signed in, with Spanish signed off by the physician."""
    signed_off_by_physician(app)
    patient, _ = patient_on_day(20, today)
    patient.language = "es"
    db.session.commit()
    auth.login(patient.email)
    return patient


def test_every_part_of_the_closed_clinic_message_goes_through_say():
    evening = circumstances(at(TODAY, 20))
    message = message_for(ALL_ALERT_FLAGS["fever"], evening, marked)
    assert message == (
        "⟨Call the clinic's after-hours line now. The clinic is closed and opens again ⟨tomorrow at ⟨8 am⟩⟩.⟩"
    )
    never = Circumstances(
        injected=True, condition=None, hours=opening_hours("", "08:00", "17:00"), now=at(TODAY, 20)
    )
    assert message_for(ALL_ALERT_FLAGS["fever"], never, marked).endswith("⟨on the next working day⟩.⟩")


def test_every_part_of_the_open_clinic_and_emergency_messages_goes_through_say():
    noon = circumstances(at(TODAY, 12), injected=False, condition="Lumbar disc")
    assert message_for(ALL_ALERT_FLAGS["fever"], noon, marked).endswith("open until ⟨5 pm⟩.⟩")
    emergency = message_for(ALL_ALERT_FLAGS["saddle_numbness"], noon, marked)
    assert "⟨lumbar disc⟩" in emergency.lower()
    assert emergency.startswith("⟨")
    assert emergency.endswith("⟩")


def test_what_the_patient_said_goes_through_say_but_their_own_words_stay_as_written():
    flag = ALL_ALERT_FLAGS["bladder_bowel"]
    assert (
        UrgentNotice(flag).said_in(marked)
        == f"⟨{content.render(content.YOU_TOLD_US, question=f'⟨{flag.question}⟩')}⟩"
    )
    wrote = UrgentNotice(flag, quote="me oriné encima").said_in(marked)
    assert "me oriné encima" in wrote
    assert f"⟨{flag.question}⟩" in wrote


def test_clock_days_and_hours_in_english_read_as_before():
    assert clock_words(time(8)) == "8 am"
    assert clock_words(time(12)) == "12 noon"
    assert clock_words(time(17, 30)) == "5:30 pm"
    assert when_words(at(TODAY, 8), at(TODAY, 7), "after") == "today after 8 am"
    assert when_words(at(TODAY + timedelta(days=2), 8), at(TODAY, 20)) == "Friday at 8 am"
    assert hours_words(WEEKDAYS_8_TO_5) == "Monday to Friday, 8 am to 5 pm"
    assert hours_words(opening_hours("mon,wed", "09:00", "12:00")) == "Monday, Wednesday, 9 am to 12 noon"
    assert hours_words(opening_hours("", "09:00", "12:00")) == "Closed every day"


def test_a_spanish_patient_with_a_warning_sign_reads_the_whole_card_in_spanish(
    client, spanish_patient, today
):
    page = client.get("/today")
    response = client.post(
        f"/log/{today}",
        data={"csrf_token": csrf_token(page), "back_pain": "4", "medication": "none", "fever_back_pain": "y"},
    )
    assert response.status_code == 303
    card = text_of(client.get("/today"))
    flag = ALL_ALERT_FLAGS["fever_back_pain"]
    assert spanish(flag.question) in card
    assert spanish(flag.why) in card
    assert spanish(content.YOU_TOLD_US).split("{")[0] in card
    calls = [spanish(content.CALL_THE_CLINIC), spanish(content.CALL_AFTER_HOURS)]
    assert any(call in card for call in calls)
    for english in (
        flag.question,
        flag.why,
        content.CALL_THE_CLINIC,
        content.CALL_AFTER_HOURS,
        "Call the clinic",
    ):
        assert english not in card, english
    # The log form's offline card (shown when the save cannot reach us) is Spanish too.
    form = page.get_data(as_text=True)  # the form opened before the save
    offline = form[form.index('id="offline-urgent-template"') :]
    assert spanish(content.EMERGENCY_AFTER_INJECTION)[:40] in offline
    assert content.EMERGENCY_AFTER_INJECTION[:40] not in offline
    # The clock time inside the action is written the Spanish way ("las 5 de la tarde"), never "5 pm".
    assert re.search(r"las \d+(:\d\d)? (de la mañana|de la tarde|del día)", card)
    assert not re.search(r"\d (am|pm)\b", card)


@pytest.mark.parametrize(
    "name", ["CLOCK_NOON", "CLOCK_PM_MINUTES", "NEXT_WORKING_DAY", "HOURS_RUN", "CALL_911"]
)
def test_the_clock_and_call_words_are_catalogue_texts_with_spanish(app, name):
    text = getattr(content, name)
    assert text in catalogue_texts()
    assert spanish(text) != text


def test_a_spanish_patient_reads_the_messages_hours_and_warning_list_in_spanish(
    client, spanish_patient, today
):
    page = text_of(client.get("/messages"))
    hours = spanish(content.HOURS_RUN).split("{")[0]  # "De "
    assert spanish(content.MESSAGES_READ_WHEN).split("{")[0] + hours + "lunes a viernes" in page
    assert "de las 8 de la mañana a las 5 de la tarde" in page
    fever = ALL_ALERT_FLAGS["fever"]
    assert f"{spanish(fever.question)}: " in page
    assert f"{fever.question}: " not in page
    assert spanish(content.CALL_911) in page
    for english in ("Monday to Friday", "8 am", "5 pm", content.CALL_911):
        assert english not in page, english
