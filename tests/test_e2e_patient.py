"""A patient's day in a real browser: gunicorn, headless Chromium, a 390×844 phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot, sign_in

pytestmark = pytest.mark.e2e
NO_PAGE_LOAD = "window.__sameDocument === true"


def mark_document(page) -> None:
    """A flag on window survives htmx swaps but not a page load."""
    page.evaluate("window.__sameDocument = true")


def test_a_patients_day_on_a_phone(phone):
    page = phone
    sign_in(page, "patient@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi, Maria")
    expect(page.locator("#phase-title")).to_have_text("Weeks 3–6: restore function")
    expect(page.get_by_text("Day 20 after your injection · week 3")).to_be_visible()
    screenshot(page, "today-phone")
    mark_document(page)

    first = page.locator("li.exercise").first
    exercise_id = first.get_attribute("id")
    first.locator("button.exercise__tick").click()
    done = page.locator(f"#{exercise_id}")
    expect(done).to_have_class(re.compile(r"\bis-done\b"))
    expect(done.locator("button.exercise__tick")).to_have_attribute("aria-pressed", "true")

    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-3]").click()
    log.get_by_text("No, none of these").click()
    log.get_by_label("Note (optional)").fill("Stiff after sitting at work")
    with page.expect_response(re.compile(r"/today/progress-figures$")):  # the card asks again
        log.get_by_role("button", name="Save today's log").click()
    expect(page.locator("#daily-log")).to_contain_text("Saved. Thank you.")
    expect(page.locator("#daily-log")).to_contain_text("Stiff after sitting at work")
    assert page.evaluate(NO_PAGE_LOAD), "the log was saved with a page load, not a swap"
    figures = page.locator("#progress-figures").inner_text()

    page.get_by_role("link", name="Change this log").click()
    log = page.locator("#daily-log")
    expect(log.get_by_label("No, none of these")).to_be_checked()
    log.get_by_label("No, none of these").uncheck()
    log.get_by_label("New or worse weakness in a leg or foot").check()
    log.get_by_role("button", name="Save today's log").click()
    urgent = page.get_by_role("alert")
    expect(urgent).to_contain_text("Go to the emergency department now or call 911.")
    expect(urgent.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(urgent.get_by_role("link", name=re.compile("Call the clinic"))).to_have_count(0)  # one action
    expect(urgent).to_be_focused()
    assert page.evaluate(NO_PAGE_LOAD)
    screenshot(page, "urgent-message-phone")

    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("Go to the emergency department now")
    expect(page.locator("#daily-log")).to_contain_text("3/10")
    assert page.locator("#progress-figures").inner_text() == figures  # the card had the new average
    expect(page.locator(f"#{exercise_id}")).to_have_class(re.compile(r"\bis-done\b"))
    assert page.errors == [], page.errors


def test_an_invalid_log_shows_the_message_in_place_and_keeps_the_note(phone):
    page = phone
    sign_in(page, "week8@example.com")
    mark_document(page)
    log = page.locator("#daily-log")
    log.get_by_label("Note (optional)").fill("Forgot the number")
    log.get_by_role("button", name="Save today's log").click()
    expect(page.locator("#daily-log")).to_contain_text("Choose a number from 0 to 10.")
    expect(page.locator("#daily-log").get_by_label("Note (optional)")).to_have_value("Forgot the number")
    assert page.evaluate(NO_PAGE_LOAD)
    screenshot(page, "log-error-phone")
    assert page.errors == [], page.errors


def test_the_daily_log_works_without_javascript(phone_without_javascript):
    page = phone_without_javascript
    sign_in(page, "week1@example.com")
    expect(page.locator("#phase-title")).to_have_text("Weeks 1–2: calm and protect")
    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-5]").click()
    log.locator("label[for=leg_pain-2]").click()
    log.get_by_text("No, none of these").click()
    log.get_by_role("button", name="Save today's log").click()
    page.wait_for_url(re.compile(r"/today#daily-log$"))
    expect(page.locator("#daily-log")).to_contain_text("Saved. Thank you.")
    page.reload()
    expect(page.locator("#daily-log")).to_contain_text("5/10")
    expect(page.locator("#daily-log")).to_contain_text("Leg pain")

    once_a_day = page.locator("li.exercise", has=page.locator("button.exercise__tick")).first
    exercise_id = once_a_day.get_attribute("id")
    once_a_day.get_by_role("button").click()
    expect(page.locator(f"#{exercise_id}")).to_have_class(re.compile(r"\bis-done\b"))
