"""Recognised devices (OWASP's "device cookie"): after a sign-in, the browser keeps a long-lived
cookie saying "this account signed in here before". With it, the owner's correct password passes
the address and account limits of app/services/accounts/sign_in_throttle.py: a stranger guessing
on the clinic's or the family's shared network, or from many addresses, cannot keep the owner out.

The cookie holds, for up to MAX_ACCOUNTS accounts, the account's id, a random device id, and a tag
bound to the account's password hash, signed with SECRET_KEY. A new password voids every tag, so
a changed password is also a "forget my devices". Failed tries from a device are counted by its
id: after FREE_PER_DEVICE in the throttle's window the device loses its pass, so a copied cookie
is no licence to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.models import User

COOKIE = "backtrack_device"
LIFETIME = timedelta(days=365)
MAX_ACCOUNTS = 5  # a family's shared tablet
SALT = "backtrack.device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _tag(user: User) -> str:
    return hmac.new((user.password_hash or "").encode(), b"device", hashlib.sha256).hexdigest()[:16]


def entries(cookie: str | None) -> list[list[str | int]]:
    """The cookie's entries ([user id, device id, tag]), or none when it is missing, forged or old."""
    if not cookie:
        return []
    try:
        found = _serializer().loads(cookie, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return []
    if not isinstance(found, list):
        return []
    return [entry for entry in found if isinstance(entry, list) and len(entry) == 3][:MAX_ACCOUNTS]


def recognised(cookie: str | None, user: User | None) -> str | None:
    """The id of this device for `user`, when `user` signed in on it before (with this password)."""
    if user is None or not user.password_hash:
        return None
    for user_id, device_id, tag in entries(cookie):
        if user_id == user.id and isinstance(tag, str) and hmac.compare_digest(tag, _tag(user)):
            return str(device_id)
    return None


def remembered(cookie: str | None, user: User) -> str:
    """The cookie's new value once `user` has signed in here: their entry first (a new one, or the
    one kept), the others after, the oldest dropped past MAX_ACCOUNTS."""
    device_id = recognised(cookie, user) or secrets.token_hex(16)
    others = [entry for entry in entries(cookie) if entry[0] != user.id]
    return _serializer().dumps([[user.id, device_id, _tag(user)], *others][:MAX_ACCOUNTS])
