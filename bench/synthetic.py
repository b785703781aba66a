"""A synthetic clinic group at scale, for the benchmark: `flask --app bench.app build-clinic --patients N`.

Therapists at one per 100 patients (the first one has 200: the dashboard the benchmark measures),
admins, and for every patient one PRP course with up to 120 days of daily logs (Visit 1, seven
days before the injection, to day 112), exercise ticks, questionnaires, messages, monitoring time,
notes, reminder choices, alerts (a few hundred open) and an audit trail chained like the app's.
About half the courses are under way (every phase is on show today) and half are finished.

Rows are generated in Python from one seeded random source (the same `--seed` gives the same
clinic) and written in bulk, all in one transaction: PostgreSQL `COPY ... FROM STDIN` (psycopg 3),
SQLite `executemany`. Ids are given here, so children can point at parents without reading them
back; PostgreSQL's sequences are moved past them afterwards, and both databases are analysed so
the query planner knows the tables' sizes. Every account shares one password hash, computed once
(hashing 50,000 passwords would take longer than the rest of the build).

Synthetic accounts are demo accounts (`is_demo`): `seed-demo` may wipe a database that holds only
them, and this command refuses a database that holds any account at all.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.care.content import CONDITIONS, EXERCISES, LEG_PAIN_CONDITIONS, RED_FLAGS
from app.care.dosing import due_offsets
from app.care.measures import label_key, peg_week
from app.care.protocol import phase_for_day
from app.models import AuditEvent
from app.services.audit.chain import GENESIS, hash_of

SYNTHETIC_PASSWORD = "backtrack-synthetic"
DOMAIN = "synthetic.example"
PATIENTS_PER_THERAPIST = 100
BENCH_CASELOAD = 200  # the first therapist's active patients
EVALUATION_LEAD_DAYS = 7  # Visit 1 comes a week before the injection
LAST_COURSE_DAY = 112  # logs from day -7 to day 112: 120 days
SHARE_FINISHED = 0.5  # courses past day 112, finished months ago
BATCH = 500  # patients generated and written at a time
OPEN_ALERTS_MAX = 300

FIRST_NAMES = (
    "Maria", "James", "Priya", "Tom", "Aisha", "Robert", "Linda", "Kevin", "Sofia", "Daniel",
    "Grace", "Helen", "Omar", "Nina", "Carlos", "Fatima", "George", "Yuki", "Peter", "Rosa",
    "Samuel", "Irene", "Victor", "Amara", "Bruno", "Clara", "Dmitri", "Elena", "Frank", "Hassan",
    "Martin", "Mary", "Emma", "Mateo", "Amina", "Noah", "Olivia", "Liam", "Mia", "Lucas",
)  # fmt: skip
LAST_NAMES = (
    "Alvarez", "Okafor", "Natarajan", "Becker", "Rahman", "Chen", "Moore", "Walsh", "Rossi", "Kim",
    "Liu", "Brooks", "Haddad", "Petrova", "Mendes", "Diallo", "Wright", "Tanaka", "Novak", "Jimenez",
    "Osei", "Lam", "Okoye", "Costa", "Schmidt", "Ivanov", "Miller", "Park", "Ali", "Marsh",
    "Thomas", "Garcia", "Nguyen", "Smith", "Johnson", "Murphy", "Silva", "Khan", "Cohen", "Hughes",
)  # fmt: skip
SITES = {
    "lumbar_facet": "facet_joints",
    "si_joint": "si_joint",
    "degenerative_disc": "disc",
    "low_back_spasm": "paraspinal_muscles",
    "thoracic_strain": "thoracic_spine",
    "lumbar_sprain": "ligaments",
    "failed_back_surgery": "ligaments,paraspinal_muscles",
    "lumbar_radiculopathy": "facet_joints",
}
LOG_NOTES = (
    "Stiff in the morning, better after a walk.",
    "Long day at work, sat too much.",
    "Slept well for once.",
    "Did the exercises before breakfast.",
    "Sore after gardening.",
)
PSFS_ACTIVITIES = ("Sit through a movie", "Garden for an hour", "Carry the shopping")
MESSAGES = (
    ("patient", "Is it normal to feel sore after the bridge exercise?"),
    ("therapist", "Yes, a little soreness is normal. Stop if it goes above 5 out of 10 and tell me here."),
    ("patient", "Thanks! It was better today."),
    ("patient", "Can I drive to work next week?"),
)
ALERT_FLAGS = tuple(flag for flag in RED_FLAGS if flag.key != "chest_symptoms")
TIME_LOG_WHAT = ("Reviewed the pain log and adherence", "Phone call about the exercises", "Video visit")
NOTE_BODIES = (
    "Doing well; progressed the plan.",
    "Discussed pacing at work.",
    "Check leg symptoms next week.",
)


@dataclass(frozen=True)
class ClinicSize:
    patients: int
    therapists: int
    admins: int

    @classmethod
    def for_patients(cls, patients: int) -> ClinicSize:
        return cls(patients, max(1, patients // PATIENTS_PER_THERAPIST), 2 + patients // 25_000)


@dataclass
class BuildReport:
    size: ClinicSize
    today: date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def patient_email(number: int) -> str:
    return f"patient{number:06d}@{DOMAIN}"


def therapist_email(number: int) -> str:
    return f"therapist{number:04d}@{DOMAIN}"


def admin_email(number: int) -> str:
    return f"admin{number}@{DOMAIN}"


# --- Writing rows in bulk -----------------------------------------------------------------------------


class BulkWriter:
    """Writes rows (tuples of int, str or None; dates and times already in ISO form) into tables by
    column name, inside the caller's transaction, and counts them."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgresql = connection.dialect.name == "postgresql"
        self.rows: dict[str, int] = {}
        self.deferred: list[str] = []  # statements that put back what `defer_checks` dropped

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        self.rows[table] = self.rows.get(table, 0) + len(rows)
        names = ", ".join(columns)
        raw: Any = self.connection.connection.driver_connection
        if self.postgresql:
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608

    def defer_checks(self, tables: Sequence[str]) -> None:
        """PostgreSQL: drop the foreign keys, unique constraints and secondary indexes of `tables`
        until `finish`, which builds each again in one pass (how pg_restore loads: checking every
        row's foreign keys and growing every index row by row makes COPY several times slower).
        All inside this transaction, so no other session ever sees a table without them; the
        definitions are read from the catalog, so what comes back is exactly what was there."""
        if not self.postgresql:
            return
        tables_ = {"tables": list(tables)}
        constraints = self.connection.execute(
            sa.text(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid = ANY(CAST(:tables AS regclass[])) "
                "AND contype IN ('f', 'u') ORDER BY contype DESC"
            ),
            tables_,
        ).all()
        indexes = self.connection.execute(
            sa.text(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = ANY(CAST(:tables AS regclass[])) AND NOT indisprimary "
                "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('u', 'p', 'x'))"
            ),
            tables_,
        ).all()
        for table, name, _kind, _definition in constraints:  # foreign keys first ('f' > 'u')
            self.connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            self.connection.exec_driver_sql(f"DROP INDEX {name}")
        self.deferred = [definition for _name, definition in indexes] + [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, _kind, definition in reversed(constraints)  # unique ones, then keys
        ]

    def finish(self) -> None:
        """Put back what was deferred; move PostgreSQL's id sequences past the ids given here;
        analyse what was written, so the query planner knows the tables' sizes."""
        if self.postgresql:
            self.connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in self.deferred:
            self.connection.exec_driver_sql(statement)
        for table in self.rows:
            if self.postgresql and table != "reminder_preferences":
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            self.connection.exec_driver_sql(f"ANALYZE {table}")


def iso(day: date) -> str:
    return day.isoformat()


def stamp(moment: datetime) -> str:
    """A naive-UTC moment as both databases store it."""
    return moment.isoformat(sep=" ", timespec="microseconds")


# --- The people ----------------------------------------------------------------------------------------


@dataclass
class Course:
    """One patient's PRP course and the habits that shape their data."""

    number: int
    patient_id: int
    treatment_id: int
    therapist_id: int
    injection: date
    evaluation: date
    day_today: int  # days since the injection, today
    condition: str
    baseline: int
    improvement: float  # share of the baseline gone by day 60
    skip_rate: float  # days without a log
    exercise_rate: float  # sessions ticked
    logs_today: bool
    first_plan_item: int = 0
    log_ids: dict[int, int] = field(default_factory=dict)  # course day -> daily log id
    pain: dict[int, int] = field(default_factory=dict)  # course day -> back pain

    @property
    def finished(self) -> bool:
        return self.day_today > LAST_COURSE_DAY

    @property
    def last_day(self) -> int:
        """The last course day with data: today, or day 112 for a finished course."""
        return min(self.day_today, LAST_COURSE_DAY)

    def on(self, day: int) -> date:
        return self.injection + timedelta(days=day)


class Ids:
    """The next id of each table (the database is empty, so they start at 1)."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def take(self, table: str, count: int = 1) -> int:
        first = self.last.get(table, 0) + 1
        self.last[table] = first + count - 1
        return first


@dataclass
class Staff:
    admins: list[int]
    therapists: list[int]


def therapist_for(number: int, size: ClinicSize, therapists: list[int]) -> int:
    """The first therapist takes the first 200 patients; the rest are shared out evenly."""
    caseload = min(BENCH_CASELOAD, size.patients)
    if number < caseload or len(therapists) == 1:
        return therapists[0]
    others = therapists[1:]
    return others[(number - caseload) * len(others) // max(1, size.patients - caseload)]


def name_for(number: int) -> str:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES) + number) % len(LAST_NAMES)]
    return f"{first} {last}"


def write_people(writer: BulkWriter, ids: Ids, size: ClinicSize, today: date, password_hash: str) -> Staff:
    columns = ("id", "email", "full_name", "role", "password_hash", "active", "is_demo", "created_at")
    joined = stamp(datetime.combine(today - timedelta(days=400), datetime.min.time()))
    rows: list[tuple[Any, ...]] = []
    staff = Staff([], [])
    for number in range(1, size.admins + 1):
        user_id = ids.take("users")
        staff.admins.append(user_id)
        name = f"Admin {name_for(number + 7)}"
        rows.append((user_id, admin_email(number), name, "admin", password_hash, 1, 1, joined))
    for number in range(1, size.therapists + 1):
        user_id = ids.take("users")
        staff.therapists.append(user_id)
        name = name_for(number * 13 + 5)
        rows.append((user_id, therapist_email(number), name, "therapist", password_hash, 1, 1, joined))
    writer.write("users", columns, rows)
    return staff


def library_ids(connection: Connection) -> dict[str, tuple[int, int]]:
    """The built-in library (every exercise and its signed version 1, written by the migrations or
    `ensure_library`): the plan names them by the ids the database gave them, by slug."""
    found = connection.execute(
        sa.text(
            "SELECT e.slug, e.id, v.id FROM exercises e JOIN exercise_versions v "
            "ON v.exercise_id = e.id AND v.number = 1"
        )
    ).all()
    library = {slug: (exercise_id, version_id) for slug, exercise_id, version_id in found}
    missing = [text.slug for text in EXERCISES if text.slug not in library]
    if missing:
        raise RuntimeError(f"The exercise library lacks {', '.join(missing)}: run ensure_library first")
    return library


def plan_template(library: dict[str, tuple[int, int]]) -> list[tuple[Any, ...]]:
    """The library's default plan (what `schedule_treatment` copies): exercise and version ids,
    phase, position and dose, in the order the app adds them."""
    rows = []
    for position, text in enumerate(EXERCISES):
        for phase, dose in text.doses.items():
            rows.append(
                (
                    *library[text.slug],  # the exercise and its signed version 1
                    phase,
                    position,
                    dose.sets,
                    dose.reps,
                    dose.hold_seconds,
                    dose.minutes,
                    dose.times_per_day,
                    dose.days_per_week,
                    dose.cue,
                )
            )
    return rows


PHASE_OF_DAY = {day: phase_for_day(day).key for day in range(-EVALUATION_LEAD_DAYS, LAST_COURSE_DAY + 1)}


def new_course(
    number: int, size: ClinicSize, staff: Staff, ids: Ids, today: date, rng: random.Random
) -> Course:
    caseload = min(BENCH_CASELOAD, size.patients)
    if number < caseload or rng.random() >= SHARE_FINISHED:
        day_today = rng.randint(-EVALUATION_LEAD_DAYS, LAST_COURSE_DAY)
    else:
        day_today = rng.randint(LAST_COURSE_DAY + 1, 400)
    injection = today - timedelta(days=day_today)
    return Course(
        number=number,
        patient_id=ids.take("users"),
        treatment_id=ids.take("treatments"),
        therapist_id=therapist_for(number, size, staff.therapists),
        injection=injection,
        evaluation=injection - timedelta(days=EVALUATION_LEAD_DAYS),
        day_today=day_today,
        condition=rng.choice(list(CONDITIONS)),
        baseline=rng.randint(5, 9),
        improvement=rng.uniform(0.0, 0.7),
        skip_rate=rng.uniform(0.02, 0.25),
        exercise_rate=rng.uniform(0.3, 0.95),
        logs_today=rng.random() < 0.4,  # the morning rush is under way
    )


def pain_on(course: Course, day: int, rng: random.Random) -> int:
    """Baseline until the injection, a flare for three days, then a gradual fall (as in the demo)."""
    if day < 0:
        expected = float(course.baseline)
    elif day <= 3:
        expected = course.baseline + 1.0
    else:
        expected = course.baseline * (1 - course.improvement * min(day, 60) / 60)
    return max(0, min(10, round(expected + rng.choice((-1, 0, 0, 1)))))


# --- One batch of patients --------------------------------------------------------------------------


class Batch:
    """The rows of a batch of patients, table by table, written parents first."""

    ORDER = (
        "users",
        "treatments",
        "plan_items",
        "daily_logs",
        "alerts",
        "exercise_ticks",
        "questionnaire_responses",
        "questionnaire_items",
        "messages",
        "time_log_entries",
        "rtm_setups",
        "clinical_notes",
        "reminder_preferences",
    )
    COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "users": ("id", "email", "full_name", "role", "password_hash", "active", "is_demo", "created_at"),
        "treatments": (
            "id", "patient_id", "therapist_id", "evaluation_date", "injection_date", "condition", "sites",
            "baseline_pain", "status", "created_at",
        ),
        "plan_items": (
            "id", "treatment_id", "exercise_id", "exercise_version_id", "phase", "position", "sets", "reps",
            "hold_seconds", "minutes", "times_per_day", "days_per_week", "cue",
        ),
        "daily_logs": (
            "id", "patient_id", "treatment_id", "day", "back_pain", "leg_pain", "medication", "note",
            "saddle_numbness", "bladder_bowel", "leg_weakness", "chest_symptoms", "fever", "injection_site",
            "positional_headache", "created_at", "updated_at", "version", "nsaid", "allergic_reaction",
            "headache_fever", "fever_back_pain", "bleeding",
        ),
        "alerts": (
            "id", "patient_id", "daily_log_id", "day", "symptom", "urgency", "raised_at", "acknowledged_at",
            "acknowledged_by_id", "acknowledgement_note",
        ),
        "exercise_ticks": ("id", "plan_item_id", "day", "session", "created_at"),
        "questionnaire_responses": (
            "id", "patient_id", "treatment_id", "kind", "week", "day", "created_at", "updated_at",
        ),
        "questionnaire_items": ("id", "response_id", "position", "label", "value", "activity_key"),
        "messages": ("id", "patient_id", "author_id", "body", "created_at", "read_at"),
        "time_log_entries": (
            "id", "patient_id", "treatment_id", "staff_id", "day", "minutes", "what", "interactive",
            "created_at",
        ),
        "rtm_setups": ("id", "treatment_id", "day", "recorded_by_id", "created_at"),
        "clinical_notes": ("id", "patient_id", "author_id", "body", "created_at"),
        "reminder_preferences": (
            "user_id", "by_email", "by_push", "daily_log_at", "quiet_from", "quiet_until", "updated_at",
        ),
    }  # fmt: skip

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in self.ORDER}

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    def write(self, writer: BulkWriter) -> None:
        for table in self.ORDER:
            writer.write(table, self.COLUMNS[table], self.rows[table])


@dataclass
class Clock:
    """Today, now, and ISO strings of days and moments (cached: the same few hundred days recur)."""

    today: date
    now: datetime
    days: dict[date, str] = field(default_factory=dict)

    def day(self, day: date) -> str:
        found = self.days.get(day)
        if found is None:
            found = self.days[day] = iso(day)
        return found

    def evening(self, day: date) -> str:
        """When a day's entry was written: 23:00 UTC that day, or a little before now today."""
        if day >= self.today:
            return stamp(self.now - timedelta(hours=1))
        return self.day(day) + " 23:00:00.000000"


@dataclass
class Audit:
    """Events waiting to be chained: (moment, actor, action, patient, detail)."""

    events: list[tuple[datetime, int | None, str, int | None, str]] = field(default_factory=list)

    def add(
        self, at: datetime, actor: int | None, action: str, patient: int | None, detail: str = ""
    ) -> None:
        self.events.append((at, actor, action, patient, detail))


@dataclass
class Shared:
    """What every generator below uses: the ids, the clock, the staff, the audit events waiting,
    the random source, the shared password hash and the batch being filled."""

    ids: Ids
    clock: Clock
    staff: Staff
    audit: Audit
    rng: random.Random
    password_hash: str
    plan: list[tuple[Any, ...]]  # the default plan's rows (plan_template)
    batch: Batch = field(default_factory=Batch)


def add_patient(course: Course, shared: Shared) -> None:
    batch, ids, clock, staff, audit = shared.batch, shared.ids, shared.clock, shared.staff, shared.audit
    joined = datetime.combine(course.evaluation - timedelta(days=3), datetime.min.time()) + timedelta(
        hours=15
    )
    batch.add(
        "users",
        (
            course.patient_id,
            patient_email(course.number + 1),
            name_for(course.number),
            "patient",
            shared.password_hash,
            1,
            1,
            stamp(joined),
        ),
    )
    status = "completed" if course.finished else "active"
    batch.add(
        "treatments",
        (
            course.treatment_id,
            course.patient_id,
            course.therapist_id,
            clock.day(course.evaluation),
            clock.day(course.injection),
            course.condition,
            SITES[course.condition],
            course.baseline,
            status,
            stamp(joined + timedelta(minutes=5)),
        ),
    )
    course.first_plan_item = ids.take("plan_items", len(shared.plan))
    for offset, template in enumerate(shared.plan):
        batch.add("plan_items", (course.first_plan_item + offset, course.treatment_id, *template))
    admin = staff.admins[0]
    audit.add(
        joined, admin, "account_create", course.patient_id, f"Patient: {patient_email(course.number + 1)}"
    )
    audit.add(
        joined + timedelta(minutes=5), admin, "treatment_create", course.patient_id, "Treatment scheduled."
    )
    add_logs(course, shared)
    add_ticks(course, shared)
    add_answers(course, shared)
    add_between_visits(course, shared)


def add_logs(course: Course, shared: Shared) -> None:
    batch, ids, clock, audit, rng = shared.batch, shared.ids, shared.clock, shared.audit, shared.rng
    leg = course.condition in LEG_PAIN_CONDITIONS
    for day in range(-EVALUATION_LEAD_DAYS, course.last_day + 1):
        on = course.on(day)
        if on == clock.today and not course.logs_today:
            continue
        if day != course.last_day and rng.random() < course.skip_rate:
            continue
        log_id = ids.take("daily_logs")
        pain = pain_on(course, day, rng)
        course.log_ids[day], course.pain[day] = log_id, pain
        medication = "acetaminophen" if 0 <= day <= 3 else "none"
        if rng.random() < 0.02:
            medication = "anti_inflammatory"
        note = rng.choice(LOG_NOTES) if rng.random() < 0.05 else ""
        written = clock.evening(on)
        batch.add(
            "daily_logs",
            (
                log_id, course.patient_id, course.treatment_id, clock.day(on), pain,
                max(0, pain - 2) if leg else None, medication, note,
                0, 0, 0, 0, 0, 0, 0, written, written, 1, int(medication == "anti_inflammatory"), 0, 0, 0, 0,
            ),
        )  # fmt: skip
        if on >= clock.today - timedelta(days=2):
            moment = datetime.fromisoformat(written)
            audit.add(moment - timedelta(minutes=2), course.patient_id, "sign_in", None, "With a password")
            audit.add(
                moment, course.patient_id, "log_save", course.patient_id, f"New entry for {on.isoformat()}"
            )


def add_ticks(course: Course, shared: Shared) -> None:
    """The sessions ticked on each day after the injection (today is left to the patient)."""
    batch, ids, clock = shared.batch, shared.ids, shared.clock
    items: dict[str, list[tuple[int, int, frozenset[int]]]] = {}
    for offset, (_exercise, _version, phase, _position, *_dose, times, days, _cue) in enumerate(shared.plan):
        items.setdefault(phase, []).append((course.first_plan_item + offset, times or 1, due_offsets(days)))
    last = course.last_day if course.finished else course.day_today - 1
    rate, random_ = course.exercise_rate, shared.rng.random
    for day in range(1, last + 1):
        on = course.on(day)
        day_text, written = clock.day(on), clock.evening(on)
        weekday = day % 7
        for item_id, sessions, due in items.get(PHASE_OF_DAY[day], ()):
            if weekday not in due:
                continue
            for session in range(1, sessions + 1):
                if random_() < rate:
                    batch.add(
                        "exercise_ticks", (ids.take("exercise_ticks"), item_id, day_text, session, written)
                    )


def add_answers(course: Course, shared: Shared) -> None:
    """PEG and PSFS at Visit 1, a PEG in each week with a log on its fourth day, PSFS and PGIC at
    weeks 6 and 12 (the days the app's windows aim at)."""
    batch, ids, clock = shared.batch, shared.ids, shared.clock

    def answer(kind: str, week: int, day: int, items: list[tuple[str, int]]) -> None:
        on = course.on(day)
        if on >= clock.today:
            return
        response_id = ids.take("questionnaire_responses")
        written = clock.evening(on)
        batch.add(
            "questionnaire_responses",
            (
                response_id,
                course.patient_id,
                course.treatment_id,
                kind,
                week,
                clock.day(on),
                written,
                written,
            ),
        )
        for position, (label, value) in enumerate(items):
            value = max(0, min(10, value))
            item = (ids.take("questionnaire_items"), response_id, position, label, value, label_key(label))
            batch.add("questionnaire_items", item)

    def peg(pain: int) -> list[tuple[str, int]]:
        return [("pain", pain), ("enjoyment", pain - 1), ("activity", pain)]

    def psfs(pain: int) -> list[tuple[str, int]]:
        gain = course.baseline - pain
        return [(label, 2 + n + gain) for n, label in enumerate(PSFS_ACTIVITIES)]

    evaluation_day = -EVALUATION_LEAD_DAYS
    answer("peg", 0, evaluation_day, peg(course.baseline))
    answer("psfs", 0, evaluation_day, psfs(course.baseline))
    for day, pain in sorted(course.pain.items()):
        if day > 0 and day % 7 == 3:
            answer("peg", peg_week(day), day, peg(pain))
    for week, day in ((6, 42), (12, 84)):
        then = course.pain.get(day)
        if then is not None:
            answer("psfs", week, day, psfs(then))
            reduction = (course.baseline - then) / course.baseline
            answer("pgic", week, day, [("change", 1 if reduction >= 0.5 else 2 if reduction >= 0.3 else 4)])


def add_between_visits(course: Course, shared: Shared) -> None:
    """Messages, monitoring time and set-up, a note, reminder choices."""
    batch, ids, clock, audit, rng = shared.batch, shared.ids, shared.clock, shared.audit, shared.rng
    therapist, patient = course.therapist_id, course.patient_id
    start = datetime.combine(course.on(course.last_day), datetime.min.time()) + timedelta(hours=14)
    for n in range(rng.randint(0, len(MESSAGES))):
        writer, body = MESSAGES[n]
        sent = min(start - timedelta(days=3 - n), clock.now - timedelta(hours=4 - n))
        unread = n == 3 and not course.finished  # a question waiting on the dashboard
        read = None if unread else stamp(sent + timedelta(minutes=40))
        author = patient if writer == "patient" else therapist
        batch.add("messages", (ids.take("messages"), patient, author, body, stamp(sent), read))
    if course.day_today >= 0:
        batch.add(
            "rtm_setups",
            (ids.take("rtm_setups"), course.treatment_id, clock.day(course.evaluation), therapist,
             clock.evening(course.evaluation)),
        )  # fmt: skip
    month_first = clock.today.replace(day=1)
    for n in range(rng.randint(0, 3) if 0 <= course.day_today <= LAST_COURSE_DAY else 0):
        day = max(month_first, course.injection, clock.today - timedelta(days=3 * n + 1))
        if day > clock.today:
            continue
        entry = (
            ids.take("time_log_entries"), patient, course.treatment_id, therapist, clock.day(day),
            rng.randint(5, 25), TIME_LOG_WHAT[n % len(TIME_LOG_WHAT)], int(n > 0), clock.evening(day),
        )  # fmt: skip
        batch.add("time_log_entries", entry)
    if rng.random() < 0.3:
        written = clock.evening(min(course.injection, clock.today))
        batch.add(
            "clinical_notes",
            (ids.take("clinical_notes"), patient, therapist, rng.choice(NOTE_BODIES), written),
        )
    if rng.random() < 0.5:
        batch.add(
            "reminder_preferences",
            (patient, 1, 0, "19:00:00.000000", "21:00:00.000000", "08:00:00.000000", stamp(clock.now)),
        )
    if rng.random() < 0.1:
        audit.add(clock.now - timedelta(hours=rng.randint(1, 48)), therapist, "view_patient_record", patient)


@dataclass
class OpenAlerts:
    """How many open alerts are still to be raised, and the chance an active patient with a log
    today or yesterday gets one."""

    left: int
    chance: float


def add_alerts(courses: list[Course], shared: Shared, open_alerts: OpenAlerts) -> None:
    """A warning sign on some patients' latest log, still open; older ones acknowledged."""
    clock, rng = shared.clock, shared.rng
    for course in courses:
        recent = [day for day in course.log_ids if course.on(day) >= clock.today - timedelta(days=1)]
        if not course.finished and recent and open_alerts.left > 0 and rng.random() < open_alerts.chance:
            open_alerts.left -= 1
            raise_alert(course, max(recent), shared, acknowledged=False)
        elif len(course.log_ids) > 20 and rng.random() < 0.03:
            day = sorted(course.log_ids)[10]
            raise_alert(course, day, shared, acknowledged=True)
            raised = datetime.fromisoformat(clock.evening(course.on(day)))
            shared.audit.add(
                raised + timedelta(hours=2), course.therapist_id, "acknowledge_alert", course.patient_id
            )


def raise_alert(course: Course, day: int, shared: Shared, acknowledged: bool) -> None:
    """Mark the warning sign on the day's log (still in the batch) and raise its alert."""
    batch, clock = shared.batch, shared.clock
    flag = shared.rng.choice(ALERT_FLAGS)
    log_id = course.log_ids[day]
    logs = batch.rows["daily_logs"]
    index = next(n for n in range(len(logs) - 1, -1, -1) if logs[n][0] == log_id)
    row = list(logs[index])
    row[Batch.COLUMNS["daily_logs"].index(flag.key)] = 1
    logs[index] = tuple(row)
    raised = clock.evening(course.on(day))
    done = stamp(datetime.fromisoformat(raised) + timedelta(hours=2)) if acknowledged else None
    batch.add(
        "alerts",
        (
            shared.ids.take("alerts"), course.patient_id, log_id, clock.day(course.on(day)), flag.key,
            flag.urgency, raised, done, course.therapist_id if acknowledged else None,
            "Called the patient; settled." if acknowledged else "",
        ),
    )  # fmt: skip


def chain(
    events: Iterable[tuple[datetime, int | None, str, int | None, str]], head_id: int, head_hash: str
) -> Iterator[tuple[Any, ...]]:
    """Audit rows in time order, each hashed onto the one before it exactly as the app does
    (app/services/audit/chain.py), so `flask audit verify` passes on the built clinic."""
    previous = head_hash
    for offset, (at, actor, action, patient, detail) in enumerate(sorted(events, key=lambda e: e[0])):
        values = {
            "id": head_id + 1 + offset,
            "at": at,
            "actor_id": actor,
            "action": action,
            "patient_id": patient,
            "ip_address": "",
            "detail": detail,
            "prev_hash": previous,
        }
        row_hash = hash_of(values)
        yield (values["id"], stamp(at), actor, action, patient, "", detail, previous, row_hash)
        previous = row_hash


# --- The build --------------------------------------------------------------------------------------


def build(
    connection: Connection,
    patients: int,
    today: date,
    now: datetime,
    password_hash: str,
    fingerprint: str,
    seed: int = 13,
) -> BuildReport:
    """Write a whole clinic of `patients` into the (empty) database through `connection`, inside
    its transaction."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    size = ClinicSize.for_patients(patients)
    writer, ids, clock, audit = BulkWriter(connection), Ids(), Clock(today, now), Audit()
    plan = plan_template(library_ids(connection))
    writer.defer_checks(Batch.ORDER[1:])
    staff = write_people(writer, ids, size, today, password_hash)
    wanted = min(OPEN_ALERTS_MAX, max(3, patients // 50))
    # About 55 % of patients are under way with a log today or yesterday.
    open_alerts = OpenAlerts(wanted, min(1.0, wanted / (0.55 * patients)))
    for first in range(0, patients, BATCH):
        shared = Shared(ids, clock, staff, audit, rng, password_hash, plan)
        numbers = range(first, min(first + BATCH, patients))
        courses = [new_course(n, size, staff, ids, today, rng) for n in numbers]
        for course in courses:
            add_patient(course, shared)
        add_alerts(courses, shared, open_alerts)
        shared.batch.write(writer)
    for therapist in staff.therapists:
        for days_ago in range(7):
            audit.add(now - timedelta(days=days_ago, hours=2), therapist, "view_dashboard", None)
    signoff_at = now - timedelta(days=30)
    writer.write(
        "content_signoffs",
        ("id", "fingerprint", "signed_by_id", "signed_at"),
        [(ids.take("content_signoffs"), fingerprint, staff.admins[0], stamp(signoff_at))],
    )
    audit.add(signoff_at, staff.admins[0], "content_signoff", None, "Signed off the clinical content.")
    table = AuditEvent.__table__
    head = connection.execute(
        sa.select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)
    ).first()
    rows = list(chain(audit.events, head.id if head else 0, head.row_hash if head else GENESIS))
    columns = (
        "id",
        "at",
        "actor_id",
        "action",
        "patient_id",
        "ip_address",
        "detail",
        "prev_hash",
        "row_hash",
    )
    for start in range(0, len(rows), 50_000):
        writer.write("audit_events", columns, rows[start : start + 50_000])
    writer.finish()
    return BuildReport(size, today, writer.rows, time.monotonic() - started)


def vacuum(engine: sa.Engine, tables: Iterable[str]) -> float | None:
    """PostgreSQL, after the build's transaction: VACUUM ANALYZE what was written, so the rows are
    marked visible to all (index-only scans work, and the first queries do not rewrite every page
    to set hint bits, as they would after a bulk load). Returns the seconds it took; None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    started = time.monotonic()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
    return time.monotonic() - started
