"""No body answers 5xx (docs/security.md#input), swept and then generated (hypothesis: JSON of any
shape, multipart and whitespace-only forms): every route, by every method it takes, signed out
and signed in as the role it serves, is sent every kind of odd body: JSON where a form is expected
(objects with numbers, lists, nulls and objects for each field, a bare string, a list, invalid
JSON, JSON nested 20,000 deep), multipart with a file, every field blank, whitespace, a tab or a
line break, text/plain, XML, bytes with no content type, and a body past MAX_CONTENT_LENGTH. CSRF
stays on: a signed-in sweep carries a real token in the header, so the bodies reach the views.

Each route takes only the bodies it means to (app/web/bodies.py): a form route answers a JSON or
XML body 415, a JSON route a form 415, too deep JSON 400, too big a body 413."""

from __future__ import annotations

import io
from itertools import cycle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Role
from tests import test_fuzz
from tests.conftest import Auth, csrf_token
from tests.test_fuzz import EMAILS, EXAMPLES, FIELDS, ID_FOR, ROUTES, fill

clinic = test_fuzz.clinic  # the fuzz tests' clinic (a fixture): something behind every kind of id

ODD_VALUES = [1, [], {}, None, True, ["a", "b"], {"a": 1}, 1.5, " ", -(2**70), "\x00"]
JSON = "application/json"
JSON_ROUTES = {  # the routes whose bodies are JSON (the browser's fetch in passkeys.js and push.js)
    "auth.register_options",
    "auth.register",
    "auth.sign_in_options",
    "auth.sign_in",
    "auth.add_push_subscription",
    "auth.remove_push_subscription",
}
POSTS = [(endpoint, method, role) for endpoint, method, role in ROUTES if method != "GET"]


def bodies() -> list[tuple[str, dict]]:
    """(name, test-client arguments) for each odd body."""
    values = cycle(ODD_VALUES)
    return [
        ("json fields", {"json": {name: next(values) for name in FIELDS}}),
        ("json string", {"data": '"text"', "content_type": JSON}),
        ("json list", {"data": "[1, 2, 3]", "content_type": JSON}),
        ("json null", {"data": "null", "content_type": JSON}),
        ("json invalid", {"data": '{"email": ', "content_type": JSON}),
        ("json deep", {"data": "[" * 20_000 + "]" * 20_000, "content_type": JSON}),
        ("json deep object", {"data": '{"a":' * 10_000 + "1" + "}" * 10_000, "content_type": JSON}),
        ("multipart", {"data": {**dict.fromkeys(FIELDS, " "), "file": (io.BytesIO(b"x" * 100), "x.txt")}}),
        ("blank", {"data": dict.fromkeys(FIELDS, "")}),
        ("whitespace", {"data": dict.fromkeys(FIELDS, "   ")}),
        ("tab", {"data": dict.fromkeys(FIELDS, "\t")}),
        ("line break", {"data": dict.fromkeys(FIELDS, "a\r\nb")}),
        ("repeated", {"data": {name: ["1", "2"] for name in FIELDS}}),
        ("text/plain", {"data": "email=a&password=b", "content_type": "text/plain"}),
        ("xml", {"data": "<email>a</email>", "content_type": "application/xml"}),
        ("no content type", {"data": b"\x00\xff" * 50}),
        ("huge form", {"data": {"note": "x" * 70_000}}),
        ("huge json", {"data": '{"a": "' + "x" * 70_000 + '"}', "content_type": JSON}),
    ]


def signed_in_token(client, role: Role | None) -> str:
    if role is None:
        return csrf_token(client.get("/sign-in"))
    Auth(client).login(EMAILS[role])
    return client.get("/session/csrf").get_json()["csrf_token"]


def send(client, method: str, path: str, token: str, body: dict):
    extra = dict(body)
    if "data" in extra and isinstance(extra["data"], dict):
        extra["data"] = {**extra["data"], "csrf_token": token}
    response = client.open(path, method=method, headers={"X-CSRFToken": token}, **extra)
    response.get_data()  # a streamed download runs to its end
    response.close()
    return response


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed in", "signed out"])
@pytest.mark.parametrize(("endpoint", "method", "role"), ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_no_body_answers_5xx(app, client, clinic, endpoint, method, role, signed_in):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    record = next((clinic[ID_FOR[name]] for name in rule.arguments if name in ID_FOR), clinic["patient"])
    path = fill(rule, record, "2026-01-01")
    wrong = []
    token = signed_in_token(client, role if signed_in else None)
    for name, body in bodies():  # a new file object each time
        response = send(client, method, path, token, body)
        if response.status_code >= 500:
            wrong.append((name, response.status_code))
        if signed_in and client.get("/session/csrf").status_code == 401:  # the route signed us out
            token = signed_in_token(client, role)
    assert not wrong, f"{method} {path}: {wrong}"


@pytest.mark.parametrize(("endpoint", "method", "role"), POSTS, ids=[f"{m} {e}" for e, m, _ in POSTS])
def test_each_route_takes_only_the_bodies_it_means_to(app, client, clinic, endpoint, method, role):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    record = next((clinic[ID_FOR[name]] for name in rule.arguments if name in ID_FOR), clinic["patient"])
    path = fill(rule, record, "2026-01-01")
    token = signed_in_token(client, role)
    takes_json = endpoint in JSON_ROUTES
    expected = {
        "xml": 415,
        "text/plain": 415,
        "no content type": 415,
        "json fields": None if takes_json else 415,
        "json deep": 400 if takes_json else 415,
        "json deep object": 400 if takes_json else 415,
        "multipart": 415 if takes_json else None,
        "whitespace": 415 if takes_json else None,
        "huge form": 413,
        "huge json": 413,
    }
    found = {}
    for name, body in bodies():
        if expected.get(name) is not None:
            found[name] = send(client, method, path, token, body).status_code
            if client.get("/session/csrf").status_code == 401:
                token = signed_in_token(client, role)
    assert found == {name: status for name, status in expected.items() if status is not None}


# --- The same, by chance: generated JSON, multipart and whitespace-only bodies ----------------------

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["", " ", "\t"]),
)
json_values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=24,
)
whitespace = st.text(alphabet=" \t\r\n\u00a0\u2028\u3000", max_size=6)
form_bodies = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(whitespace, st.text(max_size=12)), max_size=8
)
generated_bodies = st.one_of(
    json_values.map(lambda value: ("json", {"json": value})),
    form_bodies.map(lambda fields: ("whitespace form", {"data": fields})),
    form_bodies.map(lambda fields: ("multipart", {"data": {**fields, "file": (io.BytesIO(b"x"), "x.bin")}})),
)


@pytest.mark.parametrize(("endpoint", "method", "role"), POSTS, ids=[f"{m} {e}" for e, m, _ in POSTS])
def test_no_generated_body_answers_5xx(app, client, clinic, endpoint, method, role):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    record = next((clinic[ID_FOR[name]] for name in rule.arguments if name in ID_FOR), clinic["patient"])
    path = fill(rule, record, "2026-01-01")
    state = {"token": signed_in_token(client, role)}

    @settings(
        max_examples=max(10, EXAMPLES // 4),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=generated_bodies)
    def never_5xx(body: tuple[str, dict]) -> None:
        kind, arguments = body
        status = send(client, method, path, state["token"], arguments).status_code
        assert status < 500, (method, path, kind, arguments, status)
        db.session.rollback()
        if client.get("/session/csrf").status_code == 401:
            state["token"] = signed_in_token(client, role)

    never_5xx()
