"""The consent page in a real browser (gunicorn, headless Chromium, a 390×844 phone): the demo's
evaluation patient follows Today's card to "Before your injection", the page fits the phone, an
unticked box says why, and ticking it confirms: the card is gone from Today and the therapist's
record shows the consent."""

import pytest
from playwright.sync_api import expect

from app.care import content
from tests.browser import screenshot, sign_in, sign_out
from tests.test_e2e_fit import OVERFLOW

pytestmark = pytest.mark.e2e


def test_the_evaluation_patient_reads_and_confirms_on_a_phone(phone):
    page = phone
    sign_in(page, "evaluation@example.com")
    card = page.locator("section", has=page.locator("#before-injection-title"))
    expect(card).to_contain_text(content.BEFORE_CARD_TEXT)
    card.get_by_role("link", name=content.BEFORE_CARD_LINK).click()
    page.wait_for_url("**/before-your-injection")
    expect(page.get_by_role("heading", level=1)).to_have_text(content.BEFORE_TITLE)
    expect(page.get_by_text(content.BEFORE_CANNOT)).to_be_visible()
    expect(page.get_by_text(content.BEFORE_RISK_LUNG)).to_have_count(0)  # a low-back injection

    found = page.evaluate(OVERFLOW)
    screenshot(page, "before-injection-phone")
    assert found["page"] <= found["width"], f"the page is {found['page']} px wide at 390 px"
    assert found["out"] == [], found["out"]

    button = page.get_by_role("button", name=content.BEFORE_CONFIRM_BUTTON)
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    button.click()
    expect(page.locator("#has_read-error")).to_have_text(content.BEFORE_CONFIRM_MISSING)
    expect(page.get_by_role("checkbox")).to_have_attribute("aria-invalid", "true")

    page.get_by_label(content.BEFORE_CONFIRM_LABEL).check()
    page.get_by_role("button", name=content.BEFORE_CONFIRM_BUTTON).click()
    page.wait_for_url("**/today#main")
    expect(page.get_by_text(content.BEFORE_CONFIRM_SAVED)).to_be_visible()
    expect(page.locator("#before-injection-title")).to_have_count(0)
    assert page.errors == []

    sign_out(page)
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="James Okafor", exact=True).first.click()
    expect(page.locator("#procedure-consent")).to_contain_text("read and confirmed online by the patient")
