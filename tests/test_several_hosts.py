"""Backtrack on several app hosts over one PostgreSQL (docs/deploying.md), shown with real HTTP: two
gunicorn hosts, A and B, each on a port of its own, and nginx in front of both, round robin.

Every piece of state a request needs lives in the database, so a person can be served by any host:
the sign-in session (server side; the cookie carries only its key, signed with the one SECRET_KEY),
the sign-in throttle's failures, a daily log's idempotency keys and the reminders' claims. What a
host keeps in its own memory is the clinic settings, for at most CLINIC_SETTINGS_MAX_AGE seconds
(and the content versions seen signed off, which never stop being signed).

On SQLite these tests are deselected (tests/conftest.py): one SQLite file cannot be shared by hosts.
"""

from __future__ import annotations

import itertools
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as time_of_day
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    AuditEvent,
    ClinicSetting,
    DailyLog,
    LogSubmission,
    Message,
    ReminderPreference,
    ReminderSend,
    Role,
    SignInAttempt,
)
from bench.server import gunicorn
from tests.browser import CLOCKED_APP, live_server_environment
from tests.conftest import CSRF_PATTERN, PASSWORD, ROOT
from tests.factories import make_log, make_user, patient_on_day
from tests.smtp_server import smtp_server

pytestmark = pytest.mark.several_hosts

TIMEOUT = 30  # seconds for one HTTP request
SETTINGS_MAX_AGE = 1  # CLINIC_SETTINGS_MAX_AGE on the hosts (seconds)
NGINX_CONFIG = """\
worker_processes 1;  # one worker: one round-robin turn for the whole test
pid nginx.pid;
events {{ worker_connections 128; }}
http {{
    access_log off;
    client_body_temp_path client_body;
    proxy_temp_path proxy;
    fastcgi_temp_path fastcgi;
    uwsgi_temp_path uwsgi;
    scgi_temp_path scgi;
    upstream backtrack {{
        server {host_a};
        server {host_b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://backtrack;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffers 16 16k;  # whole pages in memory: the workers never write temp files
            proxy_max_temp_file_size 0;
            add_header X-Upstream $upstream_addr always;  # which host answered, for the test
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Hosts:
    a: str  # base URLs: http://127.0.0.1:PORT
    b: str

    def address(self, base_url: str) -> str:
        return base_url.removeprefix("http://")


@pytest.fixture(scope="module")
def hosts(migrated_app, database_url: str) -> Iterator[Hosts]:
    """Two gunicorn hosts (two workers each) over the one test database, as deployed behind one
    proxy (ProxyFix trusting one hop)."""
    env = live_server_environment(database_url) | {
        "BACKTRACK_PROXY_FIX_X_FOR": "1",
        "BACKTRACK_CLINIC_SETTINGS_MAX_AGE": str(SETTINGS_MAX_AGE),
    }
    with ExitStack() as stack:
        yield Hosts(*(stack.enter_context(gunicorn(env, app=CLOCKED_APP)) for _ in range(2)))


def nginx_binary() -> str:
    """nginx from PATH or /usr/sbin (not on a non-root PATH); scripts/install-test-tools installs it."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    assert found, "nginx is missing: run `make test` (scripts/install-test-tools installs it)"
    return found


def unused_port() -> int:
    """A port free a moment ago. nginx cannot be handed a socket, so it may be taken in between:
    the caller tries again then."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def proxy(hosts: Hosts, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx in front of both hosts; yields its base URL."""
    prefix = tmp_path_factory.mktemp("nginx")
    for _attempt in range(5):
        port = unused_port()
        config = prefix / "nginx.conf"
        config.write_text(
            NGINX_CONFIG.format(host_a=hosts.address(hosts.a), host_b=hosts.address(hosts.b), port=port)
        )
        error_log = prefix / "error.log"
        command = [nginx_binary(), "-p", str(prefix), "-c", str(config), "-e", str(error_log)]
        process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            if nginx_answers(url, process, hosts, error_log):
                yield url
                return
        finally:
            process.terminate()
            process.wait(timeout=10)
    pytest.fail("nginx found no free port in 5 tries")


def nginx_answers(url: str, process: subprocess.Popen, hosts: Hosts, error_log: Path) -> bool:
    """True once nginx passes /healthz to one of our hosts; False when its port was taken."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = error_log.read_text() if error_log.exists() else ""
            if "Address already in use" in log:
                return False
            raise RuntimeError(f"nginx exited with {process.returncode}: {log}")
        try:
            answer = requests.get(f"{url}/healthz", timeout=2)
            # Someone else on this port would not name our hosts.
            if answer.headers.get("X-Upstream") in {hosts.address(hosts.a), hosts.address(hosts.b)}:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise RuntimeError("nginx did not answer within 20 s")


# --- Talking to a host as a browser would ----------------------------------------------------------


def form_value(html: str, name: str) -> str:
    """The value of the input called `name` on the page."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="{name}"' in tag:
            match = re.search(r'value="([^"]*)"', tag)
            return match.group(1) if match else ""
    raise AssertionError(f"no input {name!r} on the page")


def csrf_of(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def try_password(browser: requests.Session, base_url: str, email: str, password: str) -> requests.Response:
    page = browser.get(f"{base_url}/sign-in", timeout=TIMEOUT)
    form = {"email": email, "password": password, "csrf_token": csrf_of(page.text)}
    return browser.post(f"{base_url}/sign-in", data=form, allow_redirects=False, timeout=TIMEOUT)


def signed_in(base_url: str, email: str) -> requests.Session:
    """A browser (its own cookie jar) signed in through `base_url`."""
    browser = requests.Session()
    answer = try_password(browser, base_url, email, PASSWORD)
    assert answer.status_code == 303, answer.text
    return browser


def session_cookie(browser: requests.Session) -> dict[str, str]:
    """The browser's cookies, to send by hand to another host."""
    cookies = browser.cookies.get_dict()
    assert cookies, "no cookie after signing in"
    return cookies


def daily_log_form(browser: requests.Session, base_url: str, back_pain: int = 4) -> dict[str, str]:
    """The daily log form as Today serves it (its CSRF token and idempotency key), filled in."""
    page = browser.get(f"{base_url}/today", timeout=TIMEOUT)
    assert page.status_code == 200
    return {
        "csrf_token": csrf_of(page.text),
        "idempotency_key": form_value(page.text, "idempotency_key"),
        "base_version": "",
        "back_pain": str(back_pain),
        "medication": "none",
        "no_warning_signs": "y",
        "note": "saved through two hosts",
    }


def goes_to_sign_in(answer: requests.Response) -> bool:
    return answer.status_code in (302, 303) and "/sign-in" in answer.headers.get("Location", "")


def count(model, *conditions) -> int:
    db.session.rollback()  # see what the hosts committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions)) or 0


@pytest.fixture
def patient(app, today: date):
    patient, _treatment = patient_on_day(20, today, email="rosa@example.com")
    return patient


# --- One person, two hosts -------------------------------------------------------------------------


def test_a_patient_signed_in_on_one_host_continues_on_the_other(hosts, patient):
    browser = signed_in(hosts.a, patient.email)
    today_on_b = browser.get(
        f"{hosts.b}/today", cookies=session_cookie(browser), allow_redirects=False, timeout=TIMEOUT
    )
    assert today_on_b.status_code == 200
    assert "Today" in today_on_b.text
    assert "Sign out" in today_on_b.text


def test_signing_out_on_one_host_is_honoured_by_the_other(hosts, patient):
    browser = signed_in(hosts.a, patient.email)
    old_cookie = session_cookie(browser)
    assert requests.get(f"{hosts.b}/today", cookies=old_cookie, timeout=TIMEOUT).status_code == 200
    token = csrf_of(browser.get(f"{hosts.a}/today", timeout=TIMEOUT).text)
    answer = browser.post(
        f"{hosts.a}/sign-out", data={"csrf_token": token}, allow_redirects=False, timeout=TIMEOUT
    )
    assert goes_to_sign_in(answer)
    # The copied cookie, still signed and unexpired, names a session host A revoked in the database.
    replayed = requests.get(f"{hosts.b}/today", cookies=old_cookie, allow_redirects=False, timeout=TIMEOUT)
    assert goes_to_sign_in(replayed)


def test_sign_in_throttling_counts_failures_on_both_hosts(hosts, patient):
    """Five free tries per account and address: three failed on A and two on B are the five, so the
    next try waits on either host, even with the right password."""
    browser = requests.Session()
    for host in (hosts.a, hosts.b, hosts.a, hosts.b, hosts.a):
        assert try_password(browser, host, patient.email, "not the password").status_code == 422
    assert count(SignInAttempt, SignInAttempt.email == patient.email) == 5
    answer = try_password(browser, hosts.b, patient.email, PASSWORD)
    assert answer.status_code == 429
    assert "wait" in answer.text.lower()


def test_one_daily_log_sent_through_both_hosts_is_stored_once(hosts, patient, today):
    browser = signed_in(hosts.a, patient.email)
    form = daily_log_form(browser, hosts.a)
    for host in (hosts.a, hosts.b):  # a retry that the load balancer sends to the other host
        answer = browser.post(f"{host}/log/{today}", data=form, allow_redirects=False, timeout=TIMEOUT)
        assert answer.status_code == 303, answer.text
    assert count(DailyLog, DailyLog.patient_id == patient.id) == 1
    assert count(LogSubmission, LogSubmission.key == form["idempotency_key"]) == 1
    assert count(AuditEvent, AuditEvent.action == "log_save", AuditEvent.patient_id == patient.id) == 1


def test_one_daily_log_sent_to_both_hosts_at_once_is_stored_once(hosts, patient, today):
    """The same save arriving at both hosts in the same moment (a double tap split by the proxy):
    the database's unique constraints decide, and both answers say it is saved."""
    yesterday = today - timedelta(days=1)
    browser = signed_in(hosts.a, patient.email)
    form = daily_log_form(browser, hosts.a, back_pain=6)
    cookies, answers, start = session_cookie(browser), {}, threading.Barrier(2)

    def send(host: str) -> None:
        start.wait()
        answers[host] = requests.post(
            f"{host}/log/{yesterday}", data=form, cookies=cookies, allow_redirects=False, timeout=TIMEOUT
        ).status_code

    threads = [threading.Thread(target=send, args=(host,)) for host in (hosts.a, hosts.b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {hosts.a: 303, hosts.b: 303}
    assert count(DailyLog, DailyLog.patient_id == patient.id, DailyLog.day == yesterday) == 1
    assert count(LogSubmission, LogSubmission.key == form["idempotency_key"]) == 1
    assert count(AuditEvent, AuditEvent.action == "log_save", AuditEvent.patient_id == patient.id) == 1


def test_clinic_settings_reach_every_host_within_their_max_age(hosts, app):
    """Each host keeps the stored clinic settings for CLINIC_SETTINGS_MAX_AGE seconds: a change
    stored by any host shows on all of them within that time (docs/deploying.md)."""
    for host in (hosts.a, hosts.b):  # both hosts hold the settings in memory now
        assert "Backtrack North" not in requests.get(f"{host}/sign-in", timeout=TIMEOUT).text
    db.session.add(ClinicSetting(key="name", value="Backtrack North"))
    db.session.commit()
    stored_at = time.monotonic()
    for host in (hosts.a, hosts.b):
        while "Backtrack North" not in requests.get(f"{host}/sign-in", timeout=TIMEOUT).text:
            assert time.monotonic() - stored_at < SETTINGS_MAX_AGE + 2, f"{host} kept the old name"
            time.sleep(0.1)


# --- Scheduled jobs --------------------------------------------------------------------------------


def test_reminders_run_on_both_hosts_at_once_are_sent_once(app, database_url, today):
    """`flask send-reminders` started on two hosts together (two cron jobs): every due reminder is
    claimed by one run in the database, so each person gets it once. The SMTP server is slow, so
    the two runs overlap and each sends some."""
    therapist = make_user(Role.THERAPIST)
    patients = [make_user(Role.PATIENT, email=f"patient{n}@example.com") for n in range(12)]
    quiet = time_of_day(0, 0)  # quiet from midnight to midnight: never quiet
    for patient in patients:
        make_log(patient, today)  # logged today: the one reminder due is the unread message
        db.session.add(
            ReminderPreference(user_id=patient.id, by_email=True, quiet_from=quiet, quiet_until=quiet)
        )
        db.session.add(Message(patient_id=patient.id, author_id=therapist.id, body="See you Tuesday"))
    db.session.commit()
    with smtp_server(delay=0.15) as inbox:
        env = live_server_environment(database_url) | {
            "FLASK_APP": "wsgi",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(inbox.port),
            "MAIL_DEFAULT_SENDER": "Backtrack <reminders@clinic.example>",
            "PUBLIC_URL": "https://backtrack.clinic.example",
        }
        command = [sys.executable, "-m", "flask", "send-reminders"]
        runs = [
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _host in ("a", "b")
        ]
        outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    sent = [int(re.search(r"Reminders: (\d+) sent", out).group(1)) for out, _err in outputs]
    assert sum(sent) == len(patients)
    assert all(sent), f"the two runs did not overlap: {sent}"
    recipients = sorted(address for to, _message in inbox.messages for address in to)
    assert recipients == sorted(patient.email for patient in patients)
    assert count(ReminderSend) == len(patients)
    assert count(ReminderSend, ReminderSend.done_at.is_(None)) == 0


# --- Through nginx ---------------------------------------------------------------------------------


def test_nginx_sends_requests_to_both_hosts_in_turn(proxy, hosts):
    answered = [requests.get(f"{proxy}/healthz", timeout=TIMEOUT).headers["X-Upstream"] for _ in range(8)]
    assert Counter(answered) == {hosts.address(hosts.a): 4, hosts.address(hosts.b): 4}
    assert all(first != second for first, second in itertools.pairwise(answered))


def test_a_signed_in_visit_through_nginx_uses_both_hosts(proxy, hosts, patient, today):
    """Sign in, read Today, save the log and sign out through the proxy, each request answered by
    whichever host's turn it is."""
    browser = requests.Session()
    used = set()

    def through_proxy(method: str, path: str, **options) -> requests.Response:
        answer = browser.request(method, f"{proxy}{path}", allow_redirects=False, timeout=TIMEOUT, **options)
        used.add(answer.headers["X-Upstream"])
        return answer

    page = through_proxy("GET", "/sign-in")
    form = {"email": patient.email, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    assert through_proxy("POST", "/sign-in", data=form).status_code == 303
    for _ in range(3):
        assert through_proxy("GET", "/today").status_code == 200
    page = through_proxy("GET", "/today")
    log = {
        "csrf_token": csrf_of(page.text),
        "idempotency_key": form_value(page.text, "idempotency_key"),
        "base_version": "",
        "back_pain": "3",
        "medication": "none",
        "no_warning_signs": "y",
    }
    saved = through_proxy("POST", f"/log/{today}", data=log)
    assert saved.status_code == 303
    assert saved.headers["Location"].startswith("/today")
    assert "Your log is saved." in through_proxy("GET", "/today").text
    assert count(DailyLog, DailyLog.patient_id == patient.id, DailyLog.back_pain == 3) == 1
    token = csrf_of(through_proxy("GET", "/today").text)
    assert goes_to_sign_in(through_proxy("POST", "/sign-out", data={"csrf_token": token}))
    for _ in range(2):
        assert goes_to_sign_in(through_proxy("GET", "/today"))
    assert used == {hosts.address(hosts.a), hosts.address(hosts.b)}
