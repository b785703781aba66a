"""`make run` as a developer meets it: it always comes up, a second one never rebuilds the demo under
the first, and after use it starts cleanly again. Runs scripts/run-demo (what `make run` calls) on a
database of its own, on a port the system picks."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CHEAP_HASHING, ROOT, TEST_SECRET

RUNNING_ON = re.compile(r"Running on (http://localhost:\d+)")  # passkeys refuse an IP address


@pytest.fixture
def demo_env(tmp_path: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "RUN_LOCK": str(tmp_path / "make-run.lock"),
        "PORT": "0",
        "BACKTRACK_ENV": "development",
        "SECRET_KEY": TEST_SECRET,
        "HTMX_URL": "/static/vendor/htmx.min.js",
        "FLASK_APP": "wsgi",
        **{f"BACKTRACK_{key}": str(value) for key, value in CHEAP_HASHING.items()},
    }


@contextmanager
def make_run(env: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    """Start scripts/run-demo; yield its address once it serves, and the lines it printed."""
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run-demo")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120  # migrations and the demo, on a busy machine
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip())
            if match := RUNNING_ON.search(line):
                yield match.group(1), lines
                break
            assert time.monotonic() < deadline, lines
        else:
            raise AssertionError(f"run-demo stopped: {lines}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def health(url: str) -> int:
    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
        return response.status


def count(env: dict[str, str], sql: str) -> int:
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchone()[0]


def test_a_second_make_run_serves_without_rebuilding_the_demo_under_the_first(demo_env):
    with make_run(demo_env) as (first_url, first_lines):
        assert health(first_url) == 200
        assert any("Demo clinic ready" in line for line in first_lines)
        accounts = count(demo_env, "SELECT count(*) FROM users")  # as many as the admin lists
        assert any(f"Demo clinic ready ({accounts} accounts" in line for line in first_lines)
        assert any("past01@example.com … past20@example.com" in line for line in first_lines)
        # Someone uses the demo while it runs: a note only the running demo holds.
        path = demo_env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            connection.execute(
                "INSERT INTO clinical_notes (patient_id, author_id, body, created_at) "
                "SELECT id, id, 'written while serving', CURRENT_TIMESTAMP FROM users LIMIT 1"
            )
        with make_run(demo_env) as (second_url, second_lines):
            assert health(second_url) == 200
            assert second_url != first_url
            assert any("Another 'make run' is serving this database" in line for line in second_lines)
            assert not any("Demo clinic ready" in line for line in second_lines)
        assert count(demo_env, "SELECT count(*) FROM clinical_notes") == 1
    with make_run(demo_env) as (url, lines):  # both stopped: the next one starts a fresh demo
        assert health(url) == 200
        assert any("Demo clinic ready" in line for line in lines)
        assert count(demo_env, "SELECT count(*) FROM clinical_notes") == 0


def test_make_run_serves_a_database_with_real_accounts_and_says_why_the_demo_is_left(demo_env):
    with make_run(demo_env):
        pass
    path = demo_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO users (email, full_name, role, active, is_demo, created_at) "
            "VALUES ('real@example.com', 'Real Person', 'patient', 1, 0, CURRENT_TIMESTAMP)"
        )
    with make_run(demo_env) as (url, lines):
        assert health(url) == 200
        assert any("1 real (non-demo) account" in line and "make reset" in line for line in lines)
        assert count(demo_env, "SELECT count(*) FROM users WHERE email = 'real@example.com'") == 1
