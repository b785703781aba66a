"""A Spanish-speaking patient reads Spanish on the pages they use: Today in each part of the
programme (its exercise rows, doses and steps too), the daily log (blank, saved and being changed),
Progress, History, Records, Messages, the medicines list, the questionnaires, Learn and a lesson,
the page before the injection, and the offline page. A test reads each page's visible text and fails on English words, so a heading, a button or
a catalogue text shown without the reader's language cannot slip back in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import PlanItem
from tests.conftest import csrf_token, text_of
from tests.english_words import english_words
from tests.factories import make_log, patient_on_day
from tests.helpers import today_opened
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)


@pytest.fixture
def reads_spanish(app, auth, catalogues):  # noqa: F811 (the fixture imported above)
    """Sign in a new patient `day` days after the injection who reads Spanish."""
    signed_off_by_physician(app)

    def sign_in(day: int, today):
        patient, treatment = patient_on_day(day, today)
        patient.language = "es"
        db.session.commit()
        auth.login(patient.email)
        return patient, treatment

    return sign_in


@pytest.mark.parametrize("day", [-5, 0, 3, 20, 60])
def test_today_is_spanish_in_every_part_of_the_programme(client, reads_spanish, today, day):
    patient, _ = reads_spanish(day, today)
    page = text_of(today_opened(client))  # each "How to do it" opened
    assert "Hoy" in page
    assert english_words(page, patient.full_name) == []


def test_a_saved_log_and_the_log_being_changed_are_spanish(client, reads_spanish, today):
    patient, _ = reads_spanish(20, today)
    make_log(patient, today, back_pain=4, note="Caminé un poco")
    saved = text_of(client.get("/today"))
    assert "Dolor de espalda" in saved
    assert english_words(saved, patient.full_name) == []
    changing = text_of(client.get(f"/log/{today.isoformat()}/edit"))
    assert "Guardar el registro de hoy" in changing
    assert english_words(changing, patient.full_name) == []


def test_the_progress_page_is_spanish(client, reads_spanish, today):
    patient, _ = reads_spanish(20, today)
    for day in range(8):
        make_log(patient, today.fromordinal(today.toordinal() - day), back_pain=4)
    page = text_of(client.get("/progress"))
    assert "Su progreso" in page
    assert english_words(page, patient.full_name) == []


PAGES_BEFORE_THE_INJECTION = ["/medicines", "/before-your-injection", "/learn", "/check-in/psfs"]
PAGES_AFTER_IT = ["/history", "/records", "/messages", "/check-in/peg", "/offline"]


@pytest.mark.parametrize("url", PAGES_BEFORE_THE_INJECTION)
def test_the_pages_before_the_injection_are_spanish(client, reads_spanish, today, url):
    patient, _ = reads_spanish(-5, today)
    page = text_of(client.get(url))
    assert "Hoy" in page
    assert english_words(page, patient.full_name) == []


@pytest.mark.parametrize("url", PAGES_AFTER_IT)
def test_the_pages_after_the_injection_are_spanish(client, reads_spanish, today, url):
    patient, _ = reads_spanish(20, today)
    make_log(patient, today, back_pain=4, note="Caminé un poco")
    page = text_of(client.get(url))
    assert english_words(page, patient.full_name, "Caminé un poco") == []


def test_the_detector_sees_english():
    assert english_words("Su progreso · Save today log") == ["log", "save", "today"]


@pytest.mark.parametrize(
    ("day", "words"), [(-1, "Su inyección es en 1 día,"), (-5, "Su inyección es en 5 días,")]
)
def test_a_number_takes_the_form_its_language_gives_it(client, reads_spanish, today, day, words):
    reads_spanish(day, today)
    assert words in text_of(client.get("/today"))


def test_a_long_history_is_paged_in_spanish(client, reads_spanish, today):
    patient, _ = reads_spanish(30, today)
    for day in range(20):  # more than a page (HISTORY_PAGE_SIZE)
        make_log(patient, today.fromordinal(today.toordinal() - day), back_pain=4)
    page = client.get("/history")
    words = text_of(page)
    assert "Página 1 de 2" in words
    assert 'aria-label="Páginas"' in page.get_data(as_text=True)
    assert english_words(words, patient.full_name) == []


def refused_posts(client, today, exercise_id: int) -> dict[str, tuple[str, dict[str, object]]]:
    """What a crafted or careless form sends to each patient form, each refused with a reason."""
    token = csrf_token(client.get("/today"))
    day = today.isoformat()
    return {
        "a pain out of range": (
            f"/log/{day}",
            {"csrf_token": token, "back_pain": "11", "medication": "none"},
        ),
        "no pain at all": (f"/log/{day}", {"csrf_token": token, "medication": "none"}),
        "a medicine not listed": (f"/log/{day}", {"csrf_token": token, "back_pain": "3", "medication": "x"}),
        "a replayed request key": (
            f"/log/{day}",
            {"csrf_token": token, "back_pain": "3", "medication": "none", "idempotency_key": "?"},
        ),
        "a note too long": (
            f"/log/{day}",
            {"csrf_token": token, "back_pain": "3", "medication": "none", "note": "a" * 5000},
        ),
        "an empty message": ("/messages", {"csrf_token": token, "body": "   "}),
        "a questionnaire unanswered": ("/check-in/peg", {"csrf_token": token}),
        "a questionnaire answered out of range": (
            "/check-in/peg",
            {"csrf_token": token, "pain": "12", "enjoyment": "x", "activity": "-1"},
        ),
        "a tick with an unknown action": (
            f"/exercises/{exercise_id}/done",
            {"csrf_token": token, "done": "7"},
        ),
        "a feeling not offered": (f"/exercises/{exercise_id}/feeling", {"csrf_token": token, "feeling": "x"}),
        "a help answer not offered": ("/today/help", {"csrf_token": token, "answer": "x"}),
        "no CSRF token": (f"/log/{day}", {"back_pain": "3", "medication": "none"}),
    }


@pytest.mark.parametrize(
    "what",
    [
        "a pain out of range",
        "no pain at all",
        "a medicine not listed",
        "a replayed request key",
        "a note too long",
        "an empty message",
        "a questionnaire unanswered",
        "a questionnaire answered out of range",
        "a tick with an unknown action",
        "a feeling not offered",
        "a help answer not offered",
        "no CSRF token",
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_refused_form_says_why_in_spanish(client, reads_spanish, today, what, htmx):
    """Whatever a patient's form is refused for, even a value no page offers, the reason is Spanish."""
    patient, treatment = reads_spanish(42, today)
    item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).first()
    url, fields = refused_posts(client, today, item.id)[what]
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data=fields, headers=headers)
    assert 400 <= response.status_code < 500, (what, response.status_code)
    words = text_of(response, response.status_code)
    assert words.strip(), what
    assert english_words(words, patient.full_name) == [], what


def test_the_urgent_card_is_named_in_spanish_to_a_screen_reader(client, reads_spanish, today):
    """The card a warning sign puts first on Today says what it is in the reader's language (its
    name is an attribute: the visible-text checks above do not see it)."""
    patient, _ = reads_spanish(20, today)
    token = csrf_token(client.get("/today"))
    answers = {"csrf_token": token, "back_pain": "4", "medication": "none", "fever": "y"}
    assert client.post(f"/log/{today.isoformat()}", data=answers).status_code in (200, 303)
    html = client.get("/today").get_data(as_text=True)
    assert '<section class="card urgent" role="alert" tabindex="-1" aria-label="Señal de alarma">' in html
    assert english_words(text_of(client.get("/today")), patient.full_name) == []
