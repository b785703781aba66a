"""`make test` as CI calls it (.ci/run): everything on PostgreSQL, everything but the browser tests
on SQLite (`BROWSERS=no`), so the browser tests run once and CI stays inside its time."""

from __future__ import annotations

import os
import shlex
import subprocess

from tests.conftest import ROOT


def pytest_command(*make_args: str) -> list[str]:
    """The pytest command line `make test` would run (make's dry run prints it, runs nothing).

    The suite itself runs under `make test BROWSERS=no` in CI, and make hands its command-line
    variables to children (MAKEFLAGS and the environment): the dry run starts without them."""
    inherited = {"BROWSERS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    env = {name: value for name, value in os.environ.items() if name not in inherited}
    printed = subprocess.run(
        ["make", "-n", "test", *make_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in printed.splitlines() if " -m pytest" in line)
    return shlex.split(line)


def test_browsers_no_leaves_out_exactly_the_browser_tests():
    assert pytest_command("BROWSERS=no")[-2:] == ["-m", "not e2e"]
    assert "not e2e" not in pytest_command()


def test_ci_runs_the_browser_tests_on_postgresql_and_everything_else_on_both():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    calls = [line for line in lines if "make test" in line and not line.startswith(("#", "echo"))]
    assert calls == [
        "make test BROWSERS=no",
        "DATABASE_URL=postgresql+psycopg://backtrack:backtrack@127.0.0.1:5432/backtrack_test make test",
    ]
