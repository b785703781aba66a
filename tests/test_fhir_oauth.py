"""SMART's OAuth side through the Flask test client: the consent screen, PKCE, replayed codes,
refresh rotation, revocation, backend assertions (signature, audience, exp, jti), the admin's
registration page and the account page's connected apps. CSRF stays on."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from app.care import content
from app.extensions import csrf, db
from app.models import ApiClient, ApiToken, AuthorizationCode, Role
from tests.conftest import csrf_token, text_of
from tests.english_words import english_words
from tests.factories import make_user
from tests.fhir_support import (
    ASSERTION_TYPE,
    REDIRECT,
    app_token,
    approve,
    assertion,
    authorize_query,
    backend_token,
    bearer,
    code_for,
    exchange,
    new_key,
    pkce,
    public_jwks,
    redirect_params,
    register_app,
    register_backend,
)
from tests.helpers import actions
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)


@pytest.fixture
def people(app):
    admin = make_user(Role.ADMIN, email="alex@example.com")
    maria = make_user(Role.PATIENT, name="Maria Alvarez", email="maria@example.com")
    return admin, maria


@pytest.fixture
def diary(people):
    return register_app(people[0])


@pytest.fixture
def signed_in(auth, people):
    auth.login("maria@example.com")
    return people[1]


def patient_read(client, token) -> int:
    return client.get("/fhir/Patient", headers=bearer(token)).status_code


# --- The authorize step ----------------------------------------------------------------------------


def test_a_signed_out_person_signs_in_first_and_comes_back(client, auth, diary, people):
    _verifier, challenge = pkce()
    path = authorize_query(diary, challenge, "launch/patient patient/*.rs")
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    form = {
        "email": "maria@example.com",
        "password": "correct horse battery staple",
        "csrf_token": csrf_token(page),
    }
    form["next"] = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]
    signed_in = client.post("/sign-in", data=form)
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"].startswith("/oauth/authorize?")
    consent = client.get(signed_in.headers["Location"])
    assert consent.status_code == 200
    words = text_of(consent)
    assert "Allow My Pain Diary?" in words
    assert "Everything in your records here" in words


def test_the_consent_screen_names_the_scopes_and_approval_is_audited(client, signed_in, diary):
    verifier, challenge = pkce()
    path = authorize_query(diary, challenge, "launch/patient offline_access patient/Observation.rs")
    page = client.get(path)
    words = text_of(page)
    assert "Your pain scores" in words
    assert "Your messages" not in words
    assert "until you stop it" in words
    params = redirect_params(client.post(path, data={"csrf_token": csrf_token(page), "decision": "approve"}))
    assert params["code"]
    assert params["state"] == "state-123"
    assert "oauth_consent_approved" in actions()
    assert exchange(client, diary, params["code"], verifier).status_code == 200


def test_denying_sends_access_denied_to_the_app_and_is_audited(client, signed_in, diary):
    _verifier, challenge = pkce()
    params = redirect_params(approve(client, authorize_query(diary, challenge, "patient/*.rs"), "deny"))
    assert params["error"] == "access_denied"
    assert "code" not in params
    assert "oauth_consent_denied" in actions()


def test_the_consent_form_needs_its_csrf_token(client, signed_in, diary):
    _verifier, challenge = pkce()
    response = client.post(authorize_query(diary, challenge, "patient/*.rs"), data={"decision": "approve"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(AuthorizationCode.id))) == 0


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"code_challenge": None}, "code_challenge"),
        ({"code_challenge_method": "plain"}, "Only code_challenge_method=S256"),
        ({"aud": "https://elsewhere.example/fhir"}, "aud must be"),
        ({"scope": "system/*.rs"}, "invalid_scope"),
    ],
)
def test_requests_smart_refuses_go_back_to_the_app_with_an_error(client, signed_in, diary, overrides, words):
    _verifier, challenge = pkce()
    scope = overrides.pop("scope", "patient/*.rs")
    response = client.get(authorize_query(diary, challenge, scope, **overrides))
    params = redirect_params(response)
    assert words in (params.get("error_description", "") + params["error"])


def test_an_unknown_client_or_redirect_uri_is_shown_here_not_redirected(client, signed_in, diary):
    _verifier, challenge = pkce()
    for overrides in ({"client_id": "nobody"}, {"redirect_uri": "https://evil.example/cb"}):
        response = client.get(authorize_query(diary, challenge, "patient/*.rs", **overrides))
        assert response.status_code == 400
        assert "evil.example" not in response.headers.get("Location", "")
        assert "did not work" in text_of(response, 400)


@pytest.mark.parametrize("response_type", ["c\u00f3digo", "\u2713", "abc\x00def"])
@pytest.mark.parametrize("sent_in", ["query", "form"])
def test_a_parameter_no_app_sends_is_refused_here_with_a_reason(
    client, signed_in, diary, response_type, sent_in
):
    """OAuth parameters are printable ASCII; Authlib refuses to quote anything else in its error
    (a 500 before). A control character in the address meets the site's own guard first."""
    _verifier, challenge = pkce()
    if sent_in == "query":
        response = client.get(authorize_query(diary, challenge, "patient/*.rs", response_type=response_type))
    else:
        token = client.get("/session/csrf").get_json()["csrf_token"]
        address = authorize_query(diary, challenge, "patient/*.rs", response_type=None)
        response = client.post(address, data={"csrf_token": token, "response_type": response_type})
    page = text_of(response, 400)
    assert "Location" not in response.headers
    if sent_in == "form" or "\x00" not in response_type:
        assert content.OAUTH_REQUEST_UNREADABLE in page


def test_a_spanish_reader_is_asked_and_refused_in_spanish(client, auth, app, people, diary, catalogues):  # noqa: F811
    """The consent screen and the error page are the catalogue's, in the reader's language: the
    title, what the app may read, the buttons; only the library's words for the app's makers stay
    English, marked as such."""
    signed_off_by_physician(app)
    maria = people[1]
    maria.language = "es"
    db.session.commit()
    auth.login(maria.email)
    _verifier, challenge = pkce()
    consent = text_of(client.get(authorize_query(diary, challenge, "launch/patient patient/Observation.rs")))
    assert "¿Darle permiso a My Pain Diary?" in consent
    assert "Permitir" in consent
    assert "No permitir" in consent
    assert english_words(consent, "My Pain Diary", maria.full_name) == []
    refused = client.get(authorize_query(diary, challenge, "patient/*.rs", client_id="nobody"))
    html = refused.get_data(as_text=True)
    assert '<span lang="en">' in html  # the library's description, for the app's makers
    assert 'lang="en"' not in html.replace('<span lang="en">', "", 1)
    page = text_of(refused, 400)
    assert "El pedido de esa aplicación no funcionó" in page
    shown = re.sub(r'<span lang="en">.*?</span>', " ", html, flags=re.S)
    assert english_words(re.sub(r"<[^>]+>", " ", shown), maria.full_name) == []


# --- The token endpoint --------------------------------------------------------------------------


def test_pkce_missing_or_wrong_at_the_token_endpoint_is_refused(client, signed_in, diary):
    code, _verifier = code_for(client, diary)
    response = exchange(client, diary, code, None)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    code, _verifier = code_for(client, diary)
    response = exchange(client, diary, code, pkce()[0])
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"


def test_a_replayed_code_is_refused_and_revokes_the_tokens_it_gave(client, signed_in, diary):
    code, verifier = code_for(client, diary)
    first = exchange(client, diary, code, verifier).get_json()
    assert patient_read(client, first["access_token"]) == 200
    again = exchange(client, diary, code, verifier)
    assert again.status_code == 400
    assert again.get_json()["error"] == "invalid_grant"
    assert patient_read(client, first["access_token"]) == 401
    refresh = client.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": diary.client_id,
        },
    )
    assert refresh.status_code == 400
    assert db.session.scalar(sa.select(ApiToken.revoked_reason)) == "authorization code replayed"
    assert "api_token_refused" in actions()


def test_codes_and_tokens_are_stored_only_as_hashes(client, signed_in, diary):
    code, verifier = code_for(client, diary)
    body = exchange(client, diary, code, verifier).get_json()
    stored = " ".join(
        str(value)
        for table in (ApiToken.__table__, AuthorizationCode.__table__)
        for row in db.session.execute(sa.select(table)).all()
        for value in row
    )
    assert body["access_token"] not in stored
    assert body["refresh_token"] not in stored
    assert code not in stored


def test_refresh_tokens_rotate_and_a_reused_one_ends_the_family(client, signed_in, diary):
    first = app_token(client, diary)
    data = {
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
        "client_id": diary.client_id,
    }
    second = client.post("/oauth/token", data=data)
    assert second.status_code == 200
    second = second.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert patient_read(client, second["access_token"]) == 200
    assert patient_read(client, first["access_token"]) == 401  # rotated out
    reuse = client.post("/oauth/token", data=data)
    assert reuse.status_code == 400
    assert reuse.get_json()["error"] == "invalid_grant"
    assert patient_read(client, second["access_token"]) == 401  # the whole family is revoked


def test_without_offline_access_there_is_no_refresh_token(client, signed_in, diary):
    body = app_token(client, diary, "launch/patient patient/*.rs")
    assert "refresh_token" not in body


def test_revocation_ends_a_token(client, signed_in, diary):
    body = app_token(client, diary)
    response = client.post(
        "/oauth/revoke", data={"token": body["refresh_token"], "client_id": diary.client_id}
    )
    assert response.status_code == 200
    assert patient_read(client, body["access_token"]) == 401


def test_introspection_tells_a_client_about_its_own_tokens_only(client, signed_in, diary, people):
    body = app_token(client, diary)
    answer = client.post(
        "/oauth/introspect", data={"token": body["access_token"], "client_id": diary.client_id}
    )
    assert answer.get_json()["active"] is True
    assert answer.get_json()["patient"] == str(signed_in.id)
    other = register_app(people[0], name="Another app")
    answer = client.post(
        "/oauth/introspect", data={"token": body["access_token"], "client_id": other.client_id}
    )
    assert answer.get_json() == {"active": False}


@pytest.mark.parametrize(
    "body",
    [
        {"json": {"grant_type": "authorization_code"}},
        {"data": "   \n", "content_type": "application/x-www-form-urlencoded"},
        {"data": {"grant_type": "\x00"}},
        {"data": {"grant_type": "authorization_code", "code": "x" * 5000, "client_id": "y" * 5000}},
        {
            "data": {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": "a.b.c",
            }
        },
        {
            "data": {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": "…",
            }
        },
        {"data": {"grant_type": "refresh_token", "refresh_token": "x", "client_id": "nobody"}},
        {"data": {"token": "x"}},
    ],
)
def test_odd_bodies_at_the_token_endpoints_are_4xx_never_500(client, diary, body):
    for path in ("/oauth/token", "/oauth/revoke", "/oauth/introspect"):
        response = client.post(path, **body)
        assert 400 <= response.status_code < 500, (
            path,
            response.status_code,
            response.get_data(as_text=True),
        )


# --- Backend systems -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["RSA", "EC"])
def test_a_backend_gets_a_system_token_with_a_signed_assertion(client, people, kind):
    key = new_key(kind)
    backend = register_backend(people[0], key)
    response = backend_token(client, backend, key)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["scope"] == "system/*.rs"
    assert body["expires_in"] == 300
    assert "refresh_token" not in body
    assert patient_read(client, body["access_token"]) == 200


def test_a_replayed_assertion_is_refused(client, people):
    key = new_key()
    backend = register_backend(people[0], key)
    signed = assertion(backend.client_id, key, jti="the-same-jti")
    data = {
        "grant_type": "client_credentials",
        "scope": "system/*.rs",
        "client_assertion_type": ASSERTION_TYPE,
    }
    assert client.post("/oauth/token", data={**data, "client_assertion": signed}).status_code == 200
    again = client.post("/oauth/token", data={**data, "client_assertion": signed})
    assert again.status_code in (400, 401)
    assert again.get_json()["error"] == "invalid_client"


def test_an_assertion_whose_jti_holds_a_nul_byte_is_refused(client, people):
    key = new_key()
    backend = register_backend(people[0], key)
    data = {
        "grant_type": "client_credentials",
        "scope": "system/*.rs",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion(backend.client_id, key, jti="abc\x00def"),
    }
    response = client.post("/oauth/token", data=data)
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize("endpoint", ["/oauth/token", "/oauth/revoke", "/oauth/introspect"])
@pytest.mark.parametrize("client_id", ["abc\x00def", "c\u00f3digo"])
def test_a_client_id_no_client_has_is_refused_not_looked_up(client, diary, endpoint, client_id):
    """Client ids are printable ASCII; PostgreSQL refuses a NUL byte in a query (a 500 before)."""
    data = {"client_id": client_id, "token": "x", "grant_type": "authorization_code", "code": "x"}
    response = client.post(endpoint, data=data)
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "options",
    [{"audience": "https://elsewhere.example/token"}, {"lifetime": 3600}, {"lifetime": -120}],
    ids=["wrong audience", "exp too far ahead", "expired"],
)
def test_an_assertion_with_bad_claims_is_refused(client, people, options):
    key = new_key()
    backend = register_backend(people[0], key)
    response = backend_token(client, backend, key, **options)
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"


def test_an_assertion_signed_by_another_key_or_algorithm_is_refused(client, people):
    key, stranger = new_key(), new_key()
    backend = register_backend(people[0], key)
    assert backend_token(client, backend, stranger).get_json()["error"] == "invalid_client"
    from joserfc import jwt
    from joserfc.jwk import KeySet

    claims = {"iss": backend.client_id, "sub": backend.client_id, "aud": "http://localhost/oauth/token",
              "exp": int(time.time()) + 60, "jti": "rs256"}  # fmt: skip
    rs256 = jwt.encode({"alg": "RS256"}, claims, KeySet([key]))
    data = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": rs256,
    }
    assert client.post("/oauth/token", data=data).get_json()["error"] == "invalid_client"


def test_a_backend_gets_only_its_registered_scopes(client, people):
    key = new_key()
    backend = register_backend(people[0], key, scopes="system/Patient.rs")
    body = backend_token(client, backend, key, scope="system/*.rs system/Patient.rs").get_json()
    assert body["scope"] == "system/Patient.rs"
    assert client.get("/fhir/Observation", headers=bearer(body["access_token"])).status_code == 403
    refused = backend_token(client, backend, key, scope="system/Observation.rs")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "invalid_scope"


def test_an_app_cannot_use_client_credentials(client, diary):
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": diary.client_id}
    )
    assert response.status_code in (400, 401)


# --- The admin registers clients ------------------------------------------------------------------


def test_an_admin_registers_an_app_and_a_backend(client, auth, people):
    auth.login("alex@example.com")
    page = client.get("/admin/api-clients")
    assert page.status_code == 200
    assert "Register a client" in text_of(page)
    token = csrf_token(page)
    form = {"csrf_token": token, "name": "Pain diary", "kind": "app", "redirect_uris": REDIRECT,
            "scopes": "launch/patient patient/*.rs", "jwks": "", "requests_per_minute": "120"}  # fmt: skip
    assert client.post("/admin/api-clients", data=form).status_code == 303
    key = new_key()
    form = {**form, "name": "Warehouse", "kind": "backend", "redirect_uris": "", "scopes": "system/*.rs",
            "jwks": public_jwks(key)}  # fmt: skip
    assert client.post("/admin/api-clients", data=form).status_code == 303
    kinds = dict(db.session.execute(sa.select(ApiClient.name, ApiClient.kind)).all())
    assert kinds == {"Pain diary": "app", "Warehouse": "backend"}
    assert "api_client_register" in actions()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"jwks": "not json"}, "That is not JSON"),
        ({"jwks": '{"keys": []}'}, "non-empty"),
        ({"jwks": "PRIVATE"}, "holds a private key"),
        ({"scopes": "system/*.rs launch/patient"}, "system/ scopes only"),
        ({"scopes": "system/*.cruds"}, "Unknown or unsupported scope"),
        ({"kind": "app", "scopes": "system/*.rs", "redirect_uris": REDIRECT}, "never system/"),
        ({"kind": "app", "scopes": "patient/*.rs", "redirect_uris": ""}, "at least one redirect URI"),
        ({"kind": "app", "scopes": "patient/*.rs", "redirect_uris": "http://app.example/cb"}, "use https"),
        ({"requests_per_minute": "0"}, ""),
    ],
)
def test_a_bad_registration_comes_back_with_the_reason_and_what_was_typed(
    client, auth, people, change, words
):
    auth.login("alex@example.com")
    token = csrf_token(client.get("/admin/api-clients"))
    key = new_key()
    form = {"csrf_token": token, "name": "Warehouse", "kind": "backend", "redirect_uris": "", "scopes": "system/*.rs",
            "jwks": public_jwks(key), "requests_per_minute": "60", **change}  # fmt: skip
    if form["jwks"] == "PRIVATE":
        form["jwks"] = '{{"keys": [{}]}}'.format(__import__("json").dumps(key.as_dict(private=True)))
    response = client.post("/admin/api-clients", data=form)
    assert response.status_code == 422
    assert words in text_of(response, 422)
    assert 'value="Warehouse"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiClient.id))) == 0


def test_disabling_a_client_ends_its_tokens(client, auth, people, diary):
    auth.login("maria@example.com")
    token = app_token(client, diary)["access_token"]
    auth.logout()
    auth.login("alex@example.com")
    page = client.get("/admin/api-clients")
    response = client.post(f"/admin/api-clients/{diary.id}/disable", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert patient_read(client, token) == 401
    assert "Disabled" in text_of(client.get("/admin/api-clients"))


def test_only_admins_reach_the_client_page(client, auth, people):
    auth.login("maria@example.com")
    assert client.get("/admin/api-clients").status_code == 403


# --- The account page --------------------------------------------------------------------------------


def test_the_account_page_lists_connected_apps_and_stops_one(client, signed_in, diary):
    assert "No apps can read your records." in text_of(client.get("/account"))
    body = app_token(client, diary)
    page = client.get("/account")
    assert "My Pain Diary" in text_of(page)
    response = client.post(f"/account/apps/{diary.id}/stop", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert patient_read(client, body["access_token"]) == 401
    refresh = {
        "grant_type": "refresh_token",
        "refresh_token": body["refresh_token"],
        "client_id": diary.client_id,
    }
    assert client.post("/oauth/token", data=refresh).status_code == 400
    assert "No apps can read your records." in text_of(client.get("/account"))
    assert "api_app_disconnect" in actions()


def test_stopping_an_app_someone_else_uses_is_not_found(client, auth, people, diary):
    auth.login("maria@example.com")
    app_token(client, diary)
    auth.logout()
    other = make_user(Role.PATIENT, email="omar@example.com")
    auth.login(other.email)
    page = client.get("/account")
    assert (
        client.post(f"/account/apps/{diary.id}/stop", data={"csrf_token": csrf_token(page)}).status_code
        == 404
    )
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.revoked_at.is_(None))) == 1


def test_only_the_token_and_bulk_status_endpoints_skip_csrf(app):
    """Each takes requests from an app's or a system's own HTTP client, never a browser form."""
    exempt = {name for name in csrf._exempt_views if name.startswith("app.")}
    assert exempt == {
        "app.oauth.routes.token",
        "app.oauth.routes.revoke",
        "app.oauth.routes.introspect",
        "app.fhir.bulk.export_status",
    }
