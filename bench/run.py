"""The benchmark: every page of a synthetic clinic at scale, under load, on SQLite or PostgreSQL.

    make bench                                   # SQLite and PostgreSQL, 500 and 5,000 patients
    make bench DB=postgresql PATIENTS=50000 WORKERS=2
    .venv/bin/python bench/run.py --database sqlite --patients 500 --seconds 3

For each database and size: build the synthetic clinic (`flask --app bench.app build-clinic`,
bench/synthetic.py) unless the same one was built today, sign the measured people in (server-side
sessions made by the app's own code, bench/clinic.py), count each page's SQL statements in one
instrumented request in this process, then serve the real app under gunicorn (sync workers) and
drive each page with `wrk` and bench/load.lua for a few seconds from many distinct signed-in people.
Then the same app behind nginx with gzip (bench/proxy.py, as docs/deploying.md recommends) gives
each page's compressed size and the throughput of a few pages when the client accepts gzip.

Prints a markdown table and saves it under bench/results/ with the machine, database, data size and
commit; a run at more than 500 patients is compared with the 500-patient run of the same database
(statements identical, p95 within 1.5x). Loopback only; bounded in time (about a minute a run
after the build).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app.extensions import db  # noqa: E402
from app.services.clinic.settings import clinic_today_now  # noqa: E402
from bench.clinic import Page, Request, bench_app, measure_sizes, measure_statements, prepare_pages  # noqa: E402
from bench.drawings import report as drawings_report  # noqa: E402
from bench.proxy import nginx  # noqa: E402
from bench.server import AUDIT_KEY, SECRET, connect, gunicorn_process  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LOAD_SCRIPT = ROOT / "bench" / "load.lua"
POSTGRESQL_URL = "postgresql+psycopg://backtrack:backtrack@127.0.0.1:5432/backtrack_bench_{patients}"
SCALING_P95 = 1.5
SLOW_TIMEOUT = 600  # seconds: a whole-clinic report at 50,000 patients may take long
GIT = shutil.which("git") or "/usr/bin/git"
GZIP_PAGES = ("healthz", "today", "dashboard")  # also driven through nginx with gzip


@dataclass(frozen=True)
class Target:
    ratio: float | None = None  # requests/s at least this share of /healthz's
    statements: int | None = None
    body_bytes: int | None = None
    p95_ms: float | None = None


TARGETS = {  # the read model's targets (README: "The benchmark"); a page's size is its largest request's
    "today": Target(0.25, 6, 25_000),
    "log-post": Target(0.2, 8, 4_000),
    "tick": Target(0.2, 8),
    "dashboard": Target(0.15, 8, p95_ms=100),
    "record": Target(0.1, body_bytes=40_000),
    "admin-search": Target(0.2, 4),
    "outcomes": Target(p95_ms=300),
    "rtm": Target(p95_ms=300),
}


@dataclass
class Result:
    key: str
    label: str
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    statements: int
    body_bytes: int
    gzip_bytes: int
    peak_mib: float
    largest_bytes: int = 0
    ratio: float = 0.0
    notes: str = ""


# --- The database ----------------------------------------------------------------------------------


def database_url(database: str, patients: int) -> str:
    if database == "sqlite":
        folder = ROOT / "instance"
        folder.mkdir(exist_ok=True)
        return f"sqlite:///{folder / f'bench-{patients}.sqlite3'}"
    return os.environ.get("BENCH_DATABASE_URL", POSTGRESQL_URL).format(patients=patients)


def app_env(url: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "AUDIT_KEY": AUDIT_KEY,
        "HTMX_URL": "/static/vendor/htmx.min.js",
        "BACKTRACK_SESSION_COOKIE_SECURE": "false",
        "BACKTRACK_PROXY_FIX_X_FOR": "1",
        "BACKTRACK_ALLOW_DEMO_PHONES": "true",  # the synthetic clinic's fictional numbers, on purpose
        "FLASK_APP": "wsgi",
    }


def built_today(url: str, patients: int) -> bool:
    """Whether the database holds a synthetic clinic of exactly `patients` built today, the clinic's
    today (the data is relative to the day it was built; past midnight UTC an evening in New York
    is still the day it was built on)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.scalar(sa.text("SELECT count(*) FROM users WHERE role = 'patient'"))
            latest = connection.scalar(sa.text("SELECT max(day) FROM daily_logs"))
            synthetic = connection.scalar(
                sa.text("SELECT count(*) FROM users WHERE email LIKE 'admin1@synthetic%'")
            )
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    return count == patients and synthetic == 1 and str(latest)[:10] == clinic_today(url).isoformat()


def clinic_today(url: str) -> date:
    """The clinic's day now, as the app works it out (its time zone) for this database."""
    app = bench_app(url, SECRET)
    with app.app_context():
        today = clinic_today_now()
        db.engine.dispose()
    return today


def empty_database(url: str) -> None:
    """SQLite: delete the file. PostgreSQL: create the database if missing, else drop its schema."""
    address = sa.make_url(url)
    if address.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{address.database}{suffix}").unlink(missing_ok=True)
        return
    server = sa.create_engine(address.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": address.database}
        )
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{address.database}"')
    server.dispose()
    engine = sa.create_engine(address, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def prepare_database(url: str, patients: int, rebuild: bool) -> str:
    """The clinic, built unless today's is there; returns what the build said (or that it was kept)."""
    env = app_env(url)
    if not rebuild and built_today(url, patients):
        upgrade = [sys.executable, "-m", "flask", "db", "upgrade"]
        subprocess.run(upgrade, cwd=ROOT, env=env, check=True, capture_output=True)
        return "kept the clinic built earlier today"
    empty_database(url)
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "bench.app",
        "build-clinic",
        "--patients",
        str(patients),
    ]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    print(done.stdout.strip(), flush=True)
    return f"built in {time.monotonic() - started:.0f} s (the command, migrations included)"


# --- Driving one page ---------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_requests(path: Path, requests: list[Request], gzip: bool) -> None:
    lines = ["return {"]
    for request in requests:
        headers = request.headers() | ({"Accept-Encoding": "gzip"} if gzip else {})
        table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        lines.append(
            f"  {{method = {lua_string(request.method)}, path = {lua_string(request.path)}, "
            f"headers = {{{table}}}, body = {lua_string(request.body) if request.body else 'nil'}, "
            f"fresh = {str(request.fresh_key).lower()}, toggle = {str(request.toggle).lower()}}},"
        )
    lines.append("}")
    path.write_text("\n".join(lines) + "\n")


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextlib.contextmanager
def peak_memory(master: int) -> Iterator[list[float]]:
    """The largest resident size of any one worker while the block runs, sampled every 50 ms."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max([peak[0], *(rss_mib(pid) for pid in worker_pids(master))])
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def run_wrk(
    base_url: str, page: Page, args: argparse.Namespace, folder: Path, gzip: bool = False
) -> dict[str, Any]:
    requests_file = folder / f"{page.key}.lua"
    write_requests(requests_file, page.requests, gzip)
    connections = page.connections or args.connections
    threads = min(args.threads, connections)
    command = [
        args.wrk, "-t", str(threads), "-c", str(connections), "-d", f"{args.seconds}s", "--timeout", "10s",
        "-s", str(LOAD_SCRIPT), base_url,
    ]  # fmt: skip
    env = os.environ | {"BENCH_REQUESTS": str(requests_file), "BENCH_NONCE": f"{int(time.time() * 1000)}"}
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=args.seconds + 60, check=True
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures for {page.key}: {done.stdout}\n{done.stderr}")
    return json.loads(line[len("BENCH ") :])


def sequential(base_url: str, page: Page, count: int, gzip: bool = False) -> dict[str, Any]:
    """`count` requests one after another on one connection, with wrk's figures: for a page too slow
    to finish several requests in wrk's few seconds (and as the warm-up of every page)."""
    latencies, errors, size = [], 0, 0
    nonce = int(time.time() * 1000)
    with closing(connect(base_url, timeout=SLOW_TIMEOUT)) as connection:
        for n in range(count):
            request = page.requests[n % len(page.requests)]
            started = time.perf_counter()
            headers = request.headers() | ({"Accept-Encoding": "gzip"} if gzip else {})
            connection.request(request.method, request.path, request.sample_body(nonce + n), headers)
            response = connection.getresponse()
            size += len(response.read())
            latencies.append(int((time.perf_counter() - started) * 1e6))
            errors += response.status >= 400
    ordered = sorted(latencies)

    def percentile(share: float) -> int:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return {
        "requests": count,
        "duration_us": sum(latencies),
        "bytes": size,
        "connect": 0,
        "read": 0,
        "write": 0,
        "status": errors,
        "timeout": 0,
        "p50": percentile(0.5),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "max": ordered[-1],
        "fastest": ordered[0],
    }


def errors_of(figures: dict[str, Any]) -> int:
    return sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))


def wire_bytes(base_url: str, request: Request, gzip: bool) -> tuple[int, str]:
    """The body's size on the wire for one request (not decompressed) and its Content-Encoding."""
    headers = request.headers() | ({"Accept-Encoding": "gzip"} if gzip else {})
    with closing(connect(base_url, timeout=SLOW_TIMEOUT)) as connection:
        connection.request(request.method, request.path, request.sample_body(time.time_ns()), headers)
        response = connection.getresponse()
        body = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{request.path} answered {response.status} through the proxy")
        return len(body), response.getheader("Content-Encoding") or ""


def measure(args: argparse.Namespace, database: str, patients: int) -> dict[str, Any]:
    url = database_url(database, patients)
    print(f"\n== {database}, {patients:,} patients ({sa.make_url(url).render_as_string()})", flush=True)
    build = prepare_database(url, patients, args.rebuild)
    print(f"   {build}", flush=True)
    app = bench_app(url, SECRET)
    pages = prepare_pages(app)
    if args.pages:
        pages = [p for p in pages if p.key in args.pages or p.key == "healthz"]
    for page in pages:
        measure_statements(app, page)
        target = TARGETS.get(page.key)
        if target is not None and target.body_bytes is not None and page.requests[0].method == "GET":
            measure_sizes(app, page)
    data = data_size(app)
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    env = app_env(url)
    results: list[Result] = []
    gzip_runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="backtrack-bench-") as tmp:
        folder = Path(tmp)
        options = ("--timeout", str(SLOW_TIMEOUT))
        with gunicorn_process(env, workers=args.workers, seconds=60, options=options) as (base_url, master):
            for page in pages:
                # Warm up, and find out whether the page is too slow for wrk's few seconds (under 10
                # requests a connection): one request, and a second unless the first was very slow.
                threshold = args.seconds * 1e6 / 10
                slow = sequential(base_url, page, 1)["fastest"] > 5 * threshold
                slow = slow or sequential(base_url, page, 1)["fastest"] > threshold
                with peak_memory(master.pid) as peak:
                    figures = sequential(base_url, page, 2) if slow else run_wrk(base_url, page, args, folder)
                results.append(result_of(page, figures, peak[0]))
                if slow:
                    note = "too slow for wrk: 2 requests one at a time"
                    results[-1].notes = "; ".join(filter(None, [results[-1].notes, note]))
                print(
                    f"   {page.key:<13} {results[-1].rps:>8.1f} req/s  p95 {results[-1].p95_ms:>8.1f} ms",
                    flush=True,
                )
            with nginx([base_url], folder / "nginx", gzip=True) as proxy_url:
                for page, result in zip(pages, results, strict=True):
                    size, encoding = wire_bytes(proxy_url, page.requests[0], gzip=True)
                    result.gzip_bytes = size if encoding == "gzip" else result.body_bytes
                for page, result in zip(pages, results, strict=True):
                    if page.key in GZIP_PAGES:
                        if "too slow" in result.notes:
                            figures = sequential(proxy_url, page, 2, gzip=True)
                        else:
                            figures = run_wrk(proxy_url, page, args, folder, gzip=True)
                        gzip_runs.append(
                            {
                                "key": page.key,
                                "rps": figures["requests"] / (figures["duration_us"] / 1e6),
                                "p95_ms": figures["p95"] / 1000,
                                "bytes": figures["bytes"] / max(1, figures["requests"]),
                                "errors": errors_of(figures),
                            }
                        )
    verified = verify_summaries(env)
    print(f"   {verified}", flush=True)
    baseline = results[0].rps or 1.0
    for result in results:
        result.ratio = result.rps / baseline
    gzip_base = gzip_runs[0]["rps"] if gzip_runs else 1.0
    for run in gzip_runs:
        run["ratio"] = run["rps"] / gzip_base
    return {
        "database": database,
        "server": server_version(url),
        "patients": patients,
        "data": data,
        "build": build,
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "results": [asdict(r) for r in results],
        "gzip": gzip_runs,
        "summaries": verified,
    }


def verify_summaries(env: dict[str, str]) -> str:
    """`flask summaries verify` after the load (every log POST and tick kept them): its verdict."""
    command = [sys.executable, "-m", "flask", "summaries", "verify"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[-1] if done.returncode == 0 and lines else "FAILED: " + "; ".join(lines[:5])


def result_of(page: Page, figures: dict[str, Any], peak: float) -> Result:
    seconds = figures["duration_us"] / 1e6
    return Result(
        key=page.key,
        label=page.label,
        requests=figures["requests"],
        rps=figures["requests"] / seconds,
        p50_ms=figures["p50"] / 1000,
        p95_ms=figures["p95"] / 1000,
        p99_ms=figures["p99"] / 1000,
        errors=errors_of(figures),
        statements=page.statements,
        body_bytes=page.body_bytes,
        gzip_bytes=0,
        peak_mib=peak,
        largest_bytes=page.largest_bytes,
        notes="; ".join(page.notes),
    )


def data_size(app: Any) -> dict[str, int]:
    from app.extensions import db

    tables = (
        "users",
        "daily_logs",
        "exercise_ticks",
        "questionnaire_responses",
        "messages",
        "alerts",
        "audit_events",
    )
    with app.app_context():
        found = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) or 0 for t in tables}  # noqa: S608
        found["open alerts"] = (
            db.session.scalar(sa.text("SELECT count(*) FROM alerts WHERE acknowledged_at IS NULL")) or 0
        )
        found["therapists"] = (
            db.session.scalar(sa.text("SELECT count(*) FROM users WHERE role = 'therapist'")) or 0
        )
        db.session.remove()
    return found


def server_version(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            version = "SQLite " + connection.scalar(sa.text("SELECT sqlite_version()"))
        else:
            version = str(connection.scalar(sa.text("SHOW server_version"))).split()[0]
            version = f"PostgreSQL {version}"
    engine.dispose()
    return version


# --- The report --------------------------------------------------------------------------------------


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory = 0.0
    with contextlib.suppress(OSError, StopIteration):
        memory = (
            int(
                next(
                    ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
                ).split()[1]
            )
            / 1024**2
        )
    system = f"{platform.system()} {platform.release()}"
    return f"{model or platform.processor()}, {os.cpu_count()} cores, {memory:.0f} GiB, {system}"


def commit() -> str:
    def git(*argv: str) -> str:
        found = subprocess.run([GIT, *argv], cwd=ROOT, capture_output=True, text=True, check=False)
        return found.stdout.strip()

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{git('rev-parse', '--short', 'HEAD')}{dirty}"


def verdict(result: dict[str, Any]) -> str:
    target = TARGETS.get(result["key"])
    if target is None:
        return ""
    parts = []
    if target.ratio is not None:
        parts.append(f"{'met' if result['ratio'] >= target.ratio else 'MISSED'} ≥ {target.ratio:g}×")
    if target.statements is not None:
        parts.append(
            f"{'met' if result['statements'] <= target.statements else 'MISSED'} ≤ {target.statements} st."
        )
    if target.body_bytes is not None:
        size = result.get("largest_bytes") or result["body_bytes"]  # older runs kept one size
        parts.append(f"{'met' if size <= target.body_bytes else 'MISSED'} ≤ {target.body_bytes // 1000} KB")
    if target.p95_ms is not None:
        parts.append(f"{'met' if result['p95_ms'] <= target.p95_ms else 'MISSED'} p95 ≤ {target.p95_ms:g} ms")
    return ", ".join(parts)


def remarks(result: dict[str, Any]) -> str:
    return "; ".join(filter(None, [verdict(result), result["notes"]]))


def kib(size: float) -> str:
    return f"{size / 1024:.1f}"


def table(run: dict[str, Any], reference: dict[str, Any] | None) -> str:
    data = run["data"]
    lines = [
        f"## {run['server']}, {run['patients']:,} patients",
        "",
        f"- When: {run['when']}; commit {run['commit']}",
        (
            f"- Machine: {run['machine']}; load average {run.get('load', '?')} (1, 5, 15 min) as the run "
            "began (other work on the machine takes CPU from both server and load tool)"
        ),
        (
            f"- Data: {data['users']:,} accounts ({data['therapists']:,} therapists), "
            f"{data['daily_logs']:,} daily logs, "
            f"{data['exercise_ticks']:,} exercise ticks, {data['questionnaire_responses']:,} questionnaires, "
            f"{data['messages']:,} messages, {data['alerts']:,} alerts ({data['open alerts']:,} open), "
            f"{data['audit_events']:,} audit rows; {run['build']}"
        ),
        (
            f"- Load: gunicorn, {run['workers']} sync workers; wrk, {run['connections']} connections "
            f"(1 for the whole-clinic reports), {run['seconds']} s a page after warm-up requests, loopback; "
            "the load tool shares the machine's cores with the server"
        ),
        f"- Summaries after the load (`flask summaries verify`): {run.get('summaries', 'not checked')}",
        "",
        (
            "| page | req/s | × /healthz | p50 ms | p95 ms | p99 ms | errors | statements | KiB | gzip KiB "
            "| worker peak MiB | targets |"
        ),
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    lines.extend(
        f"| {r['label']} | {r['rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
        f"{r['p99_ms']:.1f} | {r['errors']} | {r['statements']} | {kib(r['body_bytes'])} | "
        f"{kib(r['gzip_bytes'])} | {r['peak_mib']:.0f} | {remarks(r)} |"
        for r in run["results"]
    )
    if run["gzip"]:
        lines += [
            "",
            "Through nginx with gzip (the client accepts gzip; the proxy compresses):",
            "",
            "| page | req/s | × /healthz via nginx | p95 ms | bytes a response on the wire | errors |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        labels = {r["key"]: r["label"] for r in run["results"]}
        for g in run["gzip"]:
            lines.append(
                f"| {labels[g['key']]} | {g['rps']:.0f} | {g['ratio']:.2f} | {g['p95_ms']:.1f} | "
                f"{g['bytes']:.0f} | {g['errors']} |"
            )
    if reference is not None:
        lines += ["", *scaling(run, reference)]
    lines += ["", drawings_report().rstrip()]  # sizes, not times: the same on every machine
    return "\n".join(lines) + "\n"


def scaling(run: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """Statements identical and p95 within 1.5x of the 500-patient run of the same database."""
    before = {r["key"]: r for r in reference["results"]}
    lines = [
        (
            f"Scaling against {reference['patients']:,} patients ({reference['when']}, commit "
            f"{reference['commit']}): statements identical, p95 within {SCALING_P95}×"
        ),
        "",
        "| page | statements then → now | p95 ms then → now | p95 × | verdict |",
        "|---|---|---|--:|---|",
    ]
    for r in run["results"]:
        old = before.get(r["key"])
        if old is None:
            continue
        factor = r["p95_ms"] / old["p95_ms"] if old["p95_ms"] else 0.0
        same = r["statements"] == old["statements"]
        ok = same and factor <= SCALING_P95
        problems = [] if same else ["statements differ"]
        if factor > SCALING_P95:
            problems.append("p95 grew")
        lines.append(
            f"| {r['label']} | {old['statements']} → {r['statements']} | "
            f"{old['p95_ms']:.1f} → {r['p95_ms']:.1f} | {factor:.2f} | "
            f"{'met' if ok else 'MISSED: ' + ', '.join(problems)} |"
        )
    return lines


def save(run: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{run['database']}-{run['patients']}"
    reference = None
    if run["patients"] != 500 and (RESULTS / f"{run['database']}-500.json").exists():
        reference = json.loads((RESULTS / f"{run['database']}-500.json").read_text())
    text = table(run, reference)
    (RESULTS / f"{name}.json").write_text(json.dumps(run, indent=1) + "\n")
    path = RESULTS / f"{name}.md"
    path.write_text(f"# Backtrack benchmark: {run['server']}, {run['patients']:,} patients\n\n{text}")
    print("\n" + text, flush=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--patients", nargs="+", type=int, default=[500, 5000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--seconds", type=int, default=3, help="load time a page")
    parser.add_argument("--rebuild", action="store_true", help="build the clinic even if today's is there")
    parser.add_argument("--pages", nargs="*", help="only these pages (keys), and /healthz")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    args = parser.parse_args()
    for database in args.database:
        for patients in sorted(args.patients):
            load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
            run = measure(args, database, patients) | {"load": load}
            run |= {
                "machine": machine(),
                "commit": commit(),
                "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            }
            print(f"Saved {save(run).relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main()
