"""Helpers for the FHIR API tests: register clients, run the SMART launch through the real
authorize and consent pages, sign backend assertions, validate resources with fhir.resources."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

from fhir.resources.R4B import get_fhir_model_class
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

from app.extensions import db
from app.models import User
from app.services.api import clients
from tests.conftest import csrf_token

BASE = "http://localhost/fhir"
TOKEN_URL = "http://localhost/oauth/token"
REDIRECT = "https://app.example/callback"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def register_app(admin: User, scopes: str = "launch/patient offline_access patient/*.rs user/*.rs", **extra):
    registration = clients.Registration(
        extra.get("name", "My Pain Diary"),
        "app",
        extra.get("redirect", REDIRECT),
        scopes,
        "",
        extra.get("rpm", 300),
    )
    client = clients.register(registration, admin)
    db.session.commit()
    return client


def new_key(kind: str = "RSA"):
    return (
        RSAKey.generate_key(2048, private=True)
        if kind == "RSA"
        else ECKey.generate_key("P-384", private=True)
    )


def public_jwks(*keys) -> str:
    return json.dumps({"keys": [key.as_dict(private=False) | {"kid": key.thumbprint()} for key in keys]})


def register_backend(admin: User, key, scopes: str = "system/*.rs", rpm: int = 300):
    registration = clients.Registration("Clinic warehouse", "backend", "", scopes, public_jwks(key), rpm)
    client = clients.register(registration, admin)
    db.session.commit()
    return client


def assertion(
    client_id: str, key, audience: str = TOKEN_URL, lifetime: int = 240, jti: str | None = None
) -> str:
    algorithm = "RS384" if isinstance(key, RSAKey) else "ES384"
    now = int(time.time())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "exp": now + lifetime,
        "jti": jti or str(uuid.uuid4()),
    }
    header = {"alg": algorithm, "kid": key.thumbprint(), "typ": "JWT"}
    return jwt.encode(header, claims, KeySet([key]), algorithms=[algorithm])


def backend_token(client, backend, key, scope: str = "system/*.rs", **options):
    return client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion(backend.client_id, key, **options),
        },
    )


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def authorize_query(app_client, challenge: str | None, scope: str, **overrides) -> str:
    params = {
        "response_type": "code",
        "client_id": app_client.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "state-123",
        "aud": BASE,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **overrides,
    }
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def approve(client, path: str, decision: str = "approve"):
    """Open the consent screen and answer it; returns the response to the answer."""
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return client.post(path, data={"csrf_token": csrf_token(page), "decision": decision})


def redirect_params(response) -> dict[str, str]:
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    location = response.headers["Location"]
    assert location.startswith(REDIRECT), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def code_for(
    client, app_client, scope: str = "launch/patient offline_access patient/*.rs"
) -> tuple[str, str]:
    """A signed-in person approves the app: (code, verifier)."""
    verifier, challenge = pkce()
    params = redirect_params(approve(client, authorize_query(app_client, challenge, scope)))
    assert params["state"] == "state-123"
    return params["code"], verifier


def exchange(client, app_client, code: str, verifier: str | None):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": app_client.client_id,
    }
    if verifier is not None:
        data["code_verifier"] = verifier
    return client.post("/oauth/token", data=data)


def app_token(client, app_client, scope: str = "launch/patient offline_access patient/*.rs") -> dict:
    code, verifier = code_for(client, app_client, scope)
    response = exchange(client, app_client, code, verifier)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def validate(resource: dict):
    """The resource as an R4B model: raises on anything FHIR does not allow."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def entries(bundle: dict, mode: str = "match") -> list[dict]:
    return [e["resource"] for e in bundle.get("entry", []) if e.get("search", {}).get("mode") == mode]
