"""The installed app with no connection: a daily log kept on the phone, sent exactly once later."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import DailyLog, LogSubmission, User
from tests.browser import screenshot, sign_in, sign_out

pytestmark = pytest.mark.e2e

TICKED_LEG_WEAKNESS = (
    "You told us: New or worse weakness in a leg or foot, or new numbness in one or both legs. "
    "This can mean pressure on a nerve."
)


def stored_logs(migrated_app, email, day):
    with migrated_app.app_context():
        patient_id = db.session.scalar(sa.select(User.id).where(User.email == email))
        logs = db.session.scalars(
            sa.select(DailyLog).where(DailyLog.patient_id == patient_id, DailyLog.day == day)
        ).all()
        keys = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LogSubmission)
            .where(LogSubmission.patient_id == patient_id)
        )
        return [(log.back_pain, log.leg_weakness, log.note) for log in logs], keys


def test_a_log_kept_offline_reaches_the_server_exactly_once(phone, migrated_app, today):
    page = phone
    sign_in(page, "silent@example.com")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone"

    page.context.set_offline(True)
    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-4]").click()
    log.get_by_label("New or worse weakness in a leg or foot").check()
    log.get_by_label("Note (optional)").fill("Kept while the signal was gone")
    log.get_by_role("button", name="Save today's log").click()
    urgent = page.get_by_role("alert", name="Warning sign")  # named as the online card is
    expect(urgent).to_contain_text("Go to the emergency department now or call 911.")
    expect(urgent.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(urgent).to_contain_text(TICKED_LEG_WEAKNESS)  # the lead-in for a tick, the other one gone
    expect(urgent).not_to_contain_text("You wrote")
    expect(page.locator("#daily-log")).to_contain_text(
        "Saved on this phone. It will be sent when you are back online."
    )
    screenshot(page, "offline-kept-phone")
    assert stored_logs(migrated_app, "silent@example.com", today) == ([], 0)

    page.reload()
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    screenshot(page, "offline-page-phone")

    page.context.set_offline(False)  # the offline page hears `online` and sends at once
    expect(page.locator("#status")).to_contain_text("Your log kept on this phone was sent.")
    page.goto("/today")
    page.reload()  # loading again (a second chance to replay) must not send it twice
    expect(page.locator("#daily-log")).to_contain_text("Kept while the signal was gone")
    expect(page.get_by_role("alert")).to_contain_text("Go to the emergency department now")
    expect(page.get_by_role("alert")).to_contain_text(TICKED_LEG_WEAKNESS)  # as the phone said it
    logs, keys = stored_logs(migrated_app, "silent@example.com", today)
    assert logs == [(4, True, "Kept while the signal was gone")]
    assert keys == 1
    assert page.evaluate("BacktrackQueue.count()") == 0
    assert [e for e in page.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_an_emergency_kept_offline_lists_a_same_day_sign_for_the_emergency_team(phone, migrated_app, today):
    """An emergency and a same-day sign ticked offline: the emergency's block with its lead-in, the
    same-day sign in the list for the emergency team (not a block of its own), as the server says it."""
    page = phone
    sign_in(page, "nsaid@example.com")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.context.set_offline(True)
    log = page.locator("#daily-log")
    log.locator("label[for=back_pain-6]").click()
    log.get_by_label("New or worse weakness in a leg or foot").check()
    log.get_by_label("Fever of 100.4").check()
    log.get_by_role("button", name="Save today's log").click()
    urgent = page.get_by_role("alert", name="Warning sign")
    expect(urgent).to_contain_text("Go to the emergency department now or call 911.")
    expect(urgent).to_contain_text(TICKED_LEG_WEAKNESS)
    team = urgent.locator(".urgent__also")
    expect(team).to_contain_text("Tell the emergency team about these too:")
    expect(team.locator("li")).to_have_text(["Fever of 100.4 °F (38.0 °C) or more, or chills"])
    expect(urgent.locator(".urgent__item")).to_have_count(1)  # the fever has no block of its own
    expect(urgent).not_to_contain_text("You wrote")
    phone_said = urgent.locator(".urgent__item").inner_text()
    assert stored_logs(migrated_app, "nsaid@example.com", today) == ([], 0)
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#status")).to_contain_text("Your log kept on this phone was sent.")
    page.goto("/today")
    server = page.get_by_role("alert")
    expect(server.locator(".urgent__item")).to_have_text([phone_said])  # the phone said what we say
    expect(server).to_contain_text("Fever of 100.4 °F (38.0 °C) or more, or chills")
    assert [e for e in page.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_a_replay_of_the_same_kept_log_is_answered_not_applied(phone, migrated_app, today):
    """Two tabs (or the page and Background Sync) sending the same kept log: one entry."""
    page = phone
    sign_in(page, "injection@example.com")
    page.evaluate("""async () => {
        const item = {key: "replay-test-key-1", day: document.querySelector("form.log-form").action.match(/\\d{4}-\\d{2}-\\d{2}/)[0],
                      fields: [["back_pain", "3"], ["medication", "none"], ["no_warning_signs", "y"], ["note", "twice"]],
                      savedAt: Date.now()};
        await BacktrackQueue.add(item);
        const first = await BacktrackQueue.sendAll();
        await BacktrackQueue.add(item);
        const second = await BacktrackQueue.sendAll();
        return [first[0].status, second[0].status];
    }""")
    logs, keys = stored_logs(migrated_app, "injection@example.com", today)
    assert logs == [(3, False, "twice")]
    assert keys == 1


def test_signing_out_clears_the_phone_and_warns_about_unsent_logs(phone):
    page = phone
    sign_in(page, "week8@example.com")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.evaluate(
        """BacktrackQueue.add({key: "unsent-key-0001", day: "2026-01-01", fields: [], savedAt: Date.now()})"""
    )
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.locator("#status")).to_contain_text("has not been sent yet")
    assert page.url.endswith("/today")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(re.compile(r"/sign-in$"))
    cached = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) { urls.push(new URL(request.url).pathname); }
        }
        return urls;
    }""")
    assert not [url for url in cached if not (url.startswith("/static/") or url == "/offline")]
    assert page.evaluate("BacktrackQueue.count()") == 0


def test_the_offline_page_asks_only_what_this_phones_patient_is_asked(phone):
    """Maria (facet joints, lumbar) is asked neither leg pain nor chest symptoms online, so the
    offline page, the same file for everyone, leaves both out on her phone; Tom (nerve pain down the
    leg) gets the leg pain scale offline too."""
    page = phone
    sign_in(page, "patient@example.com")
    expect(page.locator("#daily-log fieldset[data-question=leg_pain]")).to_have_count(0)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto("/offline")
    form = page.locator("form[data-offline-log]")
    expect(form.locator("fieldset.pain-scale")).to_have_count(1)
    expect(form.get_by_text("Leg pain right now")).to_have_count(0)
    expect(form.get_by_text("New chest pain or trouble breathing")).to_have_count(0)
    expect(form.get_by_label("New or worse weakness in a leg or foot")).to_be_visible()
    screenshot(page, "offline-page-asks-what-maria-is-asked-phone")

    page.goto("/today")
    sign_out(page)
    sign_in(page, "week1@example.com")
    expect(page.locator("#daily-log fieldset[data-question=leg_pain]")).to_have_count(1)
    page.goto("/offline")
    form = page.locator("form[data-offline-log]")
    expect(form.locator("fieldset[data-question=leg_pain]")).to_be_visible()
    expect(form.get_by_text("New chest pain or trouble breathing")).to_have_count(0)
    assert page.errors == [], page.errors
