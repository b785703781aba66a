"""Bulk Data `Group/clinic/$export` for a backend system: kick-off, polling (202 with X-Progress,
then the manifest), NDJSON files that need the token and validate line by line, `_type`,
`_since`, cancelling, and the refusals."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, ExportJob, Role
from app.models.base import utcnow
from app.services.api import bulk
from tests.factories import make_log, make_treatment, make_user
from tests.fhir_support import (
    app_token,
    backend_token,
    bearer,
    new_key,
    register_app,
    register_backend,
    validate,
)

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def clinic(app, today):
    admin = make_user(Role.ADMIN, email="alex@example.com")
    sam = make_user(Role.THERAPIST, name="Sam Patel")
    for n in range(3):
        patient = make_user(Role.PATIENT, name=f"Patient {n}")
        make_treatment(patient, today - timedelta(days=20), sam)
        for offset in range(1, 4):
            make_log(patient, today - timedelta(days=offset), back_pain=n + offset)
    return admin


@pytest.fixture
def system_token(client, clinic):
    key = new_key()
    backend = register_backend(clinic, key)
    return backend_token(client, backend, key).get_json()["access_token"]


def kick_off(client, token, **params):
    return client.get("/fhir/Group/clinic/$export", query_string=params, headers={**bearer(token), **ASYNC})


def status_path(response) -> str:
    assert response.status_code == 202, response.get_json()
    return response.headers["Content-Location"].replace("http://localhost", "")


def poll_to_manifest(client, token, path: str) -> tuple[dict, list[str]]:
    progress = []
    for _ in range(20):
        response = client.get(path, headers=bearer(token))
        if response.status_code == 200:
            return response.get_json(), progress
        assert response.status_code == 202
        progress.append(response.headers["X-Progress"])
    raise AssertionError("the export never finished")


def ndjson(client, token, url: str) -> list[dict]:
    response = client.get(url.replace("http://localhost", ""), headers=bearer(token))
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+ndjson"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_a_whole_clinic_export_is_polled_to_a_manifest_of_valid_ndjson(client, system_token):
    path = status_path(kick_off(client, system_token))
    manifest, progress = poll_to_manifest(client, system_token, path)
    assert progress[0] == "1 of 7 resource types written"
    assert len(progress) == 6
    assert manifest["requiresAccessToken"] is True
    assert manifest["error"] == []
    counts = {}
    for output in manifest["output"]:
        lines = ndjson(client, system_token, output["url"])
        assert len(lines) == output["count"]
        for resource in lines:
            assert resource["resourceType"] == output["type"]
            validate(resource)
        counts[output["type"]] = len(lines)
    assert counts["Patient"] == 3
    assert counts["Observation"] == 9
    assert counts["CarePlan"] == 3
    assert counts["Practitioner"] == 2  # Sam and the admin
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert {"bulk_export_start", "bulk_export_step", "bulk_export_download"} <= set(actions)


def test_type_and_since_narrow_the_export(client, system_token):
    since = (utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest, _ = poll_to_manifest(
        client,
        system_token,
        status_path(kick_off(client, system_token, _type="Observation,Patient", _since=since)),
    )
    assert [o["type"] for o in manifest["output"]] == ["Patient", "Observation"]
    future = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest, _ = poll_to_manifest(
        client, system_token, status_path(kick_off(client, system_token, _type="Observation", _since=future))
    )
    assert manifest["output"] == []


def test_files_need_the_token_of_the_client_that_asked(client, clinic, system_token):
    manifest, _ = poll_to_manifest(
        client, system_token, status_path(kick_off(client, system_token, _type="Patient"))
    )
    url = manifest["output"][0]["url"].replace("http://localhost", "")
    assert client.get(url).status_code == 401
    key = new_key()
    other = register_backend(clinic, key)
    stranger = backend_token(client, other, key).get_json()["access_token"]
    assert client.get(url, headers=bearer(stranger)).status_code == 404


def test_delete_cancels_an_export(client, system_token):
    path = status_path(kick_off(client, system_token))
    assert client.delete(path, headers=bearer(system_token)).status_code == 202
    assert client.get(path, headers=bearer(system_token)).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ExportJob.id))) == 0


def test_a_job_leased_by_another_host_is_not_advanced_until_the_lease_ends(client, system_token):
    path = status_path(kick_off(client, system_token, _type="Patient"))
    job = db.session.scalar(sa.select(ExportJob))
    job.lease_until = utcnow() + timedelta(minutes=1)
    job.status = "running"
    db.session.commit()
    response = client.get(path, headers=bearer(system_token))
    assert response.status_code == 202
    assert response.headers["X-Progress"] == "0 of 1 resource types written"
    job.lease_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(path, headers=bearer(system_token)).status_code == 200


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({}, {}, 400),  # no Prefer: respond-async
        ({"_type": "Nope"}, ASYNC, 400),
        ({"_since": "yesterday"}, ASYNC, 400),
        ({"_since": "2026-01-01"}, ASYNC, 400),  # not an instant
        ({"_elements": "id"}, ASYNC, 400),
        ({"_outputFormat": "text/csv"}, ASYNC, 400),
    ],
)
def test_bad_kick_offs_are_refused_plainly(client, system_token, params, headers, status):
    response = client.get(
        "/fhir/Group/clinic/$export", query_string=params, headers={**bearer(system_token), **headers}
    )
    assert response.status_code == status
    assert response.get_json()["resourceType"] == "OperationOutcome"


def test_only_backend_systems_export(client, auth, clinic):
    assert client.get("/fhir/Group/clinic/$export", headers=ASYNC).status_code == 401
    diary = register_app(clinic)
    patient = make_user(Role.PATIENT, email="maria@example.com")
    auth.login(patient.email)
    token = app_token(client, diary)["access_token"]
    assert kick_off(client, token).status_code == 403
    assert client.get("/fhir/Group/clinic", headers=bearer(token)).status_code == 403


def test_the_group_is_every_patient(client, system_token):
    group = client.get("/fhir/Group/clinic", headers=bearer(system_token)).get_json()
    assert validate(group).quantity == 3
    assert client.get("/fhir/Group/other", headers=bearer(system_token)).status_code == 404


def test_a_client_runs_at_most_three_exports_at_once(client, system_token):
    for _ in range(bulk.MAX_ACTIVE_PER_CLIENT):
        assert kick_off(client, system_token).status_code == 202
    response = kick_off(client, system_token)
    assert response.status_code == 429
    assert response.headers["Retry-After"]
