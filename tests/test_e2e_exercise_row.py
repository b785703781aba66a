"""The exercise row on Today in a real browser at 390 px: a short list to tick, the steps one tap
away (fetched when opened; the service worker keeps each row's, so any row opens offline)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in, wait_until_true

pytestmark = pytest.mark.e2e
MOST_EXERCISES = "other1@example.com"  # the demo patient with the longest list today
KEPT_ALL_GUIDES = """async () => {
    const cache = await caches.open("backtrack-guides");
    const urls = [...document.querySelectorAll(".exercise__guide a[data-guide]")].map(a => a.getAttribute("href"));
    const kept = await Promise.all(urls.map(url => cache.match(new Request(url, {headers: {"HX-Request": "true"}}))));
    return urls.length > 0 && kept.every(Boolean);
}"""  # this page's rows, each kept (the cache may hold others' from earlier tests)
CLOSED_ROW_PX = 180  # name, dose, picture and tick(s); with the drawing and steps shown a row was 300-450


def test_the_steps_stay_hidden_until_the_patient_opens_them(phone):
    page = phone
    sign_in(page, MOST_EXERCISES)
    rows = page.locator("li.exercise")
    assert rows.count() >= 10
    for index in range(rows.count()):
        row = rows.nth(index)
        expect(row.locator(".thumb")).to_be_visible()
        expect(row.locator(".steps")).to_be_hidden()
        expect(row.locator("figure")).to_be_hidden()
        box = row.bounding_box()
        assert box is not None
        assert box["height"] <= CLOSED_ROW_PX, (index, box)
    first = rows.first
    first.get_by_text("How to do it").click()
    expect(first.locator(".steps")).to_be_visible()
    expect(first.locator(".steps li").first).to_be_visible()
    expect(first.get_by_text("Stop:")).to_be_visible()
    expect(first.locator("figure")).to_be_visible()
    expect(rows.nth(1).locator(".steps")).to_be_hidden()  # one opens, not all
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert page.errors == [], page.errors


def test_the_steps_open_without_javascript(phone_without_javascript):
    page = phone_without_javascript
    sign_in(page, MOST_EXERCISES)
    first = page.locator("li.exercise").first
    name = first.locator(".exercise__name").inner_text()
    expect(first.locator(".steps")).to_be_hidden()
    first.get_by_text("How to do it").click()
    first.get_by_role(
        "link", name=re.compile(rf"^Show the steps\s*: {re.escape(name)}$")
    ).click()  # its own page
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.locator(".steps li").first).to_be_visible()
    expect(page.get_by_text("Stop:")).to_be_visible()
    page.get_by_role("link", name="← Today", exact=True).click()
    expect(page.locator("li.exercise").first).to_be_visible()


def test_every_row_of_a_today_read_online_opens_offline(phone):
    """Today carries no steps, but once it has loaded the service worker fetches each row's, in
    the background: with the signal gone, any row still opens."""
    page = phone
    sign_in(page, MOST_EXERCISES)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    rows = page.locator("li.exercise")
    count = rows.count()
    wait_until_true(page, KEPT_ALL_GUIDES)
    expect(page.locator(".steps")).to_have_count(0)  # not in the page until opened
    page.context.set_offline(True)
    for index in (0, count - 1):
        rows.nth(index).get_by_text("How to do it").click()
        expect(rows.nth(index).locator(".steps li").first).to_be_visible()  # from the phone's copy
    page.context.set_offline(False)
    assert page.errors == [], page.errors


def test_after_a_tick_the_patient_says_how_it_felt(phone):
    page = phone
    sign_in(page, "maintenance@example.com")
    page.evaluate("window.__sameDocument = true")
    row = page.locator(
        "li.exercise", has=page.locator("button.exercise__tick:not([aria-pressed=true])")
    ).first
    exercise_id = row.get_attribute("id")
    row = page.locator(f"#{exercise_id}")
    expect(row.get_by_text("How did that feel?")).to_have_count(0)
    row.locator("button.exercise__tick").click()
    expect(row.get_by_text("How did that feel?")).to_be_visible()
    row.get_by_role("button", name="It hurt more").click()
    expect(row.get_by_role("button", name="It hurt more")).to_have_attribute("aria-pressed", "true")
    expect(row.get_by_role("status")).to_contain_text("Go easy on this one next time")
    expect(row.get_by_role("button", name="About right")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__sameDocument === true"), "the answer was sent with a page load"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.reload()
    expect(page.locator(f"#{exercise_id}").get_by_role("button", name="It hurt more")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.errors == [], page.errors


def test_how_it_felt_is_told_without_javascript(phone_without_javascript):
    page = phone_without_javascript
    sign_in(page, "week8@example.com")
    row = page.locator(
        "li.exercise", has=page.locator("button.exercise__tick:not([aria-pressed=true])")
    ).first
    exercise_id = row.get_attribute("id")
    row.locator("button.exercise__tick").click()
    row = page.locator(f"#{exercise_id}")
    row.get_by_role("button", name="Easier than last time").click()
    expect(
        page.locator(f"#{exercise_id}").get_by_role("button", name="Easier than last time")
    ).to_have_attribute("aria-pressed", "true")
