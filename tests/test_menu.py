"""The menu marks the item a page belongs to: a questionnaire, the medicines list or a lesson
belongs to Today, a change to an old log to History, a patient's record to the patient list
(Accounts for an admin), and the patient's menu names Progress."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.models import Role
from tests.factories import make_treatment, make_user, patient_on_day


def current_item(response) -> str:
    assert response.status_code == 200
    found = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)', response.get_data(as_text=True))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("path", "item"),
    [
        ("/today", "Today"),
        ("/progress", "Progress"),
        ("/check-in/peg", "Today"),
        ("/medicines", "Today"),
        ("/learn", "Today"),
        ("/learn/flare", "Today"),
        ("/history", "History"),
        ("/log/{yesterday}/edit", "History"),
        ("/records", "Records"),
        ("/account", "Account"),
    ],
)
def test_each_patient_page_marks_its_menu_item(client, auth, today, path, item):
    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    assert current_item(client.get(path.format(yesterday=today - timedelta(days=1)))) == item


@pytest.mark.parametrize(("role", "item"), [(Role.THERAPIST, "Patients"), (Role.ADMIN, "Accounts")])
def test_a_patients_record_and_messages_mark_the_patient_list(client, auth, today, role, item):
    staff = make_user(role)
    therapist = staff if role == Role.THERAPIST else make_user(Role.THERAPIST)
    patient = make_user(Role.PATIENT)
    make_treatment(patient, today - timedelta(days=20), therapist=therapist)
    auth.login(staff.email)
    for path in (f"/therapist/patients/{patient.id}", f"/patients/{patient.id}/messages"):
        assert current_item(client.get(path)) == item, path
    if role == Role.ADMIN:
        assert current_item(client.get(f"/admin/accounts/{patient.id}")) == "Accounts"
