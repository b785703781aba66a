"""The clinic's own exercise library: each exercise's texts and default doses as numbered versions.

A version is written as a draft, signed by the clinic's physician, and retired when a newer one is
signed. Patients only ever read a version that was signed: a plan item keeps the version it was
prescribed with until the therapist updates it (app/services/treatment/library.py). Version 1 of
every exercise that ships with the app is the built-in text: its words are read from the content
catalogue (app/care/content.py), so they keep their translations; a clinic-written version is shown
in the language it was written in.

A version may carry the clinic's own photo of the exercise (ExercisePhoto): stored in the database,
so every app host serves it, after it was decoded and re-encoded (app/services/treatment/photos.py),
and addressed by the SHA-256 of its bytes. A new photo is a new draft version, signed like its
texts; patients see a photo only on a version that was signed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, sql_in, utcnow
from app.models.users import User

VERSION_STATUSES = ("draft", "signed", "retired")
TEXT_LANGUAGES = ("en", "es")
NAME_MAX = 120
PURPOSE_MAX = 500
STEP_MAX = 300
STEPS_MAX = 12
STOP_IF_MAX = 500
PHOTO_ALT_MAX = 300
PHOTO_MEDIA_TYPES = {"image/webp": "webp", "image/jpeg": "jpg"}  # as stored, and its file ending


class ExercisePhoto(Model):
    """A clinic's photo of an exercise, as stored: the re-encoded pixels only (no metadata, nothing
    the uploaded file carried beside its picture). One row per distinct picture: uploading the same
    photo again reuses it. Its bytes are loaded only when the photo itself is served."""

    __tablename__ = "exercise_photos"
    __table_args__ = (
        CheckConstraint(sql_in("media_type", tuple(PHOTO_MEDIA_TYPES)), name="media_type_known"),
        CheckConstraint("width > 0 AND height > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of `data`: its address
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    byte_size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def file_name(self) -> str:
        """The last part of its address: `<sha256>.webp`."""
        return f"{self.sha256}.{PHOTO_MEDIA_TYPES[self.media_type]}"


class ExerciseVersion(Model):
    """One version of one exercise's texts and its default dose in each phase."""

    __tablename__ = "exercise_versions"
    __table_args__ = (
        UniqueConstraint("exercise_id", "number", name="uq_exercise_versions_exercise_number"),
        CheckConstraint(sql_in("status", VERSION_STATUSES), name="status_known"),
        CheckConstraint(sql_in("language", TEXT_LANGUAGES), name="language_known"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("photo_id IS NULL OR length(photo_alt) > 0", name="photo_described"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    purpose: Mapped[str] = mapped_column(Text)
    steps: Mapped[list[str]] = mapped_column(JSON)
    stop_if: Mapped[str] = mapped_column(Text)
    doses: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON)  # phase key -> Dose fields
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    builtin: Mapped[bool] = mapped_column(default=False)  # the app's own text, read from the catalogue
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None]
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("exercise_photos.id"))
    photo_alt: Mapped[str] = mapped_column(String(PHOTO_ALT_MAX), default="")  # in `language`

    photo: Mapped[ExercisePhoto | None] = relationship(lazy="joined")  # with the version: no query per row
    written_by: Mapped[User | None] = relationship(foreign_keys=[written_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])

    @property
    def was_signed(self) -> bool:
        """Signed now or before a newer version took its place: patients may read it."""
        return self.signed_at is not None and self.status in ("signed", "retired")
