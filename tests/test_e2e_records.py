"""Questionnaires, the time log and the printable summary in a real browser (gunicorn + Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot, sign_in

pytestmark = pytest.mark.e2e
NO_PAGE_LOAD = "window.__sameDocument === true"


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium printed (its page objects are written out plainly)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_weekly_check_in_on_a_phone(phone):
    page = phone
    sign_in(page, "patient@example.com")
    card = page.locator(".questionnaire-card")
    expect(card).to_contain_text("Weekly check-in")
    html = page.content()
    assert html.index('id="daily-log"') < html.index("questionnaire-card-title")
    card.get_by_role("link", name="Start: Weekly check-in").click()
    page.wait_for_url("**/check-in/peg")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#questionnaire .form-error")).to_contain_text("Please check the answers")
    for item, value in (("pain", 4), ("enjoyment", 3), ("activity", 5)):
        page.locator(f"label[for={item}-{value}]").click()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("#questionnaire")).to_contain_text("Your answers are saved")
    assert page.evaluate(NO_PAGE_LOAD), "saved with a page load, not a swap"
    screenshot(page, "questionnaire-saved-phone")
    page.get_by_role("link", name="Back to Today").click()
    page.wait_for_url("**/today")
    expect(page.locator(".questionnaire-card")).to_have_count(0)
    page.get_by_role("link", name="Progress", exact=True).click()
    page.wait_for_url("**/progress")
    expect(page.locator(".trends")).to_contain_text("Pain and daily life")
    assert page.errors == [], page.errors


def test_a_therapist_logs_time_in_place(desktop):
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="Maria Alvarez").first.click()
    page.wait_for_url(re.compile(r"/therapist/patients/\d+$"))
    page.evaluate("window.__sameDocument = true")
    rtm = page.locator("#rtm")
    expect(rtm).to_contain_text("25 min · live call or video: yes")
    rtm.get_by_label("Minutes").fill("15")
    rtm.get_by_label("What was done").fill("Reviewed the weekly check-in")
    rtm.get_by_role("button", name="Save time").click()
    expect(page.locator("#rtm")).to_contain_text("40 min · live call or video: yes · supports: 98980, 98981")
    assert page.evaluate(NO_PAGE_LOAD)
    screenshot(page, "record-rtm-desktop")
    assert page.errors == [], page.errors


@pytest.mark.parametrize(
    ("who", "path"),
    [("maintenance@example.com", "/summary"), ("therapist@example.com", "/therapist/patients/{id}/summary")],
)
def test_the_summary_prints_on_one_page(browser, live_server, who, path):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, who, lands_on="**/*")
        if "{id}" in path:
            page.goto("/therapist/")
            page.get_by_role("link", name="Robert Chen").first.click()
            page.wait_for_url(re.compile(r"/therapist/patients/\d+$"))
            path = path.format(id=page.url.rstrip("/").split("/")[-1])
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Robert Chen: PRP treatment summary")
        for letter_or_a4 in ("Letter", "A4"):
            pdf = page.pdf(format=letter_or_a4, print_background=True)
            assert pdf.startswith(b"%PDF")
            assert pdf_pages(pdf) == 1, f"{who} {letter_or_a4}: {pdf_pages(pdf)} pages"
        page.emulate_media(media="print")
        assert page.locator(".site-header").is_hidden()
        screenshot(page, "summary-print")
    finally:
        context.close()
