"""A stand-in for a browser's push service, on loopback: it accepts web push requests (RFC 8030),
checks the VAPID signature (RFC 8292) and decrypts the payload with the subscription's private
keys (RFC 8291), as a phone's browser would. Paths ending in /gone answer 410, /broken 500."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """The keys a browser makes when it subscribes."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


@dataclass
class Delivery:
    path: str
    payload: dict
    vapid_key: str
    claims: dict
    ttl: str


def verify_vapid(header: str, audience: str) -> tuple[str, dict]:
    """The VAPID public key and claims of an `Authorization: vapid t=…, k=…` header, after checking
    the ES256 signature, the audience and the expiry."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid", header
    parts = dict(item.strip().split("=", 1) for item in params.split(","))
    token, key = parts["t"], parts["k"]
    head, body, signature = token.split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    claims = json.loads(unb64url(body))
    assert claims["aud"] == audience, claims
    assert claims["exp"] > time.time(), claims
    assert claims["exp"] <= time.time() + 24 * 3600, claims
    return key, claims


class PushService:
    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.deliveries: list[Delivery] = []
        self.errors: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if self.path.endswith("/gone"):
                    self.send_response(410)
                elif self.path.endswith("/broken"):
                    self.send_response(500)
                else:
                    try:
                        service.receive(self.path, self.headers, body)
                        self.send_response(201)
                    except Exception as error:  # reported to the test, answered as a refusal
                        service.errors.append(repr(error))
                        self.send_response(400)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, name: str) -> tuple[str, Browser]:
        """A new subscription's endpoint and its browser's keys."""
        browser = Browser()
        self.browsers[f"/push/{name}"] = browser
        return f"{self.origin}/push/{name}", browser

    def receive(self, path: str, headers, body: bytes) -> None:
        assert headers.get("Content-Encoding") == "aes128gcm", headers
        key, claims = verify_vapid(headers["Authorization"], self.origin)
        browser = self.browsers[path]
        plain = http_ece.decrypt(
            body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
        )
        self.deliveries.append(Delivery(path, json.loads(plain), key, claims, headers.get("TTL", "")))
