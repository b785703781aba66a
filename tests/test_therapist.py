"""The therapist's dashboard, patient record, alerts, plan tailoring and notes."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ClinicalNote, PlanItem, Role
from tests.conftest import QueryCounter, text_of
from tests.factories import bulk_patients, make_log, make_treatment, make_user, my_patient, open_alert
from tests.helpers import HTMX
from tests.helpers import actions_about_patients as audit_actions


def plan_items(treatment, phase="restore") -> list[PlanItem]:
    return list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(
                PlanItem.treatment_id == treatment.id, PlanItem.phase == phase, PlanItem.removed_at.is_(None)
            )
            .order_by(PlanItem.position, PlanItem.id)
        )
    )


# --- Dashboard -------------------------------------------------------------------------------------


def test_dashboard_lists_only_my_patients(client, therapist, today):
    my_patient(therapist, today, name="Maria Alvarez")
    other_therapist = make_user(Role.THERAPIST)
    someone_else = make_user(Role.PATIENT, name="Daniel Kim")
    make_treatment(someone_else, today - timedelta(days=10), therapist=other_therapist)
    page = text_of(client.get("/therapist/"))
    assert "Maria Alvarez" in page
    assert "Daniel Kim" not in page


def test_attention_list_follows_the_clinical_order(client, therapist, today):
    silent, _ = my_patient(therapist, today, name="Kevin Silent")
    make_log(silent, today - timedelta(days=6))
    same_day, _ = my_patient(therapist, today, name="Fran Fever")
    open_alert(same_day, today, symptom="fever", urgency="same_day")
    emergency, _ = my_patient(therapist, today, name="Linda Weak")
    open_alert(emergency, today)
    nsaid, _ = my_patient(therapist, today, day=6, name="Sofia Nsaid")
    make_log(nsaid, today - timedelta(days=1), medication="anti_inflammatory")
    page = text_of(client.get("/therapist/"))
    attention = page[page.index("Needs attention") : page.index("All patients")]
    order = [attention.index(name) for name in ("Linda Weak", "Fran Fever", "Sofia Nsaid", "Kevin Silent")]
    assert order == sorted(order)
    assert "Warning sign: New or worse weakness in a leg or foot" in attention
    assert "No log or exercise for 6 days" in attention
    assert "Took an anti-inflammatory on day 5 after the injection" in attention


def test_pain_rising_is_flagged(client, therapist, today):
    patient, _ = my_patient(therapist, today, day=40, name="Rita Rising")
    for n in range(7, 14):
        make_log(patient, today - timedelta(days=n), back_pain=3)
    for n in range(0, 7):
        make_log(patient, today - timedelta(days=n), back_pain=6)
    assert "Pain up 3.0 points on the week before (3 → 6)" in text_of(client.get("/therapist/"))


def test_leg_pain_rising_is_flagged_for_a_patient_who_logs_it(client, therapist, today):
    patient, _ = my_patient(therapist, today, day=40, name="Lee Legs", condition="lumbar_radiculopathy")
    for n in range(7, 14):
        make_log(patient, today - timedelta(days=n), back_pain=4, leg_pain=2)
    for n in range(0, 7):
        make_log(patient, today - timedelta(days=n), back_pain=4, leg_pain=5)
    page = text_of(client.get("/therapist/"))
    assert "Leg pain up 3.0 points on the week before (2 → 5)" in page
    assert "Pain up" not in page.replace("Leg pain up", "")


def test_a_weekly_logger_after_week_twelve_is_not_silent_between_logs(client, therapist, today):
    patient, _ = my_patient(therapist, today, day=100, name="Wendy Weekly")
    make_log(patient, today - timedelta(days=6))
    page = text_of(client.get("/therapist/"))
    attention = (
        page[page.index("Needs attention") : page.index("All patients")] if "Needs attention" in page else ""
    )
    assert "No log or exercise" not in attention


def test_table_shows_adherence_and_pain_against_baseline(client, therapist, today):
    patient, _ = my_patient(therapist, today, day=40, baseline=8)
    for n in range(1, 8):
        make_log(patient, today - timedelta(days=n), back_pain=4)
    row = text_of(client.get("/therapist/")).split(patient.full_name)[-1]
    assert "100% / 23%" in row  # 7 of 7 days; 7 of 30
    assert "7 of 16" in row
    assert "days left" in row
    assert "-4 pts (-50%)" in row


@pytest.mark.parametrize(
    ("args", "shown", "hidden"),
    [
        ("phase=evaluation", ["Early Ed"], ["Late Lou"]),
        ("phase=strengthen", ["Late Lou"], ["Early Ed"]),
        ("attention=1", ["Late Lou"], ["Early Ed"]),
        ("phase=bogus&sort=evil&order=sideways&page=abc", ["Early Ed", "Late Lou"], []),
    ],
)
def test_table_filters(client, therapist, today, args, shown, hidden):
    early, _ = my_patient(therapist, today, day=-3, name="Early Ed")  # evaluation: nothing due yet
    make_log(early, today)
    my_patient(therapist, today, day=50, name="Late Lou")  # never logged: silent
    response = client.get(f"/therapist/?{args}", headers={**HTMX, "HX-Target": "patient-table"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card" id="patient-table"')
    for name in shown:
        assert name in html
    for name in hidden:
        assert name not in html


def test_answers_that_depend_on_the_swapped_region_say_so_in_vary(client, therapist, today):
    """The dashboard answers a table swap with the table only: a cache must key on HX-Target."""
    my_patient(therapist, today, name="Abe Adams")
    whole = client.get("/therapist/", headers=HTMX)
    table = client.get("/therapist/", headers={**HTMX, "HX-Target": "patient-table"})
    assert 'id="attention-title"' in whole.get_data(as_text=True)
    assert 'id="attention-title"' not in table.get_data(as_text=True)
    for response in (whole, table, client.get("/therapist/")):
        assert {"HX-Request", "HX-Target"} <= set(response.vary)
    assert "HX-Target" not in client.get("/today").vary  # pages that do not ask do not say so


def test_table_sorts_by_name_both_ways(client, therapist, today):
    for name in ("Bea Brown", "Abe Adams", "Cal Cole"):
        my_patient(therapist, today, name=name)
    ascending = text_of(
        client.get("/therapist/?sort=name&order=asc", headers={**HTMX, "HX-Target": "patient-table"})
    )
    descending = text_of(
        client.get("/therapist/?sort=name&order=desc", headers={**HTMX, "HX-Target": "patient-table"})
    )
    assert ascending.index("Abe Adams") < ascending.index("Bea Brown") < ascending.index("Cal Cole")
    assert descending.index("Cal Cole") < descending.index("Bea Brown") < descending.index("Abe Adams")


def test_table_is_paginated(client, therapist, today):
    for n in range(23):
        my_patient(therapist, today, name=f"Patient {n:02d}")
    first = text_of(client.get("/therapist/?sort=name"))
    second = text_of(client.get("/therapist/?sort=name&page=2"))
    assert "Patient 19" in first
    assert "Patient 20" not in first.split("All patients")[1]
    assert "Patient 22" in second
    assert "Page 2 of 2" in second


def test_dashboard_query_count_does_not_grow_with_patients(client, therapist, today):
    bulk_patients(therapist, today, 5)
    with QueryCounter() as few:
        assert client.get("/therapist/").status_code == 200
    bulk_patients(therapist, today, 195, first=5)
    with QueryCounter() as many:
        response = client.get("/therapist/")
    assert "200 active patients" in text_of(response)
    assert few.count == many.count


def test_dashboard_view_is_audited(client, therapist, today):
    patient, _ = my_patient(therapist, today)
    client.get("/therapist/")
    assert ("view_dashboard", patient.id) in audit_actions()  # the one patient it showed


# --- Patient record --------------------------------------------------------------------------------


def test_patient_record_shows_logs_alerts_and_plan(client, therapist, today):
    patient, _ = my_patient(therapist, today, name="Maria Alvarez")
    make_log(
        patient,
        today - timedelta(days=1),
        back_pain=6,
        note="Sore after gardening",
        medication="anti_inflammatory",
    )
    open_alert(patient, today)
    response = client.get(f"/therapist/patients/{patient.id}")
    page = text_of(response)
    assert response.status_code == 200
    assert "Maria Alvarez" in page
    assert "Weeks 3–6: restore function" in page
    assert "Sore after gardening" in page
    assert "New or worse weakness in a leg or foot" in page
    assert "Bird-dog" in page
    assert "Home exercise plan" in page
    assert "Exercises, last 8 weeks" in page
    assert 'class="chart__band' in response.get_data(as_text=True)
    assert 'class="chart__goal"' in response.get_data(as_text=True)
    assert ("view_patient_record", patient.id) in audit_actions()


def test_nsaid_reports_inside_the_window_are_marked(client, therapist, today):
    patient, _ = my_patient(therapist, today, day=6)
    make_log(patient, today - timedelta(days=1), medication="anti_inflammatory")
    assert "NSAID in window" in text_of(client.get(f"/therapist/patients/{patient.id}"))


def test_admin_can_read_any_record(client, auth, today):
    therapist = make_user(Role.THERAPIST)
    patient, _ = my_patient(therapist, today, name="Grace Liu")
    auth.login(make_user(Role.ADMIN).email)
    response = client.get(f"/therapist/patients/{patient.id}")
    assert response.status_code == 200
    assert "Grace Liu" in text_of(response)
    assert "Change dose" not in text_of(response)  # plans are the therapist's


# --- Alerts ----------------------------------------------------------------------------------------


def test_acknowledging_from_the_dashboard_removes_it_and_is_audited(client, auth, therapist, today):
    patient, _ = my_patient(therapist, today, name="Linda Moore")
    alert = open_alert(patient, today)
    response = client.post(
        f"/therapist/alerts/{alert.id}/acknowledge",
        data={"csrf_token": auth.token(), "note": "Called her; going to ED"},
        headers={**HTMX, "HX-Target": "attention-1"},
    )
    assert response.status_code == 200
    assert "Acknowledged" in text_of(response)
    db.session.refresh(alert)
    assert alert.acknowledged_by_id == therapist.id
    assert alert.acknowledged_at is not None
    assert alert.acknowledgement_note == "Called her; going to ED"
    assert ("acknowledge_alert", patient.id) in audit_actions()
    dashboard = text_of(client.get("/therapist/"))
    assert "Warning sign: New or worse weakness" not in dashboard
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "Acknowledged by Sam Patel" in record
    assert "Called her; going to ED" in record


def test_record_query_count_does_not_grow_with_acknowledged_alerts(client, auth, therapist, today):
    from app.models.base import utcnow

    patient, _ = my_patient(therapist, today)

    def acknowledged_alerts(days):  # each by a different admin, as at a real front desk
        for n in days:
            alert = open_alert(patient, today - timedelta(days=n))
            alert.acknowledged_at = utcnow()
            alert.acknowledged_by_id = make_user(Role.ADMIN, name=f"Desk Admin {n}").id
        db.session.commit()

    acknowledged_alerts(range(1, 3))
    with QueryCounter() as few:
        client.get(f"/therapist/patients/{patient.id}")
    acknowledged_alerts(range(3, 25))
    with QueryCounter() as many:
        page = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert page.count("Acknowledged by Desk Admin") == 24
    assert few.count == many.count


def test_acknowledging_on_the_record_returns_the_alerts_region(client, auth, therapist, today):
    patient, _ = my_patient(therapist, today)
    alert = open_alert(patient, today)
    response = client.post(
        f"/therapist/alerts/{alert.id}/acknowledge",
        data={"csrf_token": auth.token()},
        headers={**HTMX, "HX-Target": "alerts"},
    )
    assert response.get_data(as_text=True).lstrip().startswith('<section class="card" id="alerts"')
    assert "Acknowledged by Sam Patel" in text_of(response)
    assert '"selector": "#alerts"' in response.headers["HX-Trigger-After-Settle"]


def test_acknowledging_without_javascript_returns_to_the_dashboard(client, auth, therapist, today):
    patient, _ = my_patient(therapist, today)
    alert = open_alert(patient, today)
    response = client.post(
        f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": auth.token(), "next": "/therapist/"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/therapist/"


def test_acknowledging_twice_keeps_the_first(client, auth, therapist, today):
    patient, _ = my_patient(therapist, today)
    alert = open_alert(patient, today)
    token = auth.token()
    client.post(f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": token, "note": "first"})
    client.post(f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": token, "note": "second"})
    db.session.refresh(alert)
    assert alert.acknowledgement_note == "first"
    assert [a for a, _ in audit_actions()].count("acknowledge_alert") == 1


def test_an_overlong_acknowledgement_note_is_refused(client, auth, therapist, today):
    patient, _ = my_patient(therapist, today)
    alert = open_alert(patient, today)
    response = client.post(
        f"/therapist/alerts/{alert.id}/acknowledge", data={"csrf_token": auth.token(), "note": "x" * 501}
    )
    assert response.status_code == 400
    db.session.refresh(alert)
    assert alert.acknowledged_at is None


# --- Plan --------------------------------------------------------------------------------------------


def test_changing_a_dose_shows_on_the_patients_today(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today, day=20)
    bird_dog = next(i for i in plan_items(treatment) if i.exercise.slug == "bird_dog")
    response = client.post(
        f"/therapist/plan/{bird_dog.id}/dose",
        headers=HTMX,
        data={
            "csrf_token": auth.token(),
            "sets": "3",
            "reps": "8",
            "hold_seconds": "12",
            "minutes": "",
            "times_per_day": "2",
            "cue": "Keep hips level.",
        },
    )
    assert response.status_code == 200
    assert "3 sets of 8 · hold 12 seconds · 2 times a day · Keep hips level." in text_of(response)
    assert ("plan_dose", patient.id) in audit_actions()
    auth.logout()
    auth.login(patient.email)
    assert "Bird-dog 3 sets of 8 · hold 12 seconds · 2 times a day · Keep hips level." in text_of(
        client.get("/today")
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets", "abc", "Enter a whole number, like 10."),
        ("sets", "0", "Enter a number from 1 to 10."),
        ("reps", "1000", "Enter a number from 1 to 100."),
        ("hold_seconds", "-5", "Enter a number from 1 to 300."),
        ("times_per_day", "2.5", "Enter a whole number, like 10."),
        ("cue", "x" * 201, "Keep the cue to 200 characters."),
    ],
)
def test_invalid_doses_keep_what_was_typed(client, auth, therapist, today, field, value, message):
    _, treatment = my_patient(therapist, today)
    item = plan_items(treatment)[0]
    before = (item.sets, item.reps, item.hold_seconds, item.cue)
    data = {
        "csrf_token": auth.token(),
        "sets": "2",
        "reps": "10",
        "hold_seconds": "",
        "minutes": "",
        "times_per_day": "",
        "cue": "",
    } | {field: value}
    response = client.post(f"/therapist/plan/{item.id}/dose", data=data, headers=HTMX)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    assert f'value="{value}"' in response.get_data(as_text=True)
    db.session.refresh(item)
    assert (item.sets, item.reps, item.hold_seconds, item.cue) == before


def test_an_empty_dose_is_refused(client, auth, therapist, today):
    _, treatment = my_patient(therapist, today)
    item = plan_items(treatment)[0]
    response = client.post(f"/therapist/plan/{item.id}/dose", data={"csrf_token": auth.token()})
    assert response.status_code == 422
    assert "Give sets, reps, a hold, minutes or a cue" in text_of(response, 422)


def test_removing_an_exercise_hides_it_but_keeps_its_ticks(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today)
    item = plan_items(treatment)[0]
    client.post(f"/therapist/plan/{item.id}/remove", data={"csrf_token": auth.token()}, headers=HTMX)
    db.session.refresh(item)
    assert item.removed_at is not None
    assert item not in plan_items(treatment)
    assert ("plan_remove", patient.id) in audit_actions()
    assert (
        client.post(f"/therapist/plan/{item.id}/remove", data={"csrf_token": auth.token()}).status_code == 404
    )


def test_adding_an_exercise_to_a_phase(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today)
    response = client.post(
        f"/therapist/patients/{patient.id}/plan",
        headers=HTMX,
        data={"csrf_token": auth.token(), "exercise": "side_plank", "phase": "restore"},
    )
    assert response.status_code == 200
    added = plan_items(treatment)[-1]
    assert (added.exercise.slug, added.sets, added.hold_seconds) == ("side_plank", None, None)
    assert ("plan_add", patient.id) in audit_actions()


def test_adding_brings_the_library_dose_when_there_is_one(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today)
    walking = next(i for i in plan_items(treatment, "strengthen") if i.exercise.slug == "walking")
    client.post(f"/therapist/plan/{walking.id}/remove", data={"csrf_token": auth.token()})
    client.post(
        f"/therapist/patients/{patient.id}/plan",
        data={"csrf_token": auth.token(), "exercise": "walking", "phase": "strengthen"},
    )
    assert plan_items(treatment, "strengthen")[-1].minutes == 30


@pytest.mark.parametrize(
    ("exercise", "phase", "message"),
    [
        ("bird_dog", "restore", "This exercise is already in that phase."),
        ("headstand", "restore", "Choose an exercise from the list."),
        ("walking", "injection", "Choose a phase from the list."),
    ],
)
def test_adding_refuses_duplicates_and_unknowns(client, auth, therapist, today, exercise, phase, message):
    patient, treatment = my_patient(therapist, today)
    count = len(plan_items(treatment))
    response = client.post(
        f"/therapist/patients/{patient.id}/plan",
        headers=HTMX,
        data={"csrf_token": auth.token(), "exercise": exercise, "phase": phase},
    )
    assert response.status_code == 422
    assert message in text_of(response, 422)
    assert len(plan_items(treatment)) == count


def test_reordering_moves_an_exercise_within_its_phase(client, auth, therapist, today):
    _patient, treatment = my_patient(therapist, today)
    first, second = plan_items(treatment)[:2]
    client.post(f"/therapist/plan/{second.id}/move", data={"csrf_token": auth.token(), "direction": "up"})
    assert plan_items(treatment)[:2] == [second, first]
    client.post(f"/therapist/plan/{second.id}/move", data={"csrf_token": auth.token(), "direction": "up"})
    assert plan_items(treatment)[0] == second  # already first: nothing moves
    assert (
        client.post(
            f"/therapist/plan/{second.id}/move", data={"csrf_token": auth.token(), "direction": "sideways"}
        ).status_code
        == 400
    )
    assert [a for a, _ in audit_actions()].count("plan_move") == 1


def test_the_patient_sees_the_new_order(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today)
    items = plan_items(treatment)
    client.post(f"/therapist/plan/{items[-1].id}/move", data={"csrf_token": auth.token(), "direction": "up"})
    auth.logout()
    auth.login(patient.email)
    html = client.get("/today").get_data(as_text=True)
    assert html.index(f'id="exercise-{items[-1].id}"') < html.index(f'id="exercise-{items[-2].id}"')


def test_plan_changes_without_javascript_redirect_to_the_plan(client, auth, therapist, today):
    patient, treatment = my_patient(therapist, today)
    item = plan_items(treatment)[0]
    response = client.post(f"/therapist/plan/{item.id}/dose", data={"csrf_token": auth.token(), "reps": "12"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/therapist/patients/{patient.id}?phase={item.phase}#plan"


# --- Notes -----------------------------------------------------------------------------------------


def test_notes_are_for_staff_only(client, auth, therapist, today):
    patient, _ = my_patient(therapist, today)
    response = client.post(
        f"/therapist/patients/{patient.id}/notes",
        headers=HTMX,
        data={"csrf_token": auth.token(), "body": "Guarded with flexion. Progress bird-dog."},
    )
    assert response.status_code == 200
    assert "Guarded with flexion" in text_of(response)
    assert ("note_add", patient.id) in audit_actions()
    assert "Guarded with flexion" in text_of(client.get(f"/therapist/patients/{patient.id}"))
    auth.logout()
    auth.login(patient.email)
    assert "Guarded with flexion" not in text_of(client.get("/today"))
    assert "Guarded with flexion" not in text_of(client.get("/history"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the note first."),
        ("   ", "Write the note first."),
        ("x" * 1001, "Keep the note to 1000 characters. It has 1001 now."),
    ],
)
def test_invalid_notes_are_refused_and_kept(client, auth, therapist, today, body, message):
    patient, _ = my_patient(therapist, today)
    response = client.post(
        f"/therapist/patients/{patient.id}/notes", data={"csrf_token": auth.token(), "body": body}
    )
    assert response.status_code == 422
    assert message in text_of(response, 422)
    if body.strip():
        assert body in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClinicalNote)) == 0


# --- Access: every therapist route, for every kind of visitor ----------------------------------------


def routes_for(patient, item, alert):
    return [
        ("GET", "/therapist/"),
        ("GET", f"/therapist/patients/{patient.id}"),
        ("POST", f"/therapist/alerts/{alert.id}/acknowledge"),
        ("POST", f"/therapist/patients/{patient.id}/plan"),
        ("POST", f"/therapist/plan/{item.id}/dose"),
        ("POST", f"/therapist/plan/{item.id}/remove"),
        ("POST", f"/therapist/plan/{item.id}/move"),
        ("POST", f"/therapist/patients/{patient.id}/notes"),
    ]


@pytest.fixture
def someone_elses(today):
    other = make_user(Role.THERAPIST)
    patient, treatment = my_patient(other, today)
    return patient, plan_items(treatment)[0], open_alert(patient, today)


def test_another_therapists_patient_is_not_found_anywhere(client, auth, therapist, someone_elses):
    token = auth.token()
    for method, path in routes_for(*someone_elses)[1:]:
        data = {
            "csrf_token": token,
            "note": "x",
            "body": "x",
            "reps": "5",
            "direction": "up",
            "exercise": "walking",
            "phase": "restore",
        }
        response = client.open(path, method=method, data=data if method == "POST" else None, headers=HTMX)
        assert response.status_code == 404, path
    alert = someone_elses[2]
    db.session.refresh(alert)
    assert alert.acknowledged_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClinicalNote)) == 0


def test_patients_are_forbidden_every_therapist_route(client, auth, someone_elses):
    patient = someone_elses[0]
    auth.login(patient.email)
    token = auth.token()
    for method, path in routes_for(*someone_elses):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in_from_every_therapist_route(client, someone_elses):
    for method, path in routes_for(*someone_elses):
        response = client.open(path, method=method)
        if method == "GET":
            assert response.status_code == 302, path
            assert "/sign-in" in response.headers["Location"], path
        else:  # a POST without a session has no CSRF token either: refused before anything runs
            assert response.status_code in (302, 400), path


def test_admins_cannot_tailor_plans(client, auth, someone_elses):
    auth.login(make_user(Role.ADMIN).email)
    token = auth.token()
    _patient, item, _ = someone_elses
    assert (
        client.post(f"/therapist/plan/{item.id}/dose", data={"csrf_token": token, "reps": "5"}).status_code
        == 403
    )
    assert client.get("/therapist/").status_code == 403


def test_a_patient_reassigned_to_another_therapist_leaves_my_list(client, therapist, today):
    patient, treatment = my_patient(therapist, today, name="Moved Away")
    treatment.therapist_id = make_user(Role.THERAPIST).id
    db.session.commit()
    assert "Moved Away" not in text_of(client.get("/therapist/"))
    assert client.get(f"/therapist/patients/{patient.id}").status_code == 404


def test_a_non_patient_id_is_not_found(client, therapist):
    assert client.get(f"/therapist/patients/{therapist.id}").status_code == 404
    assert client.get("/therapist/patients/999999").status_code == 404


def test_plan_items_of_a_past_treatment_cannot_be_changed(client, auth, therapist, today):
    patient, old = my_patient(therapist, today, day=200)
    old.status = "completed"
    db.session.commit()
    make_treatment(patient, today - timedelta(days=5), therapist=therapist)
    old_item = plan_items(old, "maintain")[0]
    response = client.post(
        f"/therapist/plan/{old_item.id}/dose", data={"csrf_token": auth.token(), "reps": "5"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("day", "phase"), [(20, "restore"), (3, "protect"), (60, "strengthen"), (-5, "protect")]
)
def test_add_an_exercise_starts_at_the_patients_phase(client, therapist, today, day, phase):
    patient, _ = my_patient(therapist, today, day=day)
    html = client.get(f"/therapist/patients/{patient.id}/add-exercise", headers=HTMX).get_data(as_text=True)
    add = html.split('class="add-exercise"')[1].split("</form>")[0]
    assert re.search(rf'<option selected value="{phase}">|<option value="{phase}" selected>', add), add[-600:]


def test_no_change_against_baseline_reads_0_pts_never_minus_0(client, therapist, today):
    patient, _ = my_patient(therapist, today, day=40, baseline=4)
    for n in range(1, 8):
        make_log(patient, today - timedelta(days=n), back_pain=4)
    row = text_of(client.get("/therapist/")).split(patient.full_name)[-1]
    assert "0 pts (0%)" in row
    assert "-0 pts" not in row
    assert "+0" not in row
