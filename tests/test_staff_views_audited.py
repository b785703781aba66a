"""Every staff look is on the record (HIPAA 164.312(b); docs/security.md): every page and download a
therapist or an admin can open, on the demo clinic, is fetched; whichever patients it names (by name
or e-mail), the audit rows that request wrote must name them too, by `patient_id` or in the
compact id list of `audit.patients_shown` ("patients shown: 3-5, 9"). A page added later that shows
patients without saying whom fails here."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape

import pytest
import sqlalchemy as sa

from app.demo.clinic import DEMO_PASSWORD, build_demo_clinic
from app.extensions import db
from app.models import Alert, AuditEvent, PlanItem, Role, Treatment, User
from app.services.audit import id_ranges, ids_in, patients_shown
from tests.conftest import Auth, RequestIsolatingClient, delete_all_rows
from tests.test_fuzz import ROUTES

STAFF_BLUEPRINTS = ("therapist", "admin", "messages")
STAFF = {Role.THERAPIST: "therapist@example.com", Role.ADMIN: "admin@example.com"}
PAGES = [
    (endpoint, role)
    for endpoint, method, _ in ROUTES
    if method == "GET" and endpoint.split(".")[0] in STAFF_BLUEPRINTS
    for role in STAFF
]


def test_id_ranges_are_compact_and_read_back():
    assert id_ranges([9, 3, 4, 5, 12, 4]) == "3-5, 9, 12"
    assert ids_in("4 in the caseload; patients shown: 3-5, 9, 12") == {3, 4, 5, 9, 12}
    assert ids_in("Patients shown: none") == set()


def test_patients_shown_fills_as_many_rows_as_the_ids_need(app):
    ids = list(range(1, 2000, 2))  # no runs: the longest list
    patients_shown("view_dashboard", ids, detail="A long caseload")
    db.session.commit()
    details = db.session.scalars(sa.select(AuditEvent.detail).order_by(AuditEvent.id)).all()
    assert len(details) > 1
    assert all(len(detail) <= 500 for detail in details)
    assert set().union(*(ids_in(detail) for detail in details)) == set(ids)


@pytest.fixture(scope="module")
def demo(migrated_app, clock):
    """The demo clinic, built once for the sweep (its pages only read)."""
    with migrated_app.app_context():
        delete_all_rows()
        build_demo_clinic(clock.date())
        yield ids_of_demo()
        delete_all_rows()


@pytest.fixture
def staff_client(migrated_app, demo):
    migrated_app.test_client_class = RequestIsolatingClient
    return migrated_app.test_client()


def ids_of_demo() -> dict[str, int | None]:
    patient = db.session.scalar(sa.select(User).where(User.email == "patient@example.com"))
    treatment = db.session.scalar(sa.select(Treatment).where(Treatment.patient_id == patient.id))
    return {
        "patient_id": patient.id,
        "user_id": patient.id,
        "treatment_id": treatment.id,
        "item_id": db.session.scalar(
            sa.select(PlanItem.id).where(PlanItem.treatment_id == treatment.id).limit(1)
        ),
        "alert_id": db.session.scalar(sa.select(Alert.id).limit(1)),
    }


def readable(response) -> str:
    """The response's text; a zip's files' texts."""
    raw = response.get_data()
    if response.mimetype == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(raw))
        return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return raw.decode(errors="replace")


def patients_named(body: str) -> set[int]:
    text = unescape(body)
    return {
        patient_id
        for patient_id, name, email in db.session.execute(
            sa.select(User.id, User.full_name, User.email).where(User.role == Role.PATIENT.value)
        )
        if name in text or email in text
    }


@pytest.mark.parametrize(("endpoint", "role"), PAGES, ids=[f"{e} as {r.value}" for e, r in PAGES])
def test_every_staff_view_names_on_the_record_the_patients_it_showed(
    migrated_app, staff_client, demo, endpoint, role
):
    app, client = migrated_app, staff_client
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", str(demo.get(name, 1)), path)
    Auth(client).login(STAFF[role], DEMO_PASSWORD)
    before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    response = client.get(path)
    body = readable(response)
    shown = patients_named(body) if response.status_code == 200 else set()
    rows = db.session.execute(
        sa.select(AuditEvent.patient_id, AuditEvent.detail).where(AuditEvent.id > before)
    ).all()
    recorded = {patient_id for patient_id, _ in rows if patient_id} | set().union(
        *(ids_in(d) for _, d in rows)
    )
    assert shown <= recorded, (
        f"{path} showed patients {sorted(shown - recorded)} without an audit row naming them"
    )


def test_the_sweep_sees_pages_that_name_patients(staff_client, demo):
    """The sweep is not empty-handed: the dashboard and the account list do name patients."""
    client = staff_client
    Auth(client).login(STAFF[Role.THERAPIST], DEMO_PASSWORD)
    assert len(patients_named(client.get("/therapist/").get_data(as_text=True))) >= 5
    assert any(endpoint == "admin.home" for endpoint, _ in PAGES)
