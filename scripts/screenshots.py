"""Take the README's screenshots of the demo clinic, served by gunicorn: on a phone (390x844)
Today, the log with an error, the urgent message, the offline state, the questionnaires, the
patient's records, messages, and reminders and passkeys on the account page; on a desktop
(1280x800) the outcomes page, the RTM month report, the record's panels, the printable summary
and the therapist's dashboard with unread messages; an exercise's drawing, timer and "How did that
feel?", the Learn page and the exercise sheet (`--learning-only`); Today in Spanish
(`--spanish-only`); and every main staff page at 390
and 1280 px (`--staff-only` takes just those).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import demo_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("backtrack-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/*")


def shoot(page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    print(f"wrote docs/screenshots/{name}.png")


def show(page, selector: str, above: int = 16) -> None:
    page.locator(selector).first.scroll_into_view_if_needed()
    page.evaluate(f"window.scrollBy(0, -{above})")


def measures_and_records(browser, base: str) -> None:
    """The questionnaire card, a questionnaire, the trends beside pain and the records page."""
    page = browser.new_context(base_url=base, **PHONE).new_page()
    sign_in(page, "patient@example.com")
    show(page, ".questionnaire-card", 200)
    shoot(page, "questionnaire-card")
    page.get_by_role("link", name="Start: Weekly check-in").click()
    page.locator("label[for=pain-4]").click()
    shoot(page, "questionnaire-peg")
    page.goto("/records")
    shoot(page, "records")

    page = browser.new_context(base_url=base, **PHONE).new_page()
    sign_in(page, "evaluation@example.com")
    page.goto("/check-in/psfs")
    page.get_by_label("Activity 1").fill("Sit through a movie")
    page.locator("label[for=new_rating_0-3]").click()
    shoot(page, "questionnaire-psfs")

    page = browser.new_context(base_url=base, **PHONE).new_page()
    sign_in(page, "maintenance@example.com")
    show(page, ".trends__title", 120)
    shoot(page, "progress-measures")

    staff = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800}).new_page()
    sign_in_staff(staff, "admin@example.com")
    staff.goto("/therapist/outcomes")
    shoot(staff, "outcomes", full_page=True)
    staff.goto("/therapist/rtm")
    shoot(staff, "rtm-month", full_page=True)
    staff.goto("/admin/?q=robert")
    staff.get_by_role("link", name="Robert Chen").first.click()
    robert = staff.url.rstrip("/").split("/")[-1]
    staff.goto(f"/therapist/patients/{robert}")
    show(staff, "#measures", 8)
    shoot(staff, "record-measures")
    show(staff, "#rtm", 8)
    shoot(staff, "record-rtm")
    staff.goto(f"/therapist/patients/{robert}/summary")
    staff.emulate_media(media="print")
    shoot(staff, "summary", full_page=True)


def learning(browser, base: str) -> None:
    """An exercise opened (its drawing and steps), its timer running, "How did that feel?" after a
    tick, the lesson of the day on Today and the Learn page, and the printable exercise sheet."""
    page = browser.new_context(base_url=base, **PHONE).new_page()
    sign_in(page, "patient@example.com")
    row = page.locator("li.exercise").nth(1)
    row.locator("details.exercise__how summary").click()
    row.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -12)")
    shoot(page, "exercise-how")
    timed = page.locator("li.exercise:has([data-timer])").first
    timed.locator("[data-timer-start]").first.click()
    page.wait_for_timeout(4500)
    timed.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -12)")
    shoot(page, "exercise-timer")
    timed.locator("[data-timer-stop]").click()
    first = page.locator("li.exercise").first
    first.locator("button.exercise__tick, button.exercise__session").first.click()
    page.wait_for_selector("form.feeling")
    page.locator("form.feeling").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -120)")
    shoot(page, "exercise-feeling")
    page.goto("/learn")
    shoot(page, "learn")
    page.goto("/exercise-sheet")
    shoot(page, "exercise-sheet")
    page.context.close()


def spanish(browser, base: str) -> None:
    """Today in Spanish: the admin signs the Spanish translation off on the clinical-content sheet
    (the demo's admin stands in for the physician), Maria chooses Español on her account page."""
    page = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800}).new_page()
    sign_in_staff(page, "admin@example.com")
    page.goto("/admin/clinical-content")
    page.locator("#reviewed").check()
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    page.context.close()
    page = browser.new_context(base_url=base, **PHONE).new_page()
    sign_in(page, "patient@example.com")
    page.goto("/account")
    page.locator("#language-choice").select_option("es")
    page.locator("#language button[type=submit]").click()
    page.wait_for_load_state()
    page.goto("/today")
    shoot(page, "es-today")
    page.locator("#daily-log").scroll_into_view_if_needed()
    shoot(page, "es-daily-log")
    page.context.close()


def sign_in_staff(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("backtrack-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


STAFF_SHOTS = [  # name, who, path ({maria} is filled in), what to show first (else the page's top)
    ("dashboard", "therapist@example.com", "/therapist/", ""),
    ("patient-table", "therapist@example.com", "/therapist/", "#patient-table"),
    ("record", "therapist@example.com", "/therapist/patients/{maria}", ""),
    ("outcomes", "admin@example.com", "/therapist/outcomes", "#week-6-title"),
    ("alert-queue", "admin@example.com", "/therapist/alerts", ""),
    ("admin-account", "admin@example.com", "/admin/accounts/{maria}", ""),
    ("on-call", "admin@example.com", "/admin/on-call", ""),
]


SCREENS = {390: {**PHONE, "device_scale_factor": 1}, 1280: {"viewport": {"width": 1280, "height": 800}}}


def staff_pages(browser, base: str) -> None:
    """The staff pages on a phone and a desktop (issue 19: every one fits both)."""
    for width, screen in SCREENS.items():
        pages = {}
        for email in {email for _name, email, _path, _first in STAFF_SHOTS}:
            pages[email] = browser.new_context(base_url=base, **screen).new_page()
            sign_in_staff(pages[email], email)
        admin = pages["admin@example.com"]
        admin.goto("/admin/?q=patient%40example.com")
        admin.get_by_role("link", name="Maria Alvarez").first.click()
        maria = admin.url.rstrip("/").split("/")[-1]
        for name, email, path, first in STAFF_SHOTS:
            pages[email].goto(path.format(maria=maria))
            if first:
                show(pages[email], first, 12)
            shoot(pages[email], f"staff-{name}-{width}")


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        demo_server(Path(tmp) / "shots.sqlite3", LANGUAGES="en es") as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if "--records-only" in sys.argv:  # just the questionnaire, outcome and record screens
            measures_and_records(browser, base)
            return
        if "--spanish-only" in sys.argv:  # Today in Spanish, once the translation is signed off
            spanish(browser, base)
            return
        if "--learning-only" in sys.argv:  # the exercise rows, lessons and the exercise sheet
            learning(browser, base)
            return
        if "--staff-only" in sys.argv:
            staff_pages(browser, base)
            return
        page = browser.new_context(base_url=base, **PHONE).new_page()
        sign_in(page, "week1@example.com")
        shoot(page, "today")
        page.locator("#daily-log").get_by_role("button", name="Save today's log").click()
        page.wait_for_selector("#daily-log .form-error")
        page.locator("#daily-log .form-error").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -80)")
        shoot(page, "log-error")

        page = browser.new_context(base_url=base, **PHONE).new_page()
        sign_in(page, "redflag@example.com")
        page.get_by_role("alert").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        shoot(page, "urgent-message")

        page = browser.new_context(base_url=base, **PHONE).new_page()
        sign_in(page, "week8@example.com")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.context.set_offline(True)
        log = page.locator("#daily-log")
        log.locator("label[for=back_pain-3]").click()
        log.get_by_text("No, none of these").click()
        log.get_by_role("button", name="Save today's log").click()
        page.wait_for_selector("[data-kept]")
        page.locator("#daily-log").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -40)")
        shoot(page, "offline-kept")
        page.reload()
        page.wait_for_selector("#offline-title")
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "offline-page")
        measures_and_records(browser, base)
        learning(browser, base)

        page = browser.new_context(base_url=base, **PHONE).new_page()
        sign_in(page, "patient@example.com")
        page.goto("/messages")
        page.locator("#composer").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -260)")
        shoot(page, "messages")
        page.goto("/account#passkeys")
        page.evaluate("window.scrollBy(0, -10)")
        shoot(page, "account-passkeys-reminders")
        page.goto("/sign-in")  # signed in: back to Today; sign out to see the sign-in page
        page.get_by_role("button", name="Sign out", exact=True).click()
        page.wait_for_url("**/sign-in")
        shoot(page, "sign-in-passkey")

        page = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800}).new_page()
        sign_in(page, "therapist@example.com")
        shoot(page, "dashboard-messages")
        staff_pages(browser, base)
        spanish(browser, base)
        browser.close()


if __name__ == "__main__":
    main()
