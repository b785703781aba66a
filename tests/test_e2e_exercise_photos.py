"""The clinic's photo of an exercise in a real browser: the admin uploads one through the edit
page's form (a renamed SVG is refused beside the field first), the physician signs the draft, the
therapist updates Maria's plan, and Maria sees the photo beside the drawing in "How to do it" on
her phone, kept by the service worker once seen."""

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, screenshot, sign_in, sign_out, wait_until_true

pytestmark = pytest.mark.e2e

WORDS = "A woman walking on a flat path in a park, standing tall, arms swinging."


def a_photo(path):
    """A picture to upload: a path, a person in a few strokes, a sky."""
    image = Image.new("RGB", (1600, 1200), (186, 220, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 800, 1600, 1200), fill=(110, 160, 90))
    draw.polygon([(700, 1200), (900, 1200), (820, 800), (780, 800)], fill=(200, 190, 160))
    draw.ellipse((760, 330, 840, 410), fill=(120, 80, 60))
    draw.line((800, 410, 800, 620), fill=(40, 60, 120), width=28)
    draw.line((800, 620, 740, 800), fill=(40, 60, 120), width=24)
    draw.line((800, 620, 870, 790), fill=(40, 60, 120), width=24)
    draw.line((800, 450, 730, 560), fill=(120, 80, 60), width=18)
    draw.line((800, 450, 880, 540), fill=(120, 80, 60), width=18)
    image.save(path, "JPEG", quality=88)
    return path


def walking_row(page):
    return page.locator(
        "li.exercise", has=page.locator(".exercise__name", has_text=re.compile(r"^Walking$"))
    ).first


def test_an_uploaded_photo_reaches_the_patients_row_once_signed(desktop, phone, tmp_path):
    admin = desktop
    sign_in(admin, "admin@example.com", lands_on="**/admin/")
    admin.get_by_role("link", name="Exercise library").click()
    admin.locator("#library tr", has_text="Walking").get_by_role("link", name=re.compile("^Edit")).click()

    fake = tmp_path / "walking.png"  # an SVG named as a photo
    fake.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    admin.get_by_label("Photo file").set_input_files(str(fake))
    admin.get_by_label("What the photo shows").fill(WORDS)
    admin.get_by_role("button", name="Upload the photo as a draft").click()
    expect(admin.locator("#photo-file-error")).to_have_text(
        re.compile("That file is not a photo we can use.")
    )
    expect(admin.get_by_label("What the photo shows")).to_have_value(WORDS)  # what was typed is kept

    admin.get_by_label("Photo file").set_input_files(str(a_photo(tmp_path / "walking.jpg")))
    admin.get_by_role("button", name="Upload the photo as a draft").click()
    expect(admin.locator("#version-status")).to_contain_text("Draft: no patient sees it until it is signed.")
    photo = admin.locator("#version-photo img")
    expect(photo).to_have_attribute("alt", WORDS)
    assert admin.evaluate("document.querySelector('#version-photo img').naturalWidth") == 1200  # made smaller

    sign_in(phone, "patient@example.com")
    expect(walking_row(phone).locator(".photo__img")).to_have_count(0)  # a draft: not on her phone

    admin.get_by_label(re.compile("I have reviewed this version")).check()
    admin.get_by_role("button", name="Sign off version 2").click()
    expect(admin.get_by_text("is signed off. New prescriptions use it.")).to_be_visible()
    sign_out(admin)

    sign_in(admin, "therapist@example.com", lands_on="**/therapist/")
    admin.get_by_role("link", name="Maria Alvarez").first.click()
    walking = admin.locator("#plan details[open] .plan__item", has_text="A newer version is signed").first
    expect(walking).to_contain_text("It has a new photo from the clinic.")
    walking.get_by_role("button", name=re.compile("^Update to version 2")).click()
    expect(admin.locator(f'#plan .plan__item img[alt="{WORDS}"]').first).to_be_visible()  # in the plan editor

    phone.reload()
    row = walking_row(phone)
    row.locator(".exercise__how summary").click()
    image = row.locator(".photo__img")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("alt", WORDS)
    expect(row.locator(".photo__caption")).to_have_text("A photo from your clinic.")
    expect(row.locator(".figure")).to_be_visible()  # beside the line drawing
    expect(image).to_have_js_property("complete", True)  # fetched as the row opened
    assert image.evaluate("i => i.naturalWidth") == 1200
    box = image.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    row.scroll_into_view_if_needed()
    screenshot(phone, "exercise-photo-on-the-row-phone")
    row.screenshot(path=str(ARTIFACTS / "exercise-photo-row-phone.png"))  # the row alone

    source = image.get_attribute("src")
    assert re.fullmatch(r"/exercise-photos/[0-9a-f]{64}\.webp", source or "")
    phone.evaluate("caches.delete('backtrack-photos')")  # as if never seen: the rows stay closed
    phone.reload()  # the service worker keeps each row's steps, and the photo they show
    wait_until_true(
        phone,
        """async (path) => {
            const cache = await caches.open("backtrack-photos");
            return (await cache.keys()).some((request) => new URL(request.url).pathname === path);
        }""",
        source,
    )
    assert admin.errors == [], admin.errors
    assert phone.errors == [], phone.errors
