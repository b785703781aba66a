"""The audit key: the secret the trail is chained with (HMAC-SHA-256) and its checkpoints are
signed with. It lives in the configuration (`AUDIT_KEY`), never in the database, so someone who
can rewrite the database but has not got the key cannot recompute a row's hash, forge a row or
sign a checkpoint.

Each key is known by an id: the first 16 hex digits of a value derived from it (HKDF), stored
in every row it chained (`key_id`), so a row says which key to check it with and a wrong key is
named as such rather than as an edit. The secret cannot be recovered from the id. Two subkeys
are derived from the one secret, one for rows and one for checkpoints, so a checkpoint's
signature can never stand for a row's hash.

Retired keys (`AUDIT_OLD_KEYS`) are kept to check the rows they chained and the rotation row
that hands over to the next key (app/services/audit/chain.py); they never chain a new row.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

KEY_ID_LENGTH = 16


def derive(secret: str, purpose: str) -> bytes:
    info = f"backtrack audit {purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode())


@dataclass(frozen=True)
class AuditKey:
    id: str
    chain: bytes  # the HMAC key of row hashes
    checkpoint: bytes  # the HMAC key of checkpoint signatures

    @classmethod
    def from_secret(cls, secret: str) -> AuditKey:
        return cls(
            id=derive(secret, "key id").hex()[:KEY_ID_LENGTH],
            chain=derive(secret, "chain"),
            checkpoint=derive(secret, "checkpoint"),
        )


@dataclass(frozen=True)
class AuditKeys:
    """The key that chains new rows, and every key (it too) that rows may have been chained with."""

    current: AuditKey
    known: Mapping[str, AuditKey]

    def get(self, key_id: str) -> AuditKey | None:
        return self.known.get(key_id)


@lru_cache(maxsize=8)
def keys_from_secrets(current: str, old: tuple[str, ...]) -> AuditKeys:
    key = AuditKey.from_secret(current)
    known = {old_key.id: old_key for old_key in map(AuditKey.from_secret, old)}
    return AuditKeys(key, known | {key.id: key})


def keys_of(config: Mapping[str, Any]) -> AuditKeys:
    """The keys a configuration gives (app/config.py checked and filled them at start)."""
    return keys_from_secrets(config["AUDIT_KEY"], tuple(config.get("AUDIT_OLD_KEYS") or ()))


def current_keys() -> AuditKeys:
    return keys_of(current_app.config)


def new_secret() -> str:
    """A fresh audit key: 48 random bytes, URL-safe (no spaces or commas, so a list of old ones
    fits one environment variable)."""
    return secrets.token_urlsafe(48)
