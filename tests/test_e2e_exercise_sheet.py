"""The home-exercise sheet printed by a real Chromium: to PDF on US Letter and on A4 (the sheet
asks for no paper size of its own, so the printer's choice holds), every exercise of the plan in
the PDF, and no exercise cut across two pages (its name and its stop rule, the block's first and
last lines, on the same page, the drawing between them). On a 390 px phone it fits the screen,
each drawing drawn. The patient prints it from Today, the therapist from the patient's record.
The PDFs and a phone screenshot are kept in test-artifacts/."""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from pypdf import PdfReader

from app.care import content
from app.extensions import db
from app.models import User
from app.services.clinic.settings import clinic_today_now, current_settings
from app.services.pages.exercise_sheet import build_exercise_sheet
from app.services.treatment.plans import PlanError, add_exercise
from app.services.treatment.treatments import active_treatment
from tests.browser import ARTIFACTS, screenshot, sign_in

pytestmark = pytest.mark.e2e

PATIENT = "patient@example.com"
# Points (1/72 inch): Letter is 8.5 x 11 in; A4 is 210 x 297 mm.
PAPER = {"Letter": (612.0, 792.0), "A4": (595.28, 841.89)}

DRAWN = """() => [...document.querySelectorAll('.sheet-exercise .figure__pair use')]
    .map(use => use.getBBox().width)"""


@pytest.fixture(scope="module")
def long_plan(migrated_app, live_server):
    """The demo patient with every library exercise of their phase in the plan, so the sheet runs
    over several pages; (name, stop rule) of each exercise, as the sheet shows them, in order."""
    with migrated_app.app_context():
        patient = db.session.scalar(sa.select(User).where(User.email == PATIENT))
        treatment = active_treatment(patient.id)
        phase = build_exercise_sheet(patient, treatment, clinic_today_now()).phase
        assert phase is not None
        for exercise in content.EXERCISES:
            if phase.key in exercise.doses:
                with contextlib.suppress(PlanError):  # already in the plan
                    add_exercise(treatment, exercise.slug, phase.key)
        db.session.commit()
        sheet = build_exercise_sheet(patient, treatment, clinic_today_now())
        settings = current_settings()
        shown = [
            (row.text.name, content.render(row.text.stop_if, no_ice_hours=settings.no_ice_hours))
            for row in sheet.rows
        ]
        assert len(shown) >= 8
        return {
            "patient_id": patient.id,
            "name": patient.full_name,
            "phone": settings.phone,
            "exercises": shown,
        }


def squeezed(text: str) -> str:
    """Text with every space and line break taken out: a name may wrap (or break at a hyphen) in
    a narrow column, and the PDF's text has the line break where the page had it; the font's
    ligatures ("ﬁ") read back as their letters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def printed(page, paper: str, name: str) -> PdfReader:
    """The page printed as Chromium prints it: the sheet's own @page size, if it had one, would win
    over `paper` (prefer_css_page_size), so a sheet that forced a size would fail here."""
    page.emulate_media(media="print")
    page.wait_for_function(f"() => ({DRAWN})().every(width => width > 0)")
    pdf = page.pdf(format=paper, prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")
    return PdfReader(io.BytesIO(pdf))


def check_pdf(reader: PdfReader, paper: str, plan: dict) -> None:
    width, height = PAPER[paper]
    assert len(reader.pages) >= 2  # the long plan runs over pages: the break rule is put to work
    for number, pdf_page in enumerate(reader.pages, start=1):
        box = pdf_page.mediabox
        assert abs(float(box.width) - width) < 1.5, (paper, number, box)
        assert abs(float(box.height) - height) < 1.5, (paper, number, box)
    pages = [squeezed(pdf_page.extract_text()) for pdf_page in reader.pages]
    for words in (content.SHEET_TITLE, plan["name"], plan["phone"]):
        assert squeezed(words) in pages[0], words
    for name, stop in plan["exercises"]:
        on = [number for number, text in enumerate(pages) if squeezed(stop)[:60] in text]
        assert on, f"{name}: its stop rule is not in the PDF"
        assert any(squeezed(name) in pages[number] for number in on), f"{name} is cut across pages"


def test_the_patient_prints_the_sheet_on_letter_and_a4_with_no_exercise_cut(desktop, long_plan):
    page = desktop
    sign_in(page, PATIENT)
    page.get_by_role("link", name=content.SHEET_LINK).click()
    page.wait_for_url("**/exercise-sheet")
    names = page.locator(".sheet-exercise__name").all_inner_texts()
    assert names == [name for name, _ in long_plan["exercises"]]
    page.emulate_media(media="print")
    blocks = page.locator(".sheet-exercise")
    assert blocks.first.evaluate("li => getComputedStyle(li).breakInside") == "avoid"
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "none"
    page.emulate_media(media="screen")
    for paper in PAPER:
        reader = printed(page, paper, f"exercise-sheet-{paper.lower()}")
        check_pdf(reader, paper, long_plan)
    assert page.errors == []


def test_the_sheet_fits_a_390_px_phone_with_every_drawing_drawn(phone, long_plan):
    page = phone
    sign_in(page, PATIENT)
    page.goto("/exercise-sheet")
    expect(page.get_by_role("heading", name=content.SHEET_TITLE)).to_be_visible()
    expect(page.get_by_role("button", name=content.SHEET_PRINT)).to_be_visible()  # shown by app.js
    page.wait_for_function(f"() => ({DRAWN})().every(width => width > 0)")
    widths = page.evaluate(DRAWN)
    assert len(widths) == 3 * len(long_plan["exercises"])  # start, arrow and end of each
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    figures = page.locator(".sheet-exercise .figure")
    for index in range(figures.count()):
        box = figures.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    screenshot(page, "exercise-sheet-phone")
    assert page.errors == []


def test_the_therapist_prints_the_patients_sheet_from_the_record(desktop, long_plan):
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.goto(f"/therapist/patients/{long_plan['patient_id']}")
    page.get_by_role("link", name="Printable home-exercise sheet").click()
    page.wait_for_url(f"**/therapist/patients/{long_plan['patient_id']}/exercise-sheet")
    names = page.locator(".sheet-exercise__name").all_inner_texts()
    assert names == [name for name, _ in long_plan["exercises"]]
    reader = printed(page, "A4", "exercise-sheet-therapist-a4")
    check_pdf(reader, "A4", long_plan)
    assert page.errors == []
