"""A brake on password guessing that cannot be turned against the account's owner
(OWASP ASVS 5.0 V6; docs/security.md#sign-in).

Failed password checks are counted per account *and* address, and per address. After a few free
tries, each further try from that pair (or address) must wait, and the wait doubles with every
failure. Nobody is locked out: the owner, signing in from an address that has not been failing,
gets in at once, however many times a stranger guessed elsewhere; and the owner is told of those
tries at their next sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import SignInAttempt, User, UserSession
from app.models.base import utcnow

WINDOW = timedelta(minutes=15)  # failures older than this are forgotten
FREE_PER_ACCOUNT_AND_ADDRESS = 5
FREE_PER_ADDRESS = 30  # many accounts tried from one place
FIRST_WAIT = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=15)
TELL_OWNER_AFTER = 3  # failures on the account since its last sign-in


def waiting_time(failures: int, free: int) -> timedelta:
    """How long after the last failure the next try must wait: nothing for the free tries, then
    2 s, 4 s, 8 s … up to 15 minutes."""
    if failures < free:
        return timedelta(0)
    wait: timedelta = min(FIRST_WAIT * 2 ** (failures - free), LONGEST_WAIT)
    return wait


def _failures(since: datetime, **match: object) -> tuple[int, datetime | None]:
    query = sa.select(sa.func.count(), sa.func.max(SignInAttempt.at)).where(SignInAttempt.at >= since)
    for column, value in match.items():
        query = query.where(getattr(SignInAttempt, column) == value)
    count, last = db.session.execute(query).one()
    return count or 0, last


def wait_needed(email: str, address: str, now: datetime | None = None) -> timedelta:
    """How much longer a try for this account from this address must wait (zero: go ahead)."""
    now = now or utcnow()
    pair, pair_last = _failures(now - WINDOW, email=email, ip_address=address)
    wait = pair_last + waiting_time(pair, FREE_PER_ACCOUNT_AND_ADDRESS) - now if pair_last else timedelta(0)
    if address:
        here, here_last = _failures(now - WINDOW, ip_address=address)
        if here_last:
            wait = max(wait, here_last + waiting_time(here, FREE_PER_ADDRESS) - now)
    return max(wait, timedelta(0))


def record_failure(email: str, user: User | None, address: str) -> None:
    db.session.add(SignInAttempt(email=email, user_id=user.id if user else None, ip_address=address[:45]))


@dataclass(frozen=True)
class FailedTries:
    count: int
    last_at: datetime
    last_address: str


def tries_since_last_sign_in(user: User) -> FailedTries | None:
    """Failed password checks on this account since its last sign-in, when there were enough to
    tell the owner (asked as a new sign-in begins)."""
    previous = db.session.scalar(
        sa.select(sa.func.max(UserSession.created_at)).where(UserSession.user_id == user.id)
    )
    query = sa.select(SignInAttempt).where(SignInAttempt.user_id == user.id)
    if previous is not None:
        query = query.where(SignInAttempt.at > previous)
    attempts = db.session.scalars(query.order_by(SignInAttempt.at.desc())).all()
    if len(attempts) < TELL_OWNER_AFTER:
        return None
    return FailedTries(len(attempts), attempts[0].at, attempts[0].ip_address)


def failed_sign_in_words(email: str) -> str:
    """The audit detail of a failed sign-in."""
    return f"Tried to sign in as {email}"
