"""The safety net in a real browser (gunicorn + headless Chromium, a 390×844 phone): a warning sign
written in a note, in a message, and in a note kept offline, each answered with the urgent card first
on the screen, and "Did you get help?" answered on the card."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Alert, User
from tests.browser import ARTIFACTS, sign_in, watched_page

pytestmark = pytest.mark.e2e
NOTE = "my bottom and groin feel numb and I wet myself this morning. Legs feel weak."
MESSAGE = "chest pain and can't breathe well… numb in my groin"
OFFLINE_NOTE = "Since lunch I can't feel my bottom and my leg keeps giving way"


def first_on_screen(page, card) -> None:
    """The card is on the first screen of the phone, above everything else but the header."""
    expect(card).to_be_visible()
    top = card.evaluate("element => element.getBoundingClientRect().top")
    bottom = card.evaluate("element => element.getBoundingClientRect().bottom")
    assert 0 <= top < 300, top
    assert bottom > top


def on_screen(page, name: str) -> None:
    """What the phone shows now (the viewport, not the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def alerts_of(migrated_app, email: str) -> list[tuple[str, str, str]]:
    with migrated_app.app_context():
        patient_id = db.session.scalar(sa.select(User.id).where(User.email == email))
        rows = db.session.scalars(sa.select(Alert).where(Alert.patient_id == patient_id).order_by(Alert.id))
        return [(a.symptom, a.source, a.help_answer or "") for a in rows]


def test_a_warning_written_in_a_note_puts_the_urgent_card_first_and_asks_did_you_get_help(
    phone, migrated_app
):
    page = phone
    sign_in(page, "silent@example.com")
    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-3]").click()
    log.get_by_text("No, none of these").click()
    log.get_by_label("Note (optional)").fill(NOTE)
    log.get_by_role("button", name="Save today's log").click()
    card = page.locator("#urgent [role=alert]")
    expect(card).to_contain_text("Go to the emergency department now or call 911.")
    expect(card).to_contain_text("Do not drive yourself.")
    expect(card).to_contain_text("You wrote: “wet myself”.")
    expect(card.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(card).to_be_focused()
    first_on_screen(page, card)
    on_screen(page, "safety-note-urgent-phone")
    card.get_by_role("button", name="I called").click()
    expect(page.locator("#urgent")).to_contain_text("Thank you. You told us you called.")
    page.reload()
    first_on_screen(page, page.locator("#urgent [role=alert]"))
    expect(page.get_by_role("button", name="I called")).to_have_attribute("aria-pressed", "true")
    assert alerts_of(migrated_app, "silent@example.com") == [
        ("saddle_numbness", "words", "called"),
        ("bladder_bowel", "words", "called"),
        ("leg_weakness", "words", "called"),
    ]
    assert page.errors == [], page.errors


def test_a_warning_written_in_a_message_puts_the_urgent_card_first(phone, migrated_app):
    page = phone
    sign_in(page, "week8@example.com")
    page.goto("/messages")
    expect(page.locator(".warning-list li").first).to_contain_text(": Go to the emergency department now")
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_role("button", name="Send").click()
    card = page.locator("#urgent [role=alert]")
    expect(card).to_contain_text("Go to the emergency department now or call 911.")
    expect(card).to_be_focused()
    first_on_screen(page, card)
    on_screen(page, "safety-message-urgent-phone")
    expect(page.locator("#composer")).to_contain_text("Your message is sent. It may tell of a warning sign")
    assert {symptom for symptom, _source, _help in alerts_of(migrated_app, "week8@example.com")} == {
        "saddle_numbness",
        "chest_symptoms",
    }
    assert page.errors == [], page.errors


def test_a_warning_written_in_a_note_kept_offline_is_answered_before_it_is_sent(phone, migrated_app):
    page = phone
    sign_in(page, "week1@example.com")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the service worker, which keeps the phrase lists with the shell
    page.context.set_offline(True)
    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-5]").click()
    log.get_by_text("No, none of these").click()
    log.get_by_label("Note (optional)").fill(OFFLINE_NOTE)
    log.get_by_role("button", name="Save today's log").click()
    card = page.locator("#daily-log [role=alert]")
    expect(card).to_contain_text("Go to the emergency department now or call 911.")
    expect(card).to_contain_text(
        "You wrote: “can't feel my bottom”. This may mean: Numb skin in the groin, buttocks or inner "
        "thighs (the parts you sit on). This can mean pressure on the nerves at the base of the spine."
    )
    expect(card).not_to_contain_text("You told us")  # the lead-in for the note only
    expect(card.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(card.get_by_role("link", name="Call the clinic")).to_have_count(0)
    expect(page.locator("#daily-log")).to_contain_text("Saved on this phone.")
    first_on_screen(page, card)
    on_screen(page, "safety-offline-urgent-phone")
    assert alerts_of(migrated_app, "week1@example.com") == []  # nothing has reached the server yet
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#status")).to_contain_text("Your log kept on this phone was sent.")
    assert {(s, source) for s, source, _h in alerts_of(migrated_app, "week1@example.com")} == {
        ("saddle_numbness", "words"),
        ("leg_weakness", "words"),
    }
    page.goto("/today")
    first_on_screen(page, page.locator("#urgent [role=alert]"))
    assert [e for e in page.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_alert_queue_fits_a_phone_and_a_desktop(browser, live_server, width):
    with watched_page(browser, live_server, viewport={"width": width, "height": 844}) as page:
        sign_in(page, "admin@example.com", lands_on="**/admin/")
        page.goto("/therapist/alerts")
        expect(page.get_by_role("heading", name="Alert queue")).to_be_visible()
        expect(page.locator(".queue__item--emergency").first).to_contain_text("Linda Moore")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        on_screen(page, f"alert-queue-{width}")
        assert page.errors == [], page.errors
