"""A therapist's round in a real browser: triage, acknowledge, tailor a dose; the patient sees it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import screenshot, sign_in, sign_out

pytestmark = pytest.mark.e2e


def test_triage_acknowledge_and_tailor_a_dose(desktop):
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    first = page.locator(".attention__item").first
    expect(first).to_contain_text("Linda Moore")
    expect(first).to_contain_text("Warning sign: New or worse weakness in a leg or foot")
    expect(page.locator("#patient-table")).not_to_contain_text("Daniel Kim")  # therapist2's patient
    screenshot(page, "therapist-dashboard-desktop")

    page.evaluate("window.__sameDocument = true")
    first.get_by_text("Acknowledge").first.click()
    first.get_by_label("Note (optional)").fill("Called Linda, she is on her way to the ED.")
    with page.expect_response(re.compile(r"/acknowledge$")) as answer:  # a refusal says why
        first.get_by_role("button", name="Acknowledge").click()
    assert answer.value.status == 200, f"{answer.value.status}: {answer.value.text()[:300]}"
    expect(page.locator(".attention__item").first).to_contain_text("Acknowledged")
    assert page.evaluate("window.__sameDocument === true")
    page.reload()
    expect(page.locator(".attention")).not_to_contain_text("New or worse weakness")

    page.get_by_role("link", name="Maria Alvarez").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Alvarez")
    screenshot(page, "therapist-patient-record-desktop")
    plan = page.locator("#plan")
    bird_dog = plan.locator(".plan__item", has_text="Bird-dog").first
    bird_dog.get_by_text("Change dose").click()
    bird_dog.get_by_label("Sets").fill("3")
    bird_dog.get_by_label("Reps").fill("8")
    bird_dog.get_by_label("Hold (s)").fill("12")
    bird_dog.get_by_label("Cue for the patient").fill("Keep your hips level.")
    bird_dog.get_by_role("button", name="Save dose").click()
    expect(page.locator("#plan .plan__item", has_text="Bird-dog").first).to_contain_text(
        "3 sets of 8 · hold 12 seconds · Keep your hips level."
    )
    assert page.errors == [], page.errors
    sign_out(page)

    sign_in(page, "patient@example.com")
    expect(page.locator("li.exercise", has_text="Bird-dog")).to_contain_text(
        re.compile(r"3 sets of 8 · hold 12 seconds · Keep your hips level\.")
    )


def test_sorting_and_filtering_the_table_swap_in_place(desktop):
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Patient", exact=True).click()
    expect(page.locator("#patient-table th[aria-sort=ascending]")).to_have_text("Patient")
    names = page.locator("#patient-table tbody th a").all_inner_texts()
    assert names == sorted(names)
    page.get_by_label("Phase").select_option("maintain")
    expect(page.locator("#patient-table tbody tr")).to_have_count(1)
    expect(page.locator("#patient-table tbody")).to_contain_text("Robert Chen")
    assert page.evaluate("window.__sameDocument === true")
    assert "phase=maintain" in page.url
    assert page.errors == [], page.errors


def test_removing_an_exercise_asks_first_on_a_phone(phone):
    """The removal comes with "Change dose or remove"; "Remove … from …" asks, and only the
    question's "Remove …" button takes the exercise off the plan."""
    page = phone
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="Sofia Rossi").first.click()
    page.wait_for_url("**/therapist/patients/*")  # loaded to the end: the plan is counted whole
    plan = page.locator("#plan")
    item = plan.locator(".plan__item").first
    name = item.locator("strong").first.inner_text()
    before = plan.locator(".plan__item").count()
    expect(item.locator(".plan__remove")).to_have_count(0)  # it comes when asked for
    item.locator(".plan__dose > summary").click()
    item.locator(".plan__remove > summary").click()
    expect(item.locator(".plan__remove > summary")).to_have_text(f"Remove {name}…")
    question = item.locator(".plan__confirm")
    expect(question).to_be_visible()
    expect(question).to_contain_text(f"Remove {name} from")
    assert plan.locator(".plan__item").count() == before  # nothing removed by asking
    box, width = question.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, box
    screenshot(page, "plan-remove-question-phone")
    question.get_by_role("button", name=f"Remove {name}").click()
    expect(plan.locator(".plan__item")).to_have_count(before - 1)
    assert page.errors == [], page.errors


def test_another_phase_opens_and_its_exercises_move_in_place(desktop):
    """The record carries the open phase; a closed one loads when opened, and its buttons work."""
    page = desktop
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="Maria Alvarez").first.click()
    page.wait_for_url("**/therapist/patients/*")
    phase = page.locator("#phase-strengthen")
    expect(phase.locator(".plan__item")).to_have_count(0)
    page.evaluate("window.__sameDocument = true")
    phase.locator("summary").first.click()
    expect(phase.locator(".plan__item").first).to_be_visible()
    names = phase.locator(".plan__name > strong").all_inner_texts()
    assert len(names) >= 2, names
    phase.get_by_role("button", name=f"Move {names[1]} up").click()
    moved = page.locator("#phase-strengthen .plan__name > strong")
    expect(moved.first).to_have_text(names[1])
    assert moved.all_inner_texts()[:2] == [names[1], names[0]]
    assert page.evaluate("window.__sameDocument === true")  # htmx swapped the plan in place

    adding = page.locator("#add-exercise")
    expect(adding.get_by_label("Exercise")).to_have_count(0)  # the library's list comes when opened
    adding.locator("summary").click()
    adding.get_by_label("Exercise").select_option(label="Clamshell")
    adding.get_by_label("Phase").select_option("strengthen")
    adding.get_by_role("button", name="Add to plan").click()
    expect(page.locator("#phase-strengthen .plan__item", has_text="Clamshell")).to_have_count(1)
    assert page.evaluate("window.__sameDocument === true")
    assert page.errors == [], page.errors


def test_the_plan_editor_works_without_javascript(phone_without_javascript):
    """Each part that loads on demand is a link without script; the buttons submit the plan's form."""
    page = phone_without_javascript
    sign_in(page, "therapist@example.com", lands_on="**/therapist/")
    page.get_by_role("link", name="Maria Alvarez").first.click()
    page.wait_for_url("**/therapist/patients/*")
    page.locator("#phase-maintain summary").first.click()
    with page.expect_navigation():
        page.locator("#phase-maintain").get_by_role("link", name="Show the exercises of this phase").click()
    phase = page.locator("#phase-maintain")
    names = phase.locator(".plan__name > strong").all_inner_texts()
    assert len(names) >= 2, names
    with page.expect_navigation():
        phase.get_by_role("button", name=f"Move {names[0]} down").click()
    assert "phase=maintain" in page.url
    assert page.locator("#phase-maintain .plan__name > strong").all_inner_texts()[:2] == [
        names[1],
        names[0],
    ]

    item = page.locator("#phase-maintain .plan__item").first
    item.locator(".plan__dose > summary").click()
    with page.expect_navigation():
        item.get_by_role("link", name="Open the dose form").click()
    item = page.locator("#phase-maintain .plan__item").first
    item.get_by_label("Sets").fill("2")
    item.get_by_label("Reps").fill("7")
    with page.expect_navigation():
        item.get_by_role("button", name="Save dose").click()
    expect(page.locator("#phase-maintain .plan__item").first).to_contain_text("2 sets of 7")
    screenshot(page, "plan-editor-without-javascript-phone")

    page.locator("#add-exercise summary").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Open the form to add an exercise").click()
    page.locator("#add-exercise").get_by_label("Exercise").select_option(label="Side-lying leg lift")
    page.locator("#add-exercise").get_by_label("Phase").select_option("maintain")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to plan").click()
    expect(page.locator("#phase-maintain .plan__item", has_text="Side-lying leg lift")).to_have_count(1)
