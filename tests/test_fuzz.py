"""No input ever answers 5xx (docs/security.md#input; OWASP ASVS 5.0 V1/V2): property-based tests
throw hundreds of generated values (unicode, NUL and other control characters, huge and negative
numbers, empty, wrong types, impossible dates) at every route's URL parts, query parameters and
form fields, as a signed-in person of the role each route serves, on SQLite and PostgreSQL.
CSRF stays on: posts carry a real token, so they reach the views."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.forms import Form
from app.models import Alert, PlanItem, Role
from tests.conftest import Auth
from tests.factories import make_log, make_user, patient_on_day
from tests.names_asked import asked_since, noting_names

# Generated requests per route and test, on each database: 50 keeps the whole suite's two runs
# inside CI's time (this file was a third of it at 120); the classic bad values below are swept
# in full regardless. FUZZ_EXAMPLES=1000 searches deeper before a release.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
WORDS = ["", "0", "1", "-1", "10", "11", "abc", "2026-13-45", "9999-12-31", "0001-01-01", "y", "n", "%"]
QUERY_NAMES = [
    "page", "notes_page", "q", "role", "status", "sort", "order", "phase", "attention", "actor", "patient",
    "action", "date_from", "date_to", "month", "next", "kind", "week",
]  # fmt: skip


def form_field_names() -> list[str]:
    """Every field name any form declares (and the numbered ones the PSFS form builds)."""
    names = {"csrf_token", "rating_0", "name_0", "new_rating_0", "session", "done", "direction"}
    pending = list(Form.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        names.update(name for name in dir(form) if hasattr(getattr(form, name, None), "field_class"))
    return sorted(names)


FIELDS = form_field_names()
# The values that break things most often, drawn as often as everything else together.
EXTREMES = [
    "\x00",
    "abc\x00def",
    "\x1b[31m",
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "1e309",
    "NaN",
    "x" * 5000,
    "é漢字🙂\u202e",
]
texts = st.one_of(
    st.sampled_from(EXTREMES),
    st.text(max_size=60),  # any unicode, NUL and control characters included
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=8),  # only control characters
    st.sampled_from(WORDS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
ids = st.one_of(st.integers(min_value=0, max_value=2**70), st.sampled_from([1, 2, 3, 4, 5, 2**31, 2**63]))


plain = st.one_of(
    st.sampled_from(WORDS), st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
)


def some_of(names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """One parameter with a hostile value, beside others with ordinary ones: a refusal caused by
    one bad value must not hide what another would have done."""
    return st.builds(
        lambda others, name, value: {**others, name: value},
        st.dictionaries(st.sampled_from(names), plain, max_size=4),
        st.sampled_from(names),
        texts,
    )


values = some_of(QUERY_NAMES)
form_values = some_of(FIELDS)


def fill(rule, drawn_id: int, text: str) -> str:
    """The rule's path with a drawn id in each int part and drawn text in the others."""
    path = rule.rule
    for converter in rule._converters.values():  # in the order the parts stand in the rule
        is_int = type(converter).__name__ in ("IntegerConverter", "DatabaseIdConverter")
        part = (
            str(drawn_id) if is_int else (text.replace("/", "_").replace("?", "_").replace("#", "_") or "x")
        )
        start = path.index("<")
        path = path[:start] + part + path[path.index(">", start) + 1 :]
    return path


ROLE_OF_BLUEPRINT = {"patient": Role.PATIENT, "therapist": Role.THERAPIST, "admin": Role.ADMIN}


def routes(app) -> list[tuple[str, str, Role]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        blueprint = rule.endpoint.split(".")[0]
        role = ROLE_OF_BLUEPRINT.get(blueprint, Role.PATIENT)
        if rule.endpoint == "messages.patient_thread":
            role = Role.THERAPIST
        found.extend(
            (rule.endpoint, method, role) for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        )
    return sorted(found)


def all_routes() -> list[tuple[str, str, Role]]:
    from app import create_app
    from tests.conftest import config_for_tests

    return routes(create_app(config_for_tests("sqlite://")))


ROUTES = all_routes()


@pytest.fixture
def clinic(today):
    """A clinic with something behind each kind of id: patient, treatment, plan item, alert."""
    therapist = make_user(Role.THERAPIST, email="sam@example.com")
    make_user(Role.ADMIN, email="alex@example.com")
    patient, treatment = patient_on_day(20, today, email="maria@example.com")
    treatment.therapist_id = therapist.id
    make_log(patient, today - timedelta(days=1), leg_weakness=True)
    db.session.add(Alert(patient_id=patient.id, day=today, symptom="leg_weakness", urgency="emergency"))
    db.session.commit()
    ids = {
        "patient": patient.id,
        "treatment": treatment.id,
        "item": db.session.scalars(sa.select(PlanItem.id).limit(1)).one(),
        "alert": db.session.scalars(sa.select(Alert.id)).one(),
    }
    return ids


EMAILS = {
    Role.PATIENT: "maria@example.com",
    Role.THERAPIST: "sam@example.com",
    Role.ADMIN: "alex@example.com",
}


@pytest.mark.parametrize(("endpoint", "method", "role"), ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_no_generated_input_answers_5xx(app, client, clinic, endpoint, method, role):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    auth = Auth(client)
    auth.login(EMAILS[role])
    state = {"token": client.get("/session/csrf").get_json()["csrf_token"]}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        drawn_id=st.one_of(ids, st.sampled_from(list(clinic.values()))),
        text=texts,
        query=values,
        form=form_values,
    )
    def never_5xx(drawn_id: int, text: str, query: dict[str, str], form: dict[str, str]) -> None:
        path = fill(rule, drawn_id, text)
        if method == "GET":
            response = client.get(path, query_string=query)
        else:
            if not state["token"]:
                auth.login(EMAILS[role])
                state["token"] = client.get("/session/csrf").get_json()["csrf_token"]
            data = {**form, "csrf_token": state["token"]}
            response = client.post(path, query_string=query, data=data)
            if "/sign-in" in response.headers.get("Location", ""):  # the route signed us out
                state["token"] = ""
        assert response.status_code < 500, (method, path, query, form, response.status_code)
        db.session.rollback()

    never_5xx()


SWEEP = ["abc\x00def", str(2**63)]
ID_FOR = {"patient_id": "patient", "user_id": "patient", "treatment_id": "treatment", "item_id": "item",
          "alert_id": "alert"}  # fmt: skip


@pytest.mark.parametrize(("endpoint", "method", "role"), ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_each_parameter_with_each_classic_bad_value_never_answers_5xx(
    app, client, clinic, endpoint, method, role
):
    """The same property, swept without chance: every query parameter and form field name the
    route asks for (tests/names_asked.py), one at a time, with a NUL byte and a number past 64
    bits, on a path to a real record."""
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    auth = Auth(client)
    auth.login(EMAILS[role])
    record = next((clinic[ID_FOR[name]] for name in rule.arguments if name in ID_FOR), clinic["patient"])
    path = fill(rule, record, "2026-01-01")
    token = client.get("/session/csrf").get_json()["csrf_token"]
    known, sent_in = (QUERY_NAMES, "args") if method == "GET" else (FIELDS, "form")

    def send(fields: dict[str, str]):
        nonlocal token
        if method == "GET":
            response = client.get(path, query_string=fields)
        else:
            response = client.post(path, data={"csrf_token": token, **fields})
            if "/sign-in" in response.headers.get("Location", ""):  # this route signed us out
                auth.login(EMAILS[role])
                token = client.get("/session/csrf").get_json()["csrf_token"]
        assert response.status_code < 500, (method, path, fields, response.status_code)
        db.session.rollback()

    with noting_names(app):
        send({})
        to_try, tried = asked_since(known, sent_in), set()
        if method == "POST":  # the names are noted: CSRF protection asks for its token, the rest their fields
            assert to_try
        while to_try:
            name = to_try.pop()
            tried.add(name)
            for value in SWEEP:
                send({name: value})
                to_try += [
                    asked
                    for asked in asked_since(known, sent_in)
                    if asked not in tried and asked not in to_try
                ]


def test_the_sweep_tries_the_names_a_route_asks_for(app, client, clinic, today):
    """The sweep's list of names comes from the requests themselves: a form's fields and the
    token, not every field of every form; every query name where the guard walks the query."""
    auth = Auth(client)
    auth.login(EMAILS[Role.PATIENT])
    token = client.get("/session/csrf").get_json()["csrf_token"]
    with noting_names(app):
        client.post(f"/log/{today}", data={"csrf_token": token})
        asked = asked_since(FIELDS, "form")
        assert {"csrf_token", "back_pain", "leg_pain", "note", "medication"} <= set(asked)
        assert "after_hours_phone" in FIELDS
        assert "after_hours_phone" not in asked
        assert len(asked) < len(FIELDS) / 2
        client.get("/today")
        assert asked_since(QUERY_NAMES, "args") == sorted(QUERY_NAMES)
