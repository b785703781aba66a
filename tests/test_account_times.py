"""The account page gives its times on the clinic's clock, like every other page a patient sees
(stored times are UTC; the clinic's time zone is a setting)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.extensions import db
from app.models import UserSession
from tests.conftest import Auth, text_of
from tests.factories import make_user


def test_sign_ins_are_listed_in_the_clinics_local_time(client):
    patient = make_user()
    Auth(client).login(patient.email)
    session = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == patient.id)).one()
    # An hour ago (a sign-in lasts 12 hours), stored as UTC like every time; the clinic is in New York.
    signed_in = (datetime.now(UTC) - timedelta(hours=1)).replace(minute=7, second=0, microsecond=0)
    session.created_at = signed_in.replace(tzinfo=None)
    db.session.commit()
    local = signed_in.astimezone(ZoneInfo("America/New_York"))
    clock = f"{local.hour % 12 or 12}:07 {'am' if local.hour < 12 else 'pm'}"
    page = text_of(client.get("/account"))
    sessions = page.split("Where you are signed in")[1].split("Sign out everywhere")[0]
    assert f"signed in {local:%a, %b} {local.day}, {clock} · last seen " in sessions
    assert "UTC" not in sessions
