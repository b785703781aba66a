"""One-line answers hold no line break (app/forms/__init__.py), and every export survives what an
older version, a script or a hostile admin may have stored (docs/security.md#input).

The class, swept: every one-line field of every form refuses CR, LF, tab and the Unicode line
separators with one message, or tidies them away by its own filter; nothing with a line break is
left in its data. Then the clinic's name, phone and every person's name are stored with line
breaks, tabs and spreadsheet formulas, and every export (calendar file, CSV zip, FHIR bundle,
printable summary, the RTM CSV, the audit CSV) is fetched by the people who may: all answer 200,
and the calendar file parses back with the name on its one line."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.forms import ONE_LINE, Form, is_single_line
from app.forms.daily_log import DailyLogForm
from app.models import ClinicSetting, Role
from app.services.clinic.settings import current_settings
from tests.conftest import Auth, csrf_token, forget_process_caches, text_of
from tests.factories import make_log, make_user, patient_on_day
from tests.helpers import settings_fields

BREAKS = ["a\r\nb", "a\nb", "a\rb", "a\tb", "a\u2028b"]
HOSTILE = 'Riverside\r\nX-Injected: 1\t=HYPERLINK("https://evil.example")'


def every_form() -> list[type[Form]]:
    found, pending = [], list(Form.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        found.append(form)
    return sorted(found, key=lambda form: form.__name__)


def build(form_class: type[Form], data: MultiDict) -> Form:
    """A form bound to `data`, given what its constructor asks for."""
    needs = {"today": date.today(), "current": current_settings()}
    extra = {name: value for name, value in needs.items() if name in form_class.__init__.__code__.co_varnames}
    return form_class(formdata=data, meta={"csrf": False}, **extra)


FORMS = every_form()


@pytest.mark.parametrize("form_class", FORMS, ids=[form.__name__ for form in FORMS])
def test_every_one_line_field_refuses_line_breaks_or_tidies_them(app, form_class):
    with app.test_request_context(method="POST"):
        names = [field.name for field in build(form_class, MultiDict()) if is_single_line(field)]
    for name in names:
        for value in BREAKS:
            with app.test_request_context(method="POST", data={name: value}):
                form = build(form_class, MultiDict({name: value}))
                form.validate()
                field = form[name]
                assert ONE_LINE in field.errors or not any(c in (field.data or "") for c in "\r\n\t\u2028"), (
                    form_class.__name__,
                    name,
                    value,
                    field.errors,
                    field.data,
                )


def test_some_one_line_fields_are_swept():
    """The sweep above reaches the fields the probe found (the clinic name) and the log's own."""
    assert any(form.__name__ == "SettingsForm" for form in FORMS)
    assert DailyLogForm in FORMS


@pytest.mark.parametrize("value", BREAKS)
def test_the_clinic_name_with_a_line_break_is_refused_and_kept_on_the_page(client, auth, value):
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    token = csrf_token(client.get("/admin/settings"))
    response = client.post("/admin/settings", data={"csrf_token": token, **settings_fields(name=value)})
    assert response.status_code == 422
    assert ONE_LINE in text_of(response, 422)
    assert db.session.get(ClinicSetting, "name") is None


@pytest.fixture
def hostile_clinic(app, today):
    """Settings and names as a script or an older version might have stored them."""
    db.session.add_all(
        [ClinicSetting(key="name", value=HOSTILE), ClinicSetting(key="phone", value="+1 555\r\n0100")]
    )
    db.session.commit()
    forget_process_caches()
    therapist = make_user(Role.THERAPIST, name=f"Sam {HOSTILE}", email="sam@example.com")
    admin = make_user(Role.ADMIN, name=f"Alex {HOSTILE}", email="alex@example.com")
    patient, treatment = patient_on_day(20, today, name=f"Maria {HOSTILE}", email="maria@example.com")
    treatment.therapist_id = therapist.id
    db.session.commit()
    make_log(patient, today, note=f"line one\r\nline two\t{HOSTILE}")
    return {"patient": patient, "therapist": therapist, "admin": admin}


def fetch_all(client, email: str, paths: list[str]) -> dict[str, int]:
    Auth(client).login(email)
    found = {}
    for path in paths:
        response = client.get(path)
        response.get_data()
        found[path] = response.status_code
    Auth(client).logout()
    return found


def test_every_export_survives_hostile_settings_and_names(client, hostile_clinic):
    patient_id = hostile_clinic["patient"].id
    own = ["/records/calendar.ics", "/records/my-data.zip", "/records/my-data.fhir.json", "/summary"]
    staff = [
        f"/therapist/patients/{patient_id}/export.zip",
        f"/therapist/patients/{patient_id}/export.fhir.json",
        f"/therapist/patients/{patient_id}/summary",
        f"/therapist/patients/{patient_id}",
        "/therapist/rtm.csv",
        "/therapist/",
    ]
    answers = fetch_all(client, "maria@example.com", own)
    answers |= fetch_all(client, "sam@example.com", staff)
    answers |= fetch_all(
        client, "alex@example.com", ["/admin/audit.csv", "/admin/", f"/admin/accounts/{patient_id}"]
    )
    assert answers == dict.fromkeys(answers, 200)


def test_the_calendar_file_keeps_a_stored_line_break_inside_its_text(client, hostile_clinic):
    Auth(client).login("maria@example.com")
    body = client.get("/records/calendar.ics").get_data()
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]).startswith("Riverside\\nX-Injected")  # escaped, on its line
    assert "X-INJECTED" not in calendar  # no property of its own made from the name
    assert b"\r\nX-Injected" not in body


hostile_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40
)


def test_no_stored_name_breaks_a_patients_export(app, client, today):
    """By chance too: whatever text the clinic's and the patient's names hold (any character but
    NUL, which no database column takes), the patient's four files still come."""
    patient, _ = patient_on_day(20, today, email="maria@example.com")
    Auth(client).login("maria@example.com")

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(clinic_name=hostile_text, person=hostile_text)
    def files_come(clinic_name: str, person: str) -> None:
        stored = db.session.get(ClinicSetting, "name") or ClinicSetting(key="name")
        stored.value = clinic_name[:200]
        db.session.add(stored)
        db.session.get(type(patient), patient.id).full_name = person
        db.session.commit()
        forget_process_caches()
        for path in (
            "/records/calendar.ics",
            "/records/my-data.zip",
            "/records/my-data.fhir.json",
            "/summary",
        ):
            response = client.get(path)
            assert response.status_code == 200, (path, clinic_name, person)
        icalendar.Calendar.from_ical(client.get("/records/calendar.ics").get_data())

    files_come()
