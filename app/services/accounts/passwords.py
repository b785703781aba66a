"""Password hashing with argon2id (parameters are settings; tests use cheap ones)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=int(config["PASSWORD_HASH_TIME_COST"]),
        memory_cost=int(config["PASSWORD_HASH_MEMORY_KIB"]),
        parallelism=int(config["PASSWORD_HASH_PARALLELISM"]),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists, so timing does not reveal emails."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or _dummy_hash(hasher), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


@cache
def _dummy_hash_for(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return PasswordHasher(time_cost, memory_cost, parallelism=parallelism).hash(secrets.token_urlsafe(16))


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random string with the live parameters, verified when no account matches."""
    return _dummy_hash_for(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
