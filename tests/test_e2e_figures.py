"""Exercise drawings in a real browser on a 390 px phone: every picture on Today draws (its parts
used from the cached SVG file) under the strict CSP with no console error, in the page's colour in
light and dark, moving gently only when motion is welcome, and kept for offline use."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.care import poses
from tests.browser import screenshot, sign_in

pytestmark = pytest.mark.e2e

# The drawn size of every visible picture's parts (0 when a <use> found nothing to draw).
DRAWN = """() => [...document.querySelectorAll('.exercise .figure svg')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .map(svg => [...svg.querySelectorAll('use')].map(use => use.getBBox().width))"""
STROKE_AND_TEXT = """() => {
    const figure = document.querySelector('.exercise .figure svg');
    return [getComputedStyle(figure).stroke, getComputedStyle(document.body).color];
}"""


def drawn_widths(page) -> list[list[float]]:
    page.wait_for_function(f"() => ({DRAWN})().flat().every(width => width > 0)")
    return page.evaluate(DRAWN)


def test_the_pictures_draw_on_a_phone_with_no_console_errors(phone):
    page = phone
    sign_in(page, "patient@example.com")
    thumbnails = page.locator(".exercise__how summary .thumb")
    expect(thumbnails.first).to_be_visible()  # a small still beside each name, before any tap
    figures = page.locator(".exercise .figure")
    expect(figures).to_have_count(0)  # the full drawing is fetched when "How to do it" opens
    summaries = page.locator(".exercise__how summary")
    for summary in summaries.all():
        summary.click()
    expect(figures).to_have_count(summaries.count())
    expect(figures.first).to_be_visible()
    count = figures.count()
    assert count >= 3
    for index in range(count):
        label = figures.nth(index).get_attribute("aria-label") or ""
        assert label in {drawing.alt for drawing in poses.DRAWINGS.values()}
        expect(figures.nth(index)).to_have_attribute("role", "img")

    # Motion welcome (the default): one moving panel each, both positions drawn and animated.
    widths = drawn_widths(page)
    assert len(widths) == count
    assert all(len(parts) == 2 for parts in widths)
    end = page.locator(".exercise .figure__end").first
    assert end.evaluate("use => getComputedStyle(use).animationName") == "figure-end"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "exercise-pictures-phone")

    # Reduced motion: start and end side by side, nothing moving.
    page.emulate_media(reduced_motion="reduce")
    widths = drawn_widths(page)
    assert all(len(parts) == 3 for parts in widths)  # start, arrow, end
    assert end.evaluate("use => getComputedStyle(use).animationName") == "none"

    # Dark: the strokes are the page's text colour, light on dark.
    stroke, text = page.evaluate(STROKE_AND_TEXT)
    assert stroke == text
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    dark_stroke, dark_text = page.evaluate(STROKE_AND_TEXT)
    assert dark_stroke == dark_text
    assert dark_stroke != stroke
    page.locator(".exercise .figure").first.scroll_into_view_if_needed()
    screenshot(page, "exercise-pictures-phone-dark")
    assert page.errors == []


def test_the_pictures_are_kept_for_offline_use(phone):
    page = phone
    sign_in(page, "patient@example.com")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    urls = page.evaluate(  # the thumbnails' files: the full drawings use the same ones
        "[...new Set([...document.querySelectorAll('.exercise .thumb use')].map(u => u.getAttribute('href').split('#')[0]))]"
    )
    assert urls
    cached = page.evaluate(
        """async (urls) => {
            const found = [];
            for (const url of urls) { if (await caches.match(url)) { found.push(url); } }
            return found;
        }""",
        urls,
    )
    assert sorted(cached) == sorted(urls)
    page.context.set_offline(True)
    bodies = page.evaluate(
        "async (urls) => Promise.all(urls.map(url => fetch(url).then(r => r.text())))", urls
    )
    page.context.set_offline(False)
    for url, body in zip(urls, bodies, strict=True):
        slug = re.search(r"/exercise-drawings/([a-z_]+)\.svg", url)
        assert slug
        assert body == poses.svg_for(slug.group(1))
    assert page.errors == []


def test_the_plan_editor_shows_the_pictures_at_1280(desktop):
    """Each exercise of the plan editor with the still of its start position beside its name,
    drawn from the cached file (the whole drawing is on the patient's steps and the sheet)."""
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="Maria Alvarez").first.click()
    page.wait_for_url(re.compile(r"/therapist/patients/\d+$"))
    plan = page.locator("#plan details[open] .plan__head .thumb")
    expect(plan.first).to_be_visible()
    assert plan.count() == page.locator("#plan details[open] .plan__item").count()
    page.wait_for_function(
        """() => [...document.querySelectorAll('#plan details[open] .thumb use')]
            .every(use => use.getBBox().width > 0)"""
    )
    plan.first.scroll_into_view_if_needed()
    screenshot(page, "exercise-pictures-plan-desktop")
    assert page.errors == []
