"""The clinic's exercise library in a real browser: the physician edits Walking and signs the new
version; Maria keeps her version until her therapist updates it from the plan editor."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot, sign_in, sign_out

pytestmark = pytest.mark.e2e


def test_a_new_version_reaches_a_patient_only_when_signed_and_updated(desktop, phone):
    admin = desktop
    sign_in(admin, "admin@example.com", lands_on="**/admin/")
    admin.get_by_role("link", name="Exercise library").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Exercise library")
    admin.locator("#library tr", has_text="Walking").get_by_role("link", name=re.compile("^Edit")).click()
    admin.get_by_label("Name").fill("Walking outside")
    admin.get_by_label("Steps, one per line").fill("Walk outside on a flat path.\nKeep an easy pace.")
    admin.locator("#restore-minutes").fill("500")
    admin.get_by_role("button", name="Save as a draft").click()
    expect(admin.locator("#restore-minutes-error")).to_have_text("Enter a number from 1 to 180.")
    expect(admin.get_by_label("Name")).to_have_value("Walking outside")  # nothing typed is lost
    admin.locator("#restore-minutes").fill("25")
    admin.get_by_role("button", name="Save as a draft").click()
    expect(admin.locator("#version-status")).to_contain_text("Draft: no patient sees it until it is signed.")
    screenshot(admin, "admin-library-draft-desktop")

    sign_in(phone, "patient@example.com")
    expect(phone.locator(".exercise__name", has_text="Walking").first).to_have_text("Walking")

    admin.get_by_role("button", name="Sign off version 2").click()
    expect(admin.get_by_text("Tick the box to confirm you have reviewed this version.")).to_be_visible()
    admin.get_by_label(re.compile("I have reviewed this version")).check()
    admin.get_by_role("button", name="Sign off version 2").click()
    expect(admin.get_by_text("is signed off. New prescriptions use it.")).to_be_visible()
    sign_out(admin)

    phone.reload()
    expect(phone.get_by_text("Walking outside")).to_have_count(0)  # her plan keeps version 1

    sign_in(admin, "therapist@example.com", lands_on="**/therapist/")
    admin.get_by_role("link", name="Maria Alvarez").first.click()
    plan = admin.locator("#plan")
    walking = plan.locator("details[open] .plan__item", has_text="A newer version is signed").first
    expect(walking).to_contain_text("Maria still sees version 1 until you update it.")
    admin.evaluate("window.__sameDocument = true")
    walking.get_by_role("button", name=re.compile("^Update to version 2")).click()
    expect(admin.locator("#plan .plan__item", has_text="Walking outside").first).to_be_visible()
    assert admin.evaluate("window.__sameDocument === true")  # htmx swapped the plan in place

    phone.reload()
    expect(phone.locator(".exercise__name", has_text="Walking outside").first).to_be_visible()
    assert admin.errors == [], admin.errors
    assert phone.errors == [], phone.errors
