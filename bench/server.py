"""gunicorn (sync workers, 2 unless told) on loopback, for measurements and for the browser tests.

No fixed port, and no "find a free port, then hope it is still free": the listening socket is
bound here on port 0 and handed to gunicorn (`--bind fd://N`), so it is ours from the start.
Every HTTP connection opened here is closed, also after a timeout or an error. Used by
bench/run.py, scripts/lighthouse.py, scripts/screenshots.py, tests/browser.py and
tests/test_several_hosts.py.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "measurement-secret-key-that-is-long-enough-0123456789"
AUDIT_KEY = "measurement-audit-key-that-is-long-enough-0123456789"
DEMO_PASSWORD = "backtrack-demo"


# How long a server may take to answer its first /healthz: on a quiet machine 1-2 s, but with a
# test worker on each core also starting Chromium, importing the app in two workers takes longer
# (past 60 s at a load average of 10).
START_SECONDS = 120


@contextmanager
def gunicorn(
    env: Mapping[str, str],
    app: str = "wsgi:app",
    seconds: float = START_SECONDS,
    options: tuple[str, ...] = (),
) -> Iterator[str]:
    """gunicorn serving `app` with exactly `env` (and these command-line `options`); yields its
    base URL once /healthz answers 200."""
    with gunicorn_process(env, app, seconds, options=options) as (base_url, _process):
        yield base_url


@contextmanager
def gunicorn_process(
    env: Mapping[str, str],
    app: str = "wsgi:app",
    seconds: float = START_SECONDS,
    workers: int = 2,
    options: tuple[str, ...] = (),
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The same, yielding the master process too (the benchmark reads its workers' memory)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        fd = listener.fileno()
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"fd://{fd}"]
        process = subprocess.Popen(
            [*command, "--log-level", "warning", *options, app], cwd=ROOT, env=dict(env), pass_fds=(fd,)
        )
        base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    # gunicorn holds its own copy of the socket now; ours is closed, so the port lives as long as it.
    try:
        wait_until_healthy(base_url, process, seconds)
        yield base_url, process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """End a server we started: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_healthy(base_url: str, process: subprocess.Popen, seconds: float) -> None:
    """The socket accepts at once (the kernel queues connections), so wait for an answer instead."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with closing(connect(base_url, timeout=2)) as connection:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn did not answer /healthz within {seconds} s")


def connect(base_url: str, timeout: float | None = None) -> http.client.HTTPConnection:
    """A connection to the server at `base_url`; the caller closes it."""
    parts = urllib.parse.urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def sign_in(base_url: str, email: str, password: str = DEMO_PASSWORD) -> str:
    """Sign in through the real form; returns the session cookie ("name=value")."""
    with closing(connect(base_url, timeout=30)) as connection:
        connection.request("GET", "/sign-in")
        response = connection.getresponse()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
        body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/sign-in", body, headers)
        response = connection.getresponse()
        response.read()
        if response.status != 303:
            raise RuntimeError(f"signing in as {email} answered {response.status}")
        # Every cookie the sign-in sets (the session, and the recognised device beside it).
        return "; ".join(
            value.split(";")[0] for name, value in response.getheaders() if name.lower() == "set-cookie"
        )


@contextmanager
def demo_server(database: Path, **settings: str) -> Iterator[str]:
    """A throwaway demo clinic: a fresh SQLite database, migrated and seeded, served by gunicorn;
    `settings` add to its environment (`LANGUAGES="en es"`)."""
    env = (
        os.environ
        | settings
        | {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": SECRET,
            "AUDIT_KEY": AUDIT_KEY,
            "HTMX_URL": "/static/vendor/htmx.min.js",
            "BACKTRACK_SESSION_COOKIE_SECURE": "false",
            "BACKTRACK_ALLOW_DEMO_PHONES": "true",  # the demo clinic's fictional numbers, on purpose
            "FLASK_APP": "wsgi",
        }
    )
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "flask", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    with gunicorn(env) as base_url:
        yield base_url
