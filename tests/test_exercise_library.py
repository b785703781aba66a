"""The clinic's own exercise library (app/services/treatment/library.py): versions of each
exercise's texts, signed by the physician before any patient reads them; a plan keeps the version
it was prescribed with until the therapist updates it; on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from app.care import content
from app.extensions import db
from app.models import AuditEvent, Exercise, ExerciseVersion, PlanItem, Role
from app.services.treatment.library import ensure_library, fingerprint
from tests.conftest import QueryCounter, csrf_token, text_of
from tests.databases import command, scratch_database
from tests.factories import make_user, my_patient, patient_on_day
from tests.helpers import HTMX, today_opened

WALKING_STEPS = "Walk outside on a flat path.\nKeep a steady, easy pace.\nTurn back when you feel tired."


@pytest.fixture
def admin(app):
    return make_user(Role.ADMIN, name="Dana Physician", email="dana@example.com")


@pytest.fixture
def therapist(app):
    return make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")


def post_form(client, path: str, form_page: str | None = None, **data):
    token = csrf_token(client.get(form_page or path))
    return client.post(path, data={"csrf_token": token, **data})


def exercise(slug: str) -> Exercise:
    ensure_library()
    return db.session.scalar(sa.select(Exercise).where(Exercise.slug == slug))


def versions_of(slug: str) -> list[ExerciseVersion]:
    return list(
        db.session.scalars(
            sa.select(ExerciseVersion)
            .join(Exercise, Exercise.id == ExerciseVersion.exercise_id)
            .where(Exercise.slug == slug)
            .order_by(ExerciseVersion.number)
        )
    )


def audit_details(action: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == action)))


def walking_form(**changed: str) -> dict[str, str]:
    data = {
        "name": "Walking outdoors",
        "purpose": "Walking outside moves blood to the healing area.",
        "steps": WALKING_STEPS,
        "stop_if": "Stop and rest if pain spreads down a leg.",
        "language": "en",
        "restore-minutes": "25",
        "restore-times_per_day": "1",
        "restore-cue": "Build up to 35 minutes.",
        "strengthen-minutes": "30",
        "strengthen-times_per_day": "1",
    }
    data.update(changed)
    return data


def write_walking_draft(client, auth, admin, **changed: str):
    auth.login(admin.email)
    walking = exercise("walking")
    path = f"/admin/library/{walking.id}/edit"
    response = post_form(client, path, **walking_form(**changed))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return versions_of("walking")[-1]


def sign(client, version: ExerciseVersion):
    """The physician ticks the box on the version's page, which sends back the fingerprint of what
    it showed."""
    path = f"/admin/library/versions/{version.id}"
    page = client.get(path).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{12})"', page).group(1)
    response = post_form(client, path, reviewed="y", fingerprint=fingerprint)
    assert response.status_code == 303
    return response


# --- The migration ---------------------------------------------------------------------------------


def test_the_migration_seeds_every_exercise_and_keeps_old_plans_on_version_1(database_url, tmp_path):
    with scratch_database(database_url, "library", tmp_path) as url:
        assert command(url, "db", "upgrade", "0022").exit_code == 0
        engine = sa.create_engine(url, poolclass=NullPool)
        now = datetime(2026, 1, 1)
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, email, full_name, role, active, is_demo, created_at) "
                    "VALUES (1, 'p@example.com', 'Pat', 'patient', true, false, :now)"
                ),
                {"now": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO treatments (id, patient_id, evaluation_date, injection_date, condition, sites, "
                    "status, created_at) VALUES (1, 1, :day, :day, 'lumbar_facet', 'facet_joints', 'active', :now)"
                ),
                {"day": date(2026, 1, 1), "now": now},
            )
            connection.execute(sa.text("INSERT INTO exercises (slug) VALUES ('walking'), ('breathing')"))
            ids = dict(connection.execute(sa.text("SELECT slug, id FROM exercises")).all())
            for item_id, exercise_id in ((1, ids["walking"]), (2, ids["breathing"])):
                connection.execute(
                    sa.text(
                        "INSERT INTO plan_items (id, treatment_id, exercise_id, phase, position, cue) "
                        "VALUES (:id, 1, :exercise, 'restore', :id, '')"
                    ),
                    {"id": item_id, "exercise": exercise_id},
                )
        assert command(url, "db", "upgrade").exit_code == 0
        with engine.connect() as connection:
            seeded = connection.execute(
                sa.text(
                    "SELECT e.slug, v.number, v.status, v.builtin, v.name, v.language, v.signed_at "
                    "FROM exercise_versions v JOIN exercises e ON e.id = v.exercise_id"
                )
            ).all()
            items = connection.execute(
                sa.text(
                    "SELECT p.id, v.number, v.exercise_id FROM plan_items p "
                    "JOIN exercise_versions v ON v.id = p.exercise_version_id ORDER BY p.id"
                )
            ).all()
        engine.dispose()
    assert sorted(row.slug for row in seeded) == sorted(text.slug for text in content.ALL_EXERCISES)
    names = {row.slug: row.name for row in seeded}
    assert all(names[text.slug] == text.name for text in content.ALL_EXERCISES)
    assert {(row.number, row.status, bool(row.builtin), row.language) for row in seeded} == {
        (1, "signed", True, "en")
    }
    assert all(row.signed_at is not None for row in seeded)
    # each keeps its exercise, at version 1
    assert [tuple(row) for row in items] == [(1, 1, ids["walking"]), (2, 1, ids["breathing"])]


def test_every_plan_item_of_a_new_treatment_has_its_signed_version(app, today):
    _patient, treatment = patient_on_day(20, today)
    items = list(db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id)))
    assert items
    assert all(
        item.exercise_version is not None and item.exercise_version.status == "signed" for item in items
    )
    assert all(item.exercise_version.builtin and item.exercise_version.number == 1 for item in items)


# --- The admin's pages -----------------------------------------------------------------------------


def test_the_library_lists_each_exercise_with_its_signed_version(client, auth, admin):
    auth.login(admin.email)
    page = text_of(client.get("/admin/library"))
    for text in content.ALL_EXERCISES:
        assert text.name in page
    assert page.count("Version 1") == len(content.ALL_EXERCISES)
    assert "built-in text, translated" in page


def test_an_edit_is_a_draft_that_patients_do_not_see_until_it_is_signed(
    client, auth, admin, therapist, today
):
    patient, _treatment = my_patient(therapist, today)
    draft = write_walking_draft(client, auth, admin)
    assert (draft.number, draft.status, draft.name, draft.written_by_id) == (
        2,
        "draft",
        "Walking outdoors",
        admin.id,
    )
    assert draft.steps == WALKING_STEPS.split("\n")
    assert draft.doses["restore"]["minutes"] == 25
    library = text_of(client.get("/admin/library"))
    assert "Version 2, to sign" in library
    auth.logout()

    auth.login(patient.email)
    today_page = text_of(today_opened(client))
    assert "Walking" in today_page
    assert "Walking outdoors" not in today_page
    assert "Walk outside on a flat path." not in today_page
    auth.logout()

    auth.login(therapist.email)
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "Walking outdoors" not in record  # neither in the plan nor among the exercises to add
    assert "A newer version is signed" not in record


def test_after_signing_a_new_plan_gets_it_and_an_old_plan_keeps_its_version_until_updated(
    client, auth, admin, therapist, today
):
    old_patient, old_treatment = my_patient(therapist, today, name="Olga Old")
    draft = write_walking_draft(client, auth, admin)
    sign(client, draft)
    db.session.expire_all()
    assert [(v.number, v.status) for v in versions_of("walking")] == [(1, "retired"), (2, "signed")]
    assert versions_of("walking")[1].signed_by_id == admin.id
    signed = audit_details("library_sign")
    assert [d.split(" (fingerprint ")[0] for d in signed] == [
        "Version 2 of “Walking outdoors” signed off, replacing version 1"
    ]
    assert f"(fingerprint {fingerprint(versions_of('walking')[1])})" in signed[0]  # what was read
    auth.logout()

    new_patient, new_treatment = my_patient(therapist, today, name="Nina New")
    walking_items = db.session.scalars(
        sa.select(PlanItem).where(
            PlanItem.treatment_id == new_treatment.id, PlanItem.exercise_id == exercise("walking").id
        )
    ).all()
    assert {item.exercise_version.number for item in walking_items} == {2}
    restore = next(item for item in walking_items if item.phase == "restore")
    assert (restore.minutes, restore.cue) == (25, "Build up to 35 minutes.")  # the new version's dose

    auth.login(new_patient.email)
    page = text_of(today_opened(client))
    assert "Walking outdoors" in page
    assert "Walk outside on a flat path." in page
    auth.logout()

    auth.login(old_patient.email)
    page = text_of(today_opened(client))
    assert "Walking outdoors" not in page
    assert "Walk on flat ground at an easy pace." in page
    auth.logout()

    auth.login(therapist.email)
    record = text_of(client.get(f"/therapist/patients/{old_patient.id}"))
    assert "A newer version is signed: version 2. Olga still sees version 1 until you update it." in record
    assert "Update to version 2" in record
    item = db.session.scalar(
        sa.select(PlanItem).where(
            PlanItem.treatment_id == old_treatment.id,
            PlanItem.exercise_id == exercise("walking").id,
            PlanItem.phase == "restore",
        )
    )
    dose_before = item.dose
    response = post_form(
        client,
        f"/therapist/plan/{item.id}/version",
        form_page=f"/therapist/patients/{old_patient.id}",
        version=str(versions_of("walking")[1].id),
    )
    assert response.status_code == 303
    db.session.expire_all()
    item = db.session.get(PlanItem, item.id)
    assert item.exercise_version.number == 2
    assert item.dose == dose_before  # the therapist's dose stays
    assert any("texts updated from version 1 to version 2" in d for d in audit_details("plan_version"))
    auth.logout()

    auth.login(old_patient.email)
    page = text_of(today_opened(client))
    assert "Walking outdoors" in page


def test_updating_needs_the_signed_version_in_force(client, auth, admin, therapist, today):
    patient, treatment = my_patient(therapist, today)
    draft = write_walking_draft(client, auth, admin)
    auth.logout()
    auth.login(therapist.email)
    item = db.session.scalar(
        sa.select(PlanItem).where(
            PlanItem.treatment_id == treatment.id, PlanItem.exercise_id == exercise("walking").id
        )
    )
    response = post_form(
        client,
        f"/therapist/plan/{item.id}/version",
        form_page=f"/therapist/patients/{patient.id}",
        version=str(draft.id),
    )
    assert response.status_code == 409  # a draft is not given to a patient
    db.session.expire_all()
    assert db.session.get(PlanItem, item.id).exercise_version.number == 1
    assert audit_details("plan_version") == []


def test_a_new_exercise_is_offered_to_therapists_once_signed(client, auth, admin, therapist, today):
    patient, _treatment = my_patient(therapist, today)
    auth.login(admin.email)
    data = walking_form(
        name="Seated march", steps="Lie on your side.\nLift your hips.", stop_if="Stop if it hurts."
    )
    data["language"] = "es"
    response = post_form(client, "/admin/library/new", **data)
    assert response.status_code == 303
    version = versions_of("seated-march")[0]
    assert (version.number, version.status, version.language) == (1, "draft", "es")
    assert any("Seated march" in d for d in audit_details("library_add"))
    page = text_of(client.get(f"/admin/library/versions/{version.id}"))
    assert "Patients read this version in Español, whatever language they chose" in page
    auth.logout()

    auth.login(therapist.email)
    add_form = f"/therapist/patients/{patient.id}/add-exercise"
    assert "Walking" in text_of(client.get(add_form, headers=HTMX))
    assert "Seated march" not in text_of(client.get(add_form, headers=HTMX))
    token = csrf_token(client.get(f"/therapist/patients/{patient.id}"))
    response = client.post(
        f"/therapist/patients/{patient.id}/plan",
        data={"csrf_token": token, "exercise": "seated-march", "phase": "restore"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Choose an exercise from the list." in text_of(response, 422)
    auth.logout()

    auth.login(admin.email)
    sign(client, version)
    auth.logout()
    auth.login(therapist.email)
    token = csrf_token(client.get(f"/therapist/patients/{patient.id}"))
    response = client.post(
        f"/therapist/patients/{patient.id}/plan",
        data={"csrf_token": token, "exercise": "seated-march", "phase": "restore"},
        headers=HTMX,
    )
    assert "Seated march" in text_of(response)
    auth.logout()
    auth.login(patient.email)
    page = text_of(today_opened(client))
    assert "Seated march" in page
    assert "Lift your hips." in page


def test_a_form_with_mistakes_comes_back_with_what_was_typed(client, auth, admin):
    auth.login(admin.email)
    data = walking_form(purpose="", **{"restore-sets": "99", "protect-cue": "x" * 201})
    token = csrf_token(client.get("/admin/library/new"))
    response = client.post("/admin/library/new", data={"csrf_token": token, **data})
    html = response.get_data(as_text=True)
    page = text_of(response, 422)
    assert "Say in a sentence what the exercise is for." in page
    assert "Enter a number from 1 to 10." in page
    assert "Keep the cue to 200 characters." in page
    assert 'value="Walking outdoors"' in html
    assert 'value="99"' in html
    assert 'value="25"' in html
    assert "Walk outside on a flat path.\nKeep a steady, easy pace." in html
    assert 'aria-invalid="true"' in html
    assert versions_of("walking-outdoors") == []


def test_a_dose_with_nothing_to_do_is_refused_as_in_the_plan_editor(client, auth, admin):
    auth.login(admin.email)
    token = csrf_token(client.get("/admin/library/new"))
    response = client.post(
        "/admin/library/new",
        data={"csrf_token": token, **walking_form(**{"maintain-days_per_week": "3"})},
    )
    assert "Give sets, reps, a hold, minutes or a cue" in text_of(response, 422)


def test_signing_needs_the_box_ticked(client, auth, admin):
    draft = write_walking_draft(client, auth, admin)
    response = post_form(client, f"/admin/library/versions/{draft.id}")
    assert "Tick the box to confirm you have reviewed this version." in text_of(response, 422)
    db.session.expire_all()
    assert versions_of("walking")[-1].status == "draft"


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.PATIENT])
def test_only_admins_reach_the_library(client, auth, admin, role, today):
    assert admin.role == "admin"  # the library has an admin; this person is not one
    walking = exercise("walking")
    db.session.commit()
    person = make_user(role, email="someone@example.com")
    auth.login(person.email)
    for path in ("/admin/library", "/admin/library/new", f"/admin/library/{walking.id}/edit"):
        assert client.get(path).status_code == 403, path
    token = auth.token()
    version = versions_of("walking")[0]
    response = client.post(
        f"/admin/library/versions/{version.id}", data={"csrf_token": token, "reviewed": "y"}
    )
    assert response.status_code == 403
    response = client.post("/admin/library/new", data={"csrf_token": token, **walking_form()})
    assert response.status_code == 403
    assert versions_of("walking-outdoors") == []


def test_every_library_form_needs_its_csrf_token(client, auth, admin):
    auth.login(admin.email)
    walking = exercise("walking")
    db.session.commit()
    version = versions_of("walking")[0]
    for path, data in (
        ("/admin/library/new", walking_form()),
        (f"/admin/library/{walking.id}/edit", walking_form()),
        (f"/admin/library/versions/{version.id}", {"reviewed": "y"}),
    ):
        assert client.post(path, data=data).status_code == 400, path
    assert [v.number for v in versions_of("walking")] == [1]


# --- Queries stay flat -----------------------------------------------------------------------------


def add_items(treatment, count: int, version: ExerciseVersion | None = None) -> None:
    library = ensure_library()
    slugs = [text.slug for text in content.EXERCISES if "restore" in text.doses]
    for n in range(count):
        slug = slugs[n % len(slugs)]
        chosen = version if version is not None and n % 2 else None
        exercise = library[slug] if chosen is None else db.session.get(Exercise, chosen.exercise_id)
        signed = db.session.scalar(
            sa.select(ExerciseVersion).where(
                ExerciseVersion.exercise_id == exercise.id, ExerciseVersion.number == 1
            )
        )
        item = PlanItem(
            treatment_id=treatment.id,
            exercise=exercise,
            exercise_version=chosen or signed,
            phase="restore",
            position=100 + n,
            reps=10,
        )
        db.session.add(item)
    db.session.commit()


def test_today_and_the_plan_editor_read_the_versions_with_the_plan(client, auth, admin, therapist, today):
    patient, treatment = my_patient(therapist, today)
    draft = write_walking_draft(client, auth, admin)
    sign(client, draft)
    auth.logout()
    client.get("/today")  # warm what a process keeps

    auth.login(patient.email)
    client.get("/today")
    with QueryCounter() as few:
        assert client.get("/today").status_code == 200
    auth.logout()
    auth.login(therapist.email)
    record = f"/therapist/patients/{patient.id}"
    client.get(record)
    with QueryCounter() as few_record:
        assert client.get(record).status_code == 200
    auth.logout()

    db.session.expire_all()
    add_items(treatment, 12, versions_of("walking")[1])
    auth.login(patient.email)
    client.get("/today")
    with QueryCounter() as many:
        page = text_of(client.get("/today"))
    assert "Walking outdoors" in page
    auth.logout()
    auth.login(therapist.email)
    client.get(record)
    with QueryCounter() as many_record:
        page = text_of(client.get(record))
    assert "Update to version 2" in page
    assert many.count == few.count, many.statements
    assert many_record.count == few_record.count, many_record.statements


def test_editing_starts_from_the_signed_version(client, auth, admin):
    auth.login(admin.email)
    walking = exercise("walking")
    db.session.commit()
    html = client.get(f"/admin/library/{walking.id}/edit").get_data(as_text=True)
    assert "Walk on flat ground at an easy pace.\nStand tall and let your arms swing." in html
    assert 'name="protect-minutes" id="protect-minutes" value="10"' in html
    assert 'value="Build up to 30 minutes."' in html
    assert "Saving writes a draft of a new version." in html


# --- Languages -------------------------------------------------------------------------------------

from tests.test_languages import catalogues, signed_off_by_physician  # noqa: E402, F401 (a fixture)


def test_a_clinic_version_is_shown_as_written_and_a_built_in_one_translated(
    client,
    auth,
    admin,
    therapist,
    today,
    catalogues,  # noqa: F811 (the fixture imported above)
):
    signed_off_by_physician(client.application)
    draft = write_walking_draft(
        client,
        auth,
        admin,
        name="Caminata al aire libre",
        purpose="Caminar afuera ayuda a sanar.",
        steps="Camine por un camino plano.",
        stop_if="Deténgase si el dolor baja por una pierna.",
        language="es",
        **{"restore-cue": "Llegue a 35 minutos."},
    )
    sign(client, draft)
    auth.logout()
    patient, _treatment = my_patient(therapist, today)
    patient.language = "es"
    db.session.commit()
    auth.login(patient.email)
    page = text_of(today_opened(client))
    assert "Caminata al aire libre" in page
    assert "Camine por un camino plano." in page
    assert "Meter la barriga (boca arriba)" in page  # a built-in text, through the catalogue
    assert content.EXERCISES_BY_SLUG["drawing_in"].name not in page


def test_the_content_sheet_says_where_clinic_versions_are_signed(client, auth, admin):
    auth.login(admin.email)
    page = text_of(client.get("/admin/clinical-content"))
    assert "patients read it in the language it was written in: it is not translated." in page
