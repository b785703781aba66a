"""Fixtures: one migrated database per run (SQLite, or PostgreSQL when DATABASE_URL says so),
emptied after every test; a client that keeps CSRF on and signs in like a person."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Role
from app.services.audit.chain import allow_changes_for_maintenance
from tests.clock import controlled_clock

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.browser"]
PASSWORD = "correct horse battery staple"
TEST_SECRET = "test-secret-key-that-is-long-enough-to-pass-the-check"
TEST_AUDIT_KEY = "test-audit-key-that-is-long-enough-and-not-the-secret"
# The suite runs as production with the demo clinic's fictional phone numbers (live servers inherit
# this environment); tests/test_production_phones.py checks production refuses them without it.
os.environ["BACKTRACK_ALLOW_DEMO_PHONES"] = "true"

CHEAP_HASHING = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 1024,
    "PASSWORD_HASH_PARALLELISM": 1,
}
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_url_for_tests(tmp_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'backtrack-test.sqlite3'}"
    name = make_url(url.replace("postgres://", "postgresql://", 1)).database or ""
    if "test" not in name:
        pytest.exit(
            f"Refusing to run the tests against database {name!r}: its name must contain "
            "'test', because the tests delete every row.",
            returncode=2,
        )
    return url


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (`make test` runs one worker per core) each worker gets a PostgreSQL
    database of its own, `backtrack_test_gw0`, made beside the one named in DATABASE_URL; the
    environment says so, so that live servers and commands a test starts use it too. SQLite needs
    nothing: each worker has its own temporary folder."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and runs_on_postgresql():
        os.environ["DATABASE_URL"] = worker_database(os.environ["DATABASE_URL"], worker)


def worker_database(database_url: str, worker: str) -> str:
    """The URL of this worker's database, created when missing (the tests' role has CREATEDB)."""
    url = make_url(database_url.replace("postgres://", "postgresql://", 1))
    if url.database and url.database.endswith(f"_{worker}"):
        return database_url  # set already (a worker's own subprocess)
    name = f"{url.database}_{worker}"
    server = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with server.connect() as connection:
            exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def runs_on_postgresql() -> bool:
    """Whether this run's database is PostgreSQL (DATABASE_URL); SQLite otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    return bool(url) and make_url(url.replace("postgres://", "postgresql://", 1)).get_backend_name() == (
        "postgresql"
    )


SEVERAL_HOSTS_LEFT_OUT = pytest.StashKey[int]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Several app hosts share one database server: SQLite is one file on one machine, so on a
    SQLite run the `several_hosts` tests are left out (deselected, and said so at the end)."""
    if runs_on_postgresql():
        return
    left_out = [item for item in items if item.get_closest_marker("several_hosts")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("several_hosts")]
        config.stash[SEVERAL_HOSTS_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    left_out = config.stash.get(SEVERAL_HOSTS_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"several_hosts: {left_out} tests deselected: several app hosts need one PostgreSQL "
            "(run with DATABASE_URL=postgresql+psycopg://...)."
        )


def config_for_tests(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "DATABASE_URL": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "HTMX_URL": "/static/vendor/htmx.min.js",
        "CLINIC_PHONE": "+1 555 010 0199",
        **CHEAP_HASHING,
    }


def drop_everything() -> None:
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    metadata.drop_all(db.engine)


BULK_ACCOUNTS = 1000  # above this, PostgreSQL empties the tables with one TRUNCATE


def delete_all_rows() -> None:
    """Empty every table; the audit trail through its maintenance hatch (app/services/audit/chain.py),
    the one place that opens it. A DELETE is the cheap way for a test's few rows; after a bulk load
    on PostgreSQL (10,000 accounts) it checks every foreign key row by row (20 s), so there one
    TRUNCATE of every table empties them at once (the hatch lets a TRUNCATE through too)."""
    db.session.rollback()
    connection = db.session.connection()
    tables = list(reversed(db.metadata.sorted_tables))
    with allow_changes_for_maintenance(connection):
        users = next(table for table in tables if table.name == "users")
        bulk = connection.dialect.name == "postgresql" and (
            connection.execute(sa.select(sa.func.count()).select_from(users)).scalar_one() > BULK_ACCOUNTS
        )
        if bulk:
            names = ", ".join(connection.dialect.identifier_preparer.format_table(table) for table in tables)
            db.session.execute(sa.text(f"TRUNCATE {names}"))
        else:
            for table in tables:
                db.session.execute(table.delete())
        db.session.commit()
    forget_process_caches()


def forget_process_caches() -> None:
    """What the app process keeps between requests (the clinic settings, the versions seen signed
    off) describes rows just deleted."""
    for key in [key for key in current_app.extensions if key.startswith("backtrack.")]:
        del current_app.extensions[key]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return database_url_for_tests(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def migrated_app(database_url: str):
    """The app with its schema built by running the migrations, as in production."""
    application = create_app(config_for_tests(database_url))
    with application.app_context():
        drop_everything()
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def app(migrated_app):
    with migrated_app.app_context():
        yield migrated_app
        delete_all_rows()


class RequestIsolatingClient(FlaskClient):
    """The tests keep one app context open to set up data, and Flask reuses it for requests;
    clear `g` and expire loaded rows first, so each request starts as a real one would (Flask-Login
    caches the user in `g`, which would hide a revoked session)."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
            db.session.expire_all()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = RequestIsolatingClient
    return app.test_client()


@pytest.fixture(scope="session", autouse=True)
def clock() -> Iterator[datetime]:
    """Every test runs on a clock that starts at noon at the clinic today and ticks (tests/clock.py),
    so a run that crosses midnight cannot see the day change. Yields that noon."""
    with controlled_clock(datetime.now(UTC)) as noon:
        yield noon


@pytest.fixture
def clinic_open_all_day(app, monkeypatch) -> None:
    """The clinic answers the phone every day, all day: for tests of the "call the clinic today"
    words, which would otherwise read the after-hours line on a weekend run."""
    for key, value in {
        "CLINIC_OPEN_DAYS": "mon,tue,wed,thu,fri,sat,sun",
        "CLINIC_OPENS_AT": "00:00",
        "CLINIC_CLOSES_AT": "23:59",
    }.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def today(clock: datetime) -> date:
    """The clinic's day, the same for the whole run, in the tests, the app and the live server."""
    return clock.date()


class Auth:
    """Sign in the way a browser does: fetch the form, send its CSRF token back."""

    def __init__(self, client) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        token = csrf_token(self.client.get("/sign-in"))
        return self.client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})

    def logout(self):
        return self.client.post("/sign-out", data={"csrf_token": self.token()})

    def token(self) -> str:
        return csrf_token(self.client.get("/", follow_redirects=True))


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


# --- Signed-in people, for the tests of one audience (a file may define its own instead) ----------


@pytest.fixture
def patient(auth, today):
    """A patient at day 20 of their treatment, signed in."""
    from tests.factories import patient_on_day

    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    return patient


@pytest.fixture
def therapist(auth):
    """A therapist, signed in."""
    from tests.factories import make_user

    therapist = make_user(Role.THERAPIST, name="Sam Patel")
    auth.login(therapist.email)
    return therapist


@pytest.fixture
def admin(auth):
    """An admin, signed in."""
    from tests.factories import make_user

    admin = make_user(Role.ADMIN, name="Alex Morgan")
    auth.login(admin.email)
    return admin


def csrf_token(response) -> str:
    match = CSRF_PATTERN.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def text_of(response, status: int = 200) -> str:
    """The visible text of a response, whitespace folded, for readable assertions. The status is
    checked first, so "this text is absent" cannot pass on an error page or a redirect."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.location or ''}"
    )
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def checked_values(response, name: str) -> list[str]:
    """The values of the checked radio buttons / checkboxes called `name` on the page."""
    values = []
    for tag in re.findall(r"<input\b[^>]*>", response.get_data(as_text=True)):
        if f'name="{name}"' in tag and re.search(r"\schecked\b", tag):
            match = re.search(r'value="([^"]*)"', tag)
            values.append(match.group(1) if match else "")
    return values


class QueryCounter:
    """Counts SQL statements sent while it is active (to prove a page's count stays flat). BEGIN is
    not counted: SQLite's BEGIN IMMEDIATE is sent as a statement, PostgreSQL's is not seen here."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, _connection, _cursor, statement: str, *_args) -> None:
        if not statement.startswith("BEGIN"):
            self.count += 1
            self.statements.append(statement[:120])
            if os.environ.get("SHOW_STATEMENTS"):
                print("  SQL:", statement[:150].replace("\n", " "))
