"""The clinic's own photo of an exercise (app/services/treatment/photos.py, the library's edit page):
only a real PNG, JPEG or WebP picture is taken, and only its pixels, encoded again, are kept
(no EXIF, no GPS, nothing appended); a renamed SVG, a page or a script named as a photo, a picture
of too many pixels, too large a file and every odd body are refused with a clear 4xx; the photo
is a draft version until the physician signs it, and is served at its content hash to staff and
to the patients whose plan uses that signed version, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import io
import random
import re
import struct
import zipfile
import zlib
from datetime import datetime

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.pool import NullPool

from app.extensions import db
from app.models import AuditEvent, Exercise, ExercisePhoto, ExerciseVersion, PlanItem, Role
from app.services.treatment.library import ensure_library, fingerprint
from tests.conftest import QueryCounter, csrf_token, text_of
from tests.databases import command, scratch_database
from tests.factories import make_user, my_patient
from tests.helpers import today_opened

WORDS = "A man lying on his back, knees bent, arms at his sides."
SCRIPT = b"<html><body><script>alert('hello from the photo')</script></body></html>"


@pytest.fixture
def admin(app):
    return make_user(Role.ADMIN, name="Dana Physician", email="dana@example.com")


@pytest.fixture
def therapist(app):
    return make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")


# --- Pictures made here ----------------------------------------------------------------------------


def picture(width: int = 640, height: int = 480, colour=(200, 80, 40)) -> Image.Image:
    """Left half `colour`, right half blue: which way up it is can be told afterwards."""
    image = Image.new("RGB", (width, height), colour)
    image.paste((30, 60, 220), (width // 2, 0, width, height))
    return image


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def jpeg_with_exif(width: int = 640, height: int = 480, orientation: int = 1) -> bytes:
    """A JPEG with a camera, a place (GPS), a time, a comment and an orientation in it."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0x0110] = "SecretCamModel"  # Model
    exif[0x0132] = "2026:01:02 03:04:05"  # DateTime
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.5), 3: "E", 4: (2.0, 17.0, 40.2)}  # GPS
    return encoded(picture(width, height), "JPEG", exif=exif.tobytes(), comment=b"SecretComment", quality=90)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG of one colour that is 400 million pixels: a few dozen KB on disk, over a GB
    once decoded."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # 1 bit a pixel, filter byte 0
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")
    )


def a_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", SCRIPT)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
    b'<script>alert(1)</script><rect width="400" height="400" fill="red"/></svg>'
)


# --- Helpers ---------------------------------------------------------------------------------------


def walking() -> Exercise:
    ensure_library()
    found = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "walking"))
    db.session.commit()
    return found


def versions_of(exercise: Exercise) -> list[ExerciseVersion]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(ExerciseVersion)
            .where(ExerciseVersion.exercise_id == exercise.id)
            .order_by(ExerciseVersion.number)
        )
    )


def stored_photos() -> list[ExercisePhoto]:
    return list(db.session.scalars(sa.select(ExercisePhoto).options(sa.orm.undefer(ExercisePhoto.data))))


def upload(client, exercise: Exercise, data: bytes | None, name="photo.png", kind="image/png", alt=WORDS):
    """What the edit page's photo form sends: its CSRF token, the file (any name, any type the
    browser claims) and the words."""
    token = csrf_token(client.get(f"/admin/library/{exercise.id}/edit"))
    fields: dict = {"csrf_token": token, "photo_alt": alt}
    if data is not None:
        fields["photo"] = (io.BytesIO(data), name, kind)
    return client.post(f"/admin/library/{exercise.id}/photo", data=fields, content_type="multipart/form-data")


def uploaded(client, auth, admin, data: bytes, **options) -> ExerciseVersion:
    """Upload as the admin (signing in first unless someone is) and return the draft written."""
    if client.get("/session/csrf").status_code == 401:
        auth.login(admin.email)
    exercise = walking()
    response = upload(client, exercise, data, **options)
    assert response.status_code == 303, text_of(response, response.status_code)[:2000]
    return versions_of(exercise)[-1]


def sign(client, version: ExerciseVersion):
    path = f"/admin/library/versions/{version.id}"
    page = client.get(path).get_data(as_text=True)
    read = re.search(r'name="fingerprint" value="([0-9a-f]{12})"', page).group(1)
    response = client.post(
        path, data={"csrf_token": csrf_token(client.get(path)), "reviewed": "y", "fingerprint": read}
    )
    assert response.status_code == 303, text_of(response, response.status_code)[:2000]


def photo_path(version: ExerciseVersion) -> str:
    return f"/exercise-photos/{version.photo.sha256}.webp"


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def colour(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """The RGB(A) channels of one pixel (Pillow types a pixel as a float or a tuple)."""
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def walking_item(treatment) -> PlanItem:
    return db.session.scalar(
        sa.select(PlanItem).where(
            PlanItem.treatment_id == treatment.id,
            PlanItem.exercise_id == walking().id,
            PlanItem.phase == "restore",
        )
    )


# --- What is kept: new pixels, nothing else --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "mime", "data"),
    [
        ("png", "image/png", encoded(picture(), "PNG")),
        ("jpeg", "image/jpeg", encoded(picture(), "JPEG", quality=90)),
        ("webp", "image/webp", encoded(picture(), "WEBP", quality=90)),
    ],
)
def test_a_png_a_jpeg_and_a_webp_are_kept_as_new_pixels(client, auth, admin, kind, mime, data):
    version = uploaded(client, auth, admin, data, name=f"walking.{kind}", kind=mime)
    assert version.status == "draft"
    assert version.photo_alt == WORDS
    [photo] = stored_photos()
    assert photo.data != data  # encoded again, never the upload's bytes
    assert photo.media_type == "image/webp"
    image = decoded(photo.data)
    assert (image.format, image.size, (photo.width, photo.height)) == ("WEBP", (640, 480), (640, 480))
    assert colour(image, (100, 240))[0] > 150  # the left half is still the warm one
    assert photo.byte_size == len(photo.data)
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()
    assert photo.created_by_id == admin.id


def test_the_camera_the_place_and_the_time_are_gone_and_the_photo_is_upright(client, auth, admin):
    data = jpeg_with_exif(800, 600, orientation=6)  # taken sideways: shown turned 90° clockwise
    assert b"SecretCamMaker" in data
    assert b"SecretComment" in data
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the GPS is really in it
    uploaded(client, auth, admin, data, name="IMG_0001.JPG", kind="image/jpeg")
    [photo] = stored_photos()
    for secret in (b"SecretCamMaker", b"SecretCamModel", b"SecretComment", b"2026:01:02", b"Exif", b"GPS"):
        assert secret not in photo.data, secret
    image = decoded(photo.data)
    assert not image.getexif()
    assert not image.info.get("exif")
    assert not image.info.get("icc_profile")
    assert not image.info.get("xmp")
    assert image.size == (600, 800)  # upright now: the orientation was applied, then dropped
    top, bottom = colour(image, (300, 100)), colour(image, (300, 700))
    assert top[0] > 150 > bottom[0]
    assert bottom[2] > 150


def test_a_large_photo_is_made_at_most_1200_pixels_on_its_longer_side(client, auth, admin):
    uploaded(client, auth, admin, encoded(picture(3000, 2000), "JPEG", quality=80), kind="image/jpeg")
    [photo] = stored_photos()
    assert (photo.width, photo.height) == (1200, 800)
    assert decoded(photo.data).size == (1200, 800)


def test_a_transparent_png_is_shown_on_white(client, auth, admin):
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    uploaded(client, auth, admin, encoded(image, "PNG"))
    [photo] = stored_photos()
    assert colour(decoded(photo.data), (10, 10)) >= (245, 245, 245)


def test_the_same_photo_twice_is_one_row(client, auth, admin):
    data = encoded(picture(), "PNG")
    first = uploaded(client, auth, admin, data)
    second = uploaded(client, auth, admin, data, alt="The same picture, described again.")
    assert first.id == second.id  # the draft there is changes
    assert len(stored_photos()) == 1


# --- What is refused -------------------------------------------------------------------------------


def assert_refused(response, words: str, typed: str = WORDS) -> None:
    """A 422 page: the reason beside the file field, the words typed kept, nothing stored."""
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[:2000]
    assert words in text_of(response, 422)
    assert 'id="photo-file-error"' in html or 'id="photo_alt-error"' in html
    assert f'value="{typed}"' in html
    assert 'aria-invalid="true"' in html
    assert stored_photos() == []


def test_a_renamed_svg_is_refused(client, auth, admin):
    auth.login(admin.email)
    exercise = walking()
    for name, kind in (
        ("photo.png", "image/png"),
        ("photo.svg", "image/svg+xml"),
        ("photo.webp", "image/webp"),
    ):
        assert_refused(
            upload(client, exercise, SVG, name=name, kind=kind), "That file is not a photo we can use."
        )
    assert [v.number for v in versions_of(exercise)] == [1]


@pytest.mark.parametrize(
    "data",
    [
        SCRIPT,
        b"\x89PNG\r\n\x1a\n" + SCRIPT,  # a page behind a PNG's signature
        b"\xff\xd8\xff\xe0" + SCRIPT,  # behind a JPEG's
        b"RIFF\x00\x00\x00\x00WEBPVP8 " + SCRIPT,  # behind a WebP's
        b"GIF89a" + SCRIPT,  # a GIF is no photo here either
        b"alert(document.cookie);",
        b"%PDF-1.4\n" + SCRIPT,
        encoded(picture(), "PNG")[:200],  # a photo cut short
    ],
    ids=[
        "html",
        "png-header-html",
        "jpeg-header-html",
        "webp-header-html",
        "gif-html",
        "script",
        "pdf",
        "truncated",
    ],
)
def test_a_page_or_a_script_named_as_a_photo_is_refused(client, auth, admin, data):
    auth.login(admin.email)
    response = upload(client, walking(), data, name="photo.jpg", kind="image/jpeg")
    assert_refused(response, "That file is not a photo we can use.")


@pytest.mark.parametrize(
    "appended", [SCRIPT, a_zip(), b"<?php system($_GET['c']); ?>"], ids=["html", "zip", "php"]
)
@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_polyglot_is_kept_only_as_its_pixels(client, auth, admin, appended, kind):
    """A real picture with a page, a zip or a script after it: the picture is kept, encoded again;
    what came after it is not."""
    data = encoded(picture(), kind) + appended
    assert appended in data
    uploaded(client, auth, admin, data, name="photo.png")
    [photo] = stored_photos()
    assert photo.data != data
    for marker in (b"<script", b"<html", b"PK\x03\x04", b"payload", b"<?php", b"system("):
        assert marker not in photo.data
    assert decoded(photo.data).size == (640, 480)


def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(client, auth, admin):
    bomb = pixel_bomb()
    assert len(bomb) < 200_000  # small to send, 400 million pixels to decode
    auth.login(admin.email)
    started = datetime.now()
    response = upload(client, walking(), bomb)
    assert_refused(response, "That picture has too many pixels (more than 40 million).")
    assert (datetime.now() - started).total_seconds() < 10  # refused from its header


def test_a_picture_just_over_the_pixel_setting_is_refused(client, auth, admin, monkeypatch):
    monkeypatch.setitem(client.application.config, "EXERCISE_PHOTO_MAX_PIXELS", 300_000)
    auth.login(admin.email)
    response = upload(client, walking(), encoded(picture(640, 480), "PNG"))  # 307,200 pixels
    assert_refused(response, "That picture has too many pixels")
    assert upload(client, walking(), encoded(picture(600, 480), "PNG")).status_code == 303  # 288,000


def test_a_moving_picture_and_a_tiny_one_are_refused(client, auth, admin):
    frames = [picture(), picture(colour=(20, 200, 20))]
    moving = io.BytesIO()
    frames[0].save(moving, "WEBP", save_all=True, append_images=frames[1:], duration=200)
    auth.login(admin.email)
    assert_refused(upload(client, walking(), moving.getvalue(), name="x.webp"), "That picture moves.")
    assert_refused(
        upload(client, walking(), encoded(picture(120, 90), "PNG")),
        "That photo is too small (120 × 90 pixels).",
    )


def test_a_file_over_the_photo_limit_is_refused_beside_the_field(client, auth, admin, monkeypatch):
    """Past EXERCISE_PHOTO_MAX_BYTES but inside what the form may send: the edit page says so."""
    monkeypatch.setitem(client.application.config, "EXERCISE_PHOTO_MAX_BYTES", 20_000)
    noisy = Image.frombytes("RGB", (120, 100), random.Random(1).randbytes(120 * 100 * 3))
    data = encoded(noisy, "PNG")
    assert 20_000 < len(data) < 20_000 + 60_000
    auth.login(admin.email)
    assert_refused(upload(client, walking(), data), "That photo is larger than 20 KB.")


def multipart(token: str, data: bytes, boundary: str = "photo-boundary") -> tuple[bytes, str]:
    """A photo form's body written out (the test client would spool a large one to a file)."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo_alt"\r\n\r\n{WORDS}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.png"\r\n'.encode()
        + b"Content-Type: image/png\r\n\r\n"
        + data
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_request_past_the_limit_is_a_clear_413_page(client, auth, admin, monkeypatch):
    monkeypatch.setitem(client.application.config, "EXERCISE_PHOTO_MAX_BYTES", 1024 * 1024)
    auth.login(admin.email)
    exercise = walking()
    token = csrf_token(client.get(f"/admin/library/{exercise.id}/edit"))
    body, kind = multipart(token, b"\x89PNG" + b"\x00" * (2 * 1024 * 1024))
    response = client.post(f"/admin/library/{exercise.id}/photo", data=body, content_type=kind)
    page = text_of(response, 413)
    assert "That was too much to send" in page
    assert "That photo is larger than 1 MB, so nothing was saved." in page
    assert "choose a smaller photo" in page
    assert stored_photos() == []
    assert [v.number for v in versions_of(exercise)] == [1]
    body, kind = multipart(token, encoded(picture(), "PNG"))  # the same form, a photo inside the limit
    assert client.post(f"/admin/library/{exercise.id}/photo", data=body, content_type=kind).status_code == 303


def test_the_limit_is_only_for_a_photo_form(client, auth, admin):
    """The upload route takes a large body only as multipart: a large plain form is refused as
    everywhere else (MAX_CONTENT_LENGTH)."""
    auth.login(admin.email)
    exercise = walking()
    token = csrf_token(client.get(f"/admin/library/{exercise.id}/edit"))
    response = client.post(
        f"/admin/library/{exercise.id}/photo", data={"csrf_token": token, "photo_alt": "x" * 70_000}
    )
    assert response.status_code == 413
    assert "That photo is larger" not in text_of(response, 413)


def test_no_file_an_empty_file_and_odd_bodies_are_clear_4xx(client, auth, admin):
    auth.login(admin.email)
    exercise = walking()
    path = f"/admin/library/{exercise.id}/photo"
    assert_refused(upload(client, exercise, None), "Choose a photo to upload: a PNG, JPEG or WebP file.")
    assert_refused(upload(client, exercise, b"", name="empty.png"), "That file is empty.")
    token = csrf_token(client.get(f"/admin/library/{exercise.id}/edit"))
    whitespace = client.post(path, data={"csrf_token": token, "photo": "   ", "photo_alt": "   "})
    assert whitespace.status_code == 422
    assert "Choose a photo to upload" in text_of(whitespace, 422)
    assert "Describe the photo for someone who cannot see it." in text_of(whitespace, 422)
    as_json = client.post(
        path, json={"photo": "iVBORw0KGgo=", "photo_alt": WORDS}, headers={"X-CSRFToken": token}
    )
    assert as_json.status_code == 415
    raw = client.post(
        path,
        data=b"   \r\n  ",
        content_type="multipart/form-data; boundary=x",
        headers={"X-CSRFToken": token},
    )
    assert 400 <= raw.status_code < 500
    assert stored_photos() == []


def test_the_words_are_required_and_kept_to_one_line(client, auth, admin):
    auth.login(admin.email)
    exercise = walking()
    response = upload(client, exercise, encoded(picture(), "PNG"), alt="   ")
    assert "Describe the photo for someone who cannot see it." in text_of(response, 422)
    response = upload(client, exercise, encoded(picture(), "PNG"), alt="x" * 301)
    assert "Keep this to 300 characters." in text_of(response, 422)
    response = upload(client, exercise, encoded(picture(), "PNG"), alt="one\nline")
    assert "Keep this answer on one line" in text_of(response, 422)
    assert stored_photos() == []


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.PATIENT])
def test_only_an_admin_adds_or_removes_a_photo(client, auth, admin, role):
    exercise = walking()
    person = make_user(role, email="someone@example.com")
    auth.login(person.email)
    token = auth.token()
    for path in (f"/admin/library/{exercise.id}/photo", f"/admin/library/{exercise.id}/photo/remove"):
        response = client.post(
            path,
            data={
                "csrf_token": token,
                "photo": (io.BytesIO(encoded(picture(), "PNG")), "p.png"),
                "photo_alt": WORDS,
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 403, path
    assert stored_photos() == []
    assert [v.number for v in versions_of(exercise)] == [1]


def test_the_photo_forms_need_their_csrf_token(client, auth, admin):
    auth.login(admin.email)
    exercise = walking()
    for path in (f"/admin/library/{exercise.id}/photo", f"/admin/library/{exercise.id}/photo/remove"):
        response = client.post(
            path,
            data={"photo": (io.BytesIO(encoded(picture(), "PNG")), "p.png"), "photo_alt": WORDS},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400, path
        assert "expired or was sent from somewhere else" in text_of(response, 400)
    assert stored_photos() == []


def test_an_unknown_exercise_is_not_found(client, auth, admin):
    auth.login(admin.email)
    walking()
    token = auth.token()
    response = client.post(
        "/admin/library/999999/photo",
        data={
            "csrf_token": token,
            "photo": (io.BytesIO(encoded(picture(), "PNG")), "p.png"),
            "photo_alt": WORDS,
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 404


# --- A draft until signed --------------------------------------------------------------------------


def test_a_photo_is_a_draft_that_keeps_the_built_in_texts(client, auth, admin):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    first = versions_of(walking())[0]
    assert (version.number, version.status, version.builtin) == (2, "draft", True)
    assert (version.name, version.steps, version.doses) == (first.name, first.steps, first.doses)
    page = text_of(client.get(f"/admin/library/versions/{version.id}"))
    assert "The built-in text, unchanged" in page
    assert WORDS in page
    assert "Sign off version 2" in page
    assert "with a photo" in text_of(client.get("/admin/library"))
    edit = client.get(f"/admin/library/{walking().id}/edit").get_data(as_text=True)
    assert f'src="{photo_path(version)}"' in edit
    assert f'value="{WORDS}"' in edit


def test_a_text_edit_after_a_photo_keeps_the_photo(client, auth, admin):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    sign(client, version)
    exercise = walking()
    token = csrf_token(client.get(f"/admin/library/{exercise.id}/edit"))
    response = client.post(
        f"/admin/library/{exercise.id}/edit",
        data={
            "csrf_token": token,
            "name": "Walking outside",
            "purpose": "Walking moves blood to the healing area.",
            "steps": "Walk on a flat path.",
            "stop_if": "Stop if pain spreads down a leg.",
            "language": "en",
            "restore-minutes": "20",
        },
    )
    assert response.status_code == 303
    latest = versions_of(exercise)[-1]
    assert (latest.number, latest.builtin, latest.name) == (3, False, "Walking outside")
    assert latest.photo_id == version.photo_id
    assert latest.photo_alt == WORDS


def test_removing_the_photo_is_a_draft_too(client, auth, admin):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    sign(client, version)
    exercise = walking()
    token = csrf_token(client.get(f"/admin/library/{exercise.id}/edit"))
    response = client.post(f"/admin/library/{exercise.id}/photo/remove", data={"csrf_token": token})
    assert response.status_code == 303
    latest = versions_of(exercise)[-1]
    assert (latest.number, latest.status, latest.photo_id, latest.photo_alt) == (3, "draft", None, "")
    assert versions_of(exercise)[1].photo_id is not None  # the signed version keeps its photo
    assert any("photo removed" in detail for detail in audit_details("library_photo"))


def test_the_sign_off_covers_the_photo(client, auth, admin):
    """The physician signs what the page showed: a photo changed after the page was opened gives
    the draft another fingerprint, and that sign-off is refused."""
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    path = f"/admin/library/versions/{version.id}"
    page = client.get(path).get_data(as_text=True)
    read = re.search(r'name="fingerprint" value="([0-9a-f]{12})"', page).group(1)
    assert read == fingerprint(version)
    assert f"Version fingerprint {read}" in text_of(client.get(path))
    uploaded(client, auth, admin, encoded(picture(colour=(20, 200, 20)), "PNG"))  # meanwhile
    response = client.post(
        path, data={"csrf_token": csrf_token(client.get(path)), "reviewed": "y", "fingerprint": read}
    )
    assert "This draft changed after you opened it, so it was not signed." in text_of(response, 422)
    assert versions_of(walking())[-1].status == "draft"
    missing = client.post(path, data={"csrf_token": csrf_token(client.get(path)), "reviewed": "y"})
    assert missing.status_code == 422
    assert versions_of(walking())[-1].status == "draft"
    changed = versions_of(walking())[-1]
    assert fingerprint(changed) != read
    sign(client, changed)
    assert versions_of(walking())[-1].status == "signed"


def audit_details(action: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == action)))


def test_the_upload_and_the_sign_off_are_on_the_audit_trail(client, auth, admin):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    sha = version.photo.sha256
    assert audit_details("library_photo") == [
        f"Draft of version 2 of “Walking” written: photo {sha[:12]} (640×480, {version.photo.byte_size:,} bytes) added"
    ]
    sign(client, version)
    [signed] = audit_details("library_sign")
    assert f"with photo {sha[:12]}" in signed
    assert f"fingerprint {fingerprint(versions_of(walking())[-1])}" in signed


# --- Who sees it, and how it is served -------------------------------------------------------------


def test_the_patient_sees_the_photo_only_once_it_is_signed(client, auth, admin, therapist, today):
    patient, treatment = my_patient(therapist, today, name="Olga Old")
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    path = photo_path(version)
    auth.logout()

    auth.login(patient.email)
    page = today_opened(client).get_data(as_text=True)
    assert "/exercise-photos/" not in page
    assert WORDS not in page
    assert client.get(path).status_code == 404  # and not served to her
    auth.logout()

    auth.login(admin.email)
    sign(client, version)
    auth.logout()
    auth.login(patient.email)
    assert "/exercise-photos/" not in today_opened(client).get_data(as_text=True)  # her plan keeps v1
    assert client.get(path).status_code == 404
    auth.logout()

    auth.login(therapist.email)
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "It has a new photo from the clinic." in record
    item = walking_item(treatment)
    token = csrf_token(client.get(f"/therapist/patients/{patient.id}"))
    newer = versions_of(walking())[-1]
    response = client.post(
        f"/therapist/plan/{item.id}/version", data={"csrf_token": token, "version": str(newer.id)}
    )
    assert response.status_code == 303
    record = client.get(f"/therapist/patients/{patient.id}").get_data(as_text=True)
    assert f'src="{path}"' in record
    assert f'alt="{WORDS}"' in record
    auth.logout()

    auth.login(patient.email)
    html = today_opened(client).get_data(as_text=True)
    how = html[html.index('<details class="exercise__how">') :]
    how = how[: how.index("</details>")]
    assert f'src="{path}" alt="{WORDS}" lang="en" width="640" height="480"' in how  # in "How to do it"
    assert "A photo from your clinic." in how
    assert "figure__pair" in how[: how.index("photo__img")]  # beside the drawing, after it
    assert client.get(path).status_code == 200
    sheet = client.get("/exercise-sheet").get_data(as_text=True)
    assert f'src="{path}"' in sheet
    assert f'alt="{WORDS}"' in sheet


def test_a_new_prescription_after_the_sign_off_has_the_photo(client, auth, admin, therapist, today):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    sign(client, version)
    auth.logout()
    patient, _treatment = my_patient(therapist, today)
    auth.login(patient.email)
    assert f'src="{photo_path(version)}"' in today_opened(client).get_data(as_text=True)


def test_the_photo_is_served_with_its_type_and_kept_for_good(client, auth, admin, therapist, today):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    path = photo_path(version)
    draft = client.get(path)
    assert draft.status_code == 200
    assert draft.headers["Cache-Control"] == "private, max-age=31536000, immutable"  # a draft: staff only
    sign(client, version)
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == "inline"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    [stored] = stored_photos()
    assert response.data == stored.data
    assert decoded(response.data).size == (640, 480)
    etag = response.headers["ETag"]
    assert version.photo.sha256 in etag
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    for wrong in (
        path.replace(".webp", ".jpg"),
        path.replace(".webp", ""),
        f"/exercise-photos/{'0' * 64}.webp",
        "/exercise-photos/..%2F..%2Fetc%2Fpasswd",
        f"/exercise-photos/{version.photo.sha256.upper()}.webp",
    ):
        assert client.get(wrong).status_code == 404, wrong


def test_pages_allow_images_from_the_app_itself(client, auth, admin):
    auth.login(admin.email)
    policy = client.get("/admin/library").headers["Content-Security-Policy"]
    assert "img-src 'self'" in policy


def test_a_draft_photo_is_for_staff_only(client, auth, admin, therapist, today):
    patient, _treatment = my_patient(therapist, today)
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    path = photo_path(version)
    auth.logout()
    assert client.get(path).status_code == 404  # signed out
    auth.login(patient.email)
    assert client.get(path).status_code == 404  # a patient, even one with walking in her plan
    auth.logout()
    auth.login(therapist.email)
    assert client.get(path).status_code == 200  # staff see drafts


def test_a_signed_photo_is_only_for_the_patients_whose_plan_uses_it(client, auth, admin, therapist, today):
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    sign(client, version)
    auth.logout()
    with_it, _treatment = my_patient(therapist, today, name="Nina New")  # prescribed after the sign-off
    without, treatment = my_patient(therapist, today, name="Otto Other")
    for item in db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id)):
        if item.exercise.slug == "walking":
            item.exercise_version_id = versions_of(walking())[0].id  # his plan keeps version 1
    db.session.commit()
    path = photo_path(version)
    assert client.get(path).status_code == 404  # signed out
    auth.login(without.email)
    assert client.get(path).status_code == 404
    auth.logout()
    auth.login(with_it.email)
    assert client.get(path).status_code == 200


def test_the_service_worker_keeps_photos_once_seen(client):
    body = client.get("/sw.js").get_data(as_text=True)
    assert 'var PHOTO_PATH = "/exercise-photos/";' in body
    assert 'var PHOTOS = "backtrack-photos";' in body
    shell = re.search(r"var SHELL = (\[.*?\]);", body).group(1)
    assert "/exercise-photos/" not in shell  # not precached for everyone: kept as each phone sees them
    assert "key !== PHOTOS" in body  # kept through a new shell


def test_today_reads_the_photos_with_the_plan(client, auth, admin, therapist, today):
    """Showing photos costs Today no statement: each is loaded with its version (the bytes are not)."""
    patient, _treatment = my_patient(therapist, today)
    auth.login(patient.email)
    client.get("/today")
    with QueryCounter() as without:
        assert client.get("/today").status_code == 200
    auth.logout()
    version = uploaded(client, auth, admin, encoded(picture(), "PNG"))
    sign(client, version)
    auth.logout()
    db.session.execute(
        sa.update(PlanItem)
        .where(PlanItem.exercise_id == walking().id)
        .values(exercise_version_id=versions_of(walking())[-1].id)
    )
    db.session.commit()
    auth.login(patient.email)
    client.get("/today")
    with QueryCounter() as with_photo:
        assert client.get("/today").status_code == 200
    assert photo_path(version) in today_opened(client).get_data(as_text=True)
    assert with_photo.count == without.count, with_photo.statements
    assert not any("exercise_photos.data" in statement for statement in with_photo.statements)


# --- The migration ---------------------------------------------------------------------------------


def test_the_migration_adds_photos_and_goes_back(database_url, tmp_path):
    with scratch_database(database_url, "photos", tmp_path) as url:
        assert command(url, "db", "upgrade", "0024").exit_code == 0
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.connect() as connection:
            before = connection.execute(sa.text("SELECT count(*) FROM exercise_versions")).scalar()
        assert command(url, "db", "upgrade").exit_code == 0
        with engine.begin() as connection:
            rows = connection.execute(sa.text("SELECT photo_id, photo_alt FROM exercise_versions")).all()
            assert len(rows) == before
            assert all(row == (None, "") for row in rows)
            connection.execute(
                sa.text(
                    "INSERT INTO exercise_photos (id, sha256, media_type, width, height, byte_size, data, created_at) "
                    "VALUES (1, :sha, 'image/webp', 10, 10, 3, :data, :now)"
                ),
                {"sha": "a" * 64, "data": b"abc", "now": datetime(2026, 1, 1)},
            )
            connection.execute(
                sa.text("UPDATE exercise_versions SET photo_id = 1, photo_alt = 'A photo' WHERE number = 1")
            )
        with engine.begin() as connection, pytest.raises(sa.exc.IntegrityError):
            connection.execute(sa.text("UPDATE exercise_versions SET photo_alt = '' WHERE photo_id = 1"))
        with engine.begin() as connection, pytest.raises(sa.exc.IntegrityError):
            connection.execute(
                sa.text(
                    "INSERT INTO exercise_photos (sha256, media_type, width, height, byte_size, data, created_at) "
                    "VALUES (:sha, 'image/svg+xml', 10, 10, 3, :data, :now)"
                ),
                {"sha": "b" * 64, "data": b"abc", "now": datetime(2026, 1, 1)},
            )
        assert command(url, "db", "downgrade", "0024").exit_code == 0
        with engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("exercise_versions")}
            assert "photo_id" not in columns
            assert "photo_alt" not in columns
            assert "exercise_photos" not in sa.inspect(connection).get_table_names()
            assert connection.execute(sa.text("SELECT count(*) FROM exercise_versions")).scalar() == before
        assert command(url, "db", "upgrade").exit_code == 0
        engine.dispose()
