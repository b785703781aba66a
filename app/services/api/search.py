"""FHIR searches, filtered and paged in SQL: each resource type names its search parameters once
(the CapabilityStatement lists the same table, so it cannot claim more than this does), every
query is limited to the patients the caller may see, and a page costs a fixed number of
statements however much data there is (a count, the page, its related rows, the includes).

Refused plainly, never a 500: unknown parameters, malformed or unsupported dates and prefixes,
`_count` that is not a number (a large one is cut to MAX_COUNT and said so in the Bundle)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.database import MAX_ID
from app.extensions import db
from app.models import (
    Alert,
    DailyLog,
    ExerciseTick,
    Message,
    PlanItem,
    QuestionnaireResponse,
    Role,
    Treatment,
    User,
)
from app.services.api import resources
from app.services.api.access import Reader, visible_patient_ids, visible_patients
from app.services.api.resources import Context
from app.services.records.csv_export import exercise_name

DEFAULT_COUNT = 50
MAX_COUNT = 200
MAX_OFFSET = 1_000_000
PAGING = ("_count", "_offset")
FORMATS = ("json", "application/json", "application/fhir+json")
STAFF_ROLES = (Role.THERAPIST.value, Role.ADMIN.value)


class SearchError(ValueError):
    """A search the server will not run; the message goes in an OperationOutcome (400)."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


# --- Parameter values ---------------------------------------------------------------------------

DATE_PATTERN = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,9})?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")
MIN_YEAR, MAX_YEAR = 1000, 9000


@dataclass(frozen=True)
class DateRange:
    """A FHIR date search value: a prefix and the span its precision covers, [start, end)."""

    prefix: str
    start: datetime
    end: datetime


def parse_date(text: str) -> DateRange:
    match = DATE_PATTERN.match(text)
    if not match:
        raise SearchError(f"{text!r} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime).")
    parts = match.groupdict()
    prefix = parts["prefix"] or "eq"
    if prefix not in PREFIXES:
        raise SearchError(f"The date prefix {prefix!r} is not supported (use eq, ne, gt, lt, ge or le).")
    year = int(parts["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise SearchError(f"The year in {text!r} is out of range ({MIN_YEAR}-{MAX_YEAR}).")
    try:
        if parts["month"] is None:
            start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
        elif parts["day"] is None:
            month = int(parts["month"])
            start = datetime(year, month, 1)
            end = datetime(year + (month == 12), month % 12 + 1, 1)
        elif parts["hour"] is None:
            start = datetime(year, int(parts["month"]), int(parts["day"]))
            end = start + timedelta(days=1)
        else:
            start = datetime(
                year,
                int(parts["month"]),
                int(parts["day"]),
                int(parts["hour"]),
                int(parts["minute"]),
                int(parts["second"] or 0),
            )
            start -= zone_offset(parts["zone"])
            end = start + (timedelta(seconds=1) if parts["second"] else timedelta(minutes=1))
    except ValueError as error:
        raise SearchError(f"{text!r} is not a real date or time.") from error
    return DateRange(prefix, start, end)


def zone_offset(zone: str | None) -> timedelta:
    if not zone or zone == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError("no such time zone")
    return sign * timedelta(hours=hours, minutes=minutes)


def date_condition(column: Any, value: DateRange, is_day: bool) -> sa.ColumnElement[bool]:
    """The column's value (a point) against the searched span, by the prefix."""
    start: date | datetime = value.start
    end: date | datetime = value.end
    if is_day:
        start = value.start.date()
        end = value.end.date() if value.end.time() == datetime.min.time() else value.end.date() + timedelta(1)
    inside = (column >= start) & (column < end)
    condition: sa.ColumnElement[bool] = {
        "eq": inside,
        "ne": ~inside,
        "gt": column >= end,
        "lt": column < start,
        "ge": column >= start,
        "le": column < end,
    }[value.prefix]
    return condition


def reference_id(text: str, resource_type: str) -> int | None:
    """The database id a reference names (`12`, `Patient/12`, or a full URL ending so), or None
    when it names nothing this server holds."""
    tail = text.rstrip("/").rsplit("/", 2)
    if len(tail) >= 2:
        if tail[-2] != resource_type:
            return None
        text = tail[-1]
    if not text.isdigit() or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


def token_parts(text: str) -> tuple[str | None, str | None]:
    """`system|code`, `code`, `system|` or `|code`."""
    if "|" not in text:
        return None, text
    system, code = text.split("|", 1)
    return system, code or None


# --- Parameters per resource type ----------------------------------------------------------------

Condition = Callable[[str], sa.ColumnElement[bool]]
NOTHING = sa.false()


@dataclass(frozen=True)
class Param:
    kind: str  # FHIR search parameter type, for the CapabilityStatement
    condition: Condition
    documentation: str = ""


def date_param(column: Any, is_day: bool, words: str) -> Param:
    return Param("date", lambda text: date_condition(column, parse_date(text), is_day), words)


def patient_param(column: Any) -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        found = reference_id(text, "Patient")
        return NOTHING if found is None else column == found

    return Param("reference", condition, "The patient (Patient/id)")


def id_param(column: Any) -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        return NOTHING if not text.isdigit() or len(text) > 10 or int(text) > MAX_ID else column == int(text)

    return Param("token", condition, "The resource id")


def choice_param(column: Any, values: dict[str, Any], words: str) -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        _system, code = token_parts(text)
        return column == values[code] if code in values else NOTHING

    return Param("token", condition, words)


def name_param(column: Any) -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        words = text.strip().lower()
        if not words:
            raise SearchError("name needs some text to search for.")
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        lowered = sa.func.lower(column)
        return lowered.like(f"{escaped}%", escape="\\") | lowered.like(f"% {escaped}%", escape="\\")

    return Param("string", condition, "Any part of the name, from its start")


@dataclass
class Found:
    """One page of a search: the resources, the patients they concern, and what was included."""

    resources: list[dict[str, Any]]
    included: list[dict[str, Any]]
    total: int
    count: int
    offset: int
    patient_ids: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.resources) < self.total and self.count > 0


@dataclass(frozen=True)
class Spec:
    """How one resource type is searched: its parameters, `_include`s, and how a page of rows is
    queried and turned into resources."""

    resource_type: str
    params: dict[str, Param]
    includes: tuple[str, ...]
    query: Callable[[Reader], sa.Select[Any]]  # the rows this caller may see, in a fixed order
    patient_of: Callable[[Any], int | None]
    build: Callable[[Context, list[Any]], list[dict[str, Any]]]
    in_compartment: bool = True
    last_updated: Any = None  # the column `_lastUpdated` (and bulk `_since`) compares with


def patient_rows(reader: Reader) -> sa.Select[Any]:
    return sa.select(User).where(visible_patients(reader)).order_by(User.id)


def staff_rows(_reader: Reader) -> sa.Select[Any]:
    return sa.select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.id)


def treatment_rows(reader: Reader) -> sa.Select[Any]:
    return (
        sa.select(Treatment)
        .where(Treatment.patient_id.in_(visible_patient_ids(reader)))
        .order_by(Treatment.id)
    )


def response_rows(reader: Reader) -> sa.Select[Any]:
    return (
        sa.select(QuestionnaireResponse)
        .where(QuestionnaireResponse.patient_id.in_(visible_patient_ids(reader)))
        .options(selectinload(QuestionnaireResponse.items))
        .order_by(QuestionnaireResponse.id)
    )


def alert_rows(reader: Reader) -> sa.Select[Any]:
    return sa.select(Alert).where(Alert.patient_id.in_(visible_patient_ids(reader))).order_by(Alert.id)


def message_rows(reader: Reader) -> sa.Select[Any]:
    return sa.select(Message).where(Message.patient_id.in_(visible_patient_ids(reader))).order_by(Message.id)


def build_careplans(ctx: Context, treatments: list[Treatment]) -> list[dict[str, Any]]:
    plans: dict[int, list[PlanItem]] = {t.id: [] for t in treatments}
    if plans:
        for item in db.session.scalars(
            sa.select(PlanItem)
            .where(PlanItem.treatment_id.in_(list(plans)))
            .order_by(PlanItem.treatment_id, PlanItem.phase, PlanItem.position, PlanItem.id)
        ):
            plans[item.treatment_id].append(item)
    return [resources.careplan(ctx, t, plans[t.id]) for t in treatments]


ALERT_UPDATED = sa.func.coalesce(Alert.acknowledged_at, Alert.raised_at)
MESSAGE_UPDATED = sa.func.coalesce(Message.read_at, Message.created_at)
CAREPLAN_STATUS = {"active": "active", "completed": "completed", "revoked": "cancelled"}


def questionnaire_param() -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        kind = text.rstrip("/").rsplit("/", 1)[-1].split("|", 1)[0]
        return QuestionnaireResponse.kind == kind if kind in resources.QUESTIONNAIRE_KINDS else NOTHING

    return Param("reference", condition, "The questionnaire (its canonical URL, or peg, psfs, pgic)")


# --- Observations: four sources in one SQL union, paged in the database --------------------------

OBSERVATION_ID = re.compile(r"^(back-pain|leg-pain|peg|psfs|pgic)-(\d{1,10})$")
EXERCISE_ID = re.compile(r"^exercise-(\d{1,10})-(\d{4}-\d{2}-\d{2})$")


def observation_union() -> sa.Subquery:
    """Every observation as (kind, source_id, patient_id, day, updated): a pain log gives one or
    two, a questionnaire answer one, a day with exercise ticks one."""
    logs = [
        sa.select(
            sa.literal(kind).label("kind"),
            DailyLog.id.label("source_id"),
            DailyLog.patient_id.label("patient_id"),
            DailyLog.day.label("day"),
            DailyLog.updated_at.label("updated"),
        ).where(condition)
        for kind, condition in (("back-pain", sa.true()), ("leg-pain", DailyLog.leg_pain.is_not(None)))
    ]
    answers = sa.select(
        QuestionnaireResponse.kind.label("kind"),
        QuestionnaireResponse.id.label("source_id"),
        QuestionnaireResponse.patient_id.label("patient_id"),
        QuestionnaireResponse.day.label("day"),
        QuestionnaireResponse.updated_at.label("updated"),
    )
    exercise = (
        sa.select(
            sa.literal("exercise").label("kind"),
            sa.literal(0).label("source_id"),
            Treatment.patient_id.label("patient_id"),
            ExerciseTick.day.label("day"),
            sa.func.max(ExerciseTick.created_at).label("updated"),
        )
        .join(PlanItem, PlanItem.id == ExerciseTick.plan_item_id)
        .join(Treatment, Treatment.id == PlanItem.treatment_id)
        .group_by(Treatment.patient_id, ExerciseTick.day)
    )
    return sa.union_all(*logs, answers, exercise).subquery("observations")


OBS = observation_union()


def observation_rows(reader: Reader) -> sa.Select[Any]:
    return (
        sa.select(OBS.c.kind, OBS.c.source_id, OBS.c.patient_id, OBS.c.day, OBS.c.updated)
        .where(OBS.c.patient_id.in_(visible_patient_ids(reader)))
        .order_by(OBS.c.day, OBS.c.kind, OBS.c.patient_id, OBS.c.source_id)
    )


def observation_id_param() -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        if match := OBSERVATION_ID.match(text):
            return (OBS.c.kind == match.group(1)) & (OBS.c.source_id == int(match.group(2)))
        if match := EXERCISE_ID.match(text):
            try:
                day = date.fromisoformat(match.group(2))
            except ValueError:
                return NOTHING
            patient_id = int(match.group(1))
            if patient_id > MAX_ID:
                return NOTHING
            return (OBS.c.kind == "exercise") & (OBS.c.patient_id == patient_id) & (OBS.c.day == day)
        return NOTHING

    return Param("token", condition, "The resource id")


def kinds_coded(ctx: Context, text: str) -> list[str]:
    system, code = token_parts(text)
    found = []
    for kind in resources.OBSERVATION_KINDS:
        for coding in resources.observation_codings(ctx, kind):
            if (system is None or coding["system"] == system) and (code is None or coding["code"] == code):
                found.append(kind)
                break
    return found


def observation_code_param(ctx: Context) -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        kinds = kinds_coded(ctx, text)
        return OBS.c.kind.in_(kinds) if kinds else NOTHING

    return Param("token", condition, "LOINC 72514-3, 91147-9, or a code of Backtrack's CodeSystem")


def observation_category_param() -> Param:
    def condition(text: str) -> sa.ColumnElement[bool]:
        _system, code = token_parts(text)
        kinds = [k for k in resources.OBSERVATION_KINDS if resources.observation_category(k) == code]
        return OBS.c.kind.in_(kinds) if kinds else NOTHING

    return Param("token", condition, "survey or activity")


def build_observations(ctx: Context, rows: list[Any]) -> list[dict[str, Any]]:
    """A page of union rows as Observations, in three statements at most."""
    log_ids = [row.source_id for row in rows if row.kind in ("back-pain", "leg-pain")]
    answer_ids = [row.source_id for row in rows if row.kind in resources.QUESTIONNAIRE_KINDS]
    days = {(row.patient_id, row.day) for row in rows if row.kind == "exercise"}
    logs = {log.id: log for log in db.session.scalars(sa.select(DailyLog).where(DailyLog.id.in_(log_ids)))}
    answers = {
        r.id: r
        for r in db.session.scalars(
            sa.select(QuestionnaireResponse)
            .where(QuestionnaireResponse.id.in_(answer_ids))
            .options(selectinload(QuestionnaireResponse.items))
        )
    }
    ticks: dict[tuple[int, date], list[tuple[ExerciseTick, str]]] = {}
    if days:
        query = (
            sa.select(ExerciseTick, PlanItem, Treatment.patient_id)
            .join(PlanItem, PlanItem.id == ExerciseTick.plan_item_id)
            .join(Treatment, Treatment.id == PlanItem.treatment_id)
            .where(sa.tuple_(Treatment.patient_id, ExerciseTick.day).in_(sorted(days)))
            .order_by(ExerciseTick.day, PlanItem.position, ExerciseTick.session)
        )
        for tick, item, patient_id in db.session.execute(query):
            ticks.setdefault((patient_id, tick.day), []).append((tick, exercise_name(item)))
    built = []
    for row in rows:
        if row.kind in ("back-pain", "leg-pain") and row.source_id in logs:
            pair = resources.pain_observations(ctx, logs[row.source_id])
            built.append(pair[0] if row.kind == "back-pain" else pair[-1])
        elif row.source_id in answers and row.kind in resources.QUESTIONNAIRE_KINDS:
            built.append(resources.questionnaire_observation(ctx, answers[row.source_id]))
        elif row.kind == "exercise" and (row.patient_id, row.day) in ticks:
            built.append(
                resources.exercise_observation(ctx, row.patient_id, row.day, ticks[(row.patient_id, row.day)])
            )
    return built


# --- The table of every searchable type ----------------------------------------------------------


def specs(ctx: Context) -> dict[str, Spec]:
    """Each resource type's search, built for one request (the code system URL is the host's)."""
    subject_includes = ("patient", "subject")
    return {
        "Patient": Spec(
            "Patient",
            {
                "_id": id_param(User.id),
                "name": name_param(User.full_name),
                "active": choice_param(User.active, {"true": True, "false": False}, "true or false"),
            },
            (),
            patient_rows,
            lambda user: user.id,
            lambda c, rows: [resources.patient(c, user) for user in rows],
        ),
        "Practitioner": Spec(
            "Practitioner",
            {
                "_id": id_param(User.id),
                "name": name_param(User.full_name),
                "active": choice_param(User.active, {"true": True, "false": False}, "true or false"),
            },
            (),
            staff_rows,
            lambda _user: None,
            lambda c, rows: [resources.practitioner(c, user) for user in rows],
            in_compartment=False,
        ),
        "CarePlan": Spec(
            "CarePlan",
            {
                "_id": id_param(Treatment.id),
                "patient": patient_param(Treatment.patient_id),
                "subject": patient_param(Treatment.patient_id),
                "status": choice_param(Treatment.status, CAREPLAN_STATUS, "active, completed or revoked"),
                "date": date_param(Treatment.evaluation_date, True, "The start of the course (evaluation)"),
            },
            tuple(f"CarePlan:{name}" for name in subject_includes),
            treatment_rows,
            lambda treatment: treatment.patient_id,
            build_careplans,
        ),
        "Observation": Spec(
            "Observation",
            {
                "_id": observation_id_param(),
                "patient": patient_param(OBS.c.patient_id),
                "subject": patient_param(OBS.c.patient_id),
                "code": observation_code_param(ctx),
                "category": observation_category_param(),
                "date": date_param(OBS.c.day, True, "The day it was recorded"),
                "_lastUpdated": date_param(OBS.c.updated, False, "When it last changed"),
            },
            tuple(f"Observation:{name}" for name in subject_includes),
            observation_rows,
            lambda row: row.patient_id,
            build_observations,
            last_updated=OBS.c.updated,
        ),
        "QuestionnaireResponse": Spec(
            "QuestionnaireResponse",
            {
                "_id": id_param(QuestionnaireResponse.id),
                "patient": patient_param(QuestionnaireResponse.patient_id),
                "subject": patient_param(QuestionnaireResponse.patient_id),
                "questionnaire": questionnaire_param(),
                "authored": date_param(QuestionnaireResponse.updated_at, False, "When it was answered"),
                "_lastUpdated": date_param(QuestionnaireResponse.updated_at, False, "When it last changed"),
            },
            tuple(f"QuestionnaireResponse:{name}" for name in subject_includes),
            response_rows,
            lambda response: response.patient_id,
            lambda c, rows: [resources.questionnaire_response(c, r) for r in rows],
            last_updated=QuestionnaireResponse.updated_at,
        ),
        "Flag": Spec(
            "Flag",
            {
                "_id": id_param(Alert.id),
                "patient": patient_param(Alert.patient_id),
                "subject": patient_param(Alert.patient_id),
                "status": choice_param(
                    Alert.acknowledged_at.is_(None), {"active": True, "inactive": False}, "active or inactive"
                ),
                "date": date_param(Alert.raised_at, False, "When it was raised"),
                "_lastUpdated": date_param(ALERT_UPDATED, False, "When it last changed"),
            },
            tuple(f"Flag:{name}" for name in subject_includes),
            alert_rows,
            lambda alert: alert.patient_id,
            lambda c, rows: [resources.flag(c, alert) for alert in rows],
            last_updated=ALERT_UPDATED,
        ),
        "Communication": Spec(
            "Communication",
            {
                "_id": id_param(Message.id),
                "patient": patient_param(Message.patient_id),
                "subject": patient_param(Message.patient_id),
                "sent": date_param(Message.created_at, False, "When it was sent"),
                "_lastUpdated": date_param(MESSAGE_UPDATED, False, "When it last changed"),
            },
            tuple(f"Communication:{name}" for name in subject_includes),
            message_rows,
            lambda message: message.patient_id,
            lambda c, rows: [resources.communication(c, message) for message in rows],
            last_updated=MESSAGE_UPDATED,
        ),
    }


SEARCHABLE_TYPES = (
    "Patient",
    "Practitioner",
    "CarePlan",
    "Observation",
    "QuestionnaireResponse",
    "Flag",
    "Communication",
)
CONTROL_PARAMS = ("_count", "_offset", "_include", "_format")


# --- Running a search ----------------------------------------------------------------------------


def whole_number(name: str, text: str, most: int) -> int:
    if not text.isdigit() or len(text) > 12:
        raise SearchError(f"{name} must be a whole number of 0 or more, not {text[:40]!r}.")
    return min(int(text), most + 1)


def paging(args: dict[str, list[str]]) -> tuple[int, int, list[str]]:
    warnings = []
    count_values, offset_values = args.get("_count", []), args.get("_offset", [])
    if len(count_values) > 1 or len(offset_values) > 1:
        raise SearchError("Give _count and _offset at most once each.")
    count = DEFAULT_COUNT
    if count_values:
        count = whole_number("_count", count_values[0], MAX_COUNT)
        if count > MAX_COUNT:
            warnings.append(f"_count is at most {MAX_COUNT}: this page holds up to {MAX_COUNT}.")
            count = MAX_COUNT
    offset = 0
    if offset_values:
        offset = whole_number("_offset", offset_values[0], MAX_OFFSET)
        if offset > MAX_OFFSET:
            raise SearchError(f"_offset is at most {MAX_OFFSET:,}; narrow the search instead.")
    return count, offset, warnings


def conditions(spec: Spec, args: dict[str, list[str]]) -> list[sa.ColumnElement[bool]]:
    """Each parameter once a condition; repeated parameters AND, commas OR."""
    found = []
    for name, values in args.items():
        if name in CONTROL_PARAMS:
            continue
        base, _dot, modifier = name.partition(":")
        param = spec.params.get(base)
        if param is None:
            known = ", ".join(sorted([*spec.params, *CONTROL_PARAMS]))
            raise SearchError(f"{spec.resource_type} has no search parameter {name[:60]!r}. Known: {known}.")
        if modifier:
            raise SearchError(f"The modifier :{modifier[:30]} is not supported.", "not-supported")
        for value in values:
            options = [part for part in value.split(",") if part != ""]
            if not options:
                raise SearchError(f"{name} needs a value.")
            found.append(sa.or_(*(param.condition(option) for option in options)))
    return found


def check_format(args: dict[str, list[str]]) -> None:
    for value in args.get("_format", []):
        if value not in FORMATS:
            raise SearchError("Only JSON is served (_format=json).", "not-supported")


def wanted_includes(spec: Spec, args: dict[str, list[str]]) -> list[str]:
    found = []
    for value in args.get("_include", []):
        if value not in spec.includes:
            allowed = ", ".join(spec.includes) or "none"
            raise SearchError(f"_include={value[:60]} is not supported here (supported: {allowed}).")
        found.append(value)
    return found


def search(ctx: Context, reader: Reader, resource_type: str, args: dict[str, list[str]]) -> Found:
    """One page of `resource_type` for this caller, with its `_include`s."""
    spec = specs(ctx)[resource_type]
    check_format(args)
    count, offset, warnings = paging(args)
    includes = wanted_includes(spec, args)
    query = spec.query(reader).where(*conditions(spec, args))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows: list[Any] = []
    if count and offset < total:
        page = query.limit(count).offset(offset)
        is_rows = resource_type == "Observation"
        rows = list(db.session.execute(page)) if is_rows else list(db.session.scalars(page).unique())
    built = spec.build(ctx, rows)
    patient_ids = {found for found in map(spec.patient_of, rows) if found is not None}
    included = []
    if includes and patient_ids:
        people = db.session.scalars(sa.select(User).where(User.id.in_(sorted(patient_ids))).order_by(User.id))
        included = [resources.patient(ctx, person) for person in people]
    return Found(built, included, total, count, offset, patient_ids, warnings)


def read(
    ctx: Context, reader: Reader, resource_type: str, resource_id: str
) -> tuple[dict[str, Any], set[int]]:
    """One resource by id, if this caller may see it; else LookupError (answered 404)."""
    found = search(ctx, reader, resource_type, {"_id": [resource_id], "_count": ["1"]})
    if not found.resources:
        raise LookupError(resource_id)
    return found.resources[0], found.patient_ids


def every_page(
    ctx: Context, reader: Reader, resource_type: str, since: datetime | None, size: int = 500
) -> Iterable[Found]:
    """Every resource of a type, page by page (the bulk export). `since` keeps what changed at
    or after it, for the types that know when they changed; the others come whole."""
    spec = specs(ctx)[resource_type]
    query = spec.query(reader)
    if since is not None and spec.last_updated is not None:
        query = query.where(spec.last_updated >= since)
    offset = 0
    while True:
        page = query.limit(size).offset(offset)
        rows: list[Any] = (
            list(db.session.execute(page))
            if resource_type == "Observation"
            else list(db.session.scalars(page).unique())
        )
        if not rows:
            return
        patient_ids = {found for found in map(spec.patient_of, rows) if found is not None}
        yield Found(spec.build(ctx, rows), [], 0, size, offset, patient_ids)
        offset += size
