"""The extra step when an account is being guessed at (app/services/accounts/sign_in_throttle.py):
the right password, from a device not recognised, e-mails the owner a one-time link instead of
signing in. Whoever guessed the password still cannot get in without the owner's mailbox; the owner
gets in with one click.

A link's token is random and stored only as a SHA-256 hash; it lasts LIFETIME, works once, and
opening it only shows a button (mail scanners open links): the sign-in is the button's POST. The
e-mail is sent once the response is out, so the time the answer takes does not tell a right
password from a wrong one.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from app.care import content
from app.extensions import db
from app.models import SignInLink, User
from app.models.base import utcnow
from app.services import audit
from app.services.accounts.accounts import token_digest
from app.services.between_visits.channels import ChannelError, send_email
from app.services.clinic.languages import speaking

LIFETIME = timedelta(minutes=15)
log = logging.getLogger("backtrack.sign_in")


def issue(user: User) -> str:
    """A new link for `user` (earlier unused ones stop working), on the record; the raw token."""
    now = utcnow()
    db.session.execute(
        sa.update(SignInLink)
        .where(SignInLink.user_id == user.id, SignInLink.used_at.is_(None), SignInLink.expires_at > now)
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(SignInLink(user_id=user.id, token_hash=token_digest(token), expires_at=now + LIFETIME))
    audit.record("sign_in_link_sent", patient_id=audit.patient_id_of(user), detail=f"To {user.email}")
    return token


def email_body(link: str) -> str:
    """The e-mail's words in the language in force (the owner's, inside `speaking`)."""
    minutes = int(LIFETIME.total_seconds() // 60)
    return content.render(gettext(content.SIGN_IN_LINK_EMAIL_BODY), minutes=minutes, link=link)


def subject_and_body(owner: User, link: str) -> tuple[str, str]:
    """The e-mail as its owner reads it: in their language (the clinic's default otherwise)."""
    with speaking(owner):
        return gettext(content.SIGN_IN_LINK_SUBJECT), email_body(link)


def send(config: Mapping[str, Any], to: str, link: str) -> None:
    """E-mail the link (after the response); a failure is logged, the owner can try again."""
    owner = db.session.scalar(sa.select(User).where(User.email == to))
    if owner is None:
        return
    subject, body = subject_and_body(owner, link)
    try:
        send_email(config, to, subject, body)
    except ChannelError:
        log.exception("the sign-in link to %s was not sent", to)


def usable(token: str) -> SignInLink | None:
    """The link for this token if it is unused, unexpired, and its account active."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(sa.select(SignInLink).where(SignInLink.token_hash == token_digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link if link.user.active else None


def use(link: SignInLink) -> User:
    link.used_at = utcnow()
    return link.user
