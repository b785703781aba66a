"""The two ways a reminder leaves the app: e-mail through the clinic's SMTP server (configured
with the names Flask users know: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER) and web push (RFC 8291 encryption and a VAPID
signature, by pywebpush)."""

from __future__ import annotations

import base64
import json
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pywebpush import WebPushException, webpush

from app.models import PushSubscription

SMTP_TIMEOUT_SECONDS = 15
PUSH_TIMEOUT_SECONDS = 15
PUSH_TTL_SECONDS = 12 * 60 * 60  # a phone that is off for the night still gets it in the morning


class ChannelError(Exception):
    """A channel could not deliver now; a later run tries again."""


class SubscriptionGone(ChannelError):
    """The push service says this subscription no longer exists (404/410): remove it."""


def send_email(config: Mapping[str, Any], to: str, subject: str, body: str) -> None:
    server = config.get("MAIL_SERVER")
    if not server:
        raise ChannelError("e-mail is not configured (set MAIL_SERVER)")
    message = EmailMessage()
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or f"Backtrack <no-reply@{server}>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    port = int(config.get("MAIL_PORT") or (465 if config.get("MAIL_USE_SSL") else 25))
    try:
        smtp: smtplib.SMTP
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(
                server, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(server, port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise ChannelError(f"e-mail: {error}") from error


@dataclass(frozen=True)
class PushPayload:
    """What the service worker shows: never any health detail."""

    title: str
    body: str
    url: str
    tag: str

    def to_json(self) -> str:
        return json.dumps({"title": self.title, "body": self.body, "url": self.url, "tag": self.tag})


def send_push(config: Mapping[str, Any], subscription: PushSubscription, payload: PushPayload) -> None:
    private_key = config.get("VAPID_PRIVATE_KEY")
    if not private_key:
        raise ChannelError("web push is not configured (run `flask vapid-keys`)")
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload.to_json(),
            vapid_private_key=private_key,
            vapid_claims={"sub": config.get("VAPID_SUBJECT") or "mailto:admin@localhost"},
            timeout=PUSH_TIMEOUT_SECONDS,
            ttl=PUSH_TTL_SECONDS,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in (404, 410):
            raise SubscriptionGone(f"push: subscription gone ({status})") from error
        raise ChannelError(f"push: {status or error.message}") from error
    except OSError as error:  # requests' connection errors are OSErrors
        raise ChannelError(f"push: {error}") from error


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_vapid_keys() -> tuple[str, str]:
    """(private, public) as base64url: the private key's 32 bytes, the public key as the
    uncompressed point browsers take as `applicationServerKey`."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(private), _b64url(public)
