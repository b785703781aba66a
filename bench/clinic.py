"""What the benchmark prepares inside the app, in this process and through the app's own code: the
people of the synthetic clinic to sign in (a server-side session each, made by
`app.services.accounts.sessions.begin` as a sign-in would, and the signed cookie that carries it), the
requests each page is driven with, and the SQL statements each page costs, counted in one
instrumented request through Flask's test client (an engine event listener, in this process only:
the served app is never instrumented).

Who is measured, chosen so that the figures at 500, 5,000 and 50,000 patients compare like with
like (the builder makes the first 500 patients the same at every size, bench/synthetic.py):
- patients: the first therapist's 200 (Today, the daily-log POST, an exercise tick, messages);
- the therapist dashboard: that therapist (200 patients, 50 a page);
- a patient record: patients 201-400, each viewed by their own therapist (several therapists);
- admin search and the clinic-wide reports: the admins.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask, g, session
from flask_wtf.csrf import generate_csrf

from app import create_app
from app.care import figures, poses
from app.care.dosing import is_due
from app.care.protocol import position_on
from app.extensions import db
from app.models import PlanItem, Treatment, User
from app.services.accounts import sessions
from app.services.clinic.settings import clinic_today_now
from bench import synthetic
from bench.server import AUDIT_KEY

USER_AGENT = "backtrack-bench"
PATIENTS = 200  # the first therapist's caseload
RECORDS = 200  # patients 201-400
SESSIONS_PER_STAFF = 4


@dataclass(frozen=True)
class Visitor:
    email: str
    cookie: str  # the Cookie header's value
    csrf: str  # a form token of this session


@dataclass(frozen=True)
class Request:
    """One prepared request. `fresh_key`: each send carries a new idempotency key (a real save);
    `toggle`: each send ticks or unticks (tick=1:1, then 1:0, as Today's button sends them)."""

    method: str
    path: str
    cookie: str = ""
    body: str = ""
    htmx: bool = False
    fresh_key: bool = False
    toggle: bool = False

    def headers(self) -> dict[str, str]:
        found = {"User-Agent": USER_AGENT}
        if self.cookie:
            found["Cookie"] = self.cookie
        if self.body or self.method == "POST":
            found["Content-Type"] = "application/x-www-form-urlencoded"
        if self.htmx:
            found["HX-Request"] = "true"
        return found

    def sample_body(self, n: int = 0) -> str:
        """The body as the load tool sends it the n-th time (bench/load.lua does the same)."""
        body = self.body
        if self.fresh_key:
            body += f"&idempotency_key=bench-sample-{n:06d}"
        if self.toggle:
            body += f"&tick=1:{1 - n % 2}"
        return body


@dataclass
class Page:
    key: str
    label: str
    requests: list[Request]
    connections: int | None = None  # None: the run's default
    statements: int = 0
    body_bytes: int = 0
    largest_bytes: int = 0  # the largest of its GET requests (measure_sizes), 0 when not measured
    notes: list[str] = field(default_factory=list)


def bench_app(database_url: str, secret: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret,
            "AUDIT_KEY": AUDIT_KEY,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "HTMX_URL": "/static/vendor/htmx.min.js",
            "ALLOW_DEMO_PHONES": True,  # the synthetic clinic's fictional numbers, on purpose
        }
    )


def sign_in_directly(app: Flask, user: User) -> Visitor:
    """A server-side session made the way a sign-in makes it, and the cookie a browser would get."""
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    with app.test_request_context("/", environ_base=environ, headers={"User-Agent": USER_AGENT}):
        sessions.begin(user)
        g.pop("csrf_token", None)  # the app context (and its g) is shared by every sign-in here
        token = generate_csrf()
        db.session.commit()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))  # type: ignore[attr-defined]
    return Visitor(user.email, f"{app.config['SESSION_COOKIE_NAME']}={value}", token)


def users_by_email(emails: list[str]) -> list[User]:
    found = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    return [found[email] for email in emails if email in found]


def due_item(treatment: Treatment, today: date) -> PlanItem | None:
    """A plan item of the treatment due today (what the patient can tick), if any."""
    phase = position_on(today, treatment.injection_date).phase.key
    items = db.session.scalars(
        sa.select(PlanItem)
        .where(PlanItem.treatment_id == treatment.id, PlanItem.phase == phase, PlanItem.removed_at.is_(None))
        .order_by(PlanItem.position)
    )
    return next((i for i in items if is_due(i.days_per_week, today, treatment.injection_date)), None)


def log_body(visitor: Visitor) -> str:
    """The daily log as the form posts it (no base version: each save updates today's entry)."""
    fields = {"csrf_token": visitor.csrf, "back_pain": "4", "medication": "none", "no_warning_signs": "y"}
    return urlencode(fields)


def prepare_pages(app: Flask) -> list[Page]:
    """Sign the measured people in and list each page's requests."""
    with app.app_context():
        today = clinic_today_now()
        patient_emails = [synthetic.patient_email(n) for n in range(1, PATIENTS + 1)]
        patients = users_by_email(patient_emails)
        treatments = {
            t.patient_id: t
            for t in db.session.scalars(
                sa.select(Treatment).where(
                    Treatment.patient_id.in_([p.id for p in patients]), Treatment.status == "active"
                )
            )
        }
        today_pages, log_posts, ticks, threads = [], [], [], []
        for patient in patients:
            visitor = sign_in_directly(app, patient)
            today_pages.append(Request("GET", "/today", visitor.cookie))
            threads.append(Request("GET", "/messages", visitor.cookie))
            log_posts.append(
                Request("POST", f"/log/{today.isoformat()}", visitor.cookie, log_body(visitor), True, True)
            )
            treatment = treatments.get(patient.id)
            item = due_item(treatment, today) if treatment else None
            if item is not None:
                body = urlencode({"csrf_token": visitor.csrf})
                ticks.append(
                    Request("POST", f"/exercises/{item.id}/done", visitor.cookie, body, True, toggle=True)
                )
        therapist = users_by_email([synthetic.therapist_email(1)])[0]
        dashboards = [
            Request("GET", "/therapist/", sign_in_directly(app, therapist).cookie)
            for _ in range(SESSIONS_PER_STAFF)
        ]
        records = record_requests(app)
        admins = db.session.scalars(sa.select(User).where(User.role == "admin").order_by(User.id)).all()
        admin_cookies = [sign_in_directly(app, a).cookie for a in admins for _ in range(SESSIONS_PER_STAFF)]
        month = today.strftime("%Y-%m")
        admin_search = [Request("GET", "/admin/?q=ma", c) for c in admin_cookies]
        outcomes = [Request("GET", "/therapist/outcomes", c) for c in admin_cookies]
        rtm = [Request("GET", f"/therapist/rtm?month={month}", c) for c in admin_cookies]
        return [
            Page("healthz", "`/healthz` (baseline)", [Request("GET", "/healthz")]),
            Page("sign-in", "sign-in page", [Request("GET", "/sign-in")]),
            Page("today", "Today", today_pages),
            Page("messages", "messages (patient's thread)", threads),
            Page("dashboard", "therapist dashboard (200 patients, 50 a page)", dashboards),
            Page("record", "patient record", records),
            Page("admin-search", "admin account search `?q=ma`", admin_search),
            Page("outcomes", "outcomes (whole clinic)", outcomes, 1),
            Page("rtm", "RTM month report (whole clinic)", rtm, 1),
            Page("log-post", "daily-log POST (htmx)", log_posts),
            Page("tick", "exercise tick (htmx)", ticks),
            largest_drawing(),
        ]  # fmt: skip


def largest_drawing() -> Page:
    """The largest exercise drawing, served as the phone fetches it (its budget: app/care/figures.py)."""
    slug = max(poses.DRAWINGS, key=lambda name: len(poses.svg_for(name).encode()))
    path = f"/exercise-drawings/{slug}.svg?v={poses.digest(slug)}"
    note = f"{slug}; budget {figures.BYTE_BUDGET} bytes per drawing"
    return Page("drawing", "largest exercise drawing (SVG)", [Request("GET", path)], notes=[note])


def record_requests(app: Flask) -> list[Request]:
    """Patients 201-400, each viewed by their own therapist (one session per therapist)."""
    emails = [synthetic.patient_email(n) for n in range(PATIENTS + 1, PATIENTS + RECORDS + 1)]
    patients = users_by_email(emails)
    therapist_of = dict(
        db.session.execute(
            sa.select(Treatment.patient_id, Treatment.therapist_id).where(
                Treatment.patient_id.in_([p.id for p in patients])
            )
        ).all()
    )
    cookies: dict[int, str] = {}
    requests = []
    for patient in patients:
        therapist_id = therapist_of.get(patient.id)
        if therapist_id is None:
            continue
        if therapist_id not in cookies:
            therapist = db.session.get(User, therapist_id)
            assert therapist is not None
            cookies[therapist_id] = sign_in_directly(app, therapist).cookie
        requests.append(Request("GET", f"/therapist/patients/{patient.id}", cookies[therapist_id]))
    return requests


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[int]]:
    """Counts the SQL statements sent while the block runs (in this process only)."""
    count = [0]

    def tally(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Not BEGIN: SQLite's BEGIN IMMEDIATE is sent as a statement, PostgreSQL's is not seen here
        # (as tests.conftest.QueryCounter counts).
        if not statement.lstrip().upper().startswith("BEGIN"):
            count[0] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", tally)
    try:
        yield count
    finally:
        sa.event.remove(engine, "before_cursor_execute", tally)


def measure_sizes(app: Flask, page: Page) -> None:
    """Every request of a GET page, for its body size: a size target holds for every person the
    page is measured for (Today for each of its patients, the record for each of its records), not
    for the one whose request measure_statements happened to send."""
    client = app.test_client(use_cookies=False)
    sizes = []
    for request in page.requests:
        response = client.open(request.path, headers=request.headers())
        if response.status_code >= 400:
            raise RuntimeError(f"GET {request.path} answered {response.status_code}")
        sizes.append(len(response.get_data()))
    page.largest_bytes = max(sizes)
    mean = sum(sizes) / len(sizes)
    page.notes.append(f"{len(sizes)} people: mean {mean / 1000:.1f} KB, largest {max(sizes) / 1000:.1f} KB")


def measure_statements(app: Flask, page: Page) -> None:
    """Statements and body size: the fewest statements of two instrumented requests after a warm-up
    one. The steady cost, that is: what the app refreshes now and then (a session's last-seen time
    once a minute, the cached content sign-off) lands on some requests whatever the data's size, and
    a request that takes long makes it land on the next one."""
    client = app.test_client(use_cookies=False)
    request = page.requests[len(page.requests) // 2]
    nonce = time.time_ns() // 1000  # a new idempotency key each run: a replay costs less than a save
    counts = []
    for n in (nonce, nonce + 1, nonce + 2):
        with counting_statements(app) as count:
            response = client.open(
                request.path,
                method=request.method,
                data=request.sample_body(n),
                headers=request.headers(),
            )
        if response.status_code >= 400:
            raise RuntimeError(f"{request.method} {request.path} answered {response.status_code}")
        counts.append(count[0])
        page.statements, page.body_bytes = min(counts[1:] or counts), len(response.get_data())
    if "Set-Cookie" in response.headers and request.method == "GET" and request.cookie:
        page.notes.append("sets a cookie on every request")
