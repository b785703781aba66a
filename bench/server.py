"""A throwaway demo server for measurements: gunicorn (2 workers) over a fresh SQLite database
holding the demo clinic, on loopback. Used by bench/run.py and scripts/lighthouse.py."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "measurement-secret-key-that-is-long-enough-0123456789"


@contextmanager
def demo_server(port: int, database: Path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": SECRET,
        "HTMX_URL": "/static/vendor/htmx.min.js",
        "BACKTRACK_SESSION_COOKIE_SECURE": "false",
        "FLASK_APP": "wsgi",
    }
    bin_dir = Path(sys.executable).parent
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(bin_dir / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(port: int) -> None:
    for _ in range(100):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            connection.close()  # an unclosed socket is a ResourceWarning, an error under -W error
    raise SystemExit("gunicorn did not start")


def sign_in(port: int, email: str) -> str:
    """Sign in through the real form; returns the session cookie ("name=value")."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    try:
        connection.request("GET", "/sign-in")
        response = connection.getresponse()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
        body = urllib.parse.urlencode({"email": email, "password": "backtrack-demo", "csrf_token": token})
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/sign-in", body, headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()  # an unclosed socket is a ResourceWarning, an error under -W error
    return response.getheader("Set-Cookie").split(";")[0]
