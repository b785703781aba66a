"""The patient's own records: the CSV zip, the FHIR bundle (validated with fhir.resources), the
calendar file and the printable summary, for the patient and for staff who may see them."""

import json
import re
from datetime import timedelta
from typing import Any

import icalendar
import pytest
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

from app.extensions import db
from app.models import (
    Alert,
    AuditEvent,
    ExerciseTick,
    PlanItem,
    Role,
)
from tests.conftest import QueryCounter, text_of
from tests.factories import make_answer as answer
from tests.factories import make_log, make_treatment, make_user
from tests.helpers import unzip

CSV_FILES = {
    "account.csv",
    "treatments.csv",
    "daily_logs.csv",
    "exercise_plan.csv",
    "exercise_ticks.csv",
    "questionnaires.csv",
    "warning_signs.csv",
    "monitoring_time.csv",
    "monitoring_setup.csv",
    "injection_consent.csv",
}


@pytest.fixture
def maria(app, today):
    """A patient of Sam's at day 44 with logs, a tick and each questionnaire."""
    sam = make_user(Role.THERAPIST, email="sam@example.com", name="Sam Patel")
    patient = make_user(Role.PATIENT, name="Maria Alvarez", email="maria@example.com")
    treatment = make_treatment(
        patient, today - timedelta(days=44), therapist=sam, condition="lumbar_radiculopathy"
    )
    make_log(patient, today - timedelta(days=1), back_pain=4, leg_pain=2, note="=cmd|' /C calc'!A0")
    fever = make_log(patient, today - timedelta(days=2), back_pain=5, fever=True)
    db.session.add(
        Alert(
            patient_id=patient.id, daily_log_id=fever.id, day=fever.day, symptom="fever", urgency="same_day"
        )
    )
    item = db.session.scalar(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "strengthen")
    )
    db.session.add(ExerciseTick(plan_item_id=item.id, day=today - timedelta(days=1)))
    answer(treatment, "peg", 0, [("pain", 7), ("enjoyment", 6), ("activity", 8)], treatment.evaluation_date)
    answer(treatment, "psfs", 0, [("Sit through a movie", 2), ("Garden", 3)], treatment.evaluation_date)
    answer(treatment, "psfs", 6, [("Sit through a movie", 5), ("Garden", 6)], today)
    answer(treatment, "pgic", 6, [("change", 2)], today)
    return patient, treatment, sam


def audited(action) -> list[tuple[int | None, int | None, str]]:
    return [
        (e.actor_id, e.patient_id, e.detail)
        for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    ]


# --- Download my data -------------------------------------------------------------------------------


def test_a_patient_downloads_every_kind_of_record_as_csv(client, auth, maria):
    patient, _treatment, _sam = maria
    auth.login(patient.email)
    response = client.get("/records/my-data.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    files = unzip(response)
    assert set(files) == CSV_FILES
    logs = files["daily_logs.csv"]
    assert len(logs) == 3
    assert logs[2][:4] == [logs[2][0], "4", "2", "None"]
    assert logs[2][5] == "'=cmd|' /C calc'!A0"  # a formula is never run by a spreadsheet
    assert "Fever of 100.4 °F (38.0 °C) or more, or chills" in logs[1][4]
    assert files["questionnaires.csv"][1] == [
        "PEG",
        "First visit",
        files["questionnaires.csv"][1][2],
        "pain",
        "7",
        "7",
    ]
    assert [row[:2] + row[3:] for row in files["questionnaires.csv"] if row[0] == "PGIC"] == [
        ["PGIC", "Week 6", "change", "2", "Much improved"]
    ]
    assert files["exercise_ticks.csv"][1][2] == "strengthen"
    assert files["treatments.csv"][1][3] == "Lumbar radiculopathy"
    assert files["treatments.csv"][1][6] == "Sam Patel"
    assert files["warning_signs.csv"][1][1:4] == [
        "Fever of 100.4 °F (38.0 °C) or more, or chills",
        "same_day",
        "",
    ]
    assert audited("export_own_data") == [(patient.id, patient.id, "csv zip")]


def test_the_fhir_bundle_validates_and_holds_every_observation(client, auth, maria):
    patient, _treatment, _sam = maria
    auth.login(patient.email)
    response = client.get("/records/my-data.fhir.json")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    data = json.loads(response.data)
    bundle = Bundle.model_validate(data)  # raises on anything FHIR does not allow
    assert bundle.type == "collection"
    resources: list[Any] = [entry.resource for entry in bundle.entry]  # each its own FHIR type
    assert resources[0].get_resource_type() == "Patient"
    assert resources[0].name[0].text == "Maria Alvarez"
    observations = [r for r in resources if r.get_resource_type() == "Observation"]

    def coded(code):  # the API's codings: LOINC where one exists, and Backtrack's own CodeSystem
        return [o for o in observations if any(c.code == code for c in o.code.coding or [])]

    pain = coded("72514-3")
    assert [(o.code.text, o.valueInteger) for o in pain] == [
        ("Back pain", 5),
        ("Back pain", 4),
        ("Leg pain", 2),
    ]
    assert all(o.code.coding[0].system == "http://loinc.org" for o in pain)
    peg = coded("peg")[0]
    assert peg.valueQuantity.value == 7.0
    assert [c.valueInteger for c in peg.component] == [7, 6, 8]
    assert [c.code.coding[0].code for c in peg.component] == ["75893-8", "91145-3", "91146-1"]
    psfs = coded("psfs")
    assert [(c.code.text, c.valueInteger) for c in psfs[1].component] == [
        ("Sit through a movie", 5),
        ("Garden", 6),
    ]
    assert coded("pgic")[0].valueCodeableConcept.text == "Much improved"
    exercise = coded("exercise-completion")
    assert exercise[0].valueInteger == 1
    assert exercise[0].component[0].valueInteger == 1
    assert {o.subject.reference for o in observations} == {f"Patient/{patient.id}"}
    own_codes = {c.system for o in observations for c in o.code.coding if c.system != "http://loinc.org"}
    assert own_codes == {
        "http://localhost/fhir/CodeSystem/backtrack"
    }  # served by the API (tests/test_fhir_api.py)
    kinds = {r.get_resource_type() for r in resources}
    assert kinds == {"Patient", "CarePlan", "Observation", "QuestionnaireResponse", "Flag"}
    assert audited("export_own_data") == [(patient.id, patient.id, "fhir bundle")]


def test_resource_ids_are_stable_between_downloads(client, auth, maria):
    auth.login(maria[0].email)
    first = [e["fullUrl"] for e in json.loads(client.get("/records/my-data.fhir.json").data)["entry"]]
    second = [e["fullUrl"] for e in json.loads(client.get("/records/my-data.fhir.json").data)["entry"]]
    assert first == second
    assert len(set(first)) == len(first)


def test_a_patient_without_data_still_gets_a_valid_export(client, auth):
    patient = make_user(Role.PATIENT)
    auth.login(patient.email)
    Bundle.model_validate(json.loads(client.get("/records/my-data.fhir.json").data))
    assert set(unzip(client.get("/records/my-data.zip"))) == CSV_FILES
    assert client.get("/records/calendar.ics").status_code == 404  # nothing scheduled yet


def test_the_exports_statement_count_does_not_grow_with_the_data(client, auth, maria, today):
    patient, _treatment, _sam = maria
    auth.login(patient.email)
    make_log(patient, today - timedelta(days=3))  # each count starts after a commit, like the other
    with QueryCounter() as few:
        client.get("/records/my-data.fhir.json")
    for offset in range(4, 60):
        make_log(patient, today - timedelta(days=offset))
    with QueryCounter() as many:
        client.get("/records/my-data.fhir.json")
    assert few.count == many.count


# --- The calendar --------------------------------------------------------------------------------------


def calendar_events(response) -> dict[str, tuple[str, object, object]]:
    calendar = icalendar.Calendar.from_ical(response.data)
    return {
        str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in calendar.walk("VEVENT")
    }


def test_the_calendar_has_both_visits_each_phase_and_the_nsaid_window(client, auth, maria):
    patient, treatment, _sam = maria
    auth.login(patient.email)
    response = client.get("/records/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = calendar_events(response)
    injection = treatment.injection_date
    prefix = f"treatment-{treatment.id}-"
    assert events[prefix + "visit-1@backtrack"] == (
        "Visit 1: evaluation",
        treatment.evaluation_date,
        treatment.evaluation_date + timedelta(days=1),
    )
    assert events[prefix + "visit-2@backtrack"][:2] == ("Visit 2: PRP injection", injection)
    assert events[prefix + "phase-protect@backtrack"][1] == injection + timedelta(days=1)
    assert events[prefix + "phase-restore@backtrack"][1] == injection + timedelta(days=15)
    assert events[prefix + "phase-strengthen@backtrack"][1] == injection + timedelta(days=43)
    assert events[prefix + "phase-maintain@backtrack"][1] == injection + timedelta(days=85)
    assert events[prefix + "nsaid-window@backtrack"] == (
        "No anti-inflammatory pills",
        injection - timedelta(days=7),
        injection + timedelta(days=15),
    )
    assert len(events) == 7
    assert audited("calendar_download") == [(patient.id, patient.id, f"treatment={treatment.id}")]


def test_importing_again_updates_rather_than_duplicates(client, auth, maria):
    """The same UIDs every time, with a sequence that never goes down, so a calendar replaces
    the events it already has."""
    patient, treatment, _sam = maria
    auth.login(patient.email)
    first = icalendar.Calendar.from_ical(client.get("/records/calendar.ics").data)
    treatment.injection_date += timedelta(days=3)
    db.session.commit()
    second = icalendar.Calendar.from_ical(client.get("/records/calendar.ics").data)
    uids = lambda cal: [str(e["UID"]) for e in cal.walk("VEVENT")]  # noqa: E731
    assert uids(first) == uids(second)
    assert all(
        int(b["SEQUENCE"]) >= int(a["SEQUENCE"])
        for a, b in zip(first.walk("VEVENT"), second.walk("VEVENT"), strict=True)
    )
    moved = {str(e["UID"]): e.decoded("DTSTART") for e in second.walk("VEVENT")}
    assert moved[f"treatment-{treatment.id}-visit-2@backtrack"] == treatment.injection_date


# --- The printable summary ------------------------------------------------------------------------------


def test_the_summary_has_timeline_pain_questionnaires_adherence_and_warning_signs(client, auth, maria):
    patient, _treatment, _sam = maria
    auth.login(patient.email)
    page = text_of(client.get("/summary"))
    assert "Maria Alvarez: PRP treatment summary" in page
    assert "Visit 1: evaluation" in page
    assert "Weeks 7–12: build strength (now)" in page
    assert "What was done, last 30 days" in page
    assert "Days with a pain log 2 of 30 days (7%)" in page
    assert "Exercises done 1 of" in page
    assert "Fever of 100.4 °F (38.0 °C) or more, or chills (Same day)" in page
    assert (
        "Activities you named 0–10, higher is better Before 2.5 · now 5.5 3 points higher Meaningful" in page
    )
    assert "Sit through a movie 2 5" in page
    assert '<svg viewBox="0 0 320 150"' in client.get("/summary").get_data(as_text=True)
    assert audited("view_summary")[0][1] == patient.id


def test_the_records_page_offers_every_download(client, auth, maria):
    auth.login(maria[0].email)
    page = text_of(client.get("/records"))
    for label in ("Download my data", "Download as FHIR", "Add to my calendar", "Printable summary"):
        assert label in page


# --- Staff, by role ---------------------------------------------------------------------------------------

STAFF_PATHS = ("export.zip", "export.fhir.json", "summary")


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_the_patients_therapist_gets_the_same_records(client, auth, maria, path):
    patient, _treatment, sam = maria
    auth.login(sam.email)
    response = client.get(f"/therapist/patients/{patient.id}/{path}")
    assert response.status_code == 200
    action = "view_summary" if path == "summary" else "export_patient_data"
    assert audited(action) == [(sam.id, patient.id, audited(action)[0][2])]


def test_staff_get_the_same_files_as_the_patient(client, auth, maria):
    patient, _treatment, sam = maria
    auth.login(patient.email)
    own = unzip(client.get("/records/my-data.zip"))
    auth.logout()
    auth.login(sam.email)
    assert unzip(client.get(f"/therapist/patients/{patient.id}/export.zip")) == own
    Bundle.model_validate(json.loads(client.get(f"/therapist/patients/{patient.id}/export.fhir.json").data))


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_another_therapist_and_foreign_ids_get_not_found(client, auth, maria, path):
    patient, _treatment, _sam = maria
    auth.login(make_user(Role.THERAPIST).email)
    assert client.get(f"/therapist/patients/{patient.id}/{path}").status_code == 404
    assert client.get(f"/therapist/patients/{10**15}/{path}").status_code == 404
    assert audited("export_patient_data") == []


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_an_admin_may_and_a_patient_may_not(client, auth, maria, path):
    patient, _treatment, _sam = maria
    auth.login(make_user(Role.ADMIN).email)
    assert client.get(f"/therapist/patients/{patient.id}/{path}").status_code == 200
    auth.logout()
    auth.login(patient.email)
    assert client.get(f"/therapist/patients/{patient.id}/{path}").status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/records", "/records/my-data.zip", "/records/my-data.fhir.json", "/records/calendar.ics", "/summary"],
)
def test_patient_records_are_for_the_patient(client, auth, path):
    assert client.get(path).status_code == 302  # signed out: to sign-in
    auth.login(make_user(Role.THERAPIST).email)
    assert client.get(path).status_code == 403


def test_the_summarys_statement_count_does_not_grow_with_the_data(client, auth, maria, today):
    patient, treatment, _sam = maria
    auth.login(patient.email)
    make_log(patient, today - timedelta(days=3))
    with QueryCounter() as few:
        client.get("/summary")
    for offset in range(4, 44):
        make_log(patient, today - timedelta(days=offset))
    for week in range(1, 7):
        answer(treatment, "peg", week, [("pain", 4), ("enjoyment", 4), ("activity", 4)], today)
    with QueryCounter() as many:
        client.get("/summary")
    assert few.count == many.count


def test_the_records_page_draws_its_four_actions_alike(client, auth, today):
    """One button style for four equal choices (not two that suggest a ranking)."""
    patient = make_user()
    make_treatment(patient, today - timedelta(days=20))
    auth.login(patient.email)
    html = client.get("/records").get_data(as_text=True)
    styles = re.findall(r'<a class="(button[^"]*)"', html.split('id="main"')[1])
    assert len(styles) == 4, styles
    assert len(set(styles)) == 1, styles


def test_a_summary_early_in_the_treatment_counts_over_its_days_so_far(client, auth, today):
    """Day 20: the window is the 21 days so far, and the heading says so (not "last 30 days")."""
    patient = make_user()
    make_treatment(patient, today - timedelta(days=20), evaluation=today - timedelta(days=20))
    make_log(patient, today, back_pain=4)
    auth.login(patient.email)
    page = text_of(client.get("/summary"))
    counted = re.search(r"Days with a pain log 1 of (\d+) days", page)
    assert counted, page
    assert f"What was done, last {counted.group(1)} days" in page
    assert int(counted.group(1)) < 30
