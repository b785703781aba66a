"""Page cost as a ratio to `/healthz`, measured in the same run on the same machine.

Starts gunicorn (2 sync workers, as in production) over a fresh SQLite database holding the demo
clinic, then drives each page with keep-alive connections from several threads for a fixed time.
Prints requests per second, p50/p95 latency, and each page's cost relative to `/healthz`, so the
numbers mean something on any machine. Loopback only; bounded in time.

    make bench            # or: .venv/bin/python bench/run.py --seconds 5 --threads 8
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.server import connect, demo_server, sign_in  # noqa: E402


def drive(base_url: str, path: str, cookie: str, seconds: float, threads: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        mine = []
        with closing(connect(base_url, timeout=30)) as connection:
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


def add_accounts(database: Path, count: int) -> None:
    """Fill the clinic to `count` more patient accounts, so the admin search is measured at size."""
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO users (email, full_name, role, active, is_demo, session_token, created_at) "
            "VALUES (?, ?, 'patient', 1, 1, ?, CURRENT_TIMESTAMP)",
            [(f"bench{n}@example.com", f"Bench Patient {n:05d}", f"bench-token-{n}") for n in range(count)],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--accounts", type=int, default=10_000, help="extra patient accounts for the admin search"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, demo_server(Path(tmp) / "bench.sqlite3") as base_url:
        add_accounts(Path(tmp) / "bench.sqlite3", args.accounts)
        patient = sign_in(base_url, "patient@example.com")
        therapist = sign_in(base_url, "therapist@example.com")
        admin = sign_in(base_url, "admin@example.com")
        pages = [
            ("/healthz", ""),
            ("/sign-in", ""),
            ("/today", patient),
            ("/history", patient),
            ("/therapist/", therapist),
            ("/admin/?q=ma", admin),
        ]
        print(f"{'page':<14}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'cost vs /healthz':>19}")
        baseline = None
        for path, cookie in pages:
            latencies = drive(base_url, path, cookie, args.seconds, args.threads)
            rate = len(latencies) / args.seconds
            p50 = statistics.median(latencies) * 1000
            p95 = statistics.quantiles(latencies, n=20)[18] * 1000
            baseline = baseline or rate
            print(f"{path:<14}{rate:>9.0f}{p50:>9.1f}{p95:>9.1f}{baseline / rate:>18.1f}x")


if __name__ == "__main__":
    main()
