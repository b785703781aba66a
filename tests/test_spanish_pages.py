"""A Spanish-speaking patient reads Spanish on the pages they use: Today in each part of the
programme (its exercise rows, doses and steps too), the daily log (blank, saved and being changed),
Progress, History, Records, Messages, the medicines list, the questionnaires, Learn and a lesson,
the page before the injection, and the offline page. A test reads each page's visible text and fails on English words, so a heading, a button or
a catalogue text shown without the reader's language cannot slip back in."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import text_of
from tests.english_words import english_words
from tests.factories import make_log, patient_on_day
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
    page = text_of(client.get("/today"))
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
