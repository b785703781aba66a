"""Signing in and out: the password attempt (throttled, verified, refused when inactive, rehashed
when the hash is old), the start of a session by any method, and its end. The views only parse the
form and say what happened; every rule and every audit row is here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services import audit
from app.services.accounts import devices, sessions, sign_in_links
from app.services.accounts.passwords import hash_password, needs_rehash, verify_password
from app.services.accounts.sign_in_throttle import (
    FailedTries,
    failed_sign_in_words,
    record_failure,
    tries_since_last_sign_in,
    verdict,
)


@dataclass(frozen=True)
class PasswordAttempt:
    """What a password try came to: a user to sign in, or why not (the view words it)."""

    user: User | None = None
    wait: timedelta | None = None  # too many tries: how long until the next may be made
    no_match: bool = False  # no such account, or the wrong password (never said which)
    inactive: bool = False  # the right password for a deactivated account
    link_token: str | None = None  # guarded, and the password was right: e-mail this link
    guarded: bool = False  # the answer says "see your e-mail", whether the password was right or not


def try_password(
    email: str, password: str, address: str, device_cookie: str | None = None
) -> PasswordAttempt:
    """Check a sign-in by email and password from `address` (with the browser's recognised-device
    cookie); the refusals are audited here. The hash is checked before anything is written, so no
    write lock is held while it runs (app/database.py)."""
    email = email.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    device = devices.recognised(device_cookie, user)
    found = verdict(email, address, device)
    if found.wait:
        audit.record("sign_in_throttled", detail=f"Asked to wait before trying again as {email}")
        db.session.commit()
        return PasswordAttempt(wait=found.wait)
    # Verified even when no account matches, so the time taken does not reveal which emails exist.
    verified = verify_password(user.password_hash if user else None, password)
    if user is None or not verified:
        refuse_password(email, user, address, device=device)  # a try *on* the account, not *by* it
        return PasswordAttempt(no_match=not found.guarded, guarded=found.guarded)
    if not user.active:
        refuse_inactive(user)
        return PasswordAttempt(inactive=True)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if found.guarded:
        token = sign_in_links.issue(user)
        db.session.commit()
        return PasswordAttempt(link_token=token, guarded=True)
    return PasswordAttempt(user=user)


def check_current_password(user: User, password: str, address: str) -> PasswordAttempt:
    """The account page's "current password": throttled and counted like a sign-in."""
    wait = verdict(user.email, address).wait
    if wait:
        return PasswordAttempt(wait=wait)
    if not verify_password(user.password_hash, password):
        refuse_password(user.email, user, address, action="password_check_failed")
        return PasswordAttempt(no_match=True)
    return PasswordAttempt(user=user)


def refuse_password(
    email: str, user: User | None, address: str, action: str = "sign_in_failed", device: str | None = None
) -> None:
    record_failure(email, user, address, device)
    patient_id = audit.patient_id_of(user) if user else None
    audit.record(action, patient_id=patient_id, detail=failed_sign_in_words(email))
    db.session.commit()


def refuse_inactive(user: User) -> None:
    audit.record("sign_in_refused_inactive", actor_id=user.id)
    db.session.commit()


def begin_session(user: User, method: str) -> FailedTries | None:
    """The one way a sign-in begins, by password, passkey or setup link: a new server-side
    session, on the record. Returns the failed tries on the account since its owner last signed
    in, when there were enough to tell them."""
    tries = tries_since_last_sign_in(user)  # before this sign-in becomes the last one
    sessions.begin(user)
    audit.record("sign_in", actor_id=user.id, detail=f"With a {method}")
    db.session.commit()
    return tries


def sign_out() -> None:
    audit.record("sign_out")
    sessions.end_current()
    db.session.commit()


def end_one_session(user: User, session_id: int) -> bool:
    """End one of the person's own sessions (a lost phone); False for anyone else's."""
    if not sessions.revoke_one(user, session_id):
        return False
    audit.record("session_end", patient_id=audit.patient_id_of(user), detail="One session ended")
    db.session.commit()
    return True


def sign_out_everywhere(user: User) -> None:
    sessions.revoke_all(user, "signed out everywhere")
    audit.record("session_end", patient_id=audit.patient_id_of(user), detail="Signed out everywhere")
    sessions.end_current()
    db.session.commit()
