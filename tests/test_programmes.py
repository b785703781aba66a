"""Programmes by condition: the default plan per condition and phase, the mid back's stop lines, the
disc's limits, and the therapist's steps (directional preference, surgeon's precautions)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.care import content, programmes
from app.care.programmes import default_plan, exercise_text, plan_for, safety_text
from app.extensions import db
from app.models import AuditEvent, PlanItem, Role, Treatment
from tests.conftest import text_of
from tests.factories import make_treatment, make_user
from tests.helpers import today_opened


def plan(condition: str) -> set[tuple[str, str]]:
    return {(slug, phase) for slug, phase, _dose in default_plan(condition)}


def in_phase(condition: str, phase: str) -> set[str]:
    return {slug for slug, in_ in plan(condition) if in_ == phase}


CORE = {(e.slug, phase) for e in content.EXERCISES for phase in e.doses}

# --- The rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition", ["low_back_spasm", "lumbar_sprain", "degenerative_disc"])
def test_conditions_without_their_own_programme_get_the_core_set(condition):
    assert plan(condition) == CORE


def test_thoracic_strain_adds_mid_back_and_shoulder_blade_work_and_leaves_out_low_back_drills():
    restore = in_phase("thoracic_strain", "restore")
    assert {"upper_back_arch", "open_book", "band_row", "wall_slide", "shoulder_blade_squeeze"} <= restore
    assert "shoulder_blade_squeeze" in in_phase("thoracic_strain", "protect")
    assert not restore & programmes.LOW_BACK_ONLY


def test_no_stop_line_for_the_mid_back_speaks_of_legs():
    for slug, _phase in plan("thoracic_strain"):
        assert "leg" not in exercise_text(slug, "thoracic_strain").stop_if.lower(), slug
    assert "leg" not in safety_text("thoracic_strain").lower()
    assert "ribs" in exercise_text("bird_dog", "thoracic_strain").stop_if
    assert exercise_text("bird_dog", "lumbar_facet").stop_if == content.STOP_SPREADS


@pytest.mark.parametrize("condition", ["lumbar_radiculopathy", "failed_back_surgery"])
def test_nerve_pain_gets_nerve_glides_and_a_direction_the_therapist_chooses(condition):
    for phase in ("protect", "restore", "strengthen"):
        assert "nerve_glide" in in_phase(condition, phase)
    assert plan_for(condition).chooses_direction
    assert not {slug for slug, _ in plan(condition)} & {"press_up", "knees_to_chest"}


def test_only_failed_back_surgery_waits_for_the_surgeons_precautions():
    assert plan_for("failed_back_surgery").needs_precautions
    assert not plan_for("lumbar_radiculopathy").needs_precautions


def test_si_joint_adds_hip_abductors_and_adductors_and_no_early_single_leg_loading():
    assert {"clamshell", "knee_squeeze"} <= in_phase("si_joint", "protect")
    assert {"clamshell", "side_leg_raise", "knee_squeeze"} <= in_phase("si_joint", "restore")
    for phase in ("protect", "restore", "strengthen"):
        assert not in_phase("si_joint", phase) & programmes.ONE_LEG_LOADING, phase
    assert "single_leg_bridge" in in_phase("si_joint", "maintain")


def test_facet_pain_starts_flexion_biased_with_no_end_range_extension_in_weeks_one_and_two():
    protect = in_phase("lumbar_facet", "protect")
    assert "knees_to_chest" in protect
    assert not protect & programmes.EXTENSION_EXERCISES


def test_every_added_exercise_reads_at_grade_eight_and_is_on_the_sheet():
    from app.care import content_sheet

    lines = [line.text for s in content_sheet.content_sheet({}) for line in s.lines]
    for exercise in content.CONDITION_EXERCISES:
        assert exercise.purpose in lines, exercise.slug
        assert exercise.stop_if in lines, exercise.slug
    assert all(limit in lines for limit in content.DISC_LIMITS)


# --- Patients' pages -------------------------------------------------------------------------------


@pytest.fixture
def patient_with(client, auth, today):
    def make(condition, day=20, sites=None):
        patient = make_user(Role.PATIENT)
        therapist = make_user(Role.THERAPIST)
        treatment = make_treatment(
            patient, today - timedelta(days=day), therapist=therapist, condition=condition
        )
        if sites:
            treatment.sites = sites
            db.session.commit()
        auth.login(patient.email)
        return patient, treatment, therapist

    return make


def today_page(client) -> str:
    """Today's text with each exercise's "How to do it" opened (its stop rule is there)."""
    return text_of(today_opened(client))


def plan_slugs(treatment, phase=None) -> set[str]:
    query = sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.removed_at.is_(None))
    if phase:
        query = query.where(PlanItem.phase == phase)
    return {item.exercise.slug for item in db.session.scalars(query)}


def test_a_new_thoracic_course_gets_its_programme_and_reads_no_legs(client, patient_with):
    _patient, treatment, _ = patient_with("thoracic_strain")
    assert {"open_book", "band_row", "wall_slide"} <= plan_slugs(treatment, "restore")
    page = today_page(client)
    exercises = page[page.index("Today's exercises") : page.index("This phase")]
    assert "Open book" in exercises
    stop_lines = re.findall(r"Stop: ([^.]*\.)", exercises)
    assert len(stop_lines) >= 5
    assert not [line for line in stop_lines if "leg" in line.lower()]
    assert "around your ribs or into an arm" in exercises
    assert content.EXERCISE_SAFETY_UPPER_BACK in exercises


def test_after_an_injection_into_the_disc_the_limits_show_in_weeks_one_to_six(client, patient_with):
    patient_with("degenerative_disc", day=5, sites="disc")
    page = today_page(client)
    assert all(limit in page for limit in content.DISC_LIMITS)


@pytest.mark.parametrize(("day", "sites"), [(50, "disc"), (5, "facet_joints")])
def test_no_disc_limits_later_or_without_a_disc_injection(client, patient_with, day, sites):
    patient_with("degenerative_disc", day=day, sites=sites)
    assert content.DISC_LIMITS[0] not in today_page(client)


def test_after_back_surgery_only_walking_and_breathing_show_until_the_precautions_are_confirmed(
    client, auth, patient_with, today
):
    patient, treatment, therapist = patient_with("failed_back_surgery", day=5)
    page = today_page(client)
    assert content.PRECAUTIONS_PENDING in page
    assert "Walking" in page
    assert "Nerve glide" not in page
    glide = next(
        item
        for item in db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id))
        if item.exercise.slug == "nerve_glide" and item.phase == "protect"
    )
    tick = client.post(f"/exercises/{glide.id}/done", data={"csrf_token": auth.token(), "done": "1"})
    assert tick.status_code == 404

    auth.logout()
    auth.login(therapist.email)
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "Surgeon's precautions" in record
    assert "Not confirmed yet." in record
    empty = client.post(
        f"/therapist/patients/{patient.id}/precautions", data={"csrf_token": auth.token(), "note": " "}
    )
    assert empty.status_code == 422
    assert "Write the surgeon's precautions" in text_of(empty, 422)
    saved = client.post(
        f"/therapist/patients/{patient.id}/precautions",
        data={"csrf_token": auth.token(), "note": "No lifting over 10 lb for 6 weeks"},
    )
    assert saved.status_code == 303
    assert db.session.get(Treatment, treatment.id).precautions_note == "No lifting over 10 lb for 6 weeks"
    actions = [
        e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.patient_id == patient.id))
    ]
    assert "precautions_confirm" in actions

    auth.logout()
    auth.login(patient.email)
    page = today_page(client)
    assert content.PRECAUTIONS_PENDING not in page
    assert "Nerve glide" in page


def test_the_therapist_chooses_the_directional_preference(client, auth, patient_with):
    patient, treatment, therapist = patient_with("lumbar_radiculopathy")
    auth.logout()
    auth.login(therapist.email)
    url = f"/therapist/patients/{patient.id}/direction"
    assert client.post(url, data={"csrf_token": auth.token(), "direction": "extension"}).status_code == 303
    assert "press_up" in plan_slugs(treatment, "restore")
    assert "press_up" in plan_slugs(treatment, "maintain")
    assert client.post(url, data={"csrf_token": auth.token(), "direction": "flexion"}).status_code == 303
    assert "press_up" not in plan_slugs(treatment)
    assert "knees_to_chest" in plan_slugs(treatment, "restore")
    assert db.session.get(Treatment, treatment.id).directional_preference == "flexion"
    bad = client.post(url, data={"csrf_token": auth.token(), "direction": "sideways"})
    assert bad.status_code == 422
    assert "Choose extension or flexion." in text_of(bad, 422)
    assert client.post(url, data={"direction": "extension"}).status_code == 400  # no CSRF token


def test_no_direction_or_precautions_for_a_condition_without_them(client, auth, patient_with):
    patient, _treatment, therapist = patient_with("lumbar_facet")
    auth.logout()
    auth.login(therapist.email)
    token = auth.token()
    assert "Programme steps" not in text_of(client.get(f"/therapist/patients/{patient.id}"))
    direction = client.post(
        f"/therapist/patients/{patient.id}/direction", data={"csrf_token": token, "direction": "flexion"}
    )
    assert direction.status_code == 404
    precautions = client.post(
        f"/therapist/patients/{patient.id}/precautions", data={"csrf_token": token, "note": "x"}
    )
    assert precautions.status_code == 404


def test_another_therapists_patient_is_refused(client, auth, patient_with):
    patient, _treatment, _therapist = patient_with("lumbar_radiculopathy")
    stranger = make_user(Role.THERAPIST)
    auth.logout()
    auth.login(stranger.email)
    response = client.post(
        f"/therapist/patients/{patient.id}/direction",
        data={"csrf_token": auth.token(), "direction": "flexion"},
    )
    assert response.status_code in (403, 404)
