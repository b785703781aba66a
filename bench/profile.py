"""Where one page's time goes: pyinstrument over a few requests through Flask's test client, in this
process, against a clinic `make bench` built (bench/run.py keeps it for the day).

    .venv/bin/python bench/profile.py --database postgresql --patients 5000 dashboard
    .venv/bin/python bench/profile.py --patients 500 today --html /tmp/today.html
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pyinstrument import Profiler

from bench.clinic import bench_app, prepare_pages
from bench.run import database_url
from bench.server import SECRET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a page key of bench/clinic.py: today, dashboard, record, rtm, ...")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    args = parser.parse_args()
    app = bench_app(database_url(args.database, args.patients), SECRET)
    page = next(p for p in prepare_pages(app) if p.key == args.page)
    client = app.test_client(use_cookies=False)

    def send(n: int) -> int:
        request = page.requests[n % len(page.requests)]
        body = request.sample_body(int(time.time() * 1000) + n)
        return client.open(
            request.path, method=request.method, data=body, headers=request.headers()
        ).status_code

    send(0)  # warm: templates compiled, caches filled
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        statuses = [send(n) for n in range(1, args.requests + 1)]
    each = (time.perf_counter() - started) / args.requests * 1000
    print(f"{page.label}: {args.requests} requests, {each:.0f} ms each (statuses {sorted(set(statuses))})")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html())


if __name__ == "__main__":
    main()
