"""A software WebAuthn authenticator for tests: it makes P-256 credentials ("none" attestation)
and signs assertions exactly as a phone's platform authenticator does, for any relying party and
origin the test names (so a passkey of another site can be made too)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftCredential:
    rp_id: str
    user_handle: bytes
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: os.urandom(16))
    counter: int = 0

    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )


def client_data(kind: str, challenge: str, origin: str) -> bytes:
    return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()


def create(
    options: dict, origin: str, rp_id: str | None = None, flags: int = UP | UV | AT
) -> tuple[SoftCredential, dict]:
    """navigator.credentials.create(): a new credential and the JSON the browser would send."""
    rp_id = rp_id or options["rp"]["id"]
    credential = SoftCredential(rp_id=rp_id, user_handle=unb64url(options["user"]["id"]))
    attested = bytes(16) + struct.pack(">H", len(credential.credential_id)) + credential.credential_id
    auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", 0)
    auth_data += attested + credential.cose_key()
    attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
    data = client_data("webauthn.create", options["challenge"], origin)
    return credential, {
        "id": b64url(credential.credential_id),
        "rawId": b64url(credential.credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url(data),
            "attestationObject": b64url(attestation),
            "transports": ["internal"],
        },
        "clientExtensionResults": {},
    }


def get(
    credential: SoftCredential,
    options: dict,
    origin: str,
    rp_id: str | None = None,
    user_handle: bytes | None = None,
    flags: int = UP | UV,
) -> dict:
    """navigator.credentials.get(): the signed assertion the browser would send."""
    credential.counter += 1
    rp_id = rp_id or credential.rp_id
    auth_data = (
        hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", credential.counter)
    )
    data = client_data("webauthn.get", options["challenge"], origin)
    signature = credential.key.sign(auth_data + hashlib.sha256(data).digest(), ec.ECDSA(hashes.SHA256()))
    return {
        "id": b64url(credential.credential_id),
        "rawId": b64url(credential.credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url(data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
            "userHandle": b64url(user_handle if user_handle is not None else credential.user_handle),
        },
        "clientExtensionResults": {},
    }
