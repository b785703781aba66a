"""A patient's home-exercise plan: what is prescribed per phase, the therapist's changes to it, and
the patient's ticks. Each change is put on the audit trail here, with the change itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

import sqlalchemy as sa

from app.care import content
from app.care.content import Dose, ExerciseText
from app.care.dosing import is_due, next_due
from app.care.feelings import (
    EASIER_RUN,
    FEELING_WORDS,
    FEELINGS,
    HURT_RUN,
    STAFF_WORDS,
    Run,
    ready_to_progress,
    run_of,
)
from app.care.programmes import (
    DIRECTION_PHASES,
    DIRECTIONS,
    SAFE_BEFORE_PRECAUTIONS,
    direction_items,
    plan_for,
)
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASES_BY_KEY
from app.care.staff_words import N_
from app.database import insert_unless_present
from app.extensions import db
from app.models import ExerciseTick, ExerciseVersion, PlanItem, Treatment
from app.models.base import utcnow
from app.services import audit, summaries
from app.services.treatment import library
from app.services.treatment.treatments import ensure_exercise_library


class PlanError(ValueError):
    """A plan change that cannot be made (the message says why, for the therapist)."""


@dataclass
class ExerciseRow:
    """One prescribed exercise with its text, and which of today's sessions are done (or, for
    one not due today, when it is next due)."""

    item: PlanItem
    text: ExerciseText
    done_sessions: frozenset[int] = frozenset()
    next_due: date | None = None
    feelings: dict[int, str] = field(default_factory=dict)  # today's answers, by session
    recent_feelings: list[Felt] = field(default_factory=list)  # for the therapist, newest first
    ready_to_progress: bool = False  # "easier" three times in a row, pain steady: a hint
    newer: ExerciseVersion | None = None  # for the therapist: a newer signed version of its texts

    @property
    def version_number(self) -> int:
        """The version of the exercise's texts it was prescribed with (1: the built-in text)."""
        version = self.item.exercise_version
        return version.number if version is not None else 1

    @property
    def photo(self) -> library.PhotoShown | None:
        """The clinic's photo on the version it was prescribed with (a signed one: rows are only
        made for versions patients may read)."""
        return library.photo_of(self.item.exercise_version)

    @property
    def feeling_session(self) -> int | None:
        """The session "How did that feel?" asks about: the latest one done today."""
        return max(self.done_sessions, default=None)

    @property
    def feeling(self) -> str | None:
        session = self.feeling_session
        return self.feelings.get(session) if session is not None else None

    @property
    def feeling_choices(self) -> list[tuple[str, str]]:
        """(answer, its words in the catalogue), in the order the patient sees them."""
        return [(key, FEELING_WORDS[key]) for key in FEELINGS]

    @property
    def sessions(self) -> range:
        return range(1, self.item.prescription.sessions + 1)

    @property
    def done(self) -> bool:
        return all(session in self.done_sessions for session in self.sessions)

    @property
    def dose(self) -> str:
        """The dose and the therapist's cue in one line: "2 sets of 10 · Each side."."""
        return " · ".join(part for part in (content.dose_text(self.item.dose), self.item.cue) if part)


@dataclass
class PlanPhase:
    key: str
    title: str
    rows: list[ExerciseRow]


def live_items_query(treatment_id: int, phase: str | None = None) -> sa.Select[PlanItem]:
    """The items still in the plan, in the patient's order (one phase, or all)."""
    query = sa.select(PlanItem).where(PlanItem.treatment_id == treatment_id, PlanItem.removed_at.is_(None))
    if phase is not None:
        query = query.where(PlanItem.phase == phase)
    return query.order_by(PlanItem.position, PlanItem.id)


def live_items(treatment_id: int, phase: str | None = None) -> list[PlanItem]:
    return list(db.session.scalars(live_items_query(treatment_id, phase)))


def row_for(
    item: PlanItem,
    done_sessions: Iterable[int] = (),
    condition: str | None = None,
    feelings: dict[int, str] | None = None,
) -> ExerciseRow:
    """The row with the exercise as this patient reads it in the version it was prescribed with
    (the mid back's stop lines: programmes). Only for an item whose version patients may read."""
    text = library.item_text(item, condition)
    if text is None:
        raise PlanError(N_("This exercise has no signed version for patients to read."))
    return ExerciseRow(item, text, frozenset(done_sessions), feelings=dict(feelings or {}))


def rows_for(items: list[PlanItem], condition: str | None = None) -> list[ExerciseRow]:
    """Rows for the items with a signed version of their exercise's texts (the version is loaded
    with the item: no query per row)."""
    rows = []
    for item in items:
        text = library.item_text(item, condition)
        if text is not None:
            rows.append(ExerciseRow(item, text))
    return rows


def load_plan(
    treatment: Treatment | None, today: date | None = None, scores: Mapping[date, int] | None = None
) -> list[PlanPhase]:
    """The live plan, phase by phase, in the patient's order, each exercise with the patient's
    latest "how did that feel?" answers; given today and the back pain by day, each also says
    whether it may be ready to progress (app/care/feelings.py)."""
    if treatment is None:
        return []
    by_phase: dict[str, list[ExerciseRow]] = defaultdict(list)
    rows = rows_for(live_items(treatment.id), treatment.condition)
    felt = latest_feelings([row.item.id for row in rows])
    signed = library.current_versions() if rows else {}  # one query, however long the plan
    for row in rows:
        item = row.item
        row.recent_feelings = felt.get(item.id, [])
        current = signed.get(item.exercise_id)
        if (
            current is not None
            and current.id != item.exercise_version_id
            and current.number > row.version_number
        ):
            row.newer = current
        if today is not None and scores is not None:
            run = Run(item.feeling_run, item.feeling_run_length, item.feeling_run_day)
            row.ready_to_progress = ready_to_progress(run, scores, today)
        by_phase[item.phase].append(row)
    return [PlanPhase(key, PHASES_BY_KEY[key].title, by_phase[key]) for key in EXERCISE_PHASE_KEYS]


def todays_rows(treatment: Treatment, phase: str, today: date) -> tuple[list[ExerciseRow], list[ExerciseRow]]:
    """The phase's exercises due today, with the sessions done, and those not due today, with
    the day each is next due."""
    injection = treatment.injection_date
    ticked_today = sa.and_(ExerciseTick.plan_item_id == PlanItem.id, ExerciseTick.day == today)
    items: dict[int, PlanItem] = {}
    done: dict[int, set[int]] = defaultdict(set)
    felt: dict[int, dict[int, str]] = defaultdict(dict)
    for item, session, feeling in db.session.execute(  # one query: the items, each with today's ticks
        live_items_query(treatment.id, phase)
        .add_columns(ExerciseTick.session, ExerciseTick.feeling)
        .outerjoin(ExerciseTick, ticked_today)
    ):
        items[item.id] = item
        if session is not None:
            done[item.id].add(session)
            if feeling is not None:
                felt[item.id][session] = feeling
    rows = rows_for(list(items.values()), treatment.condition)
    if treatment.precautions_pending:  # after surgery: walking and breathing until confirmed
        rows = [row for row in rows if row.item.exercise.slug in SAFE_BEFORE_PRECAUTIONS]
    due, later = [], []
    for row in rows:
        days = row.item.days_per_week
        if is_due(days, today, injection):
            row.done_sessions = frozenset(done[row.item.id])
            row.feelings = felt[row.item.id]
            due.append(row)
        else:
            row.next_due = next_due(days, today, injection)
            later.append(row)
    return due, later


def add_exercise(treatment: Treatment, slug: str, phase: str) -> PlanItem:
    """Add at the end of the phase with the library's dose for that phase, unless it is there,
    in the exercise's signed version in force."""
    exercise = ensure_exercise_library().get(slug)
    version = library.current_version(exercise) if exercise is not None else None
    if exercise is None or version is None:
        raise PlanError(N_("Choose an exercise from the list."))
    duplicate = db.session.scalar(
        sa.select(PlanItem.id).where(
            PlanItem.treatment_id == treatment.id,
            PlanItem.phase == phase,
            PlanItem.exercise_id == exercise.id,
            PlanItem.removed_at.is_(None),
        )
    )
    if duplicate:
        raise PlanError(N_("This exercise is already in that phase."))
    last = db.session.scalar(
        sa.select(sa.func.max(PlanItem.position)).where(
            PlanItem.treatment_id == treatment.id, PlanItem.phase == phase
        )
    )
    item = PlanItem(
        treatment_id=treatment.id,
        exercise=exercise,
        exercise_version=version,
        phase=phase,
        position=(last or 0) + 1,
    )
    item.dose = library.version_doses(version, slug).get(phase, Dose())
    db.session.add(item)
    audit.record("plan_add", patient_id=treatment.patient_id, detail=f"Added {item_words(item)}")
    return item


def choose_direction(treatment: Treatment, direction: str) -> None:
    """The therapist's directional preference: its exercise joins the plan in the phases it has a
    dose for, and the other direction's exercise leaves it (the therapist may still add it back)."""
    if not plan_for(treatment.condition).chooses_direction or direction not in DIRECTIONS:
        raise PlanError(N_("A directional preference is not part of this condition's programme."))
    if treatment.directional_preference == direction:
        return
    treatment.directional_preference = direction
    audit.record(
        "plan_direction", patient_id=treatment.patient_id, detail=f"Directional preference: {direction}"
    )
    others = {slug for key, slug in DIRECTIONS.items() if key != direction}
    for item in live_items(treatment.id):
        if item.exercise.slug in others and item.phase in DIRECTION_PHASES:
            remove_exercise(item)
    present = {(item.exercise.slug, item.phase) for item in live_items(treatment.id)}
    for slug, phase, _dose in direction_items(direction):
        if (slug, phase) not in present:
            add_exercise(treatment, slug, phase)


def update_version(item: PlanItem, version: ExerciseVersion) -> None:
    """The therapist moves the item to the newer signed version of its exercise (the dose stays)."""
    if version.exercise_id != item.exercise_id or version.status != "signed":
        raise PlanError(N_("That version is not the signed version of this exercise."))
    before = item.exercise_version.number if item.exercise_version is not None else 1
    if item.exercise_version_id == version.id:
        return
    item.exercise_version = version
    detail = f"{item_words(item)}: texts updated from version {before} to version {version.number}"
    audit.record("plan_version", patient_id=item.treatment.patient_id, detail=detail)


def confirm_precautions(treatment: Treatment, therapist_id: int, note: str) -> None:
    """After back surgery: the therapist confirms the surgeon's precautions (what they are, in
    the note); the rest of the programme then shows to the patient."""
    if not plan_for(treatment.condition).needs_precautions:
        raise PlanError(N_("This condition's programme has no surgeon's precautions to confirm."))
    treatment.precautions_confirmed_at = utcnow()
    treatment.precautions_confirmed_by_id = therapist_id
    treatment.precautions_note = note
    audit.record("precautions_confirm", patient_id=treatment.patient_id, detail=note[:500] or "Confirmed")


def remove_exercise(item: PlanItem) -> None:
    """Removed items keep their ticks, so the history stays true."""
    item.removed_at = utcnow()
    audit.record("plan_remove", patient_id=item.treatment.patient_id, detail=f"Removed {item_words(item)}")


def move_exercise(item: PlanItem, direction: str) -> bool:
    """Swap places with the neighbour above or below in the same phase; False at either end."""
    siblings = live_items(item.treatment_id, item.phase)
    index = siblings.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    detail = f"Moved {item_words(item)} {direction}"
    audit.record("plan_move", patient_id=item.treatment.patient_id, detail=detail)
    return True


DOSE_LABELS = {
    "sets": "sets",
    "reps": "reps",
    "hold_seconds": "hold (seconds)",
    "minutes": "minutes",
    "times_per_day": "times a day",
    "days_per_week": "days a week",
    "cue": "cue",
}


def change_dose(item: PlanItem, dose: Dose) -> None:
    """Set the dose; the audit trail says what changed, in words."""
    before, after = asdict(item.dose), asdict(dose)
    item.dose = dose
    changes = [
        f"{DOSE_LABELS[name]} changed from {dose_value(before[name])} to {dose_value(after[name])}"
        for name in DOSE_LABELS
        if before[name] != after[name]
    ]
    detail = f"{item_words(item)}: " + ("; ".join(changes) or "saved with no change")
    audit.record("plan_dose", patient_id=item.treatment.patient_id, detail=detail)


def dose_value(value: int | str | None) -> str:
    if value is None or value == "":
        return "none"
    return f"“{value}”" if isinstance(value, str) else str(value)


def item_words(item: PlanItem) -> str:
    """ "Walking in Weeks 3–6: restore function" """
    return f"{library.exercise_name(item)} in {PHASES_BY_KEY[item.phase].title}"


def set_done(item: PlanItem, day: date, session: int, done: bool) -> None:
    """Idempotent: ticking twice or undoing twice leaves one state, never an error."""
    what = f"{item_words(item)}, time {session}: {'done' if done else 'undone'}"
    audit.record("exercise_tick", patient_id=item.treatment.patient_id, detail=what)
    summaries.mark_day("item", item.id, day)  # a plain statement below: the flush cannot see it
    if done:
        insert_unless_present(ExerciseTick(plan_item_id=item.id, day=day, session=session))
        return
    undone = db.session.scalars(
        sa.delete(ExerciseTick)
        .where(ExerciseTick.plan_item_id == item.id, ExerciseTick.day == day, ExerciseTick.session == session)
        .returning(ExerciseTick.feeling)
    ).all()
    if any(feeling is not None for feeling in undone):  # its answer went with it
        keep_feeling_run(item)


def todays_ticks(item: PlanItem, day: date) -> tuple[set[int], dict[int, str]]:
    """The sessions done on `day` and the answers given for them, in one query."""
    done: set[int] = set()
    felt: dict[int, str] = {}
    for session, feeling in db.session.execute(
        sa.select(ExerciseTick.session, ExerciseTick.feeling).where(
            ExerciseTick.plan_item_id == item.id, ExerciseTick.day == day
        )
    ):
        done.add(session)
        if feeling is not None:
            felt[session] = feeling
    return done, felt


def set_feeling(item: PlanItem, day: date, session: int, feeling: str) -> bool:
    """The patient's answer to "How did that feel?" for a session ticked on `day`; False when that
    session is not ticked (nothing is stored). Answering again replaces the answer."""
    if feeling not in FEELINGS:
        raise ValueError(f"unknown feeling {feeling!r}")
    answered = db.session.execute(
        sa.update(ExerciseTick)
        .where(ExerciseTick.plan_item_id == item.id, ExerciseTick.day == day, ExerciseTick.session == session)
        .values(feeling=feeling, felt_at=utcnow())
        .returning(ExerciseTick.id)
    ).first()
    if answered is None:
        return False
    what = f"{item_words(item)}, time {session}: {STAFF_WORDS[feeling].lower()}"
    audit.record("exercise_feeling", patient_id=item.treatment.patient_id, detail=what)
    keep_feeling_run(item)
    return True


def keep_feeling_run(item: PlanItem) -> None:
    """Work out again the run at the end of this item's answers and keep it on the item."""
    latest = db.session.execute(
        sa.select(ExerciseTick.feeling, ExerciseTick.day)
        .where(ExerciseTick.plan_item_id == item.id, ExerciseTick.feeling.is_not(None))
        .order_by(ExerciseTick.day.desc(), ExerciseTick.session.desc())
        .limit(max(HURT_RUN, EASIER_RUN))
    ).all()
    run = run_of((feeling, day) for feeling, day in latest if feeling is not None)
    item.feeling_run, item.feeling_run_length, item.feeling_run_day = run.feeling, run.length, run.day


@dataclass(frozen=True)
class Felt:
    """One answer, for the therapist's record."""

    day: date
    session: int
    feeling: str

    @property
    def words(self) -> str:
        return STAFF_WORDS[self.feeling]


LATEST_FEELINGS = 3


def latest_feelings(item_ids: list[int], per_item: int = LATEST_FEELINGS) -> dict[int, list[Felt]]:
    """Each item's latest answers, newest first: one query however many items."""
    if not item_ids:
        return {}
    rank = (
        sa.func.row_number()
        .over(
            partition_by=ExerciseTick.plan_item_id,
            order_by=(ExerciseTick.day.desc(), ExerciseTick.session.desc()),
        )
        .label("rank")
    )
    ranked = (
        sa.select(
            ExerciseTick.plan_item_id, ExerciseTick.day, ExerciseTick.session, ExerciseTick.feeling, rank
        )
        .where(ExerciseTick.plan_item_id.in_(item_ids), ExerciseTick.feeling.is_not(None))
        .subquery()
    )
    found: dict[int, list[Felt]] = defaultdict(list)
    for item_id, day, session, feeling in db.session.execute(
        sa.select(ranked.c.plan_item_id, ranked.c.day, ranked.c.session, ranked.c.feeling)
        .where(ranked.c.rank <= per_item)
        .order_by(ranked.c.plan_item_id, ranked.c.day.desc(), ranked.c.session.desc())
    ):
        found[item_id].append(Felt(day, session, feeling))
    return found
