"""A patient's records as CSV files in a zip: one file per kind of record, each described once in
`CSV_FILES` (its columns and how each cell is read from a row). Every cell is formula-safe:
patients and staff type some of them.

A person reads the files in a spreadsheet: the column headers and the cells in words are texts of
the content catalogue (app/care/words/outside.py), written in the language in force (the
patient's: app/web/downloads.py exports inside `speaking`). Keys a program reads (a status, an
urgency, a code) stay as they are; the FHIR bundle is for programs and is not translated."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from app.care import content
from app.care.measures import KIND_NAMES, mean_score
from app.models import PlanItem, ProcedureConsent, QuestionnaireResponse
from app.services.audit.trail import safe_cell
from app.services.clinic.languages import written, written_count
from app.services.records.patient_data import PatientData
from app.services.treatment.library import exercise_name as library_name


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """One CSV file; every cell formula-safe (patients and staff type some of them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell("" if value is None else str(value)) for value in row])
    return buffer.getvalue()


def exercise_name(item: PlanItem | None) -> str:
    """The name in the version it was prescribed with."""
    if item is None:
        return ""
    name = library_name(item)
    version = item.exercise_version
    # A clinic-written version as written; a built-in name in the reader's language.
    return name if version is not None and not version.builtin else gettext(name)


def response_score(response: QuestionnaireResponse) -> str:
    if response.kind == "pgic":
        label = content.PGIC_LABELS.get(response.items[0].value, "") if response.items else ""
        return gettext(label) if label else ""
    score = mean_score(item.value for item in response.items)
    return "" if score is None else f"{score:g}"


def utc_stamp(moment: Any) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def in_words(key: str) -> str:
    """A cell's key in words (`EXPORT_WORDS`), or the key itself when it has none."""
    words = content.EXPORT_WORDS.get(key)
    return gettext(words) if words else key


def named(names: dict[str, str], key: str) -> str:
    """A catalogue name (a condition, a site, a medicine) in the language in force."""
    name = names.get(key)
    return gettext(name) if name else key


def warning_sign_words(key: str) -> str:
    flag = content.ALL_ALERT_FLAGS.get(key)
    return gettext(flag.question) if flag else key


def round_words(week: int) -> str:
    return in_words("evaluation") if week == 0 else written(content.EXPORT_WEEK, week=week)


def dose_words(item: PlanItem) -> str:
    return content.dose_text(item.dose, written_count, written)


def cue_words(item: PlanItem) -> str:
    return gettext(item.cue) if item.cue else ""


def consents_with_force(data: PatientData) -> list[tuple[ProcedureConsent, bool]]:
    """Every confirmation of the injection's consent, the earlier versions too, and whether it is
    the one in force (the latest of its treatment, its words unchanged since)."""
    return [(consent, consent.id in data.consents_in_force) for consent in data.consents]


@dataclass(frozen=True)
class CsvFile:
    """One file of the zip: its columns (header, cell of a row) and the rows it lists."""

    name: str
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    rows: Callable[[PatientData], Iterable[Any]]

    def text(self, data: PatientData) -> str:
        header = [gettext(content.EXPORT_HEADERS[key]) for key, _cell in self.columns]
        return csv_text(header, ([cell(row) for _key, cell in self.columns] for row in self.rows(data)))


def ticks_with_items(data: PatientData) -> list[tuple[Any, PlanItem | None]]:
    return [(tick, data.plan_item(tick.plan_item_id)) for tick in data.ticks]


def answered_items(data: PatientData) -> list[tuple[QuestionnaireResponse, Any]]:
    return [(response, item) for response in data.responses for item in response.items]


CSV_FILES = (
    CsvFile(
        "account.csv",
        (
            ("name", lambda p: p.full_name),
            ("email", lambda p: p.email),
            ("role", lambda p: p.role),
            ("active", lambda p: in_words("active" if p.active else "not_active")),
            ("created", lambda p: utc_stamp(p.created_at)),
        ),
        lambda data: [data.patient],
    ),
    CsvFile(
        "treatments.csv",
        (
            ("treatment", lambda t: t.id),
            ("visit_1", lambda t: t.evaluation_date),
            ("visit_2", lambda t: t.injection_date),
            ("condition", lambda t: named(content.CONDITIONS, t.condition)),
            ("sites", lambda t: "; ".join(named(content.INJECTION_SITES, k) for k in t.site_keys)),
            ("baseline", lambda t: t.baseline_pain),
            ("therapist", lambda t: t.therapist.full_name if t.therapist else ""),
            ("status", lambda t: t.status),
        ),
        lambda data: data.treatments,
    ),
    CsvFile(
        "daily_logs.csv",
        (
            ("day", lambda log: log.day),
            ("back_pain", lambda log: log.back_pain),
            ("leg_pain", lambda log: log.leg_pain),
            ("medicine", lambda log: ", ".join(named(content.MEDICATION_NAMES, k) for k in log.medicines)),
            ("warning_signs", lambda log: "; ".join(warning_sign_words(key) for key in log.red_flags)),
            ("note", lambda log: log.note),
            ("saved", lambda log: utc_stamp(log.updated_at)),
            ("other_medicine", lambda log: log.other_medicine),
        ),
        lambda data: data.logs,
    ),
    CsvFile(
        "exercise_plan.csv",
        (
            ("treatment", lambda item: item.treatment_id),
            ("phase", lambda item: item.phase),
            ("exercise", exercise_name),
            ("dose", dose_words),
            ("cue", cue_words),
            ("removed", lambda item: utc_stamp(item.removed_at)),
        ),
        lambda data: data.plan,
    ),
    CsvFile(
        "exercise_ticks.csv",
        (
            ("day", lambda pair: pair[0].day),
            ("exercise", lambda pair: exercise_name(pair[1])),
            ("phase", lambda pair: pair[1].phase if pair[1] else ""),
        ),
        ticks_with_items,
    ),
    CsvFile(
        "questionnaires.csv",
        (
            ("questionnaire", lambda pair: KIND_NAMES[pair[0].kind]),
            ("round", lambda pair: round_words(pair[0].week)),
            ("answered", lambda pair: pair[0].day),
            ("item", lambda pair: pair[1].label),
            ("answer", lambda pair: pair[1].value),
            ("score", lambda pair: response_score(pair[0])),
        ),
        answered_items,
    ),
    CsvFile(
        "warning_signs.csv",
        (
            ("day", lambda a: a.day),
            ("warning_sign", lambda a: warning_sign_words(a.symptom)),
            ("urgency", lambda a: a.urgency),
            ("acknowledged", lambda a: utc_stamp(a.acknowledged_at)),
            ("staff_note", lambda a: a.acknowledgement_note),
            ("reported_as", lambda a: in_words(a.source)),
            ("in_words", lambda a: a.quote),
            ("got_help", lambda a: named(content.HELP_ANSWERS, a.help_answer) if a.help_answer else ""),
        ),
        lambda data: data.alerts,
    ),
    CsvFile(
        "monitoring_time.csv",
        (
            ("day", lambda e: e.day),
            ("minutes", lambda e: e.minutes),
            ("what_was_done", lambda e: e.what),
            ("live_call", lambda e: in_words("live" if e.interactive else "not_live")),
            ("by", lambda e: e.staff.full_name),
        ),
        lambda data: data.time_log,
    ),
    CsvFile(
        "monitoring_setup.csv",
        (
            ("treatment", lambda s: s.treatment_id),
            ("setup_day", lambda s: s.day),
            ("recorded_by", lambda s: s.recorded_by.full_name),
        ),
        lambda data: data.setups,
    ),
    CsvFile(
        "injection_consent.csv",
        (
            ("treatment", lambda pair: pair[0].treatment_id),
            ("consent_when", lambda pair: utc_stamp(pair[0].consented_at)),
            ("consent_how", lambda pair: in_words(pair[0].how)),
            ("recorded_by", lambda pair: pair[0].recorded_by.full_name),
            ("consent_version", lambda pair: pair[0].text_version),
            ("consent_language", lambda pair: pair[0].language),
            ("consent_current", lambda pair: in_words("in_force" if pair[1] else "not_in_force")),
        ),
        consents_with_force,
    ),
)


def csv_files(data: PatientData) -> dict[str, str]:
    """One file per kind of record."""
    return {spec.name: spec.text(data) for spec in CSV_FILES}


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
