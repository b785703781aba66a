"""Access and refresh tokens: random, shown once, stored as SHA-256 hashes (like sign-in links and
sessions). Access tokens last minutes; a refresh token (with `offline_access`) rotates on every
use, and a rotated one used again revokes its whole family. Patients see and revoke the apps
holding their tokens on the account page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import ApiClient, ApiToken, User
from app.models.base import utcnow

ACCESS_LIFETIME = timedelta(minutes=15)
BACKEND_ACCESS_LIFETIME = timedelta(minutes=5)  # SMART Backend Services: at most five minutes
REFRESH_LIFETIME = timedelta(days=90)
CODE_LIFETIME = timedelta(minutes=5)
MAX_TOKEN_LENGTH = 200


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def live_access_token(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The token row for a bearer token that still works: not revoked, not expired, its client
    not disabled and its person still active."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.access_token_hash == digest(secret)))
    moment = now or utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= moment:
        return None
    if token.client.disabled_at is not None:
        return None
    if token.user is not None and not token.user.active:
        return None
    return token


def token_by_any_secret(secret: str) -> ApiToken | None:
    """The row an access or refresh token belongs to (revocation and introspection)."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    hashed = digest(secret)
    return db.session.scalar(
        sa.select(ApiToken).where(
            sa.or_(ApiToken.access_token_hash == hashed, ApiToken.refresh_token_hash == hashed)
        )
    )


def revoke(condition: sa.ColumnElement[bool], reason: str) -> int:
    result = db.session.execute(
        sa.update(ApiToken)
        .where(condition, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def revoke_family(authorization_code_id: int | None, token_id: int, reason: str) -> int:
    """Every token of one approval (or just this one, for a backend's)."""
    if authorization_code_id is None:
        return revoke(ApiToken.id == token_id, reason)
    return revoke(ApiToken.authorization_code_id == authorization_code_id, reason)


def claim_for_rotation(token: ApiToken) -> bool:
    """Mark a refresh token used, once: a second use (a stolen copy, or a race) finds it taken."""
    result = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason="rotated")
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class ConnectedApp:
    client: ApiClient
    scopes: list[str]
    since: datetime
    until: datetime


def connected_apps(user: User, now: datetime | None = None) -> list[ConnectedApp]:
    """The apps that can still read this person's data: a live access or refresh token."""
    moment = now or utcnow()
    rows = db.session.scalars(
        sa.select(ApiToken)
        .where(
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
            sa.or_(ApiToken.expires_at > moment, ApiToken.refresh_expires_at > moment),
        )
        .options(joinedload(ApiToken.client))
        .order_by(ApiToken.issued_at)
    )
    found: dict[int, ConnectedApp] = {}
    for token in rows:
        until = max(token.expires_at, token.refresh_expires_at or token.expires_at)
        seen = found.get(token.client_id)
        scopes = sorted(set(token.scope.split()) | set(seen.scopes if seen else []))
        found[token.client_id] = ConnectedApp(
            token.client, scopes, min(token.issued_at, seen.since) if seen else token.issued_at, until
        )
    return sorted(found.values(), key=lambda app: app.client.name.lower())


def disconnect(user: User, client_id: int) -> int:
    """End every token this person gave this app (the account page's button)."""
    return revoke((ApiToken.user_id == user.id) & (ApiToken.client_id == client_id), "revoked by the patient")
