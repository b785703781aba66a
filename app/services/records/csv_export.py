"""A patient's records as CSV files in a zip: one file per kind of record, each described once in
`CSV_FILES` (its columns and how each cell is read from a row). Every cell is formula-safe:
patients and staff type some of them."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.care import content
from app.care.measures import KIND_NAMES, mean_score
from app.models import PlanItem, QuestionnaireResponse
from app.services.audit.trail import safe_cell
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
    return library_name(item)


def response_score(response: QuestionnaireResponse) -> str:
    if response.kind == "pgic":
        return content.PGIC_LABELS.get(response.items[0].value, "") if response.items else ""
    score = mean_score(item.value for item in response.items)
    return "" if score is None else f"{score:g}"


def utc_stamp(moment: Any) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


REPORTED_AS = {"ticked": "ticked", "words": "in the patient's words", "derived": "worked out from pain"}


def warning_sign_words(key: str) -> str:
    flag = content.ALL_ALERT_FLAGS.get(key)
    return flag.question if flag else key


@dataclass(frozen=True)
class CsvFile:
    """One file of the zip: its columns (header, cell of a row) and the rows it lists."""

    name: str
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    rows: Callable[[PatientData], Iterable[Any]]

    def text(self, data: PatientData) -> str:
        header = [title for title, _cell in self.columns]
        return csv_text(header, ([cell(row) for _title, cell in self.columns] for row in self.rows(data)))


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
            ("active", lambda p: p.active),
            ("account created (UTC)", lambda p: utc_stamp(p.created_at)),
        ),
        lambda data: [data.patient],
    ),
    CsvFile(
        "treatments.csv",
        (
            ("treatment", lambda t: t.id),
            ("visit 1 (evaluation)", lambda t: t.evaluation_date),
            ("visit 2 (injection)", lambda t: t.injection_date),
            ("condition", lambda t: content.CONDITIONS.get(t.condition, t.condition)),
            ("injection sites", lambda t: "; ".join(content.INJECTION_SITES.get(k, k) for k in t.site_keys)),
            ("pain at evaluation (0-10)", lambda t: t.baseline_pain),
            ("therapist", lambda t: t.therapist.full_name if t.therapist else ""),
            ("status", lambda t: t.status),
        ),
        lambda data: data.treatments,
    ),
    CsvFile(
        "daily_logs.csv",
        (
            ("day", lambda log: log.day),
            ("back pain (0-10)", lambda log: log.back_pain),
            ("leg pain (0-10)", lambda log: log.leg_pain),
            ("medicine", lambda log: ", ".join(content.MEDICATION_NAMES.get(k, k) for k in log.medicines)),
            ("warning signs", lambda log: "; ".join(warning_sign_words(key) for key in log.red_flags)),
            ("note", lambda log: log.note),
            ("saved (UTC)", lambda log: utc_stamp(log.updated_at)),
            ("other medicine", lambda log: log.other_medicine),
        ),
        lambda data: data.logs,
    ),
    CsvFile(
        "exercise_plan.csv",
        (
            ("treatment", lambda item: item.treatment_id),
            ("phase", lambda item: item.phase),
            ("exercise", exercise_name),
            ("dose", lambda item: content.dose_text(item.dose)),
            ("cue", lambda item: item.cue),
            ("removed (UTC)", lambda item: utc_stamp(item.removed_at)),
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
            ("round", lambda pair: "evaluation" if pair[0].week == 0 else f"week {pair[0].week}"),
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
            ("warning sign", lambda a: warning_sign_words(a.symptom)),
            ("urgency", lambda a: a.urgency),
            ("acknowledged by staff (UTC)", lambda a: utc_stamp(a.acknowledged_at)),
            ("staff note", lambda a: a.acknowledgement_note),
            ("reported as", lambda a: REPORTED_AS.get(a.source, a.source)),
            ("in the patient's words", lambda a: a.quote),
            ("did you get help", lambda a: content.HELP_ANSWERS.get(a.help_answer or "", "")),
        ),
        lambda data: data.alerts,
    ),
    CsvFile(
        "monitoring_time.csv",
        (
            ("day", lambda e: e.day),
            ("minutes", lambda e: e.minutes),
            ("what was done", lambda e: e.what),
            ("live call or video", lambda e: "yes" if e.interactive else "no"),
            ("by", lambda e: e.staff.full_name),
        ),
        lambda data: data.time_log,
    ),
    CsvFile(
        "monitoring_setup.csv",
        (
            ("treatment", lambda s: s.treatment_id),
            ("set-up and education day", lambda s: s.day),
            ("recorded by", lambda s: s.recorded_by.full_name),
        ),
        lambda data: data.setups,
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
