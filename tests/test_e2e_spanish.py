"""Spanish in a real browser (gunicorn + headless Chromium) at the phone's size: the clinic offers
Spanish, the physician signs off its translation, and a patient chooses Español on the sign-in
page, signs in with the Spanish form and reads the account page in Spanish; the show-password
button's words, which the script takes from the page, are Spanish too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.care import content
from tests.browser import PHONE, demo_clinic_server, screenshot, sign_in, sign_out, watched_page
from tests.test_spanish_account import english_left, spanish

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def spanish_server(migrated_app, database_url, clock):
    """The demo clinic on gunicorn, offering English and Spanish."""
    with demo_clinic_server(migrated_app, database_url, clock.date(), LANGUAGES="en es") as url:
        yield url


def sign_off_the_sheet(browser, base_url: str) -> None:
    """The physician signs the clinical-content sheet: the English and, beside it, the Spanish."""
    with watched_page(browser, base_url, viewport={"width": 1280, "height": 800}) as admin:
        sign_in(admin, "admin@example.com", lands_on="**/admin/")
        admin.goto("/admin/clinical-content")
        expect(admin.get_by_text("Español", exact=False).first).to_be_visible()
        admin.locator("#reviewed").check()
        admin.get_by_role("button", name=re.compile("^Sign off version")).click()
        expect(admin.get_by_role("button", name=re.compile("^Sign off version"))).to_have_count(0)
        sign_out(admin)
        assert admin.errors == []


@pytest.fixture(scope="module")
def signed_off(browser, spanish_server):
    """The Spanish server once its sheet is signed, as a clinic serves Spanish."""
    sign_off_the_sheet(browser, spanish_server)
    return spanish_server


def test_a_patient_chooses_spanish_signs_in_and_reads_the_account_page_in_spanish(browser, signed_off):
    spanish_server = signed_off
    with watched_page(browser, spanish_server, **PHONE) as phone:
        phone.goto("/sign-in")
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        phone.get_by_label(re.compile("^Language")).select_option("es")
        phone.get_by_role("button", name="Change language").click()
        expect(phone.locator("html")).to_have_attribute("lang", "es")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Entrar")
        assert english_left(phone.locator("main").inner_text()) == []
        screenshot(phone, "es-sign-in")

        phone.get_by_label("Correo", exact=True).fill("patient@example.com")
        phone.get_by_label("Contraseña", exact=True).fill("backtrack-demo")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Entrar", exact=True).click()
        phone.wait_for_url("**/today")
        expect(phone.locator("html")).to_have_attribute("lang", "es")

        phone.get_by_role("link", name="Cuenta", exact=True).click()
        phone.wait_for_url("**/account")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Su cuenta")
        expect(phone.get_by_role("heading", name="Dónde tiene la sesión abierta")).to_be_visible()
        main = phone.locator("main").inner_text()
        assert english_left(main, "Maria Alvarez", "patient@example.com") == []
        show = phone.get_by_role("button", name="Mostrar")
        show.click()  # the script's own word for it comes from the page
        expect(phone.get_by_role("button", name="Ocultar")).to_be_visible()
        expect(phone.locator("#password")).to_have_attribute("type", "text")
        fits = phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, "the Spanish account page is wider than the phone"
        screenshot(phone, "es-account")
        assert phone.errors == []


def sign_in_in_spanish(phone, email: str) -> None:
    """Español chosen on the sign-in page, then the Spanish form."""
    phone.goto("/sign-in")
    phone.get_by_label(re.compile("^Language")).select_option("es")
    phone.get_by_role("button", name="Change language").click()
    phone.get_by_label("Correo", exact=True).fill(email)
    phone.get_by_label("Contraseña", exact=True).fill("backtrack-demo")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Entrar", exact=True).click()
    phone.wait_for_url("**/today")


def test_a_spanish_speaking_patients_day_on_a_phone(browser, signed_off, migrated_app):
    """Everything an English-speaking patient does, in Spanish: an exercise ticked and how it felt,
    the log with a warning sign and its urgent card, History, Records, Messages, Learn, and an
    offline page."""
    with migrated_app.app_context():
        es = {
            text: spanish(text)
            for text in (
                content.TODAYS_EXERCISES,
                content.FEELING_QUESTION,
                content.ALL_ALERT_FLAGS["leg_weakness"].question,
                content.SAVE_TODAYS_LOG,
                content.EMERGENCY_AFTER_INJECTION,
                content.NAV_HISTORY,
                content.NAV_RECORDS,
                content.NAV_MESSAGES,
                content.LEARN_TITLE,
                content.OFFLINE_TITLE,
            )
        }
    with watched_page(browser, signed_off, **PHONE) as phone:
        sign_in_in_spanish(phone, "week8@example.com")
        expect(phone.locator("html")).to_have_attribute("lang", "es")
        expect(phone.get_by_role("heading", name=es[content.TODAYS_EXERCISES])).to_be_visible()

        row = phone.locator("li.exercise").first
        row.locator("button.exercise__tick, button.exercise__session").first.click()
        feeling = phone.locator("form.feeling")
        expect(feeling).to_contain_text(es[content.FEELING_QUESTION])
        assert english_left(feeling.inner_text()) == []

        log = phone.locator("#daily-log")
        log.locator("label[for=back_pain-4]").click()
        log.get_by_label(es[content.ALL_ALERT_FLAGS["leg_weakness"].question]).check()
        log.get_by_role("button", name=es[content.SAVE_TODAYS_LOG]).click()
        urgent = phone.get_by_role("alert")
        expect(urgent).to_contain_text(es[content.EMERGENCY_AFTER_INJECTION])
        expect(urgent.get_by_role("link", name=re.compile("911"))).to_have_attribute("href", "tel:911")
        assert english_left(urgent.inner_text()) == []
        screenshot(phone, "es-urgent-phone")

        for path, heading in (
            ("/history", content.NAV_HISTORY),
            ("/records", content.NAV_RECORDS),
            ("/messages", content.NAV_MESSAGES),
            ("/learn", content.LEARN_TITLE),
        ):
            phone.goto(path)
            expect(phone.locator("html")).to_have_attribute("lang", "es")
            title = re.compile(re.escape(es[heading]), re.IGNORECASE)  # "Su historial"
            expect(phone.get_by_role("heading", level=1)).to_contain_text(title)

        phone.goto("/today")
        phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
        phone.reload()
        phone.context.set_offline(True)
        phone.goto("/records")  # not kept: the offline page, in Spanish
        expect(phone.get_by_role("heading", level=1)).to_have_text(es[content.OFFLINE_TITLE])
        assert english_left(phone.locator("main").inner_text()) == []
        phone.context.set_offline(False)
        assert [error for error in phone.errors if "ERR_INTERNET_DISCONNECTED" not in error] == []
