"""Passkeys (WebAuthn, by the `webauthn` library): adding one to an account and signing in with it.

Challenges are random, stored server-side, used once (deleted by the request that uses them) and
expire after a few minutes. The relying party is the site in PUBLIC_URL, or the request's own host
when that is unset (development; browsers refuse IP addresses, so use `localhost`). User
verification is required: a passkey stands in for the password, so the phone must check the
person's face, fingerprint or screen lock.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.care import content
from app.extensions import db
from app.models import Passkey, Role, User, WebAuthnChallenge
from app.models.base import utcnow
from app.services import audit

CHALLENGE_LIFETIME = timedelta(minutes=5)
# What a refusal says to the person (catalogue texts: the page shows them in its language).
UNKNOWN_PASSKEY = content.PASSKEY_UNKNOWN
EXPIRED = content.PASSKEY_TOO_SLOW
NOT_ACCEPTED = content.PASSKEY_NOT_CHECKED


BASE64URL = re.compile(r"[A-Za-z0-9_-]{1,400}")
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def base64url_text(value: object) -> str:
    """An id or challenge as sent by a browser; anything else (a NUL byte, say) is refused here,
    before it reaches a query."""
    if not isinstance(value, str) or not BASE64URL.fullmatch(value):
        raise PasskeyError(NOT_ACCEPTED)
    return value


class PasskeyError(Exception):
    """A passkey was refused; the message says what to do, for the person."""


@dataclass(frozen=True)
class RelyingParty:
    id: str  # the site's host name
    origin: str  # scheme://host[:port] the browser reports
    name: str


def relying_party(public_url: str | None, request_url: str, name: str) -> RelyingParty:
    parts = urlsplit(public_url or request_url)
    return RelyingParty(id=parts.hostname or "", origin=f"{parts.scheme}://{parts.netloc}", name=name)


def user_handle(user: User) -> bytes:
    return str(user.id).encode()


def new_challenge(purpose: str, user: User | None) -> bytes:
    """A fresh challenge, kept server-side; expired ones are cleared on the way."""
    now = utcnow()
    db.session.execute(sa.delete(WebAuthnChallenge).where(WebAuthnChallenge.expires_at < now))
    challenge = secrets.token_bytes(32)
    db.session.add(
        WebAuthnChallenge(
            challenge=bytes_to_base64url(challenge),
            purpose=purpose,
            user_id=user.id if user else None,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    return challenge


def take_challenge(credential: dict[str, Any], purpose: str, user: User | None) -> bytes:
    """The challenge this credential answers, removed so it can never be used again."""
    try:
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        challenge = base64url_text(client_data["challenge"])
    except (KeyError, TypeError, ValueError) as error:
        raise PasskeyError(NOT_ACCEPTED) from error
    row = db.session.scalar(
        sa.select(WebAuthnChallenge).where(
            WebAuthnChallenge.challenge == challenge, WebAuthnChallenge.purpose == purpose
        )
    )
    if row is None:
        raise PasskeyError(EXPIRED)
    taken = db.session.execute(sa.delete(WebAuthnChallenge).where(WebAuthnChallenge.id == row.id))
    if taken.rowcount != 1:  # type: ignore[attr-defined] # another request used it first
        raise PasskeyError(EXPIRED)
    if row.expires_at < utcnow() or row.user_id != (user.id if user else None):
        raise PasskeyError(EXPIRED)
    return base64url_to_bytes(challenge)


def passkeys_of(user: User) -> list[Passkey]:
    return list(db.session.scalars(sa.select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)))


def registration_options(user: User, rp: RelyingParty) -> str:
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.full_name,
        challenge=new_challenge("register", user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in passkeys_of(user)
        ],
    )
    return options_to_json(options)


def add_passkey(user: User, credential: dict[str, Any], name: str, rp: RelyingParty) -> Passkey:
    expected = take_challenge(credential, "register", user)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=expected,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as error:
        raise PasskeyError(NOT_ACCEPTED) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(sa.select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise PasskeyError(content.PASSKEY_ALREADY_ADDED)
    passkey = Passkey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name,
    )
    db.session.add(passkey)
    db.session.flush()
    audit.record("passkey_add", patient_id=audit.patient_id_of(user), detail=f"passkey={passkey.id}")
    return passkey


def remove_passkey(user: User, passkey_id: int) -> str | None:
    """Remove one of the person's own passkeys; its name, or None for anyone else's."""
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        return None
    db.session.delete(passkey)
    audit.record("passkey_remove", patient_id=audit.patient_id_of(user), detail=f"passkey={passkey_id}")
    return passkey.name


def offer_once(user: User, on_phone: bool) -> bool:
    """Whether to offer a passkey now: a patient on a phone, never offered one, with none yet.
    Saying yes marks the offer made, so it comes once."""
    if not (on_phone and user.has_role(Role.PATIENT) and user.passkey_offered_at is None):
        return False
    if passkeys_of(user):
        return False
    user.passkey_offered_at = utcnow()
    db.session.commit()
    return True


def authentication_options(rp: RelyingParty) -> str:
    """Options for a discoverable sign-in: the phone offers the passkeys it holds for this site."""
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=new_challenge("sign_in", None),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options)


def verify_sign_in(credential: dict[str, Any], rp: RelyingParty) -> User:
    """The person this passkey belongs to, once its signature over our challenge checks out. A
    refusal is on the audit trail, naming the credential tried."""
    try:
        return checked_sign_in(credential, rp)
    except PasskeyError:
        tried = UNPRINTABLE.sub("", str(credential.get("id"))).strip()[:80]
        audit.record("sign_in_passkey_failed", detail=f"credential={tried}")
        raise


def checked_sign_in(credential: dict[str, Any], rp: RelyingParty) -> User:
    expected = take_challenge(credential, "sign_in", None)
    credential_id = base64url_text(credential.get("id"))
    passkey = db.session.scalar(sa.select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None:
        raise PasskeyError(UNKNOWN_PASSKEY)
    handle = (credential.get("response") or {}).get("userHandle")
    try:
        if handle and base64url_to_bytes(handle) != user_handle(passkey.user):
            raise PasskeyError(UNKNOWN_PASSKEY)  # a passkey made for another person
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=expected,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as error:
        raise PasskeyError(NOT_ACCEPTED) from error
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return passkey.user
