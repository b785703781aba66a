"""The exercise timer in a real browser: a patient starts it from the keyboard on a phone, the
holds are counted with a tone and a buzz at each hold's end, the live region says each rep's end,
and it goes on with the network gone (the page came through the service worker). On a wide
screen in dark mode with reduced motion it fits, and its bar does not animate."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import PlanItem
from tests.browser import ARTIFACTS, PHONE, sign_in, watched_page

pytestmark = pytest.mark.e2e
PATIENT = "week8@example.com"
HOLD_SECONDS = 2  # a short hold on a real plan item, so the test waits for real seconds
REPS = 2
# Counts the browser's own tone and buzz calls and passes each one on (the page's code is untouched).
LISTEN = """
window.__tones = 0; window.__buzzes = [];
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) { window.__tones += 1; return start.apply(this, args); };
const vibrate = navigator.vibrate ? navigator.vibrate.bind(navigator) : () => false;
navigator.vibrate = (pattern) => { window.__buzzes.push(pattern); return vibrate(pattern); };
"""


def shorten_a_hold(migrated_app, page, sets: int | None = None) -> str:
    """Sets the first row with a hold to REPS holds of HOLD_SECONDS (in the database, as a
    therapist's change would) and reloads; returns the row's id."""
    row_id = page.locator(
        "li.exercise", has=page.locator("[data-timer]:not([data-hold='0'])")
    ).first.get_attribute("id")
    assert row_id, "the demo patient has no exercise with a hold today"
    with migrated_app.app_context():
        item = db.session.get(PlanItem, int(row_id.removeprefix("exercise-")))
        item.sets, item.reps, item.hold_seconds = sets, REPS, HOLD_SECONDS
        db.session.commit()
    page.reload()
    return row_id


def test_the_timer_counts_holds_by_keyboard_with_the_network_gone(browser, live_server, migrated_app):
    with watched_page(browser, live_server, **PHONE) as page:
        page.add_init_script(LISTEN)
        sign_in(page, PATIENT)
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        row_id = shorten_a_hold(migrated_app, page)
        assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
        row = page.locator(f"#{row_id}")
        timer = row.locator("[data-timer]")
        said = timer.locator("[aria-live=polite]")
        untimed = page.locator("li.exercise", has_not=page.locator("[data-timer]"))
        assert untimed.count() > 0
        expect(untimed.first.get_by_role("button", name="Start timer")).to_have_count(0)

        page.context.set_offline(True)
        pressed = row.locator("button[aria-pressed=true]").count()
        row.locator("button[aria-pressed]").last.focus()
        page.keyboard.press("Tab")  # the timer comes next after the row's tick
        start = timer.get_by_role("button", name="Start timer")
        expect(start).to_be_focused()
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        pause = timer.get_by_role("button", name="Pause")
        expect(pause).to_be_focused()
        expect(said).to_have_text("Get ready.")
        expect(timer.locator("[data-timer-where]")).to_have_text(f"Rep 1 of {REPS}")

        page.keyboard.press("Space")  # pause, then go on
        expect(said).to_have_text("Paused. Press Go on when you are ready.")
        expect(timer.get_by_role("button", name="Go on")).to_be_focused()
        frozen = timer.locator("[data-timer-count]").text_content()
        page.wait_for_timeout(1500)
        expect(timer.locator("[data-timer-count]")).to_have_text(frozen or "")
        page.keyboard.press("Space")

        expect(said).to_have_text(f"Rep 1 of {REPS}. Hold. Keep breathing.", timeout=10_000)
        expect(timer.locator("[data-timer-phase]")).to_have_text("Hold. Keep breathing.")
        row.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "exercise-timer-phone.png"))
        expect(said).to_have_text("Rep 1 done. Now relax.", timeout=5_000)
        expect(timer.locator("[data-timer-phase]")).to_have_text("Now relax.")
        assert page.evaluate("window.__tones") >= 2  # the hold's start and its end
        assert 200 in page.evaluate("window.__buzzes")
        expect(timer.locator("[data-timer-where]")).to_have_text(f"Rep 2 of {REPS}")
        expect(said).to_have_text("All done. Well done!", timeout=10_000)
        assert page.evaluate("window.__buzzes").count(200) == REPS - 1  # and one pattern at the end
        assert [200, 100, 200] in page.evaluate("window.__buzzes")
        tick = timer.get_by_role("button", name="Mark it done")
        expect(tick).to_be_focused()
        name = row.locator(".exercise__name").text_content()
        # Its controls came from the page's parts; the row's name is filled in for a screen reader.
        expect(tick).to_have_accessible_name(re.compile(rf"^Mark it done\s*:\s*{re.escape(name or '?')}$"))
        expect(timer.get_by_role("button", name="Start again")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.context.set_offline(False)
        page.keyboard.press("Enter")  # the row's own tick, sent now the phone is online
        expect(page.locator(f"#{row_id} button[aria-pressed=true]")).to_have_count(pressed + 1)
        expect(page.locator(f"#{row_id}").get_by_role("button", name="Start timer")).to_be_visible()
        assert [error for error in page.errors if "ERR_INTERNET_DISCONNECTED" not in error] == []


def test_between_sets_the_patient_starts_the_next_one(browser, live_server, migrated_app):
    with watched_page(browser, live_server, **PHONE) as page:
        sign_in(page, PATIENT)
        row_id = shorten_a_hold(migrated_app, page, sets=2)
        timer = page.locator(f"#{row_id} [data-timer]")
        said = timer.locator("[aria-live=polite]")
        timer.get_by_role("button", name="Start timer").click()
        expect(timer.locator("[data-timer-where]")).to_have_text(f"Rep 1 of {REPS} · Set 1 of 2")
        expect(said).to_have_text(
            "Set 1 done. Rest as long as you need, then start the next set.", timeout=15_000
        )
        next_set = timer.get_by_role("button", name="Start the next set")
        expect(next_set).to_be_focused()
        page.keyboard.press("Enter")
        expect(timer.locator("[data-timer-where]")).to_have_text(f"Rep 1 of {REPS} · Set 2 of 2")
        timer.get_by_role("button", name="Stop").click()
        expect(said).to_have_text("The timer has stopped.")
        expect(timer.get_by_role("button", name="Start again")).to_be_focused()
        assert page.errors == [], page.errors


def test_on_a_wide_screen_in_dark_mode_it_fits_and_its_bar_keeps_still(browser, live_server, migrated_app):
    options = {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark", "reduced_motion": "reduce"}
    with watched_page(browser, live_server, **options) as page:
        sign_in(page, PATIENT)
        row_id = shorten_a_hold(migrated_app, page)
        timer = page.locator(f"#{row_id} [data-timer]")
        timer.get_by_role("button", name="Start timer").click()
        expect(timer.get_by_role("button", name="Pause")).to_be_visible()
        assert (
            timer.locator("[data-timer-fill]").evaluate("e => getComputedStyle(e).transitionDuration") == "0s"
        )
        expect(timer.locator("[aria-live=polite]")).to_have_text(
            f"Rep 1 of {REPS}. Hold. Keep breathing.", timeout=10_000
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.locator(f"#{row_id}").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "exercise-timer-desktop-dark.png"))
        assert page.errors == [], page.errors
