"""Spanish in a real browser (gunicorn + headless Chromium) at the phone's size: the clinic offers
Spanish, the physician signs off its translation, and a patient chooses Español on the sign-in
page, signs in with the Spanish form and reads the account page in Spanish; the show-password
button's words, which the script takes from the page, are Spanish too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, demo_clinic_server, screenshot, sign_in, sign_out, watched_page
from tests.test_spanish_account import english_left

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


def test_a_patient_chooses_spanish_signs_in_and_reads_the_account_page_in_spanish(browser, spanish_server):
    sign_off_the_sheet(browser, spanish_server)
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
