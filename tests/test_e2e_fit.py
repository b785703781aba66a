"""Every staff page fits a 390 px phone and a 1280 px desktop: the page never scrolls sideways and
no element sticks out of the viewport. A wide table may scroll, but only inside its own box, with
its first column kept in view; at 1280 px the dashboard's and the outcomes' tables fit whole."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Exercise, ExerciseVersion, Treatment, User
from tests.browser import PHONE, screenshot

pytestmark = pytest.mark.e2e

SCREENS = {"390": PHONE, "1280": {"viewport": {"width": 1280, "height": 800}}}
STAFF_PAGES = [
    ("dashboard", "therapist@example.com", "/therapist/"),
    ("record", "therapist@example.com", "/therapist/patients/{maria}"),
    ("record-robert", "therapist@example.com", "/therapist/patients/{robert}"),
    ("outcomes", "therapist@example.com", "/therapist/outcomes"),
    ("outcomes-clinic", "admin@example.com", "/therapist/outcomes"),
    ("rtm-month", "therapist@example.com", "/therapist/rtm"),
    ("alert-queue", "admin@example.com", "/therapist/alerts"),
    ("staff-messages", "therapist@example.com", "/patients/{maria}/messages"),
    ("staff-summary", "therapist@example.com", "/therapist/patients/{maria}/summary"),
    ("therapist-account", "therapist@example.com", "/account"),
    ("accounts", "admin@example.com", "/admin/?q=a"),
    ("admin-account", "admin@example.com", "/admin/accounts/{maria}"),
    ("admin-record", "admin@example.com", "/therapist/patients/{maria}"),
    ("new-account", "admin@example.com", "/admin/accounts/new"),
    ("treatment", "admin@example.com", "/admin/treatments/{maria_treatment}"),
    ("settings", "admin@example.com", "/admin/settings"),
    ("audit", "admin@example.com", "/admin/audit"),
    ("clinical-content", "admin@example.com", "/admin/clinical-content"),
    ("exercise-library", "admin@example.com", "/admin/library"),
    ("library-exercise", "admin@example.com", "/admin/library/new"),
    ("library-edit", "admin@example.com", "/admin/library/{walking}/edit"),  # with its photo form
    ("library-version", "admin@example.com", "/admin/library/versions/{walking_version}"),
    ("deactivate", "admin@example.com", "/admin/accounts/{maria}/deactivate"),
    ("api-clients", "admin@example.com", "/admin/api-clients"),
    ("on-call", "admin@example.com", "/admin/on-call"),
    ("admin-account-page", "admin@example.com", "/account"),
]

# What sticks out: the page's own sideways scroll, and every element whose box leaves the
# viewport, unless a scrolling box that itself fits holds it (a table in its .table-wrap).
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const holds = (el) => {
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
            if (box instanceof SVGElement) { continue; }  // an svg clips its drawing, not the page
            const style = getComputedStyle(box);
            if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) {
                const r = box.getBoundingClientRect();
                return r.left >= -0.5 && r.right <= width + 0.5;
            }
        }
        return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (!r.width || (r.left >= -0.5 && r.right <= width + 0.5) || holds(el)) { continue; }
        if (el.closest(".visually-hidden, .skip-link")) { continue; }
        out.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class')} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return {page: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""


@pytest.fixture(scope="module")
def ids(migrated_app, live_server):
    with migrated_app.app_context():
        user_id = {
            email: db.session.scalar(sa.select(User.id).where(User.email == email))
            for email in ("patient@example.com", "maintenance@example.com")
        }
        maria = user_id["patient@example.com"]
        return {
            "maria": maria,
            "robert": user_id["maintenance@example.com"],
            "maria_treatment": db.session.scalar(
                sa.select(Treatment.id).where(Treatment.patient_id == maria)
            ),
            "walking": db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == "walking")),
            "walking_version": db.session.scalar(
                sa.select(ExerciseVersion.id)
                .join(Exercise, Exercise.id == ExerciseVersion.exercise_id)
                .where(Exercise.slug == "walking")
            ),
        }


CASES = [(screen, *page) for page in STAFF_PAGES for screen in SCREENS]


@pytest.mark.parametrize(("screen", "name", "email", "path"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_staff_page_fits_the_screen(signed_in_pages, ids, screen, name, email, path):
    page = signed_in_pages.page_for(email, SCREENS[screen])
    response = page.goto(path.format(**ids))
    assert response.status == 200
    found = page.evaluate(OVERFLOW)
    screenshot(page, f"fit-{name}-{screen}")
    assert found["page"] <= found["width"], f"{name} is {found['page']} px wide at {screen} px"
    assert found["out"] == [], f"{name} at {screen} px: {found['out']}"


WHOLE = "sel => [...document.querySelectorAll(sel)].map(w => w.scrollWidth - w.clientWidth)"


@pytest.mark.parametrize(
    ("path", "tables"),
    [("/therapist/", "#patient-table .table-wrap"), ("/therapist/outcomes", ".table-wrap")],
)
def test_the_big_tables_fit_whole_on_a_desktop(signed_in_pages, path, tables):
    """No column of the dashboard or the outcomes is out of sight at 1280 px."""
    page = signed_in_pages.page_for("therapist@example.com", SCREENS["1280"])
    page.goto(path)
    boxes = page.evaluate(WHOLE, tables)
    assert boxes, f"no table on {path}"
    assert max(boxes) <= 0, f"a table on {path} scrolls by {max(boxes)} px at 1280 px"


def test_on_a_phone_a_wide_table_scrolls_in_its_box_keeping_the_first_column(signed_in_pages):
    page = signed_in_pages.page_for("therapist@example.com", SCREENS["390"])
    page.goto("/therapist/")
    box = page.locator("#patient-table .table-wrap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: nothing to test"
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    left = box.evaluate("el => el.getBoundingClientRect().left")
    name = page.locator("#patient-table tbody th").first
    assert abs(name.evaluate("el => el.getBoundingClientRect().left") - left) <= 1
    assert name.is_visible()
    assert page.locator("#patient-table tbody tr").first.locator("td").last.is_visible()


SKIP_AND_NUMBER = """fieldset => {
    const look = (el) => getComputedStyle(el.nextElementSibling);
    const skip = fieldset.querySelector("input[value='']");
    const before = {checked: skip.checked, background: look(skip).backgroundColor, border: look(skip).borderStyle};
    fieldset.querySelector("input[value='3']").click();
    const three = fieldset.querySelector("input[value='3']");
    return {before, chosen: look(three).backgroundColor, card: getComputedStyle(fieldset.closest(".card")).backgroundColor};
}"""


@pytest.mark.parametrize(
    ("email", "path", "legend"),
    [
        ("week1@example.com", "/today", "Leg pain right now (optional)"),
        ("evaluation@example.com", "/check-in/psfs", "How well can you do activity 1?"),
    ],
    ids=["leg-pain", "psfs"],
)
def test_skip_on_an_optional_scale_is_not_drawn_as_a_chosen_number(signed_in_pages, email, path, legend):
    page = signed_in_pages.page_for(email, PHONE)
    page.goto(path)
    scale = page.locator("fieldset.pain-scale", has=page.locator("legend", has_text=legend)).first
    found = scale.evaluate(SKIP_AND_NUMBER)
    assert found["before"]["checked"], "Skip is where the scale starts (no answer)"
    assert found["before"]["background"] == found["card"], found  # not filled like an answer
    assert found["before"]["border"] == "dashed"
    assert found["chosen"] != found["card"], found  # a chosen number is filled


MENU = """() => {
    const tops = [...document.querySelectorAll(".site-nav__main a")].map(a => Math.round(a.getBoundingClientRect().top));
    const strip = document.querySelector(".site-nav__main");
    return {lines: new Set(tops).size, header: document.querySelector(".site-header").getBoundingClientRect().height,
            hidden: strip.scrollWidth - strip.clientWidth,
            current: (() => { const a = strip.querySelector("[aria-current=page]"); if (!a) return null;
                const r = a.getBoundingClientRect(), s = strip.getBoundingClientRect();
                return r.left >= s.left - 1 && r.right <= s.right + 1; })()};
}"""


@pytest.mark.parametrize(
    ("email", "path", "fits"),
    [
        ("patient@example.com", "/today", True),
        ("therapist@example.com", "/therapist/", True),
        ("admin@example.com", "/admin/on-call", False),
    ],
    ids=["patient", "therapist", "admin"],
)
def test_the_menu_is_one_line_on_a_phone(signed_in_pages, email, path, fits):
    """The pages in one line under the brand (Account and Sign out beside it); an admin's many
    pages scroll inside that line, the current one in view."""
    page = signed_in_pages.page_for(email, PHONE)
    page.goto(path)
    menu = page.evaluate(MENU)
    assert menu["lines"] == 1, menu
    assert menu["header"] <= 110, menu
    assert menu["current"] is True, menu
    assert (menu["hidden"] <= 0) is fits, menu


@pytest.mark.parametrize("width", [320, 390])
def test_a_phone_number_in_a_call_button_stays_on_one_line(signed_in_pages, width):
    page = signed_in_pages.page_for(None, {**PHONE, "viewport": {"width": width, "height": 800}})
    page.goto("/offline")  # its call buttons wait in a <template>: shown here as the card shows them
    lines = page.evaluate(
        """() => {
            const calls = [...document.querySelectorAll("template")].map(t => t.content.querySelector("[data-calls]"))
                .find(Boolean).cloneNode(true);
            const card = document.createElement("section");
            card.className = "card urgent";
            card.appendChild(calls);
            document.querySelector("main").prepend(card);
            return [...card.querySelectorAll(".phone-number")].map(e => e.getClientRects().length);
        }"""
    )
    assert lines, "no phone number in the call buttons"
    assert set(lines) == {1}, lines
