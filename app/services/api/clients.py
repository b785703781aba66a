"""Registering the apps and systems that may use the API (an admin's job): their kind, redirect
URIs, the scopes they may be granted, and for a backend system its public key set (RS384 or
ES384 keys; the assertion it signs is checked against these)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from app.care.staff_words import N_
from app.extensions import db
from app.models import ApiClient, User
from app.models.base import utcnow
from app.services.api import scopes as smart_scopes
from app.services.api import tokens
from app.services.api.params import printable_ascii
from app.services.clinic.languages import page_words

ALGORITHMS = ("RS384", "ES384")
MAX_JWKS_LENGTH = 20_000


class ClientRuleError(ValueError):
    """What is wrong with a registration, in words for the admin (by field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Registration:
    name: str
    kind: str
    redirect_uris: str
    scopes: str
    jwks: str
    requests_per_minute: int


def key_set(text: str) -> KeySet:
    """The public key set as given: JSON with `keys`, only public RSA or EC keys."""
    if len(text) > MAX_JWKS_LENGTH:
        raise ClientRuleError("jwks", N_("That key set is too long."))
    try:
        data = json.loads(text)
    except ValueError as error:
        said = page_words().gettext("That is not JSON. Paste the key set as JSON: {example}.")
        raise ClientRuleError("jwks", said.format(example='{"keys": [...]}')) from error
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or not data["keys"]:
        raise ClientRuleError("jwks", N_('A key set is a JSON object with a non-empty "keys" list.'))
    for key in data["keys"]:
        if not isinstance(key, dict) or key.get("kty") not in ("RSA", "EC"):
            raise ClientRuleError("jwks", N_("Each key must be an RSA or EC public key."))
        if "d" in key:
            raise ClientRuleError("jwks", N_("That key set holds a private key. Paste only the public keys."))
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]  # checked just above
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ClientRuleError("jwks", N_("Those keys could not be read. Check the key set.")) from error


def check(registration: Registration) -> list[str]:
    """The registration's scopes, checked; raises ClientRuleError for what an admin must fix."""
    names = registration.scopes.split()
    unknown = [name for name in names if not smart_scopes.is_known(name) or not smart_scopes.read_only(name)]
    if unknown:
        raise ClientRuleError(
            "scopes",
            page_words().gettext("Unknown or unsupported scope: {scope}.").format(scope=unknown[0][:60]),
        )
    contexts = {found.context for found in (smart_scopes.parse(name) for name in names) if found}
    if registration.kind == "backend":
        if contexts - {"system"} or set(names) & set(smart_scopes.OTHER_SCOPES):
            raise ClientRuleError("scopes", N_("A backend system gets system/ scopes only."))
        key_set(registration.jwks)
    else:
        if "system" in contexts:
            raise ClientRuleError("scopes", N_("An app gets patient/ and user/ scopes, never system/."))
        uris = [line.strip() for line in registration.redirect_uris.splitlines() if line.strip()]
        if not uris:
            raise ClientRuleError("redirect_uris", N_("An app needs at least one redirect URI."))
        for uri in uris:
            parts = urlsplit(uri)
            local = parts.hostname in ("localhost", "127.0.0.1")
            if parts.scheme not in ("https", "http") or not parts.netloc or parts.fragment:
                raise ClientRuleError(
                    "redirect_uris",
                    page_words().gettext("{address} is not a full web address.").format(address=uri[:80]),
                )
            if parts.scheme == "http" and not local:
                raise ClientRuleError(
                    "redirect_uris", N_("Redirect URIs use https (http only for localhost).")
                )
    if not names:
        raise ClientRuleError("scopes", N_("Name at least one scope."))
    return names


def register(registration: Registration, admin: User) -> ApiClient:
    check(registration)
    client = ApiClient(
        client_id=secrets.token_urlsafe(18),
        name=registration.name.strip(),
        kind=registration.kind,
        redirect_uris="\n".join(
            line.strip() for line in registration.redirect_uris.splitlines() if line.strip()
        )
        if registration.kind == "app"
        else "",
        scopes=" ".join(registration.scopes.split()),
        jwks=registration.jwks.strip() if registration.kind == "backend" else "",
        requests_per_minute=registration.requests_per_minute,
        created_by_id=admin.id,
    )
    db.session.add(client)
    db.session.flush()
    return client


def disable(client: ApiClient) -> int:
    """No more tokens for this client, and none it holds works any longer."""
    client.disabled_at = utcnow()
    return tokens.revoke(tokens.ApiToken.client_id == client.id, "client disabled")


def by_client_id(client_id: str) -> ApiClient | None:
    if not client_id or len(client_id) > 64 or not printable_ascii(client_id):
        return None
    found = db.session.scalar(sa.select(ApiClient).where(ApiClient.client_id == client_id))
    return found if found is not None and found.disabled_at is None else None


def all_clients() -> list[ApiClient]:
    return list(
        db.session.scalars(sa.select(ApiClient).order_by(ApiClient.disabled_at.is_not(None), ApiClient.name))
    )
