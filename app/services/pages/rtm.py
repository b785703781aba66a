"""Remote therapeutic monitoring: days with data per 30-day period, the staff time log per calendar
month, the set-up record, and the month report for the biller. The codes are decided by
`app.care.rtm`; this module gathers the rows in a fixed number of statements."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql.expression import ColumnElement

from app.care import rtm
from app.care.rtm import Management, Period
from app.care.staff_words import ENGLISH, Translator
from app.database import count_up_to_cap, planned_as_a_report
from app.extensions import db
from app.models import (
    DailySummary,
    RtmSetup,
    TimeLogEntry,
    Treatment,
    TreatmentSummary,
    User,
)
from app.services.audit.trail import safe_cell
from app.services.clinic.languages import page_words

MONTH_PATTERN = r"^(20[0-9]{2})-(0[1-9]|1[0-2])$"


def among(column: sa.orm.InstrumentedAttribute[int], ids: Collection[int]) -> sa.ColumnElement[bool]:
    """`column` is one of `ids`, sent as one value however many there are (a PostgreSQL array, a
    JSON list on SQLite): the statement stays the same, and no limit on bound values is reached."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.literal(sorted(ids), postgresql.ARRAY(sa.Integer)))
    listed = sa.func.json_each(json.dumps(sorted(ids))).table_valued("value")
    return column.in_(sa.select(listed.c.value))


def first_data_days(treatments: sa.Select[int]) -> dict[int, date]:
    """Per treatment in `treatments`, its first day with data (its running figures, one statement)."""
    rows = db.session.execute(
        sa.select(TreatmentSummary.treatment_id, TreatmentSummary.first_data_day).where(
            TreatmentSummary.treatment_id.in_(treatments), TreatmentSummary.first_data_day.is_not(None)
        )
    )
    return {treatment_id: day for treatment_id, day in rows if day is not None}


def data_days_between(ids: Collection[int], first: date, last: date) -> dict[int, set[date]]:
    """Per treatment of `ids`, its days with data from `first` to `last`, from the daily summaries
    (at most one row a day, however many ticks and logs it has). Periods are counted from these in
    app.care.rtm, from each treatment's episode start (its first data day, or the consent)."""
    found: dict[int, set[date]] = defaultdict(set)
    for treatment_id, day in db.session.execute(
        sa.select(DailySummary.treatment_id, DailySummary.day).where(
            among(DailySummary.treatment_id, ids),
            DailySummary.data_day.is_(True),
            DailySummary.day.between(first, last),
        )
    ):
        found[treatment_id].add(day)
    return found


def with_data_days(first: date, last: date) -> ColumnElement[bool]:
    """The treatment has a day of monitoring data from `first` to `last`, as its running figures
    say: its first or last such day falls in between, or the two lie either side (a patient with
    data before and after a past month) and a daily row in between says so. For the month in
    progress no daily row is read: the last day is never after it."""
    figures = sa.orm.aliased(TreatmentSummary)  # its own, beside any the enclosing query joins
    either_side = sa.and_(
        figures.first_data_day < first,
        figures.last_monitoring_day > last,
        sa.exists().where(
            DailySummary.treatment_id == figures.treatment_id,
            DailySummary.data_day.is_(True),
            DailySummary.day.between(first, last),
        ),
    )
    return sa.exists().where(
        figures.treatment_id == Treatment.id,
        sa.or_(
            figures.first_data_day.between(first, last),
            figures.last_monitoring_day.between(first, last),
            either_side,
        ),
    )


def reported(first: date, last: date) -> ColumnElement[bool]:
    """The treatment has anything to report in the month from
    `first` to `last`: days with data from 29 days before it (a period ending in the month starts
    no earlier), a set-up or time logged in it. Asked of each treatment by its own keys, so a page
    of the report, in name order, reads about as many treatments as it shows and stops."""
    return sa.or_(
        with_data_days(first - timedelta(days=rtm.PERIOD_DAYS - 1), last),
        sa.exists().where(
            TimeLogEntry.patient_id == Treatment.patient_id,  # the index's first column
            TimeLogEntry.treatment_id == Treatment.id,
            TimeLogEntry.day.between(first, last),
        ),
        sa.exists().where(RtmSetup.treatment_id == Treatment.id, RtmSetup.day.between(first, last)),
    )


def management_for(entries: list[TimeLogEntry]) -> Management:
    return rtm.management_codes(sum(e.minutes for e in entries), any(e.interactive for e in entries))


# --- One patient's record ----------------------------------------------------------------------------


def held_reasons(
    consent_on: date | None,
    setup_day: date | None,
    setup_ok: bool,
    management: Management,
    words: Translator = ENGLISH,
) -> list[str]:
    """Why each code the records would reach is not reported, for staff (in `words`, the page's
    language) and the biller (English)."""
    if consent_on is None:
        return [words.gettext("every code: {why}").format(why=words.gettext(rtm.CONSENT_MISSING))]
    reasons = []
    setup = rtm.SETUP_CODE.code
    if setup_day is not None and setup_day < consent_on:
        reasons.append(f"{setup}: {words.gettext('set-up recorded before the consent')}")
    elif setup_day is not None and not setup_ok:
        reasons.append(
            f"{setup}: {words.gettext(rtm.SETUP_DAYS_MISSING).format(days=rtm.SETUP_CODE.min_days)}"
        )
    reasons.extend(f"{code}: {words.gettext(rtm.INTERACTIVE_MISSING)}" for code in management.held_back)
    return reasons


def counted(entries: list[TimeLogEntry], consent_on: date | None) -> list[TimeLogEntry]:
    """Time logged from the consent day on (without consent: all of it, shown, never reported)."""
    return [e for e in entries if consent_on is None or e.day >= consent_on]


@dataclass
class PatientMonitoring:
    periods: list[Period]
    month_first: date
    month_entries: list[TimeLogEntry]
    management: Management
    setup: RtmSetup | None
    consent_on: date | None = None
    setup_ok: bool = False  # the set-up is reported: after the consent, with 2 days of data
    held: list[str] = field(default_factory=list)

    @property
    def consented(self) -> bool:
        return self.consent_on is not None


def patient_monitoring(treatment: Treatment | None, today: date) -> PatientMonitoring | None:
    """The record's monitoring panel: periods so far, this month's time and codes, the set-up."""
    if treatment is None:
        return None
    firsts = first_data_days(sa.select(sa.literal(treatment.id)))
    days = data_days_between([treatment.id], treatment.evaluation_date, today)
    month_first, _ = rtm.month_bounds(today.year, today.month)
    entries = list(
        db.session.scalars(
            sa.select(TimeLogEntry)
            .where(TimeLogEntry.treatment_id == treatment.id, TimeLogEntry.day >= month_first)
            .order_by(TimeLogEntry.day.desc(), TimeLogEntry.id.desc())
        )
    )
    setup = db.session.scalar(sa.select(RtmSetup).where(RtmSetup.treatment_id == treatment.id))
    consent = treatment.rtm_consent_on
    kept = rtm.since_consent(days.get(treatment.id, set()), consent)
    found = rtm.periods(rtm.episode_start(firsts.get(treatment.id), consent), kept, today)
    management = management_for(counted(entries, consent))
    setup_day = setup.day if setup else None
    setup_ok = bool(setup_day and consent and setup_day >= consent and rtm.setup_supported(found))
    return PatientMonitoring(
        periods=found,
        month_first=month_first,
        month_entries=entries,
        management=management,
        setup=setup,
        consent_on=consent,
        setup_ok=setup_ok,
        held=held_reasons(consent, setup_day, setup_ok, management, page_words()),
    )


# --- The month report ------------------------------------------------------------------------------


@dataclass
class ReportRow:
    treatment: Treatment
    first_data_day: date | None
    periods: list[Period]
    setup_day: date | None
    management: Management
    staff: list[str] = field(default_factory=list)
    setup_ok: bool = False  # after the consent, and a period has 2 days of data
    held: list[str] = field(default_factory=list)  # why a code is not reported
    consented: bool = True

    @property
    def supply_codes(self) -> list[str]:
        return [p.code for p in self.periods if p.code] if self.consented else []

    @property
    def codes(self) -> list[str]:
        """Every code the month's records support, in claim order; none before the consent."""
        if not self.consented:
            return []
        found = [rtm.SETUP_CODE.code] if self.setup_day and self.setup_ok else []
        return [*found, *self.supply_codes, *(str(b) for b in self.management.codes)]


def reported_in(scope: ColumnElement[bool], first: date, last: date) -> sa.Select[Treatment, date | None]:
    """The month's rows in `scope`: each treatment with its patient and first day of data, by name.
    A row for each, so a code held back is seen with its reason."""
    return (
        sa.select(Treatment, TreatmentSummary.first_data_day)
        .join(User, Treatment.patient_id == User.id)
        .outerjoin(TreatmentSummary, TreatmentSummary.treatment_id == Treatment.id)
        .where(scope, reported(first, last))
        .options(contains_eager(Treatment.patient))
        .order_by(User.full_name, Treatment.id)
    )


def month_report(
    scope: ColumnElement[bool], year: int, month: int, today: date, words: Translator = ENGLISH
) -> list[ReportRow]:
    """One row per patient with anything to report in the month, by name (the biller's file: every
    row). Four statements in all (the reasons a code is held back in `words`: the page's language,
    English for the CSV)."""
    planned_as_a_report()
    first, last = rtm.month_bounds(year, month)
    found = [
        (treatment, first_day) for treatment, first_day in db.session.execute(reported_in(scope, first, last))
    ]
    return report_rows(found, (first, last), today, words)


def month_report_page(
    scope: ColumnElement[bool], year: int, month: int, today: date, words: Translator, page: int, size: int
) -> tuple[list[ReportRow], int, int, bool]:
    """One page of the month's rows: (rows, the page shown, the rows counted up to COUNT_CAP, whether
    a page follows; app/web/listing.py CappedPage shows them):
    the page is read in name order and stops once it is full, the count stops past the cap, so a
    page costs about the same in a clinic of 500 or 50,000 (counting every row of a whole clinic's
    month took longer the larger the clinic). A page past the last shows the last."""
    planned_as_a_report()
    first, last = rtm.month_bounds(year, month)
    query = reported_in(scope, first, last)

    def read(number: int) -> list[Any]:
        return list(db.session.execute(query.limit(size + 1).offset((number - 1) * size)))

    found = read(page)
    # Counted from the treatments alone (no join the database would build a table of first).
    counted = sa.select(Treatment.id).where(scope, reported(first, last))
    if not found and page > 1:
        everyone = sa.select(sa.func.count()).select_from(counted.subquery())
        page = max(1, math.ceil((db.session.scalar(everyone) or 0) / size))  # the last page
        found = read(page)
    rows = report_rows([(row[0], row[1]) for row in found[:size]], (first, last), today, words)
    return rows, page, count_up_to_cap(counted), len(found) > size


def report_rows(
    found: list[tuple[Treatment, date | None]], month: tuple[date, date], today: date, words: Translator
) -> list[ReportRow]:
    """The rows of `found` (treatments with their first day of data): their days, time and set-up
    in the month read in three statements."""
    first, last = month
    ids = [treatment.id for treatment, _first_day in found]
    days = data_days_between(ids, first - timedelta(days=rtm.PERIOD_DAYS - 1), last)
    entries: dict[int, list[TimeLogEntry]] = defaultdict(list)
    for entry in db.session.scalars(
        sa.select(TimeLogEntry).where(
            among(TimeLogEntry.treatment_id, ids), TimeLogEntry.day.between(first, last)
        )  # with each entry's staff member (a joined relationship)
    ):
        entries[entry.treatment_id].append(entry)
    setups = dict(
        db.session.execute(
            sa.select(RtmSetup.treatment_id, RtmSetup.day).where(
                among(RtmSetup.treatment_id, ids), RtmSetup.day.between(first, last)
            )
        ).all()
    )
    return [
        report_row(treatment, first_day, days, entries, setups, month, today, words)
        for treatment, first_day in found
    ]


def report_row(
    treatment: Treatment,
    first_day: date | None,
    days: dict[int, set[date]],
    entries: dict[int, list[TimeLogEntry]],
    setups: dict[int, date],
    month: tuple[date, date],
    today: date,
    words: Translator,
) -> ReportRow:
    first, last = month
    mine = entries.get(treatment.id, [])
    consent = treatment.rtm_consent_on
    start = rtm.episode_start(first_day, consent)
    kept = rtm.since_consent(days.get(treatment.id, set()), consent)
    management = management_for(counted(mine, consent))
    setup_day = setups.get(treatment.id)
    # The set-up's 2 days may lie in an earlier period than this month's: any period so far.
    setup_ok = bool(
        setup_day
        and consent
        and setup_day >= consent
        and rtm.setup_supported(rtm.periods(start, kept, today, until=last))
    )
    return ReportRow(
        treatment=treatment,
        first_data_day=start,
        periods=rtm.periods_ending_in(start, kept, first, last, today),
        setup_day=setup_day,
        management=management,
        staff=sorted({e.staff.full_name for e in mine}),
        setup_ok=setup_ok,
        held=held_reasons(consent, setup_day, setup_ok, management, words),
        consented=consent is not None,
    )


CSV_HEADER = [
    "patient",
    "email",
    "episode start (first day of data)",
    "monitoring period",
    "days with data",
    "device supply code",
    "set-up 98975",
    "minutes in month",
    "live call or video",
    "management codes",
    "not supported (why)",
    "logged by",
    "all codes",
]


def period_text(period: Period) -> str:
    state = "" if period.complete else " (in progress)"
    return f"{period.start.isoformat()} to {period.end.isoformat()}{state}"


def report_csv(rows: list[ReportRow]) -> str:
    """The biller's file; every cell is formula-safe (names and notes are typed by people)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    row.treatment.patient.full_name,
                    row.treatment.patient.email,
                    row.first_data_day.isoformat() if row.first_data_day else "",
                    "; ".join(period_text(p) for p in row.periods),
                    "; ".join(str(p.days_with_data) for p in row.periods),
                    "; ".join(p.code or "none" for p in row.periods),
                    row.setup_day.isoformat() if row.setup_day else "",
                    str(row.management.minutes),
                    "yes" if row.management.interactive else "no",
                    row.management.summary if row.consented else "",
                    "; ".join(row.held),
                    "; ".join(row.staff),
                    " ".join(row.codes),
                )
            ]
        )
    return buffer.getvalue()
