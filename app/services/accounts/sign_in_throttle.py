"""A brake on password guessing that cannot be turned against the account's owner
(OWASP ASVS 5.0 V6; docs/security.md#sign-in).

Failed password checks are counted three ways:

- per account *and* address, and per address (a window of WINDOW): after the free tries, each
  further try from that pair (or address) must wait, the wait doubling with every failure;
- per account, from any address (a window of ACCOUNT_WINDOW): past FREE_PER_ACCOUNT the account is
  *guarded*: each try waits, doubling likewise, and even the right password no longer signs in on
  its own: the owner is e-mailed a one-time sign-in link (app/services/accounts/sign_in_links.py),
  and the answer is the same whether the password was right or wrong, so guessing learns nothing;
- per recognised device (app/services/accounts/devices.py): a browser the owner signed in on before
  passes the address and account limits, until FREE_PER_DEVICE failures from it in WINDOW.

So nobody is locked out: the owner gets in at once on a device they used before (or by passkey,
which has no password to guess), and anywhere else through the e-mailed link; and they are told of
the failed tries at their next sign-in. The README and docs/security.md quote these constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import SignInAttempt, User, UserSession
from app.models.base import utcnow

WINDOW = timedelta(minutes=15)  # failures per address, per account and address, per device
FREE_PER_ACCOUNT_AND_ADDRESS = 5
FREE_PER_ADDRESS = 30  # many accounts tried from one place
ACCOUNT_WINDOW = timedelta(hours=1)  # failures on one account from anywhere
FREE_PER_ACCOUNT = 10
FREE_PER_DEVICE = 5
FIRST_WAIT = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=15)
TELL_OWNER_AFTER = 3  # failures on the account since its last sign-in


def waiting_time(failures: int, free: int) -> timedelta:
    """How long after the last failure the next try must wait: nothing for the free tries, then
    2 s, 4 s, 8 s … up to 15 minutes."""
    if failures < free:
        return timedelta(0)
    wait: timedelta = min(FIRST_WAIT * 2 ** min(failures - free, 20), LONGEST_WAIT)
    return wait


def guesses_per_hour_on_one_account() -> int:
    """The most password tries one account can be given in an hour from any number of addresses,
    each made as soon as it is allowed: FREE_PER_ACCOUNT at once, then one per growing wait."""
    tries, elapsed = 0, timedelta(0)
    while True:
        wait = waiting_time(tries, FREE_PER_ACCOUNT)
        if elapsed + wait >= ACCOUNT_WINDOW:
            return tries
        elapsed += wait
        tries += 1


def _failures(since: datetime, **match: object) -> tuple[int, datetime | None]:
    query = sa.select(sa.func.count(), sa.func.max(SignInAttempt.at)).where(SignInAttempt.at >= since)
    for column, value in match.items():
        query = query.where(getattr(SignInAttempt, column) == value)
    count, last = db.session.execute(query).one()
    return count or 0, last


def _wait(found: tuple[int, datetime | None], free: int, now: datetime) -> timedelta:
    count, last = found
    return last + waiting_time(count, free) - now if last else timedelta(0)


@dataclass(frozen=True)
class Verdict:
    """What a password try may do now: wait (how long), or go ahead; and whether the right
    password signs in or only sends the e-mailed link (the account is guarded)."""

    wait: timedelta = timedelta(0)
    guarded: bool = False


def verdict(email: str, address: str, device: str | None = None, now: datetime | None = None) -> Verdict:
    """The rules above for one try on the account `email` from `address` (and a recognised device)."""
    now = now or utcnow()
    if device is not None and _failures(now - WINDOW, device=device)[0] < FREE_PER_DEVICE:
        return Verdict()
    wait = _wait(_failures(now - WINDOW, email=email, ip_address=address), FREE_PER_ACCOUNT_AND_ADDRESS, now)
    if address:
        wait = max(wait, _wait(_failures(now - WINDOW, ip_address=address), FREE_PER_ADDRESS, now))
    on_account = _failures(now - ACCOUNT_WINDOW, email=email)
    wait = max(wait, _wait(on_account, FREE_PER_ACCOUNT, now))
    return Verdict(wait=max(wait, timedelta(0)), guarded=on_account[0] >= FREE_PER_ACCOUNT)


def record_failure(email: str, user: User | None, address: str, device: str | None = None) -> None:
    db.session.add(
        SignInAttempt(email=email, user_id=user.id if user else None, ip_address=address[:45], device=device)
    )


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
