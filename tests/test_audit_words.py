"""Audit details read as sentences with names: what changed, never internal ids, keys or None."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Alert, AuditEvent, PlanItem, Role
from tests.conftest import Auth, csrf_token
from tests.factories import make_log, make_treatment, make_user

MACHINE_WORDS = re.compile(r"\bNone\b|\w+=|\b\w+_\w+\b|->")


def post(client, path: str, form_page: str | None = None, **data):
    token = csrf_token(client.get(form_page or path))
    return client.post(path, data={"csrf_token": token, **data})


def details(action: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == action)))


def test_every_detail_of_a_working_day_reads_as_words(app, client, today):
    admin = make_user(Role.ADMIN, name="Alex Morgan")
    sam = make_user(Role.THERAPIST, name="Sam Patel")
    lee = make_user(Role.THERAPIST, name="Lee Chen")
    patient = make_user(name="Maria Alvarez", email="maria@example.com")
    treatment = make_treatment(patient, today - timedelta(days=20), therapist=sam)
    log = make_log(patient, today, back_pain=6, leg_weakness=True)
    db.session.add(
        Alert(
            patient_id=patient.id, daily_log_id=log.id, day=today, symptom="leg_weakness", urgency="emergency"
        )
    )
    db.session.commit()
    auth = Auth(client)

    auth.login(admin.email)
    post(
        client,
        f"/admin/treatments/{treatment.id}",
        evaluation_date=treatment.evaluation_date.isoformat(),
        injection_date=treatment.injection_date.isoformat(),
        condition="lumbar_facet",
        sites=["facet_joints", "si_joint"],
        baseline_pain="",
        therapist=str(lee.id),
    )
    post(
        client,
        f"/admin/accounts/{patient.id}",
        full_name="Maria Alvarez-Ruiz",
        email="maria@example.com",
        role="patient",
    )
    post(client, f"/admin/accounts/{patient.id}/setup-link", form_page=f"/admin/accounts/{patient.id}")
    client.get("/admin/audit.csv?actor=lee&action=plan_dose")
    auth.logout()

    auth.login(lee.email)
    client.get("/therapist/")
    record = f"/therapist/patients/{patient.id}"
    item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).first()
    post(
        client,
        f"/therapist/plan/{item.id}/dose",
        form_page=record,
        sets=str(item.sets or ""),
        reps=str(item.reps or ""),
        hold_seconds=str(item.hold_seconds or ""),
        minutes="25",
        times_per_day=str(item.times_per_day or ""),
        days_per_week="",
        cue=item.cue,
    )
    post(client, f"/therapist/plan/{item.id}/move", form_page=record, direction="down")
    post(
        client,
        f"/therapist/patients/{patient.id}/plan",
        form_page=record,
        exercise="bird_dog",
        phase="maintain",
    )
    alert = db.session.scalars(sa.select(Alert)).one()
    post(client, f"/therapist/alerts/{alert.id}/acknowledge", form_page=record, note="Called her")
    post(client, f"/therapist/plan/{item.id}/remove", form_page=record)
    auth.logout()

    assert details("treatment_update") == [
        (
            "Sites changed from Facet joints to Facet joints, SI joint; Baseline pain changed from 7 to not recorded; "
            "Therapist changed from Sam Patel to Lee Chen"
        )
    ]
    assert details("account_update") == ["Name changed from Maria Alvarez to Maria Alvarez-Ruiz"]
    [dose] = details("plan_dose")
    assert dose.endswith(": minutes changed from 20 to 25")
    assert "Walking in Weeks 3–6" in dose
    assert "sets" not in dose
    assert "cue" not in dose
    assert details("plan_add") == ["Added Bird-dog in Maintenance"]
    assert details("acknowledge_alert")[0].startswith(
        "“New or worse weakness in a leg or foot, or new numbness in one or both legs”, reported "
    )
    assert details("audit_export") == [
        "Filtered by person acting lee; action Plan: dose changed; patients shown: none"
    ]
    everything = list(db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.detail != "")))
    assert len(everything) >= 10
    for detail in everything:
        assert not MACHINE_WORDS.search(detail), detail


def test_refused_looks_at_a_patients_data_are_on_the_record(app, client, today):
    mine, theirs = make_user(Role.THERAPIST), make_user(Role.THERAPIST)
    patient = make_user(name="Maria Alvarez")
    make_treatment(patient, today, therapist=theirs)
    Auth(client).login(mine.email)
    assert client.get(f"/therapist/patients/{patient.id}").status_code == 404
    assert client.get("/therapist/patients/999999").status_code == 404
    assert client.get("/admin/").status_code == 403
    refused = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "access_refused").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.patient_id) for e in refused] == [
        (mine.id, patient.id),
        (mine.id, None),
        (mine.id, None),
    ]
    assert refused[0].detail == f"GET /therapist/patients/{patient.id} answered 404"
    assert refused[2].detail == "GET /admin/ answered 403"


def test_exercise_ticks_and_admin_reads_are_audited(app, client, today):
    patient = make_user()
    treatment = make_treatment(patient, today - timedelta(days=20))
    item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).first()
    auth = Auth(client)
    auth.login(patient.email)
    post(client, f"/exercises/{item.id}/done", form_page="/today", done="1")
    auth.logout()
    auth.login(make_user(Role.ADMIN).email)
    client.get(f"/admin/treatments/{treatment.id}")
    client.get("/admin/audit?action=exercise_tick")
    assert details("exercise_tick") == ["Walking in Weeks 3–6: restore function, time 1: done"]
    assert details("view_treatment")[0].startswith("Lumbar facet joint pain: evaluation")
    assert details("view_audit")[0].startswith(
        "Filtered by action Exercise ticked by the patient; patients shown: "
    )
