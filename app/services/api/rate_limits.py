"""Per-client rate limits: a fixed one-minute window counted in the database with one upsert, so
every app host counts against the same limit. Over it, the API answers 429 with Retry-After."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import ApiClient, RateWindow
from app.models.base import utcnow

WINDOW = timedelta(minutes=1)
KEEP = timedelta(hours=1)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends
    count: int
    limit: int


def forget_old_windows(client: ApiClient, now: datetime | None = None) -> None:
    """Old minutes are of no use: cleared when the client is given a token (not on every call,
    so a call costs one statement)."""
    cutoff = window_start(now or utcnow()) - KEEP
    db.session.execute(
        sa.delete(RateWindow).where(RateWindow.client_id == client.id, RateWindow.window_start < cutoff)
    )


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def count_call(client: ApiClient, now: datetime | None = None) -> Verdict:
    """Count this call in the client's current minute and say whether it is within the limit."""
    moment = now or utcnow()
    start = window_start(moment)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(RateWindow).values(client_id=client.id, window_start=start, count=1)
    upsert = upsert.on_conflict_do_update(
        index_elements=["client_id", "window_start"], set_={"count": RateWindow.count + 1}
    ).returning(RateWindow.count)
    count = int(db.session.scalar(upsert) or 1)
    if count == 1:  # the first call of a minute tidies the client's old windows away
        db.session.execute(
            sa.delete(RateWindow).where(
                RateWindow.client_id == client.id, RateWindow.window_start < start - KEEP
            )
        )
    retry_after = max(1, int((start + WINDOW - moment).total_seconds()) + 1)
    return Verdict(count <= client.requests_per_minute, retry_after, count, client.requests_per_minute)
