"""The clinic's exercise library: the versions of each exercise's texts, which one patients read,
and the physician's sign-off (app/models/exercise_versions.py says what a version is).

Patients only ever read a signed version. A built-in version reads its words from the content
catalogue (with their translations, and the mid back's stop line: app/care/programmes.py); a
clinic-written version is shown as written, in its language. A version may carry the clinic's
photo of the exercise (app/services/treatment/photos.py makes an upload a clean picture): a new
photo is a new draft like a change of words, and keeps the texts as they were (built-in ones keep
their translations). Every change is put on the audit trail here, with the change itself."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.care.content import ALL_EXERCISES, EXERCISES_BY_SLUG, STOP_UPPER_BACK, Dose, ExerciseText
from app.care.programmes import exercise_text, is_upper_back
from app.care.protocol import EXERCISE_PHASE_KEYS
from app.care.staff_words import N_
from app.extensions import db
from app.models import Exercise, ExercisePhoto, ExerciseVersion, PlanItem, User
from app.models.base import utcnow
from app.services import audit

DOSE_KEYS = tuple(Dose.__dataclass_fields__)


class LibraryError(ValueError):
    """A library change that cannot be made (the message says why, for the admin)."""


@dataclass(frozen=True)
class Draft:
    """What the admin typed for a version: its texts and its default dose in each phase."""

    name: str
    purpose: str
    steps: tuple[str, ...]
    stop_if: str
    language: str
    doses: dict[str, Dose] = field(default_factory=dict)


def builtin_fields(text: ExerciseText) -> dict[str, Any]:
    """Version 1 of an exercise that ships with the app: today's catalogue text."""
    return {
        "number": 1,
        "name": text.name,
        "purpose": text.purpose,
        "steps": list(text.steps),
        "stop_if": text.stop_if,
        "doses": {phase: asdict(dose) for phase, dose in text.doses.items()},
        "language": "en",
        "status": "signed",
        "builtin": True,
        "signed_at": utcnow(),
    }


def ensure_library() -> dict[str, Exercise]:
    """One library row per exercise in the content module, each with its built-in signed version 1
    (idempotent), and every exercise the clinic added; by slug."""
    existing = {e.slug: e for e in db.session.scalars(sa.select(Exercise))}
    versioned = set(db.session.scalars(sa.select(ExerciseVersion.exercise_id).distinct()))
    for text in ALL_EXERCISES:
        if text.slug not in existing:
            existing[text.slug] = Exercise(slug=text.slug)
            db.session.add(existing[text.slug])
    db.session.flush()
    for text in ALL_EXERCISES:
        exercise = existing[text.slug]
        if exercise.id not in versioned:
            db.session.add(ExerciseVersion(exercise_id=exercise.id, **builtin_fields(text)))
    db.session.flush()
    return existing


def current_versions(exercise_ids: list[int] | None = None) -> dict[int, ExerciseVersion]:
    """The signed version in force of each exercise (one query), by exercise id."""
    query = sa.select(ExerciseVersion).where(ExerciseVersion.status == "signed")
    if exercise_ids is not None:
        query = query.where(ExerciseVersion.exercise_id.in_(exercise_ids))
    return {version.exercise_id: version for version in db.session.scalars(query)}


def current_version(exercise: Exercise) -> ExerciseVersion | None:
    return current_versions([exercise.id]).get(exercise.id)


def version_doses(version: ExerciseVersion, slug: str) -> dict[str, Dose]:
    """The default dose in each phase: a built-in version's from the catalogue."""
    if version.builtin and slug in EXERCISES_BY_SLUG:
        return dict(EXERCISES_BY_SLUG[slug].doses)
    return {
        phase: Dose(**{key: value for key, value in dose.items() if key in DOSE_KEYS})
        for phase, dose in (version.doses or {}).items()
    }


def text_of(version: ExerciseVersion | None, slug: str, condition: str | None = None) -> ExerciseText | None:
    """The exercise as this patient reads it in this version, or None when patients may not read
    it (a draft). No version (an item older than versions): the built-in text."""
    if version is not None and not version.was_signed:
        return None
    if version is None or version.builtin:
        return exercise_text(slug, condition) if slug in EXERCISES_BY_SLUG else None
    stop_if = version.stop_if
    if is_upper_back(condition) and version.language == "en" and "leg" in stop_if:
        stop_if = STOP_UPPER_BACK  # the mid back's stop line, as for the built-in texts
    return ExerciseText(
        slug, version.name, version.purpose, tuple(version.steps), stop_if, version_doses(version, slug)
    )


def item_text(item: PlanItem, condition: str | None = None) -> ExerciseText | None:
    return text_of(item.exercise_version, item.exercise.slug, condition)


@dataclass(frozen=True)
class PhotoShown:
    """A version's photo as a page shows it: where it is, its size and the words that describe it
    (in the version's language, which may not be the page's)."""

    file_name: str
    width: int
    height: int
    alt: str
    language: str


def photo_of(version: ExerciseVersion | None) -> PhotoShown | None:
    """The photo on this version (loaded with it: no query), or None."""
    photo = version.photo if version is not None else None
    if version is None or photo is None:
        return None
    return PhotoShown(photo.file_name, photo.width, photo.height, version.photo_alt, version.language)


def exercise_name(item: PlanItem) -> str:
    """The exercise's name as prescribed (for staff words and records)."""
    version = item.exercise_version
    if version is not None and not version.builtin:
        return version.name
    known = EXERCISES_BY_SLUG.get(item.exercise.slug)
    return known.name if known else item.exercise.slug


# --- The admin's library pages --------------------------------------------------------------------


@dataclass
class LibraryEntry:
    """One exercise on the library page: its signed version in force, and any draft."""

    exercise: Exercise
    current: ExerciseVersion | None
    draft: ExerciseVersion | None
    versions: list[ExerciseVersion]

    @property
    def name(self) -> str:
        shown = self.current or self.draft
        return shown.name if shown else self.exercise.slug

    @property
    def latest(self) -> ExerciseVersion | None:
        return self.draft or self.current


def library_entries() -> list[LibraryEntry]:
    """Every exercise with its versions (two queries), in the catalogue's order, then the clinic's."""
    ensure_library()
    exercises = list(db.session.scalars(sa.select(Exercise).order_by(Exercise.id)))
    by_exercise: dict[int, list[ExerciseVersion]] = {exercise.id: [] for exercise in exercises}
    every_version = (
        sa.select(ExerciseVersion)
        .options(selectinload(ExerciseVersion.written_by), selectinload(ExerciseVersion.signed_by))
        .order_by(ExerciseVersion.number)
    )
    for version in db.session.scalars(every_version):
        by_exercise.setdefault(version.exercise_id, []).append(version)
    order = {text.slug: position for position, text in enumerate(ALL_EXERCISES)}
    exercises.sort(key=lambda exercise: (order.get(exercise.slug, len(order)), exercise.id))
    entries = []
    for exercise in exercises:
        versions = by_exercise[exercise.id]
        current = next((v for v in versions if v.status == "signed"), None)
        draft = next((v for v in versions if v.status == "draft"), None)
        entries.append(LibraryEntry(exercise, current, draft, versions))
    return entries


def exercise_choices() -> list[tuple[str, str]]:
    """(slug, name) of every exercise with a signed version, for the therapist's "Add an exercise"
    (one query), in the catalogue's order, then the clinic's."""
    query = (
        sa.select(Exercise.slug, ExerciseVersion.name, ExerciseVersion.builtin)
        .join(ExerciseVersion, ExerciseVersion.exercise_id == Exercise.id)
        .where(ExerciseVersion.status == "signed")
        .order_by(Exercise.id)
    )
    rows = db.session.execute(query).all()
    if not rows:  # a library not laid out yet
        ensure_library()
        rows = db.session.execute(query).all()
    order = {text.slug: position for position, text in enumerate(ALL_EXERCISES)}
    named = [
        (slug, EXERCISES_BY_SLUG[slug].name if builtin and slug in EXERCISES_BY_SLUG else name)
        for slug, name, builtin in rows
    ]
    return sorted(named, key=lambda pair: order.get(pair[0], len(order)))


def slug_for(name: str) -> str:
    """A new exercise's key from its name ("Side plank" -> "side-plank"), unused so far."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "exercise"
    taken = set(db.session.scalars(sa.select(Exercise.slug).where(Exercise.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def draft_fields(draft: Draft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "purpose": draft.purpose,
        "steps": list(draft.steps),
        "stop_if": draft.stop_if,
        "language": draft.language,
        "doses": {phase: asdict(dose) for phase, dose in draft.doses.items() if phase in EXERCISE_PHASE_KEYS},
    }


def add_exercise(draft: Draft, author: User) -> ExerciseVersion:
    """A new exercise in the library, as a draft version 1 (no patient sees it until it is signed)."""
    ensure_library()
    exercise = Exercise(slug=slug_for(draft.name))
    db.session.add(exercise)
    db.session.flush()
    version = ExerciseVersion(
        exercise_id=exercise.id, number=1, status="draft", written_by_id=author.id, **draft_fields(draft)
    )
    db.session.add(version)
    db.session.flush()
    audit.record("library_add", detail=f"Exercise “{draft.name}” added to the library as a draft")
    return version


def versions_of(exercise: Exercise) -> list[ExerciseVersion]:
    return list(
        db.session.scalars(
            sa.select(ExerciseVersion)
            .where(ExerciseVersion.exercise_id == exercise.id)
            .order_by(ExerciseVersion.number)
        )
    )


COPIED_TO_A_NEW_DRAFT = (
    *("name", "purpose", "steps", "stop_if", "doses", "language", "builtin"),
    *("photo_id", "photo_alt"),
)


def draft_for(exercise: Exercise, versions: list[ExerciseVersion]) -> tuple[ExerciseVersion, str]:
    """The exercise's draft, or a new one after the latest version that starts as a copy of it
    (its texts, doses, language and photo), and which of the two it is."""
    draft = next((v for v in versions if v.status == "draft"), None)
    if draft is not None:
        return draft, "changed"
    latest = versions[-1] if versions else None
    number = (latest.number if latest else 0) + 1
    draft = ExerciseVersion(exercise_id=exercise.id, number=number, status="draft")
    if latest is not None:
        for name in COPIED_TO_A_NEW_DRAFT:
            setattr(draft, name, getattr(latest, name))
        draft.photo = latest.photo
    db.session.add(draft)
    return draft, "written"


def write_draft(exercise: Exercise, draft: Draft, author: User) -> ExerciseVersion:
    """Edit an exercise: its draft version changes, or a new draft version is made after the latest
    (keeping its photo). Words the clinic wrote are shown as written, not translated."""
    version, what = draft_for(exercise, versions_of(exercise))
    for name, value in draft_fields(draft).items():
        setattr(version, name, value)
    version.builtin = False
    version.written_by_id = author.id
    version.written_at = utcnow()
    db.session.flush()
    audit.record("library_draft", detail=f"Draft of version {version.number} of “{draft.name}” {what}")
    return version


def set_photo(exercise: Exercise, photo: ExercisePhoto | None, alt: str, author: User) -> ExerciseVersion:
    """A new photo (or none) for an exercise, as a draft: the draft there is, or a new version
    after the latest with its texts unchanged (built-in texts stay built-in, with their
    translations). Patients see it once the physician signs that version."""
    version, what = draft_for(exercise, versions_of(exercise))
    before = version.photo_id
    version.photo_id = photo.id if photo is not None else None
    version.photo = photo
    version.photo_alt = alt if photo is not None else ""
    version.written_by_id = author.id
    version.written_at = utcnow()
    db.session.flush()
    if photo is None:
        change = "photo removed" if before is not None else "no photo"
    else:
        change = f"photo {photo.sha256[:12]} ({photo.width}×{photo.height}, {photo.byte_size:,} bytes) added"
    audit.record(
        "library_photo",
        detail=f"Draft of version {version.number} of “{version.name}” {what}: {change}",
    )
    return version


def fingerprint(version: ExerciseVersion) -> str:
    """A short hash of everything a patient would be shown in this version (texts, doses, language,
    whether the texts are the built-in ones, the photo's SHA-256 and its words): the physician
    signs exactly what they read, and a draft changed meanwhile has another fingerprint."""
    shown = {
        "name": version.name,
        "purpose": version.purpose,
        "steps": list(version.steps or []),
        "stop_if": version.stop_if,
        "doses": version.doses or {},
        "language": version.language,
        "builtin": bool(version.builtin),
        "photo": version.photo.sha256 if version.photo is not None else None,
        "photo_alt": version.photo_alt if version.photo is not None else "",
    }
    encoded = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()[:12]


ALREADY_SIGNED = N_("This version is signed already.")  # staff words: shown translated
NOT_A_DRAFT = N_("Only a draft can be signed. This version is no longer one.")
CHANGED_WHILE_READ = N_(
    "This draft changed after you opened it, so it was not signed. Read it again as it is now, then sign."
)


def sign(version: ExerciseVersion, physician: User, read: str) -> ExerciseVersion | None:
    """The physician signs a draft as they read it (`read`: its fingerprint on the page they
    ticked): it becomes the version new prescriptions use; the version it replaces is retired (plan
    items keep it until the therapist updates them). Returns the retired one."""
    if version.status == "signed":
        raise LibraryError(ALREADY_SIGNED)
    if version.status != "draft":
        raise LibraryError(NOT_A_DRAFT)
    if read != fingerprint(version):
        raise LibraryError(CHANGED_WHILE_READ)
    replaced = db.session.scalar(
        sa.select(ExerciseVersion).where(
            ExerciseVersion.exercise_id == version.exercise_id, ExerciseVersion.status == "signed"
        )
    )
    if replaced is not None:
        replaced.status = "retired"
        db.session.flush()
    version.status, version.signed_by_id, version.signed_at = "signed", physician.id, utcnow()
    before = f", replacing version {replaced.number}" if replaced is not None else ""
    photo = f", with photo {version.photo.sha256[:12]}" if version.photo is not None else ""
    audit.record(
        "library_sign",
        detail=f"Version {version.number} of “{version.name}” signed off{before} (fingerprint {read}{photo})",
    )
    return replaced
