"""The clinic's photos of its exercises: an uploaded file made into a clean picture, stored in the
database, and who may see it.

An upload is never trusted: not its name, not the type the browser gave it, not its bytes. It is
decoded by Pillow as PNG, JPEG or WebP only (SVG, HTML, GIF and everything else are no image here),
its size in pixels checked from the header before any pixel is decoded (a small file can hold a
picture of billions of pixels: a decompression bomb), its orientation applied, its colours brought
to sRGB, resized to fit MAX_EDGE and encoded again as WebP. What is stored is only that new
encoding: no EXIF (GPS, camera, time), no comment, no ICC profile, nothing a file carried after its
picture (a script, a page, a zip). So a photo can be shown to anyone who may see it, as an image,
and can never be read as anything else.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import sqlalchemy as sa
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import undefer

from app.database import insert_unless_present
from app.extensions import db
from app.models import ExercisePhoto, ExerciseVersion, PlanItem, Role, Treatment, User

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
STORED_MEDIA_TYPE = "image/webp"
WEBP_QUALITY = 82
MIN_EDGE = 200  # a smaller picture shows nothing a patient can follow


class PhotoRefused(ValueError):
    """An upload that is not a photo we can keep; `reason` says why (the form words it)."""

    def __init__(self, reason: str, **facts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.facts = facts


@dataclass(frozen=True)
class PhotoLimits:
    max_bytes: int  # of the uploaded file
    max_pixels: int  # width × height of the uploaded picture, read from its header
    max_edge: int  # the stored picture's longer side


@dataclass(frozen=True)
class CleanPhoto:
    """A picture as it will be stored: freshly encoded, nothing else in it."""

    data: bytes
    media_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError)


def megabytes(size: int) -> str:
    """A size for people: "5 MB", "2.5 MB", "20 KB"."""
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def clean_photo(raw: bytes, limits: PhotoLimits) -> CleanPhoto:
    """The uploaded bytes as a clean picture, or PhotoRefused. Refuses: nothing, more than
    max_bytes, anything but a still PNG, JPEG or WebP, more than max_pixels, less than MIN_EDGE."""
    if not raw:
        raise PhotoRefused("empty")
    if len(raw) > limits.max_bytes:
        raise PhotoRefused("too_big", size=len(raw), limit=limits.max_bytes)
    Image.MAX_IMAGE_PIXELS = limits.max_pixels  # Pillow's own guard, behind the check below
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused("too_many_pixels", limit=limits.max_pixels) from None
        except UNREADABLE:
            raise PhotoRefused("not_a_photo") from None
        with picture:
            width, height = picture.size
            if width * height > limits.max_pixels:
                raise PhotoRefused("too_many_pixels", limit=limits.max_pixels)
            if getattr(picture, "n_frames", 1) > 1:
                raise PhotoRefused("moving")
            if min(width, height) < MIN_EDGE:
                raise PhotoRefused("too_small", width=width, height=height, limit=MIN_EDGE)
            try:
                return encoded(decoded(picture, limits.max_edge), limits.max_edge)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise PhotoRefused("too_many_pixels", limit=limits.max_pixels) from None
            except UNREADABLE:
                raise PhotoRefused("not_a_photo") from None


def decoded(picture: Image.Image, max_edge: int) -> Image.Image:
    """Every pixel read (a truncated or broken file fails here), upright, in sRGB, opaque."""
    if picture.format == "JPEG":
        picture.draft("RGB", (max_edge, max_edge))  # libjpeg decodes at 1/2, 1/4, 1/8: less memory
    picture.load()
    upright = ImageOps.exif_transpose(picture) or picture
    profile = picture.info.get("icc_profile")
    if profile and upright.mode in ("RGB", "RGBA", "CMYK"):
        upright = in_srgb(upright, profile)
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))  # transparency shown on white, as on paper
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return upright.convert("RGB")


def in_srgb(picture: Image.Image, profile: bytes) -> Image.Image:
    """A picture with an embedded colour profile (a phone's Display P3, a printer's CMYK) converted
    to sRGB, so it keeps its colours once the profile is gone; left as it is when unreadable."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if picture.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(picture, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture
    return converted if converted is not None else picture


def encoded(picture: Image.Image, max_edge: int) -> CleanPhoto:
    """Resized to fit max_edge (never enlarged) and encoded as WebP with no metadata at all."""
    picture.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    pixels = Image.frombytes("RGB", picture.size, picture.tobytes())  # a new image: no `info` carried
    out = io.BytesIO()
    pixels.save(out, format="WEBP", quality=WEBP_QUALITY, method=4, exif=b"", icc_profile=b"", xmp=b"")
    return CleanPhoto(out.getvalue(), STORED_MEDIA_TYPE, pixels.width, pixels.height)


def store(photo: CleanPhoto, author: User) -> ExercisePhoto:
    """The stored row for this picture: the one there is when the same picture was kept before
    (two uploads of the same picture at once make one row)."""
    row = ExercisePhoto(
        sha256=photo.sha256,
        media_type=photo.media_type,
        width=photo.width,
        height=photo.height,
        byte_size=len(photo.data),
        data=photo.data,
        created_by_id=author.id,
    )
    stored = insert_unless_present(row)
    if stored is not None:
        return stored
    return db.session.scalars(sa.select(ExercisePhoto).where(ExercisePhoto.sha256 == photo.sha256)).one()


def by_file_name(file_name: str) -> ExercisePhoto | None:
    """The photo at `<sha256>.<ending>`, with its bytes; None for any other name."""
    sha256 = file_name.partition(".")[0]
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        return None
    photo = db.session.scalars(
        sa.select(ExercisePhoto).where(ExercisePhoto.sha256 == sha256).options(undefer(ExercisePhoto.data))
    ).one_or_none()
    return photo if photo is not None and photo.file_name == file_name else None


def is_released(photo: ExercisePhoto) -> bool:
    """Shown on a version the physician signed (in force now or before a newer one)."""
    signed = sa.select(ExerciseVersion.id).where(
        ExerciseVersion.photo_id == photo.id,
        ExerciseVersion.status.in_(("signed", "retired")),
        ExerciseVersion.signed_at.is_not(None),
    )
    return db.session.scalar(signed.limit(1)) is not None


def may_see(person: User | None, photo: ExercisePhoto) -> bool:
    """Staff see every photo, drafts too (to write and sign them). A patient sees a photo only on
    a signed version that an exercise of their own plan is prescribed with: the photo they read
    their exercise beside, never a draft, never another exercise's."""
    if person is None:
        return False
    if person.has_role(Role.THERAPIST, Role.ADMIN):
        return True
    if not person.has_role(Role.PATIENT):
        return False
    in_their_plan = (
        sa.select(PlanItem.id)
        .join(Treatment, Treatment.id == PlanItem.treatment_id)
        .join(ExerciseVersion, ExerciseVersion.id == PlanItem.exercise_version_id)
        .where(
            Treatment.patient_id == person.id,
            PlanItem.removed_at.is_(None),
            ExerciseVersion.photo_id == photo.id,
            ExerciseVersion.status.in_(("signed", "retired")),
            ExerciseVersion.signed_at.is_not(None),
        )
        .limit(1)
    )
    return db.session.scalar(in_their_plan) is not None
