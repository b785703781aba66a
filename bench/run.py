"""Page cost as a ratio to `/healthz`, measured in the same run on the same machine.

Starts gunicorn (2 sync workers, as in production) over a fresh SQLite database holding the demo
clinic, then drives each page with keep-alive connections from several threads for a fixed time.
Prints requests per second, p50/p95 latency, and each page's cost relative to `/healthz`, so the
numbers mean something on any machine. Loopback only; bounded in time.

    make bench            # or: .venv/bin/python bench/run.py --seconds 5 --threads 8
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"


def start_server(port: int, database: Path) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": SECRET,
        "HTMX_URL": "/static/vendor/htmx.min.js",
        "BACKTRACK_SESSION_COOKIE_SECURE": "false",
        "FLASK_APP": "wsgi",
    }
    flask = Path(sys.executable).parent / "flask"
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(flask), *command], cwd=ROOT, env=env, check=True, capture_output=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def sign_in(port: int, email: str) -> str:
    """Sign in through the real form and return the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/sign-in")
    response = connection.getresponse()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode()).group(1)
    body = urllib.parse.urlencode({"email": email, "password": "backtrack-demo", "csrf_token": token})
    connection.request(
        "POST", "/sign-in", body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    )
    response = connection.getresponse()
    response.read()
    return response.getheader("Set-Cookie").split(";")[0]


def drive(port: int, path: str, cookie: str, seconds: float, threads: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=5077)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(args.port, Path(tmp) / "bench.sqlite3")
        try:
            patient = sign_in(args.port, "patient@example.com")
            therapist = sign_in(args.port, "therapist@example.com")
            pages = [
                ("/healthz", ""),
                ("/sign-in", ""),
                ("/today", patient),
                ("/history", patient),
                ("/therapist/", therapist),
            ]
            print(f"{'page':<14}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'cost vs /healthz':>19}")
            baseline = None
            for path, cookie in pages:
                latencies = drive(args.port, path, cookie, args.seconds, args.threads)
                rate = len(latencies) / args.seconds
                p50 = statistics.median(latencies) * 1000
                p95 = statistics.quantiles(latencies, n=20)[18] * 1000
                baseline = baseline or rate
                print(f"{path:<14}{rate:>9.0f}{p50:>9.1f}{p95:>9.1f}{baseline / rate:>18.1f}x")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
