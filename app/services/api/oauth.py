"""The OAuth 2 authorization server behind SMART on FHIR, built on Authlib's grants:

- apps (a patient's, or a staff member's): authorization code with PKCE S256 required, public
  clients (`none` at the token endpoint), refresh tokens with `offline_access`, rotated on use;
- backend systems: client credentials with a JWT assertion signed RS384 or ES384 by a key in the
  client's registered key set, audience the token URL, `exp` at most five minutes ahead, each
  `jti` used once (SMART Backend Services);
- revocation (RFC 7009) and introspection (RFC 7662) for a client's own tokens.

Authlib does the protocol; this module says where codes and tokens live (hashed, in the
database) and adds what SMART asks beyond plain OAuth: `aud`, PKCE for everyone, the `patient`
launch context, and the scopes a person's role can use."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidRequestError, InvalidScopeError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.database import insert_unless_present
from app.extensions import db
from app.models import ApiClient, ApiToken, AuthorizationCode, Role, UsedAssertion, User
from app.models.base import utcnow
from app.services.api import clients, tokens, urls
from app.services.api import scopes as smart_scopes

MAX_ASSERTION_AHEAD = 300  # seconds: SMART asks that `exp` be no more than five minutes ahead
CLOCK_LEEWAY = 30


@dataclass
class Client(ClientMixin):
    """What Authlib asks of a client, answered from the registered row."""

    row: ApiClient

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        uris = self.row.redirect_uri_list
        return uris[0] if uris else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        granted = smart_scopes.granted_scopes((scope or "").split(), self.row.scope_list)
        return " ".join(granted) if granted else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.row.redirect_uri_list

    def check_client_secret(self, client_secret: str) -> bool:  # noqa: ARG002 (no client has a secret)
        return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:  # noqa: ARG002
        return method == ("none" if self.row.kind == "app" else "private_key_jwt")

    def check_response_type(self, response_type: str) -> bool:
        return self.row.kind == "app" and response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        if self.row.kind == "app":
            return grant_type in ("authorization_code", "refresh_token")
        return grant_type == "client_credentials"


@dataclass
class Code:
    row: AuthorizationCode

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope

    @property
    def code_challenge(self) -> str:  # what Authlib's CodeChallenge reads
        return self.row.code_challenge

    @property
    def code_challenge_method(self) -> str:
        return self.row.code_challenge_method


@dataclass
class Token:
    row: ApiToken

    def check_client(self, client: Client) -> bool:
        return self.row.client_id == client.row.id

    def get_scope(self) -> str:
        return self.row.scope

    def get_expires_in(self) -> int:
        return int((self.row.expires_at - self.row.issued_at).total_seconds())

    def is_expired(self) -> bool:
        return self.row.expires_at <= utcnow()

    def is_revoked(self) -> bool:
        return self.row.revoked_at is not None

    def get_user(self) -> User | None:
        return self.row.user

    def get_client(self) -> Client:
        return Client(self.row.client)


def query_client(client_id: str) -> Client | None:
    row = clients.by_client_id(client_id) if isinstance(client_id, str) else None
    return Client(row) if row is not None else None


def scopes_for_person(scope: str, user: User) -> list[str]:
    """Staff have no patient picker: their apps get `user/` scopes; patients get both kinds
    (either way their own record). `launch/patient` only for a patient."""
    names = scope.split()
    if user.role == Role.PATIENT.value:
        return names
    keep = []
    for name in names:
        parsed = smart_scopes.parse(name)
        if name == "launch/patient" or (parsed is not None and parsed.context == "patient"):
            continue
        keep.append(name)
    return keep


def save_token(token: dict[str, Any], request: Any) -> None:
    """Store only hashes; add SMART's launch context to what the client receives."""
    client: ApiClient = request.client.row
    user: User | None = request.user
    family = None
    patient_id = None
    if getattr(request, "authorization_code", None) is not None:
        family = request.authorization_code.row.id
        patient_id = request.authorization_code.row.patient_id
    elif getattr(request, "refresh_token", None) is not None:
        family = request.refresh_token.row.authorization_code_id
        patient_id = request.refresh_token.row.patient_id
    now = utcnow()
    refresh = token.get("refresh_token")
    db.session.add(
        ApiToken(
            client_id=client.id,
            user_id=user.id if user else None,
            patient_id=patient_id,
            authorization_code_id=family,
            scope=token.get("scope", ""),
            access_token_hash=tokens.digest(token["access_token"]),
            refresh_token_hash=tokens.digest(refresh) if refresh else None,
            issued_at=now,
            expires_at=now + timedelta(seconds=int(token["expires_in"])),
            refresh_expires_at=now + tokens.REFRESH_LIFETIME if refresh else None,
        )
    )
    if patient_id is not None and "launch/patient" in token.get("scope", "").split():
        token["patient"] = str(patient_id)
        token["need_patient_banner"] = False


def generate_token(
    grant_type: str,
    client: Client,
    user: User | None = None,  # noqa: ARG001
    scope: str | None = None,
    expires_in: int | None = None,  # noqa: ARG001
    include_refresh_token: bool = True,
) -> dict[str, Any]:
    lifetime = (
        tokens.BACKEND_ACCESS_LIFETIME if grant_type == "client_credentials" else tokens.ACCESS_LIFETIME
    )
    granted = scope or ""
    token = {
        "token_type": "Bearer",
        "access_token": secrets.token_urlsafe(32),
        "expires_in": int(lifetime.total_seconds()),
        "scope": granted,
    }
    if include_refresh_token and client.row.kind == "app" and "offline_access" in granted.split():
        token["refresh_token"] = secrets.token_urlsafe(48)
    return token


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ("none",)

    def save_authorization_code(self, code: str, request: Any) -> None:
        user: User = request.user
        granted = scopes_for_person(request.scope or "", user)
        challenge = request.payload.data.get("code_challenge") or ""
        db.session.add(
            AuthorizationCode(
                code_hash=tokens.digest(code),
                client_id=request.client.row.id,
                user_id=user.id,
                patient_id=user.id if user.role == Role.PATIENT.value else None,
                redirect_uri=request.payload.redirect_uri or "",
                scope=" ".join(granted),
                code_challenge=challenge[:128],
                code_challenge_method=(request.payload.data.get("code_challenge_method") or "S256")[:8],
                expires_at=utcnow() + tokens.CODE_LIFETIME,
            )
        )

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        """The code, claimed for this exchange. Used before: its tokens are revoked (RFC 6749
        §4.1.2) and the exchange refused."""
        if not isinstance(code, str) or len(code) > tokens.MAX_TOKEN_LENGTH:
            return None
        row = db.session.scalar(
            sa.select(AuthorizationCode).where(
                AuthorizationCode.code_hash == tokens.digest(code),
                AuthorizationCode.client_id == client.row.id,
            )
        )
        if row is None:
            return None
        claimed = db.session.execute(
            sa.update(AuthorizationCode)
            .where(AuthorizationCode.id == row.id, AuthorizationCode.used_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not getattr(claimed, "rowcount", 0):
            revoked = tokens.revoke(ApiToken.authorization_code_id == row.id, "authorization code replayed")
            self.request.replayed_code = (row, revoked)
            return None
        if row.expires_at <= utcnow():
            return None
        return Code(row)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        """Kept (already marked used), so that a replay is recognised."""

    def authenticate_user(self, authorization_code: Code) -> User | None:
        user = db.session.get(User, authorization_code.row.user_id)
        return user if user is not None and user.active else None


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ("none",)
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        if not isinstance(refresh_token, str) or len(refresh_token) > tokens.MAX_TOKEN_LENGTH:
            return None
        row = db.session.scalar(
            sa.select(ApiToken).where(ApiToken.refresh_token_hash == tokens.digest(refresh_token))
        )
        if row is None or row.refresh_expires_at is None or row.refresh_expires_at <= utcnow():
            return None
        if not tokens.claim_for_rotation(row):
            if row.revoked_reason == "rotated":  # a used refresh token again: the family ends
                tokens.revoke_family(row.authorization_code_id, row.id, "refresh token reused")
            return None
        return Token(row)

    def authenticate_user(self, refresh_token: Token) -> User | None:
        user = refresh_token.row.user
        return user if user is not None and user.active else None

    def revoke_old_credential(self, refresh_token: Token) -> None:
        """Already revoked when it was claimed (authenticate_refresh_token)."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ("private_key_jwt",)

    def create_token_response(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        scope = self.request.client.get_allowed_scope(self.request.payload.scope)
        if scope is None:
            raise InvalidScopeError(description="None of the requested scopes is allowed for this client.")
        token = self.generate_token(scope=scope, include_refresh_token=False)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class SignedAssertion(JWTBearerClientAssertion):
    """`private_key_jwt` as SMART Backend Services asks it."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=CLOCK_LEEWAY)

    def get_audiences(self) -> list[str]:
        return [urls.token_url()]

    def resolve_client_public_key(self, client: Client) -> KeySet:
        if client.row.kind != "backend" or not client.row.jwks:
            raise InvalidClientError(description="This client has no registered public key set.")
        return KeySet.import_key_set(json.loads(client.row.jwks))

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> dict[str, Any]:
        try:
            decoded = jwt.decode(assertion, resolve_key, algorithms=list(clients.ALGORITHMS))
        except (JoseError, ValueError) as error:
            raise InvalidClientError(
                description="The client assertion's signature does not verify."
            ) from error
        claims = decoded.claims
        expires = claims.get("exp")
        if not isinstance(expires, int | float) or expires > time.time() + MAX_ASSERTION_AHEAD + CLOCK_LEEWAY:
            raise InvalidClientError(description="The assertion's exp must be at most five minutes ahead.")
        self.verify_claims(claims)
        return claims

    def validate_jti(self, claims: dict[str, Any], jti: Any) -> bool:
        if not isinstance(jti, str) or not 1 <= len(jti) <= 200 or "\x00" in jti:  # PostgreSQL refuses NUL
            return False
        client = clients.by_client_id(str(claims.get("sub", "")))
        if client is None:
            return False
        db.session.execute(sa.delete(UsedAssertion).where(UsedAssertion.expires_at < utcnow()))
        expires = datetime.fromtimestamp(float(claims["exp"]), UTC).replace(tzinfo=None) + timedelta(
            seconds=CLOCK_LEEWAY
        )
        stored = insert_unless_present(UsedAssertion(client_id=client.id, jti=jti, expires_at=expires))
        return stored is not None


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ("none", "private_key_jwt")

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:  # noqa: ARG002
        row = tokens.token_by_any_secret(token_string) if isinstance(token_string, str) else None
        return Token(row) if row is not None else None

    def revoke_token(self, token: Token, request: Any) -> None:  # noqa: ARG002
        tokens.revoke_family(token.row.authorization_code_id, token.row.id, "revoked by the client")


class Introspection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = ("none", "private_key_jwt")

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:  # noqa: ARG002
        row = tokens.token_by_any_secret(token_string) if isinstance(token_string, str) else None
        return Token(row) if row is not None else None

    def check_permission(self, token: Token, client: Client, request: Any) -> bool:  # noqa: ARG002
        return token.row.client_id == client.row.id

    def introspect_token(self, token: Token) -> dict[str, Any]:
        row = token.row
        return {
            "active": True,
            "client_id": row.client.client_id,
            "token_type": "Bearer",
            "scope": row.scope,
            "sub": str(row.user_id) if row.user_id else row.client.client_id,
            "exp": int(row.expires_at.timestamp()),
            "iat": int(row.issued_at.timestamp()),
            **({"patient": str(row.patient_id)} if row.patient_id else {}),
        }


class SmartServer(AuthorizationServer):
    def validate_requested_scope(self, scope: str | None) -> None:
        """Scopes are filtered per client (Client.get_allowed_scope), not refused wholesale."""
        if scope is not None and len(scope) > 2000:
            raise InvalidScopeError(description="That scope is too long.")


server = SmartServer()


def require_pkce_and_audience(grant: Any, redirect_uri: str) -> None:  # noqa: ARG001
    """SMART 2.2: every app uses PKCE with S256, and names this server in `aud`."""
    data = grant.request.payload.data
    if not data.get("code_challenge"):
        raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256.")
    if data.get("code_challenge_method") != "S256":
        raise InvalidRequestError("Only code_challenge_method=S256 is supported.")
    if (data.get("aud") or "").rstrip("/") != urls.fhir_base():
        raise InvalidRequestError(f"aud must be this server's FHIR base URL, {urls.fhir_base()}.")


def with_smart_checks(grant: Any) -> None:
    grant.register_hook("after_validate_authorization_request_payload", require_pkce_and_audience)


def init_app(app: Flask) -> None:
    """Configure the one server (once per process: the grants are the same for every app)."""
    if server._token_grants:
        return
    server.init_app(app, query_client=query_client, save_token=save_token)
    server.register_token_generator("default", generate_token)
    server.register_client_auth_method("private_key_jwt", SignedAssertion())
    server.register_grant(AuthorizationCodeGrant, [with_smart_checks, CodeChallenge(required=True)])
    server.register_grant(RefreshTokenGrant)
    server.register_grant(ClientCredentialsGrant)
    server.register_endpoint(Revocation)
    server.register_endpoint(Introspection)
