"""axe-core finds nothing on any page or state, on a phone and on a desktop screen."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services.accounts.accounts import issue_setup_link
from tests.browser import PHONE, axe_violations

pytestmark = pytest.mark.e2e

SCREENS = {
    "phone": PHONE,
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone-dark": {**PHONE, "color_scheme": "dark"},
}
PAGES = [
    ("sign-in", None, "/sign-in"),
    ("not-found", None, "/no-such-page"),
    ("offline", None, "/offline"),
    *[
        (f"today-{who}", f"{who}@example.com", "/today")
        for who in ("evaluation", "injection", "week1", "patient", "week8", "maintenance", "redflag", "nsaid")
    ],
    ("history", "patient@example.com", "/history"),
    ("progress", "patient@example.com", "/progress"),
    ("progress-maintenance", "maintenance@example.com", "/progress"),
    ("records", "patient@example.com", "/records"),
    ("learn", "patient@example.com", "/learn"),
    ("lesson", "injection@example.com", "/learn/first_two_weeks"),
    ("summary", "maintenance@example.com", "/summary"),
    ("questionnaire-peg", "week8@example.com", "/check-in/peg"),
    ("questionnaire-psfs", "evaluation@example.com", "/check-in/psfs"),
    ("account", "patient@example.com", "/account"),
    ("messages", "patient@example.com", "/messages"),
    ("staff-messages", "therapist@example.com", "/patients/{maria}/messages"),
    ("forbidden", "patient@example.com", "/admin/"),
    ("dashboard", "therapist@example.com", "/therapist/"),
    ("dashboard-filtered", "therapist@example.com", "/therapist/?attention=1&sort=name&order=desc"),
    ("record", "therapist@example.com", "/therapist/patients/{maria}"),
    ("outcomes", "therapist@example.com", "/therapist/outcomes"),
    ("rtm-month", "therapist@example.com", "/therapist/rtm"),
    ("staff-summary", "therapist@example.com", "/therapist/patients/{maria}/summary"),
    ("accounts", "admin@example.com", "/admin/?q=a"),
    ("admin-account", "admin@example.com", "/admin/accounts/{maria}"),
    ("new-account", "admin@example.com", "/admin/accounts/new"),
    ("treatment", "admin@example.com", "/admin/treatments/{maria_treatment}"),
    ("settings", "admin@example.com", "/admin/settings"),
    ("audit", "admin@example.com", "/admin/audit"),
    ("clinical-content", "admin@example.com", "/admin/clinical-content"),
    ("exercise-library", "admin@example.com", "/admin/library"),
    ("library-exercise", "admin@example.com", "/admin/library/new"),
    ("library-edit", "admin@example.com", "/admin/library/{walking}/edit"),  # with its photo form
    ("deactivate", "admin@example.com", "/admin/accounts/{maria}/deactivate"),
    ("log-yesterday", "redflag@example.com", "/log/{yesterday}/edit"),
    ("messages-urgent", "redflag@example.com", "/messages"),
    ("medicines", "evaluation@example.com", "/medicines"),
    ("before-injection", "evaluation@example.com", "/before-your-injection"),
    ("alert-queue", "admin@example.com", "/therapist/alerts"),
    ("on-call", "admin@example.com", "/admin/on-call"),
]


@pytest.fixture(scope="module")
def ids(migrated_app, live_server, clock):
    from app.models import Exercise, Treatment

    with migrated_app.app_context():
        maria = db.session.scalar(sa.select(User).where(User.email == "patient@example.com"))
        treatment = db.session.scalar(sa.select(Treatment.id).where(Treatment.patient_id == maria.id))
        return {
            "maria": maria.id,
            "maria_treatment": treatment,
            "yesterday": clock.date() - timedelta(days=1),
            "walking": db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == "walking")),
        }


def check(page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


# Every page on a phone and a desktop; dark mode on the pages people use every day.
CASES = [(screen, *page) for screen in ("phone", "desktop") for page in PAGES] + [
    ("phone-dark", *page) for page in PAGES if page[0].startswith(("today", "sign-in", "dashboard"))
]


@pytest.mark.parametrize(("screen", "name", "email", "path"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_page_has_no_axe_violations(signed_in_pages, ids, screen, name, email, path):
    page = signed_in_pages.page_for(email, SCREENS[screen])
    page.goto(path.format(**ids))
    check(page)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_states_have_no_axe_violations(signed_in_pages, migrated_app, screen):
    """The states between pages: a sign-in error, a log with errors, the setup page."""
    anonymous = signed_in_pages.page_for(None, SCREENS[screen])
    anonymous.goto("/sign-in")
    anonymous.get_by_role("button", name="Sign in", exact=True).click()
    anonymous.wait_for_selector(".field-error")
    check(anonymous)

    patient = signed_in_pages.page_for("week8@example.com", SCREENS[screen])
    patient.goto("/today")
    patient.get_by_role("button", name="Save today's log").click()
    patient.wait_for_selector("#daily-log .form-error")
    check(patient)

    with migrated_app.app_context():
        token = issue_setup_link(
            db.session.scalar(sa.select(User).where(User.email == "other2@example.com")), None
        )
        db.session.commit()
    anonymous.goto(f"/setup/{token}")
    anonymous.get_by_role("button", name="Save and sign in").click()
    anonymous.wait_for_selector(".field-error")
    check(anonymous)


PATIENT_PAGES = (
    "today",
    "progress",
    "sign-in",
    "offline",
    "history",
    "account",
    "records",
    "summary",
    "questionnaire",
    "messages",
)
REFLOW_PAGES = [p for p in PAGES if p[0].startswith(PATIENT_PAGES)]


@pytest.mark.parametrize(("name", "email", "path"), REFLOW_PAGES, ids=[p[0] for p in REFLOW_PAGES])
def test_patient_pages_reflow_at_320_css_pixels(signed_in_pages, ids, name, email, path):
    """WCAG 1.4.10: at 320 px (a phone at 200 % zoom, near enough) nothing scrolls sideways."""
    page = signed_in_pages.page_for(email, {"viewport": {"width": 320, "height": 640}})
    page.goto(path.format(**ids))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"


SMALL_TARGETS = """() => {
    const small = [];
    const box = (el) => el.getBoundingClientRect();
    const controls = document.querySelectorAll("button, summary, select, textarea, input, a.button, .site-nav a, .brand");
    for (const el of controls) {
        if (el.type === "hidden" || el.closest("template") || el.offsetParent === null && el.type !== "radio" && el.type !== "checkbox") { continue; }
        const target = (el.type === "radio" || el.type === "checkbox") ? (el.closest("label") || el.nextElementSibling) : el;
        const r = box(target);
        if (r.width && r.height && (r.width < 44 || r.height < 44)) {
            small.push(`${target.tagName}.${target.className} "${(target.innerText || el.name || "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
        }
    }
    return small;
}"""
TAP_PAGES = [p for p in PAGES if p[0].startswith(PATIENT_PAGES)]


@pytest.mark.parametrize(("name", "email", "path"), TAP_PAGES, ids=[p[0] for p in TAP_PAGES])
def test_patient_tap_targets_are_at_least_44_pixels(signed_in_pages, ids, name, email, path):
    page = signed_in_pages.page_for(email, PHONE)
    page.goto(path.format(**ids))
    assert page.evaluate(SMALL_TARGETS) == []
