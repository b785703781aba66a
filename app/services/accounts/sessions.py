"""Sign-in sessions kept on the server (OWASP ASVS 5.0 V7; docs/security.md#sessions).

Each sign-in gets a random key; the cookie carries the key, the database only its SHA-256. A
request is signed in while that row is neither revoked nor timed out: signing out revokes it on
the server, so a copied cookie stops working at once, on any host. The last-seen time is written
at most once a minute, so a busy page does not write on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import g, has_request_context, request, session
from flask_login import login_user, logout_user

from app.care import content
from app.care.hours import Say
from app.extensions import db
from app.models import Role, User, UserSession
from app.models.base import utcnow
from app.services.clinic.settings import ClinicSettings, current_settings

LAST_SEEN_EVERY = timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta


def timeouts_for(user: User, settings: ClinicSettings) -> Timeouts:
    """Staff and patients each have their own limits (clinic settings)."""
    if user.has_role(Role.PATIENT):
        return Timeouts(
            timedelta(minutes=settings.patient_idle_minutes), timedelta(hours=settings.patient_max_hours)
        )
    return Timeouts(timedelta(minutes=settings.staff_idle_minutes), timedelta(hours=settings.staff_max_hours))


def expiry_reason(record: UserSession, timeouts: Timeouts, now: datetime) -> str | None:
    """Why this session has ended by `now` ("idle", "too long"), or None while it holds."""
    if now - record.created_at >= timeouts.absolute:
        return "too long"
    if now - record.last_seen_at >= timeouts.idle:
        return "idle"
    return None


def begin(user: User) -> None:
    """Sign `user` in on this device: a new session row and a new cookie. Whatever the cookie held
    before (an earlier sign-in, the CSRF token) is dropped, so nothing carries across."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=digest(key),
            created_at=now,
            last_seen_at=now,
            user_agent=(request.headers.get("User-Agent", "") if has_request_context() else "")[:200],
            ip_address=((request.remote_addr or "") if has_request_context() else "")[:45],
        )
    )
    session.clear()
    g.session_key = key
    login_user(user)


def load(key: str) -> User | None:
    """The user of a live session with this key (Flask-Login's user loader)."""
    record = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == digest(key), UserSession.revoked_at.is_(None))
    )
    if record is None or not record.user.active:
        return None
    now = utcnow()
    reason = expiry_reason(record, timeouts_for(record.user, current_settings()), now)
    if reason is not None:
        record.revoked_at, record.revoked_reason = now, reason
        db.session.commit()
        return None
    if now - record.last_seen_at >= LAST_SEEN_EVERY:
        record.last_seen_at = now
        db.session.commit()
    g.user_session_id, g.session_key = record.id, key
    return record.user


def current_session_id() -> int | None:
    session_id: int | None = g.get("user_session_id")
    return session_id


def end_current() -> None:
    """Sign out here: the row is revoked on the server, then the cookie forgets it."""
    session_id = current_session_id()
    if session_id is not None:
        revoke(sa.select(UserSession.id).where(UserSession.id == session_id), "signed out")
    logout_user()
    session.clear()


def revoke(ids: sa.Select[int], reason: str) -> None:
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id.in_(ids), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def revoke_all(user: User, reason: str, keep_current: bool = False) -> None:
    """End every session of this user (all but this request's, when `keep_current`)."""
    ids = sa.select(UserSession.id).where(UserSession.user_id == user.id)
    if keep_current and current_session_id() is not None:
        ids = ids.where(UserSession.id != current_session_id())
    revoke(ids, reason)


def revoke_one(user: User, session_id: int) -> bool:
    """End one of this user's own sessions; False when it is not theirs or already over."""
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id or record.revoked_at is not None:
        return False
    record.revoked_at, record.revoked_reason = utcnow(), "ended from the account page"
    return True


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still hold, newest first (the account page's list)."""
    rows = db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    now, timeouts = utcnow(), timeouts_for(user, current_settings())
    return [row for row in rows if expiry_reason(row, timeouts, now) is None]


BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Linux", "Linux"),
)


def device_words(user_agent: str, say: Say = content.render) -> str:
    """ "Chrome on Android": enough for a person to recognise their own phone in a list, in the
    words `say` gives (the page's language)."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    if "HeadlessChrome" in user_agent:
        browser = "Chrome"
    shown = browser or say(content.DEVICE_A_BROWSER)
    return say(content.DEVICE_BROWSER_ON, browser=shown, system=system) if system else shown
