"""What the first week's users found, checked in the browser: the urgent message and its call
buttons on the first screen of a phone, aftercare early on injection day, a long note read in full
and a dose form that stays aligned on a desktop."""

import itertools

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot, sign_in

pytestmark = pytest.mark.e2e


def inside_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_warning_sign_and_its_call_buttons_are_on_the_first_screen(phone):
    page = phone
    sign_in(page, "redflag@example.com")
    urgent = page.locator("#urgent [role=alert]")
    expect(urgent).to_contain_text("Go to the emergency department now or call 911")
    assert inside_first_screen(page, urgent.get_by_role("link", name="Call 911"))
    assert inside_first_screen(page, urgent.locator(".urgent__calls a").last)
    screenshot(page, "urgent-first-phone")
    assert page.errors == []


def test_saving_a_warning_sign_brings_its_message_to_the_top(phone):
    page = phone
    sign_in(page, "week8@example.com")
    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-5]").click()
    log.get_by_label("Fever of 100.4 °F (38.0 °C) or more, or chills").check()
    log.get_by_role("button", name="Save today's log").click()
    urgent = page.locator("#urgent [role=alert]")
    expect(urgent).to_contain_text("Fever of 100.4 °F")
    expect(urgent).to_be_focused()
    assert inside_first_screen(page, urgent)  # focus scrolled it into view, at the top of the page
    assert page.evaluate(
        "document.querySelector('#urgent').compareDocumentPosition("
        "document.querySelector('#daily-log')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert page.errors == []


def test_on_injection_day_aftercare_comes_right_after_the_phase(phone):
    page = phone
    sign_in(page, "injection@example.com")
    order = page.evaluate(
        "Array.from(document.querySelectorAll('.today > section')).map(s => s.getAttribute('aria-labelledby') || s.id)"
    )
    assert order[:3] == ["phase-title", "aftercare-title", "nsaid-title"], order
    assert order.index("aftercare-title") < order.index("daily-log-title")


def test_the_record_shows_a_whole_note_and_an_aligned_dose_form(desktop):
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="Maria Alvarez").first.click()
    note = page.locator("#logs td.note", has_text="Walked to the park")
    expect(note).to_contain_text("Sleeping better than last week.")
    wrap = page.locator("#logs .table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), "the log table scrolls sideways"
    box, frame = note.bounding_box(), wrap.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1

    item = page.locator("#plan .plan__item", has_text="Bird-dog").first
    item.get_by_text("Change dose").click()
    item.get_by_label("Reps").fill("abc")
    item.get_by_role("button", name="Save dose").click()
    item = page.locator("#plan .plan__item", has_text="Bird-dog").first
    expect(item.locator(".field-error").first).to_contain_text("Enter a whole number")
    tops = {
        round(box["y"])
        for box in (i.bounding_box() for i in item.locator(".dose-field:not(.dose-field--wide) input").all())
    }
    rows = sorted(tops)
    assert all(later - earlier > 30 for earlier, later in itertools.pairwise(rows)), tops
    screenshot(page, "record-note-and-dose-desktop")
