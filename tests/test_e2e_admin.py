"""The front desk in a real browser: a new patient, a treatment, a sign-in link, deactivation."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_new_patient_from_desk_to_phone_and_deactivation(desktop, browser, live_server, today):
    admin = desktop
    sign_in(admin, "admin@example.com", lands_on="**/admin/")
    admin.get_by_role("link", name="New account").click()
    admin.get_by_label("Full name").fill("Nora Quinn")
    admin.get_by_label("Email").fill("nora.quinn@example.com")
    admin.get_by_label("Role").select_option("patient")
    admin.get_by_role("button", name="Create account and sign-in link").click()
    expect(admin.get_by_role("heading", name="Account created")).to_be_visible()
    expect(admin.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(admin.get_by_role("button", name="Copy link")).to_be_visible()
    link = admin.get_by_label("Sign-in link").input_value()
    assert re.fullmatch(rf"{live_server}/setup/[A-Za-z0-9_-]{{40,}}", link)
    screenshot(admin, "admin-setup-link-desktop")

    admin.get_by_role("link", name="Schedule a treatment").click()
    admin.get_by_label("Evaluation (visit 1)").fill((today - timedelta(days=10)).isoformat())
    admin.get_by_label("Injection (visit 2)").fill((today - timedelta(days=3)).isoformat())
    admin.get_by_label("Condition").select_option("lumbar_facet")
    admin.get_by_label("Facet joints").check()
    admin.get_by_label("Baseline back pain (0–10)").fill("7")
    admin.get_by_label("Responsible clinician").select_option(label="Sam Patel")
    admin.get_by_role("button", name="Schedule treatment").click()
    expect(admin.get_by_text("Treatment scheduled.")).to_be_visible()

    phone_context = browser.new_context(base_url=live_server, **PHONE)
    phone = phone_context.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Welcome, Nora")).to_be_visible()
    phone.get_by_label("New password").fill("river lamp orange cloud")
    phone.get_by_role("button", name="Show").click()
    expect(phone.get_by_label("New password")).to_have_attribute("type", "text")
    phone.get_by_role("button", name="Save and sign in").click()
    phone.wait_for_url("**/today")
    expect(phone.locator("#phase-title")).to_have_text("Weeks 1–2: calm and protect")
    expect(phone.get_by_text("Day 3 after your injection · week 1")).to_be_visible()

    admin.get_by_role("link", name="Deactivate account…").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Deactivate")
    admin.get_by_role("button", name=re.compile(r"^Yes, deactivate")).click()
    expect(admin.get_by_text("is deactivated and signed out everywhere")).to_be_visible()
    phone.get_by_role("link", name="History").click()
    phone.wait_for_url(re.compile(r"/sign-in\?next="))
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    assert admin.errors == [], admin.errors
    phone_context.close()


GAPS = """sel => { const boxes = [...document.querySelectorAll(sel)].map(b => b.getBoundingClientRect());
    const gaps = [];
    for (let i = 0; i < boxes.length; i++) { for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        gaps.push(Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom));
    } }
    return gaps; }"""


@pytest.mark.parametrize("screen", [PHONE, {"viewport": {"width": 1280, "height": 800}}], ids=["390", "1280"])
def test_the_account_page_labels_closing_a_treatment_and_spaces_its_buttons(browser, live_server, screen):
    context = browser.new_context(base_url=live_server, **screen)
    page = context.new_page()
    sign_in(page, "admin@example.com", lands_on="**/admin/")
    page.get_by_role("link", name="Maria Alvarez").first.click()
    close_as = page.get_by_label("Close this treatment as")
    expect(close_as).to_be_visible()
    expect(page.locator("label", has_text="Close this treatment as")).to_be_visible()
    expect(close_as).to_have_accessible_description(re.compile("Cancelled: it stopped early"))
    expect(page.get_by_role("button", name="Close treatment")).to_be_visible()
    gaps = page.evaluate(GAPS, "main .button, main select.input")
    assert min(gaps) >= 8, f"controls {min(gaps)} px apart"
    context.close()
