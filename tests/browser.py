"""Fixtures for end-to-end tests: the app served by a real gunicorn on loopback, and Debian's
Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from app.demo.clinic import build_demo_clinic
from bench.server import gunicorn
from tests.clock import server_environment
from tests.conftest import CHEAP_HASHING, ROOT, TEST_AUDIT_KEY, TEST_SECRET, delete_all_rows

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
ARTIFACTS = ROOT / "test-artifacts"
HTMX_COPY = ROOT / "app" / "static" / "vendor" / "htmx.min.js"


CLOCKED_APP = "tests.clocked_wsgi:app"  # the app on the tests' clock

# Chromium reaches gunicorn here with no nginx in front (production has one: docs/deploying.md),
# and a sync worker is held from a connection's opening to its answer: a socket the browser opens
# ahead of need and leaves idle stops one of the two workers until the browser drops it. Threaded
# workers wait for a request's first bytes without tying anyone up, as nginx's buffering does.
BROWSER_FACING = ("--worker-class", "gthread", "--threads", "4")

# How long an assertion on a page waits for it to come true: Playwright's 5 s is short on a CI
# host with a test worker and a Chromium on each core; a passing test never waits for it.
EXPECT_SECONDS = 15


def live_server_environment(database_url: str) -> dict[str, str]:
    """What a live server process runs with: the test database, the tests' secret key (every host
    of a test signs cookies alike), plain-HTTP cookies, cheap hashing and the tests' clock."""
    return os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "HTMX_URL": "/static/vendor/htmx.min.js",
        "BACKTRACK_SESSION_COOKIE_SECURE": "false",
        "BACKTRACK_REMEMBER_COOKIE_SECURE": "false",
        **{f"BACKTRACK_{key}": str(value) for key, value in CHEAP_HASHING.items()},
        **server_environment(),
    }


@contextmanager
def demo_clinic_server(
    migrated_app,
    database_url: str,
    today: date,
    prepare: Callable[[], None] | None = None,
    **environment: str,
) -> Iterator[str]:
    """gunicorn with two threaded workers over the test database, holding the demo clinic built
    for `today`, on this process's controlled clock; yields its base URL and empties the database after.
    `prepare` runs in the app's context once the demo is built, before the server starts (a
    language signed off, say); `environment` adds to the server's settings."""
    assert HTMX_COPY.exists(), "run `make test` (it copies htmx from the npm package)"
    with migrated_app.app_context():
        delete_all_rows()
        build_demo_clinic(today)
        if prepare is not None:
            prepare()
    try:
        with gunicorn(
            live_server_environment(database_url) | environment, app=CLOCKED_APP, options=BROWSER_FACING
        ) as url:
            yield url
    finally:
        with migrated_app.app_context():
            delete_all_rows()


@pytest.fixture(scope="module")
def live_server(migrated_app, database_url, clock):
    """The demo clinic on gunicorn for a module's browser tests, on the run's day."""
    with demo_clinic_server(migrated_app, database_url, clock.date()) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_SECONDS * 1000)

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make test` (it installs chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleErrors(list):
    """Console errors and CSP violations seen by a page; a test asserts there are none.
    A 422 is the answer to invalid input (the form comes back with messages), not an error."""

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.append(str(error)))
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.append(
                f"{message.text} (at {message.location.get('url')}:{message.location.get('lineNumber')})"
            )

    def _on_response(self, response) -> None:
        if response.status >= 400 and response.status != 422:
            self.append(f"{response.status} {response.url}")


@contextmanager
def watched_page(browser, base_url: str, **options):
    """A page in a fresh context whose console errors and failed requests land in `page.errors`."""
    context = browser.new_context(base_url=base_url, **options)
    page = context.new_page()
    page.errors = ConsoleErrors()
    page.errors.watch(page)
    try:
        yield page
    finally:
        if page.errors:  # shown with a failing test's output: the refusal behind a missing swap
            print("console errors and failed requests:", *page.errors, sep="\n  ")
        context.close()


@pytest.fixture
def phone(browser, live_server):
    with watched_page(browser, live_server, **PHONE) as page:
        yield page


@pytest.fixture
def desktop(browser, live_server):
    with watched_page(browser, live_server, viewport={"width": 1280, "height": 800}) as page:
        yield page


@pytest.fixture
def phone_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, **PHONE)
    yield context.new_page()
    context.close()


def sign_in(page, email: str, password: str = "backtrack-demo", lands_on: str = "**/today") -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lands_on)


def wait_until_true(page, script: str, arg=None, seconds: float = 15) -> None:
    """Poll an async page script until it answers true: `page.wait_for_function` takes the promise
    an async function returns for a true answer, so it would not wait for the cache's reply."""
    for _ in range(int(seconds * 5)):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(200)
    assert page.evaluate(script, arg), script


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/sign-in")


SHOT_HEIGHT = 8000  # CSS px: the clinical content sheet on a phone is ~150,000 (a 230-megapixel image)


def screenshot(page, name: str) -> Path:
    """The page from its top, whole up to SHOT_HEIGHT: enough to look at, and quick to take on a
    busy machine."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, SHOT_HEIGHT)}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    return path


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """axe-core's findings for the page as it is now, one line each ("" when clean)."""
    assert AXE.exists(), "run `make test` (it installs axe-core from npm)"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
            v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`)"""
    )
    return list(found)


class SignedInPages:
    """One signed-in browser context per person and screen, reused across a module's tests.
    bypass_csp lets the test inject axe-core; the app itself never runs inline code."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser, self.base_url, self.pages = browser, base_url, {}

    def page_for(self, email: str | None, screen: dict):
        key = (email, repr(screen))
        if key not in self.pages:
            context = self.browser.new_context(base_url=self.base_url, bypass_csp=True, **screen)
            page = context.new_page()
            if email:
                sign_in(page, email, lands_on="**/*")
            self.pages[key] = page
        return self.pages[key]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def signed_in_pages(browser, live_server):
    pages = SignedInPages(browser, live_server)
    yield pages
    pages.close()
