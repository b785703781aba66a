"""The account page gives its times on the clinic's clock, like every other page a patient sees
(stored times are UTC; the clinic's time zone is a setting)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import UserSession
from tests.conftest import Auth, text_of
from tests.factories import make_user


def test_sign_ins_are_listed_in_the_clinics_local_time(client):
    patient = make_user()
    Auth(client).login(patient.email)
    session = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == patient.id)).one()
    session.created_at = datetime(2026, 12, 1, 19, 1)  # UTC: 2:01 pm in New York
    db.session.commit()
    page = text_of(client.get("/account"))
    sessions = page.split("Where you are signed in")[1].split("Sign out everywhere")[0]
    assert "signed in Tue, Dec 1, 2:01 pm · last seen " in sessions
    assert "UTC" not in sessions
