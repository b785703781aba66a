"""Lighthouse (npm lighthouse 12.8.2, Debian's Chromium, mobile) on the sign-in page and a
patient's Today, served by gunicorn over a fresh demo database. Prints the four category scores.

    make lighthouse        # or: .venv/bin/python scripts/lighthouse.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import demo_server, sign_in  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
ATTEMPTS = 2  # Lighthouse occasionally loses a trace and says to run it again


def audit(url: str, cookie: str | None) -> dict:
    """Lighthouse's report for one page, as a dict."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return audit_once(url, cookie)
        except RuntimeError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def audit_once(url: str, cookie: str | None) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        "--output-path=stdout",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=os.environ | {"CHROME_PATH": "/usr/bin/chromium"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse failed: {report['runtimeError']}")
    return report


def scores(report: dict) -> dict[str, float]:
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in refs
        if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


def audit_pages(base_url: str) -> dict[str, dict]:
    """Reports for the sign-in page and the demo patient's Today on a running server, by page name."""
    cookie = sign_in(base_url, "patient@example.com")
    return {"sign-in": audit(f"{base_url}/sign-in", None), "today": audit(f"{base_url}/today", cookie)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, demo_server(Path(tmp) / "lighthouse.sqlite3") as base_url:
        reports = audit_pages(base_url)
    print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for page, report in reports.items():
        print(f"{page:<10}" + "".join(f"{score:>16.2f}" for score in scores(report).values()))
        cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
        print(f"{'':<10}CLS {cls:.3f} · LCP {report['audits']['largest-contentful-paint']['displayValue']}")
        for category in CATEGORIES:
            for line in failing_audits(report, category):
                print(f"{'':<10}{category}: {line}")


if __name__ == "__main__":
    main()
