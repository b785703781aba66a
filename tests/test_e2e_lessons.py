"""A patient on a phone (390 px): the lesson of the day on Today opens, "Got it" marks it read
without leaving the page, and the Learn page, linked from Today, fits the screen and shows it read.

The patient's menu has no room for a sixth item at 390 px (with "Learn" its items need 418 px of
the 377 there are), so the Learn page is linked from Today's lesson card, not from the menu."""

import re

import pytest
from playwright.sync_api import expect

from app.care import content
from tests.browser import screenshot, sign_in
from tests.test_e2e_fit import OVERFLOW

pytestmark = pytest.mark.e2e

LESSON = content.LESSON_FIRST_TWO_WEEKS  # the injection day's lesson

# The menu's items, each whole inside the menu bar, with no sideways scroll.
MENU_FITS = """() => {
    const bar = document.querySelector('.site-nav__main');
    const box = bar.getBoundingClientRect();
    const links = [...bar.querySelectorAll('a')].map(a => a.getBoundingClientRect());
    return {scrolls: bar.scrollWidth > bar.clientWidth + 1,
            out: links.filter(r => r.left < box.left - 0.5 || r.right > box.right + 0.5).length};
}"""


def fits(page, name: str) -> None:
    found = page.evaluate(OVERFLOW)
    screenshot(page, f"lessons-{name}-390")
    assert found["page"] <= found["width"], f"{name} is {found['page']} px wide"
    assert found["out"] == [], f"{name}: {found['out']}"


def test_a_patient_reads_the_lesson_of_the_day_and_learn_shows_it_read(phone):
    sign_in(phone, "injection@example.com")
    card = phone.locator(".lesson-card")
    expect(card).to_contain_text(LESSON.title)
    assert phone.evaluate(MENU_FITS) == {"scrolls": False, "out": 0}
    card.get_by_role("link", name=content.LESSON_READ_IT).click()
    phone.wait_for_url(f"**/learn/{LESSON.key}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(LESSON.title)
    fits(phone, "lesson")
    got_it = phone.get_by_role("button", name=content.LESSON_GOT_IT)
    got_it.scroll_into_view_if_needed()
    got_it.click()
    expect(phone.locator("#lesson-read")).to_contain_text("You read this on")
    assert phone.url.endswith(f"/learn/{LESSON.key}")  # htmx swapped the region in place
    expect(phone.locator("#lesson-read")).to_be_focused()
    phone.goto("/today")
    phone.locator(".lesson-card").get_by_role("link", name=content.LESSON_ALL).click()
    phone.wait_for_url("**/learn")
    item = phone.locator(f"#lesson-{LESSON.key}")
    expect(item).to_contain_text(content.LESSON_READ)
    expect(item).not_to_contain_text(content.LESSON_NOT_READ)
    expect(phone.locator(".lesson-item")).to_have_count(len(content.LESSONS))
    assert phone.locator(".lesson-item:not(.is-read)").count() == len(content.LESSONS) - 1
    fits(phone, "learn")
    phone.goto("/today")
    expect(phone.locator(".lesson-card")).to_contain_text(re.compile("You read this on"))
    expect(phone.get_by_role("navigation", name="Main").get_by_role("link", name="Today")).to_have_attribute(
        "aria-current", "page"
    )
    assert phone.errors == []
