"""Clinic admins: accounts, activation rules, treatments, settings and the audit trail."""

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import planned_per_value
from app.extensions import db
from app.models import AuditEvent, ClinicSetting, Role, SetupLink, Treatment, User
from app.services.audit.trail import matches
from tests.conftest import Auth, QueryCounter, csrf_token, runs_on_postgresql, text_of
from tests.factories import make_log, make_treatment, make_user
from tests.helpers import actions, settings_fields


def post_form(client, path, **data):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page), **data})


# --- Accounts ------------------------------------------------------------------------------------


def test_creating_an_account_issues_a_setup_link(client, admin):
    response = post_form(
        client,
        "/admin/accounts/new",
        full_name="Nora Quinn",
        email=" Nora.Quinn@Example.com ",
        role="patient",
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Account created" in page
    assert "It works once, for 72 hours" in page
    user = db.session.scalar(sa.select(User).where(User.email == "nora.quinn@example.com"))
    assert user.role == "patient"
    assert user.password_hash is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SetupLink)) == 1
    assert actions()[-2:] == ["account_create", "setup_link_issued"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"full_name": "", "email": "a@example.com", "role": "patient"}, "Enter the person's name."),
        ({"full_name": "A", "email": "not-an-email", "role": "patient"}, "Enter an email address like"),
        ({"full_name": "A", "email": "a@example.com", "role": "doctor"}, "Choose a role from the list."),
        ({"full_name": "x" * 121, "email": "a@example.com", "role": "patient"}, "Keep the name to 120"),
    ],
)
def test_account_form_validation_keeps_the_input(client, admin, fields, message):
    response = post_form(client, "/admin/accounts/new", **fields)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    if fields["email"]:
        assert fields["email"] in response.get_data(as_text=True)


def test_an_email_in_use_is_refused(client, admin):
    make_user(email="taken@example.com")
    response = post_form(
        client, "/admin/accounts/new", full_name="B", email="TAKEN@example.com", role="patient"
    )
    assert response.status_code == 422
    assert "Another account already uses this email." in text_of(response, 422)


def test_editing_an_account(client, admin):
    user = make_user(Role.THERAPIST, name="Sam Patel")
    response = post_form(
        client,
        f"/admin/accounts/{user.id}",
        full_name="Samir Patel",
        email="samir@example.com",
        role="therapist",
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.full_name, user.email) == ("Samir Patel", "samir@example.com")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "account_update")).one()
    assert "Name changed from Sam Patel to Samir Patel" in event.detail


def test_search_and_filters(client, admin):
    make_user(Role.PATIENT, name="Maria Alvarez", email="maria@example.com")
    make_user(Role.THERAPIST, name="Mario Rossi", email="mrossi@example.com")
    make_user(Role.PATIENT, name="Kevin Walsh", email="kw@example.com", active=False)
    assert "Maria Alvarez" in text_of(client.get("/admin/?q=mari"))
    assert "Mario Rossi" in text_of(client.get("/admin/?q=mari"))
    therapists = text_of(client.get("/admin/?q=mari&role=therapist"))
    assert "Mario Rossi" in therapists
    assert "Maria Alvarez" not in therapists
    inactive = text_of(client.get("/admin/?status=inactive"))
    assert "Kevin Walsh" in inactive
    assert "Maria Alvarez" not in inactive
    assert "Maria Alvarez" in text_of(client.get("/admin/?q=MARIA@EXAMPLE"))


def test_the_account_list_is_paginated_and_its_query_count_is_flat(client, admin):
    db.session.add_all(
        [User(role="patient", full_name=f"Person {n:04d}", email=f"p{n}@example.com") for n in range(120)]
    )
    db.session.commit()
    with QueryCounter() as counter:
        page = text_of(client.get("/admin/?page=2"))
    assert "Page 2 of 3" in page
    assert "Person 0049" in page
    assert "Person 0099" not in page
    # Its audit row (the patients shown) costs a read of the chain's head, and on PostgreSQL the
    # append lock too.
    assert counter.count <= (7 if runs_on_postgresql() else 6)


def test_a_search_matching_more_than_a_thousand_counts_no_further(client, admin):
    """A short search in a large clinic ("ma") stops counting past 1,000: the page reads its rows
    and at most 1,001 more, so it answers as fast at 50,000 accounts as at 500."""
    db.session.execute(
        sa.insert(User),
        [
            {"role": "patient", "full_name": f"Mara {n:04d}", "email": f"m{n}@example.com"}
            for n in range(1_010)
        ],
    )
    db.session.commit()
    with QueryCounter() as counter:
        first = text_of(client.get("/admin/?q=ma"))
    assert "More than 1,000 accounts match" in first
    assert "Page 1" in first
    assert "Page 1 of" not in first
    assert "Mara 0000" in first
    assert "Mara 0050" not in first
    # On PostgreSQL one more: the search is planned for its text (planned_per_value).
    assert counter.count <= (8 if runs_on_postgresql() else 6)
    last = client.get("/admin/?q=ma&page=21")  # rows 1,001 to 1,010: past the count, still shown
    assert "Mara 1009" in text_of(last)
    assert 'rel="next"' not in last.get_data(as_text=True)
    assert "More than 1,000 accounts" in text_of(client.get("/admin/"))
    assert "1 account match" in text_of(client.get("/admin/?q=m1009@"))


TRIGRAM_INDEXES = {"ix_users_name_trigrams", "ix_users_email_trigrams"}


def test_a_search_for_part_of_a_name_or_email_is_served_by_indexes(admin):
    """On PostgreSQL the search the account list and the audit trail make (part of a name or an
    e-mail, ILIKE '%...%') is answered from trigram indexes, not by reading every account: with
    sequential scans priced out, the plan names both. SQLite, whose few thousand accounts read as
    fast without, is given neither."""
    indexes = {found["name"] for found in sa.inspect(db.engine).get_indexes("users")}
    if not runs_on_postgresql():
        assert not TRIGRAM_INDEXES & indexes
        return
    query = sa.select(User.id).where(matches(User, "mar"))
    with db.engine.connect() as connection:
        connection.execute(sa.text("SET enable_seqscan = off"))
        literal = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(connection.execute(sa.text("EXPLAIN " + literal)).scalars())
    assert all(index in plan for index in TRIGRAM_INDEXES), plan


def test_a_search_is_planned_for_its_text_however_often_a_connection_sends_it(admin):
    """After a statement has run often on one connection PostgreSQL may keep one plan for any
    value, and for part of a name that plan reads both trigram indexes whole. planned_per_value
    has the rest of the transaction planned for the text sent: EXPLAIN still shows "%ma%", not $1,
    after twelve runs of a prepared search. SQLite keeps no plans: nothing is sent there."""
    with QueryCounter() as counter:
        planned_per_value()
    if not runs_on_postgresql():
        assert counter.count == 0
        return
    search = "SELECT id FROM users WHERE full_name ILIKE $1 OR email ILIKE $1"
    db.session.execute(sa.text(f"PREPARE person_search(text) AS {search}"))
    for _ in range(12):
        db.session.execute(sa.text("EXECUTE person_search('%ma%')")).all()
    plan = "\n".join(db.session.execute(sa.text("EXPLAIN EXECUTE person_search('%ma%')")).scalars())
    db.session.execute(sa.text("DEALLOCATE person_search"))
    db.session.rollback()
    assert "%ma%" in plan, plan
    assert "$1" not in plan, plan


@pytest.mark.parametrize("path", ["/admin/?q=ma", "/admin/audit?actor=ma", "/admin/audit?patient=ma"])
def test_the_searches_for_part_of_a_name_are_planned_for_their_text(client, admin, path):
    """The account list's and the audit trail's searches ask for it before they search."""
    sent: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert response.status_code == 200
    searched = [n for n, statement in enumerate(sent) if "LIKE" in statement.upper()]
    assert searched
    planned = [n for n, statement in enumerate(sent) if "plan_cache_mode" in statement]
    if not runs_on_postgresql():
        assert planned == []
        return
    assert planned
    assert planned[0] < searched[0]


def test_viewing_a_patient_account_is_audited(client, admin):
    patient = make_user()
    client.get(f"/admin/accounts/{patient.id}")
    assert (
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "view_account")).one().patient_id
        == patient.id
    )


# --- Activation and the admin rules ------------------------------------------------------------------


def test_deactivating_signs_the_person_out_at_once(app, client, admin):
    patient = make_user()
    patients_phone = app.test_client()
    Auth(patients_phone).login(patient.email)
    assert patients_phone.get("/today").status_code == 200
    response = client.post(
        f"/admin/accounts/{patient.id}/deactivate", data={"csrf_token": Auth(client).token()}
    )
    assert response.status_code == 303
    assert patients_phone.get("/today").status_code == 302
    assert Auth(app.test_client()).login(patient.email).status_code == 422
    assert "account_deactivate" in actions()


def test_reactivating_lets_the_person_sign_in_again(app, client, admin):
    patient = make_user(active=False)
    client.post(f"/admin/accounts/{patient.id}/reactivate", data={"csrf_token": Auth(client).token()})
    assert Auth(app.test_client()).login(patient.email).status_code == 303


def test_deactivation_asks_once_more_before_it_happens(client, admin):
    patient = make_user(name="Maria Alvarez")
    page = client.get(f"/admin/accounts/{patient.id}")
    link = f'href="/admin/accounts/{patient.id}/deactivate"'
    assert link in page.get_data(as_text=True)  # a link to the question, not a button that does it
    question = client.get(f"/admin/accounts/{patient.id}/deactivate")
    assert question.status_code == 200
    assert "Deactivate Maria Alvarez?" in text_of(question)
    assert "Yes, deactivate Maria Alvarez" in text_of(question)
    db.session.refresh(patient)
    assert patient.active  # asking changes nothing


def test_an_admin_sees_no_deactivate_button_on_their_own_account(client, admin):
    make_user(Role.ADMIN)
    page = client.get(f"/admin/accounts/{admin.id}").get_data(as_text=True)
    assert "/deactivate" not in page
    assert "Deactivate" not in page
    question = text_of(client.get(f"/admin/accounts/{admin.id}/deactivate"))
    assert "You cannot deactivate your own account" in question
    assert "Yes, deactivate" not in question


def test_an_admin_cannot_deactivate_themselves(client, admin):
    make_user(Role.ADMIN)
    response = client.post(
        f"/admin/accounts/{admin.id}/deactivate",
        data={"csrf_token": Auth(client).token()},
        follow_redirects=True,
    )
    assert "You cannot deactivate your own account" in text_of(response)
    db.session.refresh(admin)
    assert admin.active


def test_an_admin_cannot_demote_themselves(client, admin):
    make_user(Role.ADMIN)
    response = post_form(
        client, f"/admin/accounts/{admin.id}", full_name=admin.full_name, email=admin.email, role="therapist"
    )
    assert response.status_code == 422
    assert "remove your own admin role" in text_of(response, 422)


def test_the_last_active_admin_cannot_be_removed(client, admin, app):
    other = make_user(Role.ADMIN, name="Other Admin")
    client.post(f"/admin/accounts/{other.id}/deactivate", data={"csrf_token": Auth(client).token()})
    db.session.refresh(other)
    assert not other.active  # two admins: fine
    # now `admin` is the last active one; a second admin signing in could not remove them
    other.active = True
    db.session.commit()
    other_client = app.test_client()
    Auth(other_client).login(other.email)
    admin.active = True
    db.session.commit()
    other_client.post(
        f"/admin/accounts/{other.id}/deactivate", data={"csrf_token": Auth(other_client).token()}
    )
    db.session.refresh(other)
    assert other.active  # cannot deactivate self
    db.session.execute(sa.update(User).where(User.id == other.id).values(active=False))
    db.session.commit()
    from app.services.accounts.accounts import AccountRuleError, check_admin_change

    with pytest.raises(AccountRuleError, match="last active admin"):
        check_admin_change(admin, other, deactivating=True)


def test_a_patient_with_treatments_keeps_their_role(client, admin, today):
    patient = make_user(name="Maria Alvarez")
    make_treatment(patient, today)
    response = post_form(
        client,
        f"/admin/accounts/{patient.id}",
        full_name=patient.full_name,
        email=patient.email,
        role="therapist",
    )
    assert response.status_code == 422
    assert "has treatment records" in text_of(response, 422)


def test_a_therapist_with_patients_must_hand_them_over_first(client, admin, today):
    therapist = make_user(Role.THERAPIST)
    make_treatment(make_user(), today, therapist=therapist)
    response = post_form(
        client,
        f"/admin/accounts/{therapist.id}",
        full_name=therapist.full_name,
        email=therapist.email,
        role="patient",
    )
    assert response.status_code == 422
    assert "has 1 active patient(s)" in text_of(response, 422)


def test_reset_password_issues_a_new_link_and_voids_the_old(client, admin):
    user = make_user()
    token = Auth(client).token()
    client.post(f"/admin/accounts/{user.id}/setup-link", data={"csrf_token": token})
    client.post(f"/admin/accounts/{user.id}/setup-link", data={"csrf_token": token})
    links = db.session.scalars(sa.select(SetupLink).order_by(SetupLink.id)).all()
    assert [link.revoked_at is not None for link in links] == [True, False]


# --- Treatments ------------------------------------------------------------------------------------


def treatment_fields(today, **overrides):
    fields = {
        "evaluation_date": (today - timedelta(days=10)).isoformat(),
        "injection_date": (today - timedelta(days=3)).isoformat(),
        "condition": "si_joint",
        "sites": ["si_joint", "ligaments"],
        "baseline_pain": "7",
    }
    if "therapist" not in overrides:  # every active treatment has a responsible clinician
        fields["therapist"] = str(make_user(Role.THERAPIST).id)
    return fields | overrides


def test_a_treatment_needs_a_responsible_clinician(client, admin, today):
    """No "No therapist yet": the form asks for the clinician told of every warning sign."""
    patient = make_user()
    form_page = text_of(client.get(f"/admin/accounts/{patient.id}/treatments/new"))
    assert "No therapist yet" not in form_page
    assert "Responsible clinician" in form_page
    response = post_form(
        client, f"/admin/accounts/{patient.id}/treatments/new", **treatment_fields(today, therapist="")
    )
    assert response.status_code == 422
    assert "Choose the responsible clinician: they are told of every warning sign." in text_of(response, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Treatment)) == 0
    old = make_treatment(patient, today - timedelta(days=3))  # from before: no clinician
    assert old.therapist_id is None
    edit = post_form(client, f"/admin/treatments/{old.id}", **treatment_fields(today, therapist=""))
    assert edit.status_code == 422
    assert "Choose the responsible clinician" in text_of(edit, 422)


def test_scheduling_a_treatment_puts_the_patient_in_their_phase(app, client, admin, today):
    patient = make_user(name="Nora Quinn")
    therapist = make_user(Role.THERAPIST)
    response = post_form(
        client,
        f"/admin/accounts/{patient.id}/treatments/new",
        **treatment_fields(today, therapist=str(therapist.id)),
    )
    assert response.status_code == 303
    treatment = db.session.scalars(sa.select(Treatment)).one()
    assert (treatment.condition, treatment.site_keys, treatment.baseline_pain, treatment.therapist_id) == (
        "si_joint",
        ["si_joint", "ligaments"],
        7,
        therapist.id,
    )
    patients_phone = app.test_client()
    Auth(patients_phone).login(patient.email)
    assert "Day 3 after your injection" in text_of(patients_phone.get("/today"))
    assert "treatment_create" in actions()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"injection_date": "EARLY"}, "The injection cannot be before the evaluation."),
        ({"injection_date": "FAR"}, "The injection is more than a year ahead. Check the year."),
        ({"evaluation_date": "1926-01-01"}, "The evaluation is more than 3 years ago. Check the year."),
        ({"evaluation_date": "not a date"}, "Enter a real date, like 2026-03-04."),
        ({"injection_date": ""}, "Enter the injection date."),
        ({"sites": []}, "Choose at least one injection site."),
        ({"sites": ["elbow"]}, "Choose sites from the list."),
        ({"condition": "flu"}, "Choose a condition from the list."),
        ({"baseline_pain": "11"}, "Enter a number from 0 to 10."),
        ({"therapist": "99999"}, "Choose an active therapist from the list."),
    ],
)
def test_treatment_dates_and_fields_that_make_no_sense(client, admin, today, overrides, message):
    patient = make_user()
    special = {
        "EARLY": (today - timedelta(days=20)).isoformat(),
        "FAR": (today + timedelta(days=400)).isoformat(),
    }
    fields = treatment_fields(
        today, **{k: special.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    )
    response = post_form(client, f"/admin/accounts/{patient.id}/treatments/new", **fields)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Treatment)) == 0


def test_moving_the_injection_moves_the_phase(app, client, admin, today):
    patient = make_user()
    treatment = make_treatment(patient, today - timedelta(days=3))
    response = post_form(
        client,
        f"/admin/treatments/{treatment.id}",
        **treatment_fields(
            today,
            injection_date=(today + timedelta(days=2)).isoformat(),
            evaluation_date=(today - timedelta(days=1)).isoformat(),
            condition="lumbar_facet",
            sites=["facet_joints"],
        ),
    )
    assert response.status_code == 303
    phone = app.test_client()
    Auth(phone).login(patient.email)
    assert "Your injection is in 2 days" in text_of(phone.get("/today"))
    assert "treatment_update" in actions()


def test_one_active_treatment_at_a_time_and_repeats_keep_history(app, client, admin, today):
    patient = make_user()
    first = make_treatment(patient, today - timedelta(days=200))
    blocked = post_form(client, f"/admin/accounts/{patient.id}/treatments/new", **treatment_fields(today))
    assert blocked.status_code == 422
    assert "already has an active treatment" in text_of(blocked, 422)
    client.post(
        f"/admin/treatments/{first.id}/status",
        data={"csrf_token": Auth(client).token(), "status": "completed"},
    )
    repeat = post_form(client, f"/admin/accounts/{patient.id}/treatments/new", **treatment_fields(today))
    assert repeat.status_code == 303
    statuses = db.session.execute(sa.select(Treatment.status).order_by(Treatment.id)).scalars().all()
    assert statuses == ["completed", "active"]
    page = text_of(client.get(f"/admin/accounts/{patient.id}"))
    assert "Completed" in page
    assert "Active" in page
    phone = app.test_client()
    Auth(phone).login(patient.email)
    assert "Day 3 after your injection" in text_of(phone.get("/today"))


def test_a_closed_treatment_cannot_be_changed(client, admin, today):
    treatment = make_treatment(make_user(), today - timedelta(days=5))
    token = Auth(client).token()
    client.post(f"/admin/treatments/{treatment.id}/status", data={"csrf_token": token, "status": "cancelled"})
    assert (
        client.post(
            f"/admin/treatments/{treatment.id}/status", data={"csrf_token": token, "status": "completed"}
        ).status_code
        == 400
    )
    response = post_form(client, f"/admin/treatments/{treatment.id}", **treatment_fields(today))
    assert "This treatment is closed" in text_of(response, 422)
    db.session.refresh(treatment)
    assert treatment.status == "cancelled"
    assert treatment.ended_on == today  # a course cancelled after its injection counts in the outcomes


def test_treatments_are_only_for_patients(client, admin):
    therapist = make_user(Role.THERAPIST)
    assert client.get(f"/admin/accounts/{therapist.id}/treatments/new").status_code == 404


# --- Clinic settings -------------------------------------------------------------------------------


def test_settings_take_effect_at_once(app, client, admin, today):
    patient = make_user()
    make_treatment(patient, today - timedelta(days=1))
    response = post_form(
        client,
        "/admin/settings",
        name="Riverside Spine",
        timezone="America/Chicago",
        phone="+1 312 555 0100",
        nsaid_days_before="5",
        nsaid_days_after="10",
        no_ice_hours="48",
        open_days=["mon", "wed", "fri"],
        opens_at="09:00",
        closes_at="16:30",
        after_hours_phone="+1 312 555 0199",
        patient_idle_minutes="30",
        patient_max_hours="12",
        staff_idle_minutes="30",
        staff_max_hours="12",
        escalate_minutes_open="20",
        escalate_minutes_closed="45",
        blood_draw="injection_day",
        ultrasound_sites=["si_joint"],
        drive_home="yes",
    )
    assert response.status_code == 303
    phone = app.test_client()
    Auth(phone).login(patient.email)
    page = text_of(phone.get("/today"))
    assert "NSAID-free: 10 more days" in page
    assert "Do not put ice on the injection site for 48 hours." in page
    assert "Riverside Spine" in page
    assert "+1 312 555 0100" in page
    assert 'href="tel:+13125550100"' in phone.get("/today").get_data(as_text=True)
    assert db.session.get(ClinicSetting, "timezone").value == "America/Chicago"
    assert db.session.get(ClinicSetting, "open_days").value == "mon,wed,fri"
    assert (
        db.session.get(ClinicSetting, "closes_at").value,
        db.session.get(ClinicSetting, "opens_at").value,
    ) == (
        "16:30",
        "09:00",
    )
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings_update")).one()
    assert "Open days changed from mon,tue,wed,thu,fri to mon,wed,fri" in event.detail
    settings_page = client.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'value="wed"[^>]*checked|checked[^>]*value="wed"', settings_page)
    assert not re.search(r'value="tue"[^>]*checked|checked[^>]*value="tue"', settings_page)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "Choose a time zone from the list"),
        ("phone", "call us", "Enter a phone number, like"),
        ("nsaid_days_after", "90", "Enter a number from 0 to 60."),
        ("no_ice_hours", "abc", "Enter a whole number, like 10."),
        ("opens_at", "8am", "Enter a time like 08:00."),
        ("closes_at", "07:00", "The clinic must close after it opens."),
        ("after_hours_phone", "", "Enter the number patients call when the clinic is closed."),
    ],
)
def test_invalid_settings_are_refused_and_kept(client, admin, field, value, message):
    fields = settings_fields(**{field: value})
    response = post_form(client, "/admin/settings", **fields)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    if field != "timezone":  # a list: a zone not on it cannot have been typed, so none is kept
        assert f'value="{value}"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClinicSetting)) == 0


def test_stored_settings_are_read_once_per_process_not_on_every_page(client, admin):
    client.get("/admin/settings")
    statements: list[str] = []
    sa.event.listen(db.engine, "before_cursor_execute", remember := lambda *a: statements.append(a[2]))
    try:
        assert client.get("/admin/settings").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert statements
    assert not [s for s in statements if "clinic_settings" in s]


def test_a_change_saved_on_another_host_shows_once_this_copy_is_old_enough(app, client, admin, monkeypatch):
    assert "Backtrack Spine Clinic" in text_of(client.get("/admin/settings"))
    db.session.add(ClinicSetting(key="name", value="Riverside Spine"))  # as another host saves it
    db.session.commit()
    assert "Riverside Spine" not in text_of(client.get("/admin/"))  # this process's copy is fresh
    monkeypatch.setitem(app.config, "CLINIC_SETTINGS_MAX_AGE", 0)  # every copy is old enough now
    assert "Riverside Spine" in text_of(client.get("/admin/"))


def test_a_clinic_must_be_open_on_some_day(client, admin):
    response = post_form(client, "/admin/settings", open_days=[])
    assert response.status_code == 422
    assert "Tick at least one day the clinic is open." in text_of(response, 422)


# --- Audit trail -----------------------------------------------------------------------------------


def test_the_audit_trail_filters_and_exports(client, admin, today):
    patient = make_user(name="Maria Alvarez", email="maria@example.com")
    therapist = make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")
    make_treatment(patient, today, therapist=therapist)
    make_log(patient, today)
    Auth(client).logout()
    Auth(client).login(therapist.email)
    client.get(f"/therapist/patients/{patient.id}")
    Auth(client).logout()
    Auth(client).login(admin.email)
    page = text_of(client.get("/admin/audit?actor=sam@example.com&action=view_patient_record"))
    assert "Viewed patient record" in page
    assert "maria@example.com" in page
    assert "1 event" in page
    by_part_of_a_name = text_of(client.get("/admin/audit?actor=SAM%20P&patient=alva"))
    assert "Viewed patient record" in by_part_of_a_name
    assert "1 event" in text_of(client.get("/admin/audit?actor=sam@exam&action=view_patient_record"))
    assert "No events match." in text_of(
        client.get("/admin/audit?actor=%25")
    )  # a wildcard is just a character
    export = client.get("/admin/audit.csv?patient=maria@example.com")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:4] == ["time (UTC)", "action", "person acting", "patient"]
    assert any(row[1] == "view_patient_record" and row[2] == "sam@example.com" for row in rows[1:])
    assert "audit_export" in actions()


def test_the_audit_trail_rejects_a_backwards_date_range(client, admin):
    response = client.get("/admin/audit?date_from=2026-05-02&date_to=2026-05-01")
    assert response.status_code == 422
    assert "“To” cannot be before “From”." in text_of(response, 422)
    assert client.get("/admin/audit.csv?date_from=2026-05-02&date_to=2026-05-01").status_code == 400


def test_csv_cells_cannot_smuggle_formulas(client, admin):
    db.session.add(AuditEvent(action="sign_in_failed", detail='=HYPERLINK("http://evil")'))
    db.session.commit()
    export = client.get("/admin/audit.csv?action=sign_in_failed").get_data(as_text=True)
    assert "'=HYPERLINK" in export


def test_audit_rows_cannot_be_changed_from_the_app(app):
    rules = [(rule.rule, rule.methods) for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert all(methods <= {"GET", "HEAD", "OPTIONS"} for _rule, methods in rules)


# --- Access: every admin route, for every kind of visitor ------------------------------------------


def admin_routes(user_id, treatment_id):
    return [
        ("GET", "/admin/"),
        ("GET", "/admin/accounts/new"),
        ("POST", "/admin/accounts/new"),
        ("GET", f"/admin/accounts/{user_id}"),
        ("POST", f"/admin/accounts/{user_id}"),
        ("POST", f"/admin/accounts/{user_id}/deactivate"),
        ("POST", f"/admin/accounts/{user_id}/reactivate"),
        ("POST", f"/admin/accounts/{user_id}/setup-link"),
        ("GET", f"/admin/accounts/{user_id}/treatments/new"),
        ("POST", f"/admin/accounts/{user_id}/treatments/new"),
        ("GET", f"/admin/treatments/{treatment_id}"),
        ("POST", f"/admin/treatments/{treatment_id}"),
        ("POST", f"/admin/treatments/{treatment_id}/status"),
        ("GET", "/admin/settings"),
        ("POST", "/admin/settings"),
        ("GET", "/admin/audit"),
        ("GET", "/admin/audit.csv"),
    ]


@pytest.mark.parametrize("role", [Role.PATIENT, Role.THERAPIST])
def test_other_roles_are_forbidden_every_admin_route(client, auth, today, role):
    patient = make_user()
    treatment = make_treatment(patient, today)
    auth.login(make_user(role).email)
    token = auth.token()
    for method, path in admin_routes(patient.id, treatment.id):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, path
    db.session.refresh(patient)
    assert patient.active


def test_anonymous_visitors_go_to_sign_in_from_every_admin_route(client, today):
    patient = make_user()
    treatment = make_treatment(patient, today)
    for method, path in admin_routes(patient.id, treatment.id):
        response = client.open(path, method=method)
        if method == "GET":
            assert response.status_code == 302, path
            assert "/sign-in" in response.headers["Location"], path
        else:
            assert response.status_code in (302, 400), path


def test_every_admin_state_change_needs_csrf(client, admin, today):
    patient = make_user()
    treatment = make_treatment(patient, today)
    for method, path in admin_routes(patient.id, treatment.id):
        if method == "POST":
            assert client.post(path, data={"status": "cancelled", "full_name": "X"}).status_code == 400, path
    db.session.refresh(patient)
    db.session.refresh(treatment)
    assert patient.active
    assert treatment.status == "active"


SETTINGS = {
    "name": "Riverside Spine",
    "timezone": "America/Chicago",
    "phone": "+1 312 555 0100",
    "nsaid_days_before": "7",
    "nsaid_days_after": "14",
    "no_ice_hours": "72",
    "open_days": ["mon", "tue"],
    "opens_at": "08:00",
    "closes_at": "17:00",
    "after_hours_phone": "+1 555 010 0111",
    "patient_idle_minutes": "30",
    "patient_max_hours": "12",
    "staff_idle_minutes": "30",
    "staff_max_hours": "12",
    "escalate_minutes_open": "30",
    "escalate_minutes_closed": "60",
    "blood_draw": "visit_1",
    "ultrasound_sites": ["facet_joints", "si_joint"],
    "drive_home": "no",
}


def test_saving_unchanged_settings_says_so_and_leaves_no_audit_row(client, admin):
    events = sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "settings_update")
    assert post_form(client, "/admin/settings", **SETTINGS).status_code == 303
    assert db.session.scalar(events) == 1
    response = post_form(client, "/admin/settings", **SETTINGS)
    assert response.status_code == 303
    assert db.session.scalar(events) == 1  # no "changed: saved with no change"
    assert "Nothing changed: the settings are as they were." in text_of(client.get("/admin/settings"))


def test_the_time_zone_is_chosen_from_a_list(client, admin):
    post_form(client, "/admin/settings", **SETTINGS)
    page = client.get("/admin/settings").get_data(as_text=True)
    field = page.split('name="timezone"')[1].split("</select>")[0]
    assert re.search(r'<option selected value="America/Chicago">America/Chicago</option>', field)
    assert '<option value="Europe/Madrid">Europe/Madrid</option>' in field
    assert '<option value="America/New_York">America/New York</option>' in field


def test_holidays_are_saved_as_dates_and_a_bad_one_comes_back_with_its_error(client, admin):
    typed = "2026-12-25\n25/12/2026"
    response = post_form(client, "/admin/settings", **settings_fields(closed_dates=typed))
    assert response.status_code == 422
    assert "Enter dates like 2026-12-25, separated by commas or new lines." in text_of(response, 422)
    assert "25/12/2026" in response.get_data(as_text=True)  # kept as typed
    response = post_form(
        client, "/admin/settings", **settings_fields(closed_dates="2027-01-01\n2026-12-25, 2026-12-25")
    )
    assert response.status_code == 303
    assert db.session.get(ClinicSetting, "closed_dates").value == "2026-12-25,2027-01-01"
    assert "2026-12-25,2027-01-01</textarea>" in client.get("/admin/settings").get_data(as_text=True)
