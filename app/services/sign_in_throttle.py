"""A brake on password guessing, counted from the audit trail's failed sign-ins: per account
(so one person's password cannot be worked through) and per address (so many accounts cannot
be tried from one place)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent
from app.models.base import utcnow

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 10
PER_ADDRESS = 50


def failed_sign_in_words(email: str) -> str:
    """The audit detail of a failed sign-in, also what the per-account count matches."""
    return f"Tried to sign in as {email}"


def failed_sign_ins(**match: str) -> int:
    since = utcnow() - WINDOW
    query = (
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "sign_in_failed", AuditEvent.at >= since)
    )
    for column, value in match.items():
        query = query.where(getattr(AuditEvent, column) == value)
    return db.session.scalar(query) or 0


def too_many_tries(email: str, address: str) -> bool:
    return (
        failed_sign_ins(detail=failed_sign_in_words(email)) >= PER_ACCOUNT
        or bool(address)
        and failed_sign_ins(ip_address=address) >= PER_ADDRESS
    )
