"""Keyboard only: every action on Today and the dashboard is reachable, visibly focused, and
htmx swaps put focus on the result."""

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in

pytestmark = pytest.mark.e2e

FOCUS_SHOWN = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return false; }
    const shown = (node) => { const s = getComputedStyle(node); return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2; };
    if (el.type === "radio" && el.parentElement.classList.contains("pain-option")) { return shown(el.nextElementSibling); }
    return shown(el);
}"""
DESCRIBE = """() => { const el = document.activeElement;
    return [el.tagName, el.id, el.getAttribute("name"), el.getAttribute("value"), (el.innerText || "").trim().slice(0, 40)].join("|"); }"""


def settled(page) -> None:
    """Wait until htmx has finished the swap and its settle, when the server's HX-Trigger-After-Settle
    moves focus to the result: a Tab pressed before that would have its focus taken back."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def tab_until(page, predicate, limit=120) -> list[str]:
    """Press Tab until `predicate(description)` holds; every stop must show its focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        description = page.evaluate(DESCRIBE)
        seen.append(description)
        assert page.evaluate(FOCUS_SHOWN), f"focus is not visible on {description}"
        if predicate(description):
            return seen
    raise AssertionError(f"never reached the target; stops: {seen}")


def test_todays_log_and_exercises_by_keyboard(phone):
    page = phone
    sign_in(page, "week8@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    tab_until(page, lambda d: d.startswith("INPUT|back_pain-0|back_pain"))
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # a real radio group: arrows move the choice
    expect(page.locator("#back_pain-3")).to_be_checked()
    tab_until(page, lambda d: d.startswith("INPUT||no_warning_signs"))
    page.keyboard.press("Space")
    tab_until(page, lambda d: "Save today's log" in d)
    page.keyboard.press("Enter")
    expect(page.locator("#daily-log")).to_contain_text("Saved. Thank you.")
    settled(page)
    expect(page.locator("#daily-log")).to_be_focused()  # the swap moves focus to the result

    stops = tab_until(page, lambda d: d.startswith("BUTTON|tick-"))
    assert any("Change this log" in stop for stop in stops)
    button_id = page.evaluate("document.activeElement.id")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{button_id}")).to_have_attribute("aria-pressed", "true")
    settled(page)
    expect(page.locator(f"#{button_id}")).to_be_focused()  # focus survives the row swap
    tab_until(page, lambda d: d.startswith("SUMMARY") and "How to do it" in d)
    page.keyboard.press("Enter")
    expect(page.locator("details.exercise__how:has(summary:focus)")).to_have_attribute("open", "")


def test_dashboard_by_keyboard(desktop):
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    tab_until(page, lambda d: d.startswith("SUMMARY") and "Acknowledge" in d)
    page.keyboard.press("Enter")
    tab_until(page, lambda d: d.startswith("TEXTAREA"))
    page.keyboard.type("Phoned, going to the ED")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    settled(page)
    expect(page.locator("[id^=acknowledged-]")).to_be_focused()
    tab_until(page, lambda d: d.startswith("SELECT"))
    page.keyboard.press("End")  # choose the last phase without a mouse
    expect(page.locator("#patient-table tbody tr")).to_have_count(1)  # Maintenance: Robert Chen
    settled(page)
    expect(page.locator("#filter-phase")).to_be_focused()
    tab_until(page, lambda d: d.startswith("A|sort-name"))
    page.keyboard.press("Enter")
    expect(page.locator("#sort-name")).to_be_focused()
    expect(page.locator("#patient-table th[aria-sort=ascending]")).to_have_text("Patient")
