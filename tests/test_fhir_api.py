"""The FHIR API through the Flask test client: discovery, each scope, each refusal, searches and
their bad input, paging in SQL, the audit trail, the patient's FHIR download agreeing with the
API. Every resource returned is validated with fhir.resources (R4B)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.models import Alert, ApiToken, AuditEvent, ExerciseTick, Message, PlanItem, Role
from app.models.base import utcnow
from tests.conftest import QueryCounter
from tests.factories import make_answer, make_log, make_treatment, make_user
from tests.fhir_support import (
    BASE,
    app_token,
    bearer,
    entries,
    register_app,
    validate,
)


@pytest.fixture
def clinic(app, today):
    """Maria (Sam's patient, with a bit of everything), Omar (Lee's), and an admin."""
    admin = make_user(Role.ADMIN, name="Alex Admin", email="alex@example.com")
    sam = make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")
    lee = make_user(Role.THERAPIST, name="Lee Chen", email="lee@example.com")
    maria = make_user(Role.PATIENT, name="Maria Alvarez", email="maria@example.com")
    omar = make_user(Role.PATIENT, name="Omar Haddad", email="omar@example.com")
    treatment = make_treatment(maria, today - timedelta(days=45), sam, condition="lumbar_radiculopathy")
    make_treatment(omar, today - timedelta(days=10), lee)
    for offset in range(1, 6):
        make_log(maria, today - timedelta(days=offset), back_pain=offset, leg_pain=offset - 1)
    make_log(omar, today - timedelta(days=1), back_pain=8)
    make_answer(
        treatment, "peg", 6, [("pain", 7), ("enjoyment", 6), ("activity", 8)], today - timedelta(days=3)
    )
    make_answer(treatment, "psfs", 6, [("Sit through a movie", 5), ("Garden", 6)], today - timedelta(days=3))
    make_answer(treatment, "pgic", 6, [("change", 2)], today - timedelta(days=3))
    item = db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id)).first()
    db.session.add(ExerciseTick(plan_item_id=item.id, day=today - timedelta(days=1), session=1))
    db.session.add(Alert(patient_id=maria.id, day=today, symptom="fever", urgency="same_day"))
    db.session.add(Message(patient_id=maria.id, author_id=maria.id, body="My leg feels better."))
    db.session.add(Message(patient_id=maria.id, author_id=sam.id, body="Good to hear."))
    db.session.commit()
    return {"admin": admin, "sam": sam, "lee": lee, "maria": maria, "omar": omar, "treatment": treatment}


@pytest.fixture
def diary(clinic):
    return register_app(clinic["admin"])


@pytest.fixture
def maria_token(client, auth, clinic, diary):
    auth.login("maria@example.com")
    return app_token(client, diary)["access_token"]


def get(client, path, token=None, **params):
    return client.get(f"/fhir/{path}", query_string=params, headers=bearer(token) if token else {})


def outcome_of(response) -> str:
    body = response.get_json()
    assert body["resourceType"] == "OperationOutcome", body
    validate(body)
    return body["issue"][0]["diagnostics"]


# --- Discovery ---------------------------------------------------------------------------------


def test_metadata_is_a_truthful_capability_statement(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    statement = validate(response.get_json())
    rest = statement.rest[0]
    types = {r.type: r for r in rest.resource}
    assert set(types) == {
        "Patient", "Practitioner", "CarePlan", "Observation", "QuestionnaireResponse", "Flag",
        "Communication", "Questionnaire", "CodeSystem", "Group",
    }  # fmt: skip
    assert [i.code for i in types["Observation"].interaction] == ["read", "search-type"]
    observation_params = {p.name for p in types["Observation"].searchParam}
    assert {"patient", "code", "date", "_lastUpdated", "_count"} <= observation_params
    assert types["Observation"].searchInclude == ["Observation:patient", "Observation:subject"]
    oauth = rest.security.extension[0]
    assert {e.url: e.valueUri for e in oauth.extension}["token"] == "http://localhost/oauth/token"


def test_every_search_parameter_the_statement_names_is_accepted(client, maria_token):
    """The statement cannot claim a parameter the server refuses."""
    statement = client.get("/fhir/metadata").get_json()
    samples = {"date": "ge2020-01-01", "reference": "Patient/1", "token": "x", "string": "a", "number": "1"}
    for resource in statement["rest"][0]["resource"]:
        if resource["type"] in ("Questionnaire", "CodeSystem", "Group", "Practitioner"):
            continue
        for param in resource["searchParam"]:
            value = samples.get(param["type"], "x")
            response = get(client, resource["type"], maria_token, **{param["name"]: value})
            assert response.status_code == 200, (resource["type"], param["name"], response.get_json())


def test_smart_configuration_names_the_endpoints_and_pkce(client):
    for path in ("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"):
        config = client.get(path).get_json()
        assert config["token_endpoint"] == "http://localhost/oauth/token"
        assert config["code_challenge_methods_supported"] == ["S256"]
        assert "launch-standalone" in config["capabilities"]
        assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]


def test_the_code_system_resolves_and_holds_every_code_the_api_uses(client, maria_token):
    response = client.get("/fhir/CodeSystem/backtrack")
    code_system = validate(response.get_json())
    assert code_system.url == f"{BASE}/CodeSystem/backtrack"
    known = {concept.code for concept in code_system.concept}
    used = set()
    for kind in ("Observation", "CarePlan", "Flag", "QuestionnaireResponse"):
        bundle = get(client, kind, maria_token).get_json()
        text = str(bundle)
        used |= {
            coding["code"]
            for resource in entries(bundle)
            for coding in walk_codings(resource)
            if coding.get("system") == code_system.url
        }
        assert "urn:backtrack" not in text
    assert used
    assert used <= known


def walk_codings(value):
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield value
        for inner in value.values():
            yield from walk_codings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk_codings(inner)


def test_questionnaires_are_served_and_validate(client):
    for kind in ("peg", "psfs", "pgic"):
        questionnaire = validate(client.get(f"/fhir/Questionnaire/{kind}").get_json())
        assert questionnaire.url == f"{BASE}/Questionnaire/{kind}"
    peg = client.get("/fhir/Questionnaire/peg").get_json()
    assert peg["code"][0]["code"] == "91148-7"
    assert [i["code"][0]["code"] for i in peg["item"]] == ["75893-8", "91145-3", "91146-1"]
    assert client.get("/fhir/Questionnaire/oswestry").status_code == 404
    bundle = client.get("/fhir/Questionnaire", query_string={"url": f"{BASE}/Questionnaire/pgic"}).get_json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == ["pgic"]


# --- A patient's own app -------------------------------------------------------------------------


def test_a_patients_token_reads_their_own_record_and_every_resource_validates(client, clinic, maria_token):
    maria = clinic["maria"]
    patient = get(client, f"Patient/{maria.id}", maria_token)
    assert patient.status_code == 200
    assert validate(patient.get_json()).name[0].text == "Maria Alvarez"
    counts = {}
    for kind in ("Observation", "CarePlan", "QuestionnaireResponse", "Flag", "Communication", "Practitioner"):
        bundle = get(client, kind, maria_token, _count="200").get_json()
        validate(bundle)
        found = entries(bundle)
        counts[kind] = len(found)
        for resource in found:
            validate(resource)
            if kind != "Practitioner":
                assert resource["subject"]["reference"] == f"Patient/{maria.id}"
    # 5 back pain + 5 leg pain + PEG + PSFS + PGIC + one exercise day
    assert counts == {
        "Observation": 14, "CarePlan": 1, "QuestionnaireResponse": 3, "Flag": 1, "Communication": 2,
        "Practitioner": 3,
    }  # fmt: skip


def test_observations_carry_loinc_codes_and_us_core_profiles(client, clinic, maria_token):
    bundle = get(client, "Observation", maria_token, code="http://loinc.org|72514-3", _count="50").get_json()
    pain = entries(bundle)
    assert len(pain) == 10
    assert all(o["code"]["coding"][0]["code"] == "72514-3" for o in pain)
    assert all(
        o["meta"]["profile"]
        == ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment"]
        for o in pain
    )
    peg = entries(get(client, "Observation", maria_token, code="http://loinc.org|91147-9").get_json())
    assert [(c["code"]["coding"][0]["code"], c["valueInteger"]) for c in peg[0]["component"]] == [
        ("75893-8", 7), ("91145-3", 6), ("91146-1", 8),
    ]  # fmt: skip
    assert peg[0]["valueQuantity"]["value"] == 7.0
    exercise = entries(get(client, "Observation", maria_token, category="activity").get_json())
    assert len(exercise) == 1
    assert exercise[0]["valueInteger"] == 1


def test_the_care_plan_holds_the_phases_and_the_exercise_plan(client, clinic, maria_token):
    plan = entries(get(client, "CarePlan", maria_token).get_json())[0]
    validate(plan)
    codes = [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]]
    assert codes[:6] == [
        "phase-evaluation", "phase-injection", "phase-protect", "phase-restore", "phase-strengthen", "phase-maintain",
    ]  # fmt: skip
    statuses = {a["detail"]["code"]["coding"][0]["code"]: a["detail"]["status"] for a in plan["activity"][:6]}
    assert statuses["phase-restore"] == "completed"
    assert statuses["phase-strengthen"] == "in-progress"
    assert any(code.startswith("exercise-") for code in codes[6:])
    assert plan["author"]["reference"] == f"Practitioner/{clinic['sam'].id}"


def test_another_patients_resources_answer_404_and_are_never_listed(client, clinic, maria_token):
    omar = clinic["omar"]
    assert get(client, f"Patient/{omar.id}", maria_token).status_code == 404
    omar_log = get(client, "Observation", maria_token, patient=str(omar.id)).get_json()
    assert omar_log["total"] == 0
    from app.models import DailyLog

    log_id = db.session.scalar(sa.select(DailyLog.id).where(DailyLog.patient_id == omar.id))
    response = get(client, f"Observation/back-pain-{log_id}", maria_token)
    assert response.status_code == 404
    assert "not here" in outcome_of(response)
    refused = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "fhir_refused")).all()
    assert len(refused) == 2


def test_no_token_reads_nothing(client, clinic):
    for path in ("Patient", f"Patient/{clinic['maria'].id}", "Observation", "Group/clinic"):
        response = get(client, path)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "access token" in outcome_of(response)
    assert get(client, "Patient", "not-a-real-token").status_code == 401


def test_a_signed_in_browser_session_is_not_a_token(client, auth, clinic):
    auth.login("maria@example.com")
    assert get(client, "Patient").status_code == 401


def test_a_finer_scope_reads_only_its_resource_type(client, auth, clinic, diary):
    auth.login("maria@example.com")
    token = app_token(client, diary, "launch/patient patient/Observation.rs")["access_token"]
    assert get(client, "Observation", token).status_code == 200
    response = get(client, "Patient", token)
    assert response.status_code == 403
    assert "scopes do not allow" in outcome_of(response)
    assert get(client, f"Patient/{clinic['maria'].id}", token).status_code == 403


def test_a_read_only_scope_cannot_search(client, auth, clinic, diary):
    diary.scopes = "launch/patient patient/*.r patient/*.rs"
    db.session.commit()
    auth.login("maria@example.com")
    token = app_token(client, diary, "launch/patient patient/Observation.r")["access_token"]
    assert get(client, "Observation", token).status_code == 403


def test_the_token_response_carries_the_patient_context(client, auth, clinic, diary):
    auth.login("maria@example.com")
    body = app_token(client, diary, "launch/patient offline_access patient/*.rs openid")
    assert body["patient"] == str(clinic["maria"].id)
    assert body["scope"] == "launch/patient offline_access patient/*.rs"  # openid: not registered
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["refresh_token"]


def test_an_expired_token_is_refused(client, clinic, maria_token):
    db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = get(client, "Patient", maria_token)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


# --- Staff apps ----------------------------------------------------------------------------------


def test_a_therapists_token_reads_only_their_patients(client, auth, clinic, diary):
    auth.login("sam@example.com")
    body = app_token(client, diary, "launch/patient user/*.rs patient/*.rs")
    assert body["scope"] == "user/*.rs"
    assert "patient" not in body
    token = body["access_token"]
    patients = entries(get(client, "Patient", token).get_json())
    assert [p["id"] for p in patients] == [str(clinic["maria"].id)]
    assert get(client, f"Patient/{clinic['omar'].id}", token).status_code == 404
    assert get(client, "Observation", token, patient=str(clinic["omar"].id)).get_json()["total"] == 0
    # The same rule as the staff pages: Sam sees Maria's record there, not Omar's.
    assert client.get(f"/therapist/patients/{clinic['maria'].id}").status_code == 200
    assert client.get(f"/therapist/patients/{clinic['omar'].id}").status_code == 404


def test_a_handed_over_patient_follows_the_current_treatment(client, auth, clinic, diary):
    auth.login("sam@example.com")
    token = app_token(client, diary, "user/*.rs")["access_token"]
    clinic["treatment"].therapist_id = clinic["lee"].id
    db.session.commit()
    assert entries(get(client, "Patient", token).get_json()) == []


def test_an_admins_token_reads_every_patient(client, auth, clinic, diary):
    auth.login("alex@example.com")
    token = app_token(client, diary, "user/*.rs")["access_token"]
    patients = entries(get(client, "Patient", token).get_json())
    assert {p["id"] for p in patients} == {str(clinic["maria"].id), str(clinic["omar"].id)}


# --- Searches ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [("ge{d3}", 3), ("le{d3}", 3), ("gt{d3}", 2), ("lt{d3}", 2), ("eq{d3}", 1), ("{d3}", 1), ("ne{d3}", 4)],
)
def test_date_prefixes_on_observations(client, today, maria_token, date, expected):
    d3 = (today - timedelta(days=3)).isoformat()
    bundle = get(client, "Observation", maria_token, code="back-pain", date=date.format(d3=d3)).get_json()
    assert bundle["total"] == expected


def test_a_date_range_and_last_updated(client, today, maria_token):
    start, end = (today - timedelta(days=4)).isoformat(), (today - timedelta(days=2)).isoformat()
    query = [("code", "back-pain"), ("date", f"ge{start}"), ("date", f"le{end}")]
    assert (
        client.get("/fhir/Observation", query_string=query, headers=bearer(maria_token)).get_json()["total"]
        == 3
    )
    since = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert get(client, "Observation", maria_token, _lastUpdated=f"ge{since}").get_json()["total"] == 14
    assert get(client, "Observation", maria_token, _lastUpdated="lt2000-01-01").get_json()["total"] == 0


def test_paging_follows_next_links_through_every_result(client, maria_token):
    seen, url, pages = [], "/fhir/Observation?_count=4", 0
    while url:
        bundle = client.get(url.replace("http://localhost", ""), headers=bearer(maria_token)).get_json()
        seen += [e["resource"]["id"] for e in bundle["entry"]]
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        assert links["self"].startswith(f"{BASE}/Observation?")
        url, pages = links.get("next"), pages + 1
    assert len(seen) == 14 == len(set(seen))
    assert pages == 4


def test_include_adds_the_patient(client, clinic, maria_token):
    bundle = get(client, "Observation", maria_token, _include="Observation:patient", _count="3").get_json()
    assert [r["id"] for r in entries(bundle, "include")] == [str(clinic["maria"].id)]
    bundle = get(client, "CarePlan", maria_token, _include="CarePlan:subject").get_json()
    assert len(entries(bundle, "include")) == 1
    response = get(client, "Observation", maria_token, _include="Observation:performer")
    assert response.status_code == 400
    assert "not supported" in outcome_of(response)


def test_a_huge_count_is_cut_and_said_so(client, maria_token):
    bundle = get(client, "Observation", maria_token, _count="100000").get_json()
    validate(bundle)
    warning = entries(bundle, "outcome")[0]
    assert "at most 200" in warning["issue"][0]["diagnostics"]
    assert {link["relation"]: link["url"] for link in bundle["link"]}["self"].endswith("_count=200")


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"_count": "abc"}, "whole number"),
        ({"_count": "-1"}, "whole number"),
        ({"_offset": "99999999999"}, "at most"),
        ({"colour": "blue"}, "no search parameter"),
        ({"_sort": "date"}, "no search parameter"),
        ({"date": "2026-13-45"}, "not a real date"),
        ({"date": "yesterday"}, "not a FHIR date"),
        ({"date": "sa2026-01-01"}, "not supported"),
        ({"date": "ge9999-12-31"}, "out of range"),
        ({"_lastUpdated": "2026-01-01T25:00:00Z"}, "not a real date"),
        ({"code:text": "pain"}, "not supported"),
        ({"_format": "xml"}, "Only JSON"),
        ({"date": ""}, "needs a value"),
    ],
)
def test_bad_search_input_is_a_clear_operation_outcome(client, maria_token, params, words):
    response = get(client, "Observation", maria_token, **params)
    assert response.status_code == 400
    assert words in outcome_of(response)


@pytest.mark.parametrize(
    "body",
    [
        {"json": {"resourceType": "Patient"}},
        {"data": {"name": "x"}},
        {"data": " \n\t ", "content_type": "application/fhir+json"},
        {"data": "file", "content_type": "multipart/form-data"},
    ],
)
def test_bodies_sent_to_the_read_only_api_never_answer_500(client, maria_token, body):
    for path in ("/fhir/Patient", "/fhir/Observation/back-pain-1", "/fhir/metadata"):
        sent = body
        if body.get("data") == "file":
            sent = {"data": {"file": (io.BytesIO(b"GIF89a"), "x.gif")}, "content_type": "multipart/form-data"}
        response = client.post(path, headers=bearer(maria_token), **sent)
        assert 400 <= response.status_code < 500, (path, response.status_code)
    response = client.get(
        "/fhir/Patient", headers=bearer(maria_token), data="{}", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "Patient/abc",
        f"Patient/{2**40}",
        "Observation/nonsense",
        "Observation/exercise-1-2026-02-30",
        "Nope",
        "Nope/1",
    ],
)
def test_odd_ids_and_types_are_not_found(client, maria_token, path):
    response = get(client, path, maria_token)
    assert response.status_code == 404
    assert outcome_of(response)


def test_statements_per_search_do_not_grow_with_the_data(client, clinic, maria_token, today):
    def statements() -> int:
        with QueryCounter() as counter:
            assert (
                get(
                    client, "Observation", maria_token, _count="200", _include="Observation:patient"
                ).status_code
                == 200
            )
        return counter.count

    statements()  # the first call also reads the clinic's settings, which the process then keeps
    few = statements()
    treatment = clinic["treatment"]
    items = db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id)).all()
    for offset in range(6, 40):
        make_log(clinic["maria"], today - timedelta(days=offset), back_pain=4, leg_pain=3)
        db.session.add(
            ExerciseTick(plan_item_id=items[offset % len(items)].id, day=today - timedelta(days=offset))
        )
    make_answer(
        treatment, "peg", 5, [("pain", 5), ("enjoyment", 5), ("activity", 5)], today - timedelta(days=9)
    )
    db.session.commit()
    assert get(client, "Observation", maria_token, _count="1").get_json()["total"] > 80
    assert statements() == few


# --- The audit trail -----------------------------------------------------------------------------


def test_every_read_is_audited_with_the_client_and_the_patients(client, clinic, diary, maria_token):
    get(client, "Observation", maria_token, _count="2")
    get(client, f"Patient/{clinic['maria'].id}", maria_token)
    rows = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action.in_(("fhir_search", "fhir_read")))
        .order_by(AuditEvent.id)
    ).all()
    assert [(r.action, r.patient_id, r.actor_id) for r in rows] == [
        ("fhir_search", clinic["maria"].id, clinic["maria"].id),
        ("fhir_read", clinic["maria"].id, clinic["maria"].id),
    ]
    assert diary.client_id in rows[0].detail
    assert f"patients {clinic['maria'].id}" in rows[0].detail


# --- Rate limits ---------------------------------------------------------------------------------


def test_a_client_over_its_rate_limit_gets_429_with_retry_after(client, auth, clinic):
    small = register_app(clinic["admin"], name="Chatty app", rpm=3)
    auth.login("maria@example.com")
    token = app_token(client, small)["access_token"]
    next_minute = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(next_minute, tick=True):  # all five calls in one window, however slow
        answers = [get(client, "Patient", token).status_code for _ in range(4)]
        response = get(client, "Patient", token)
    assert answers == [200, 200, 200, 429]
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    assert "3 a minute" in outcome_of(response)


# --- The patient's download and the API agree ------------------------------------------------------


def test_the_fhir_download_and_the_api_agree(client, clinic, maria_token):
    download = client.get("/records/my-data.fhir.json").get_json()
    downloaded = {
        (e["resource"]["resourceType"], e["resource"]["id"]): e["resource"] for e in download["entry"]
    }
    for kind in ("Observation", "CarePlan", "QuestionnaireResponse", "Flag"):
        for resource in entries(get(client, kind, maria_token, _count="200").get_json()):
            assert downloaded[(kind, resource["id"])] == resource
    patient = get(client, f"Patient/{clinic['maria'].id}", maria_token).get_json()
    assert downloaded[("Patient", patient["id"])] == patient
    assert {e["fullUrl"] for e in download["entry"]} >= {f"{BASE}/Patient/{patient['id']}"}
