"""A busy morning: a crowd of patients signing in at once, through a real gunicorn with several
workers and the production password hashing, on SQLite and PostgreSQL alike. Every request must be
answered as it would be on a quiet day: no "database is locked", no 5xx (app/database.py says why
SQLite's reads and writes begin as they do)."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from argon2 import PasswordHasher

from app.database import configure_sqlite
from app.extensions import db
from app.models import Role, User
from bench.server import gunicorn_process
from tests.browser import CLOCKED_APP, live_server_environment
from tests.conftest import CSRF_PATTERN, PASSWORD, delete_all_rows

# 16 at once for 64 patients: the overlap a busy morning brings, each sign-in with its real hashing
# time. More patients only repeat the same overlap for longer (200 took over 5 minutes of the
# suite); the benchmark (bench/) drives the larger crowds.
PATIENTS = 64
AT_ONCE = 16  # people pressing "Sign in" at the same moment
WORKERS = 4
TIMEOUT = 120
PRODUCTION_HASHING = {  # app/config.py's defaults: the hash takes its real time inside the server
    "BACKTRACK_PASSWORD_HASH_TIME_COST": "3",
    "BACKTRACK_PASSWORD_HASH_MEMORY_KIB": "65536",
    "BACKTRACK_PASSWORD_HASH_PARALLELISM": "4",
}


def morning_of(base_url: str, email: str) -> list[tuple[str, int]]:
    """One patient's first minute: the sign-in page, the password, Today, and the phone asking for a
    fresh CSRF token to send the logs it kept offline. The status of every request, by name."""
    browser = requests.Session()
    statuses = []
    page = browser.get(f"{base_url}/sign-in", timeout=TIMEOUT)
    statuses.append(("sign-in page", page.status_code))
    token = CSRF_PATTERN.search(page.text)
    sent = browser.post(
        f"{base_url}/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    statuses.append(("password", sent.status_code))
    statuses.append(("today", browser.get(f"{base_url}/today", timeout=TIMEOUT).status_code))
    statuses.append(("csrf", browser.get(f"{base_url}/session/csrf", timeout=TIMEOUT).status_code))
    return statuses


@pytest.fixture
def patients(migrated_app):
    """PATIENTS active patients sharing one password, hashed with the production parameters."""
    stored = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    with migrated_app.app_context():
        delete_all_rows()
        emails = [f"morning{n}@example.com" for n in range(PATIENTS)]
        db.session.add_all(
            User(role=Role.PATIENT.value, full_name=f"Morning Patient {n}", email=email, password_hash=stored)
            for n, email in enumerate(emails)
        )
        db.session.commit()
    yield emails
    with migrated_app.app_context():
        delete_all_rows()


def test_a_crowd_of_concurrent_sign_ins_meets_no_error(migrated_app, database_url, patients):
    env = live_server_environment(database_url) | PRODUCTION_HASHING
    with gunicorn_process(env, app=CLOCKED_APP, seconds=60, workers=WORKERS) as (base_url, _server):
        started = time.monotonic()
        with ThreadPoolExecutor(AT_ONCE) as pool:
            mornings = list(pool.map(lambda email: morning_of(base_url, email), patients))
        seconds = time.monotonic() - started
    expected = {"sign-in page": 200, "password": 303, "today": 200, "csrf": 200}
    wrong = Counter(
        (name, status) for morning in mornings for name, status in morning if status != expected[name]
    )
    assert not wrong, f"{sum(wrong.values())} requests answered wrongly: {dict(wrong)}"
    requests_made = sum(len(morning) for morning in mornings)
    print(f"{PATIENTS} sign-ins, {requests_made} requests, {AT_ONCE} at once, {seconds:.1f} s, 0 errors")


@pytest.fixture
def sqlite_engine(tmp_path):
    """An engine set up as the app sets up SQLite (app/database.py), whatever this run's database."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'locks.sqlite3'}")
    configure_sqlite(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE visits (id INTEGER PRIMARY KEY, who TEXT)"))
    yield engine
    engine.dispose()


def test_a_read_never_waits_for_a_writer(sqlite_engine):
    """A session load or a CSRF fetch reads only: it must not queue behind a sign-in's write lock."""
    with sqlite_engine.connect() as writer, sqlite_engine.connect() as reader:
        writer.execute(sa.text("INSERT INTO visits (who) VALUES ('writer')"))  # holds the write lock
        started = time.monotonic()
        assert reader.execute(sa.text("SELECT count(*) FROM visits")).scalar_one() == 0
        assert time.monotonic() - started < 1
        reader.rollback()
        writer.commit()


def test_a_read_that_becomes_a_write_waits_for_the_lock_rather_than_failing(sqlite_engine):
    """Read, then another writer commits, then write: SQLite refuses to upgrade that snapshot at
    once ("database is locked", no busy wait); the write begins a write transaction instead."""
    with sqlite_engine.connect() as first, sqlite_engine.connect() as second:
        assert first.execute(sa.text("SELECT count(*) FROM visits")).scalar_one() == 0
        second.execute(sa.text("INSERT INTO visits (who) VALUES ('second')"))
        second.commit()
        first.execute(sa.text("INSERT INTO visits (who) VALUES ('first')"))
        first.commit()
        assert second.execute(sa.text("SELECT count(*) FROM visits")).scalar_one() == 2


def test_a_writer_holds_the_lock_from_its_first_write_to_its_commit(sqlite_engine):
    """Two writes in one transaction are not split by another writer's (the lock is taken once)."""
    with sqlite_engine.connect() as first, sqlite_engine.connect() as second:
        first.execute(sa.text("INSERT INTO visits (who) VALUES ('first')"))
        raw = second.connection.dbapi_connection
        raw.execute("PRAGMA busy_timeout=100")
        with pytest.raises(sa.exc.OperationalError, match="locked"):
            second.execute(sa.text("INSERT INTO visits (who) VALUES ('second')"))
        second.rollback()
        first.execute(sa.text("INSERT INTO visits (who) VALUES ('first again')"))
        first.commit()
