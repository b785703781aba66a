"""The plan editor carries only what is seen: the open phase's exercises come with the record, the
other phases and each dose form when the therapist opens them (with htmx, or without script as
a link to the record with that part open), and each of those looks is on the audit trail."""

import re
from datetime import timedelta

import sqlalchemy as sa

from app.care.content import Dose
from app.extensions import db
from app.models import AuditEvent, Role
from app.services.treatment import plans
from tests.conftest import text_of
from tests.factories import make_treatment, make_user, my_patient
from tests.helpers import HTMX
from tests.test_therapist import plan_items


def item_ids(html: str) -> set[int]:
    return {int(found) for found in re.findall(r'id="plan-item-(\d+)"', html)}


def looks_at(patient_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.detail)
            .where(AuditEvent.action == "view_patient_record", AuditEvent.patient_id == patient_id)
            .order_by(AuditEvent.id)
        )
    )


def test_the_record_carries_the_open_phase_and_links_to_the_others(client, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)  # weeks 3–6: restore
    html = client.get(f"/therapist/patients/{patient.id}").get_data(as_text=True)
    assert item_ids(html) == {item.id for item in plan_items(treatment, "restore")}
    for phase in ("protect", "strengthen", "maintain"):
        assert plan_items(treatment, phase), phase
        assert f'href="/therapist/patients/{patient.id}?phase={phase}#phase-{phase}"' in html
        assert f'data-hx-get="/therapist/patients/{patient.id}/plan/{phase}"' in html
    assert 'name="reps"' not in html  # no dose form until one is opened
    assert "/remove" not in html  # nor a removal's question
    assert html.count('name="csrf_token"') < 10  # the plan's buttons share one form's token

    opened = client.get(f"/therapist/patients/{patient.id}?phase=strengthen")
    assert item_ids(opened.get_data(as_text=True)) == {
        item.id for item in plan_items(treatment, "strengthen")
    }
    assert "Weeks 7–12" in text_of(opened)


def test_another_phase_loads_when_opened_and_the_look_is_audited(client, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)
    response = client.get(f"/therapist/patients/{patient.id}/plan/maintain", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert item_ids(html) == {item.id for item in plan_items(treatment, "maintain")}
    assert "Change dose" in text_of(response)
    assert "<html" not in html  # the phase alone, swapped into its <details>
    assert looks_at(patient.id) == ["Plan: Maintenance"]

    without_script = client.get(f"/therapist/patients/{patient.id}/plan/maintain")
    assert without_script.status_code == 302
    assert without_script.location == f"/therapist/patients/{patient.id}?phase=maintain#phase-maintain"


def test_a_phase_is_refused_outside_the_therapists_care(client, therapist, today):
    patient, _treatment = my_patient(therapist, today)
    stranger = make_user(Role.PATIENT)
    make_treatment(stranger, today - timedelta(days=20), therapist=make_user(Role.THERAPIST))
    assert client.get(f"/therapist/patients/{stranger.id}/plan/restore", headers=HTMX).status_code == 404
    assert client.get(f"/therapist/patients/{patient.id}/plan/evaluation", headers=HTMX).status_code == 404
    assert client.get(f"/therapist/patients/{patient.id}/plan/nonsense", headers=HTMX).status_code == 404
    assert client.get("/therapist/patients/999999/plan/restore", headers=HTMX).status_code == 404
    assert looks_at(stranger.id) == []


def test_an_admin_sees_a_phase_without_the_editing(client, admin, today):
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=20), therapist=make_user(Role.THERAPIST))
    response = client.get(f"/therapist/patients/{patient.id}/plan/strengthen", headers=HTMX)
    assert response.status_code == 200
    assert "plan-item-" in response.get_data(as_text=True)
    assert "Change dose" not in text_of(response)
    item = plan_items(treatment, "restore")[0]
    assert client.get(f"/therapist/plan/{item.id}/dose", headers=HTMX).status_code == 403


def test_the_dose_form_comes_when_asked_and_the_look_is_audited(client, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)
    item = plan_items(treatment, "restore")[0]
    plans.change_dose(item, Dose(sets=2, reps=9, cue="Slowly"))
    db.session.commit()
    response = client.get(f"/therapist/plan/{item.id}/dose", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="reps" value="9"' in html
    assert 'name="cue" maxlength="200" value="Slowly"' in html
    assert 'name="csrf_token"' in html
    assert f'data-hx-post="/therapist/plan/{item.id}/dose"' in html
    assert f'formaction="/therapist/plan/{item.id}/remove"' in html  # the removal comes with it
    assert re.search(r"Remove <strong>[^<]+</strong> from Weeks 3–6: restore function\? \w+ will no", html)
    assert looks_at(patient.id) == ["Plan: dose form"]

    without_script = client.get(f"/therapist/plan/{item.id}/dose")
    assert without_script.status_code == 302
    record = f"/therapist/patients/{patient.id}?phase=restore&dose={item.id}"
    assert without_script.location == f"{record}#plan-item-{item.id}"
    page = client.get(record).get_data(as_text=True)
    block = page[page.index(f'id="plan-item-{item.id}"') :]
    block = block[: block.index("</li>")]
    assert '<details class="plan__dose" open>' in block
    assert 'name="reps" value="9"' in block
    assert f'formaction="/therapist/plan/{item.id}/remove"' in block
    assert page.count('name="reps"') == 1  # that item's form only
    assert page.count("/remove") == 1  # and its removal only


def test_a_dose_form_is_refused_for_a_removed_or_someone_elses_item(client, therapist, today):
    _patient, treatment = my_patient(therapist, today)
    removed = plan_items(treatment, "restore")[0]
    plans.remove_exercise(removed)
    stranger = make_user(Role.PATIENT)
    theirs = make_treatment(stranger, today - timedelta(days=20), therapist=make_user(Role.THERAPIST))
    db.session.commit()
    assert client.get(f"/therapist/plan/{removed.id}/dose", headers=HTMX).status_code == 404
    assert (
        client.get(f"/therapist/plan/{plan_items(theirs, 'restore')[0].id}/dose", headers=HTMX).status_code
        == 404
    )
    assert client.get("/therapist/plan/99999999/dose", headers=HTMX).status_code == 404
    assert client.get(f"/therapist/plan/{'9' * 30}/dose", headers=HTMX).status_code == 404
    assert client.get(f"/therapist/patients/{'9' * 30}/plan/restore", headers=HTMX).status_code == 404
    assert client.get("/therapist/patients/1/plan/res%00tore", headers=HTMX).status_code == 400


def test_odd_record_arguments_open_the_usual_phase(client, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)
    restore = {item.id for item in plan_items(treatment, "restore")}
    for query in ("phase=nonsense", "phase=", "dose=abc", "dose=-1", "dose=" + "9" * 40, "dose=٣"):
        html = client.get(f"/therapist/patients/{patient.id}?{query}").get_data(as_text=True)
        assert item_ids(html) == restore, query
        assert 'name="reps"' not in html, query


def test_a_change_without_script_returns_to_its_phase(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)
    first, second = plan_items(treatment, "strengthen")[:2]
    response = client.post(
        f"/therapist/plan/{first.id}/move", data={"csrf_token": auth.token(), "direction": "down"}
    )
    assert response.status_code == 303
    assert response.location == f"/therapist/patients/{patient.id}?phase=strengthen#plan"
    assert [item.id for item in plan_items(treatment, "strengthen")][:2] == [second.id, first.id]


def test_the_add_form_loads_when_opened_and_the_look_is_audited(client, therapist, today):
    patient, _treatment = my_patient(therapist, today, day=20)
    record = client.get(f"/therapist/patients/{patient.id}").get_data(as_text=True)
    assert 'name="exercise"' not in record  # the library's choices come when the form is opened
    assert f'data-hx-get="/therapist/patients/{patient.id}/add-exercise"' in record
    assert f'href="/therapist/patients/{patient.id}?add=1#add-exercise"' in record

    response = client.get(f"/therapist/patients/{patient.id}/add-exercise", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'name="csrf_token"' in html
    assert re.search(r'<option (selected )?value="restore"( selected)?>', html)
    assert "Bird-dog" in text_of(response)
    assert looks_at(patient.id) == ["", "Plan: add form"]  # the record, then the form


def test_without_script_the_add_form_opens_on_the_record_and_adds(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)
    response = client.get(f"/therapist/patients/{patient.id}/add-exercise")
    assert response.status_code == 302
    assert response.location == f"/therapist/patients/{patient.id}?add=1#add-exercise"
    record = client.get(f"/therapist/patients/{patient.id}?add=1").get_data(as_text=True)
    assert re.search(r'<details class="plan__add" id="add-exercise" open>', record)
    assert 'name="exercise"' in record
    chosen = "nerve_glide"
    assert chosen not in {item.exercise.slug for item in plan_items(treatment, "restore")}
    added = client.post(
        f"/therapist/patients/{patient.id}/plan",
        data={"csrf_token": auth.token(), "exercise": chosen, "phase": "restore"},
    )
    assert added.status_code == 303
    assert chosen in {item.exercise.slug for item in plan_items(treatment, "restore")}


def test_an_add_that_fails_comes_back_with_the_form_open(client, auth, therapist, today):
    patient, _treatment = my_patient(therapist, today, day=20)
    data = {"csrf_token": auth.token(), "exercise": "no-such-exercise", "phase": "restore"}
    for headers in (HTMX, {}):
        response = client.post(f"/therapist/patients/{patient.id}/plan", data=data, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert '<details class="plan__add" id="add-exercise" open>' in html
        assert 'aria-invalid="true"' in html
        assert "Choose an exercise from the list." in text_of(response, 422)


def test_the_add_form_is_for_the_patients_own_therapist(client, auth, therapist, today):
    patient, _treatment = my_patient(therapist, today, day=20)
    stranger = make_user(Role.THERAPIST)
    auth.logout()
    auth.login(stranger.email)
    assert client.get(f"/therapist/patients/{patient.id}/add-exercise", headers=HTMX).status_code == 404
    auth.logout()
    auth.login(make_user(Role.ADMIN).email)
    assert client.get(f"/therapist/patients/{patient.id}/add-exercise", headers=HTMX).status_code == 403
    assert looks_at(patient.id) == []
