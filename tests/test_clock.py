"""The tests' controlled clock (tests/clock.py): a run keeps one clinic day in the tests, the app and
the live server, even when the real clock passes midnight during the run."""

import re
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from app.care.protocol import clinic_today
from app.services.clinic.settings import clinic_today_now
from bench.server import connect, sign_in
from tests.browser import demo_clinic_server
from tests.clock import CLINIC_TIMEZONE, controlled_clock, follow, travelled_offset

JUST_BEFORE_MIDNIGHT = datetime(2031, 3, 14, 23, 59, 59, 500_000, tzinfo=ZoneInfo(CLINIC_TIMEZONE))


def day_of_the_log_form(base_url: str, cookie: str) -> str:
    """The day the live server's Today page files the patient's log under."""
    with closing(connect(base_url, timeout=30)) as connection:
        connection.request("GET", "/today", headers={"Cookie": cookie})
        response = connection.getresponse()
        page = response.read().decode()
    assert response.status == 200
    return re.search(r'action="/log/(\d{4}-\d{2}-\d{2})"', page).group(1)


def test_every_test_runs_from_noon_at_the_clinic(app, clock, today):
    """Noon is twelve hours from either midnight; the app in this process reads the same clock."""
    assert (clock.hour, clock.minute, str(clock.tzinfo)) == (12, 0, CLINIC_TIMEZONE)
    assert timedelta(0) <= datetime.now(UTC) - clock < timedelta(hours=1)
    assert clinic_today_now() == today == clock.date()


def test_a_server_worker_follows_the_run_s_clock_to_the_millisecond(monkeypatch):
    """Each gunicorn worker starts its clock on its own (tests/clocked_wsgi.py). A worker paused
    between reading the real clock and starting its own would lag behind the others, and a token
    another worker signed would look issued in the future; here the start is made 200 ms slow."""
    start = time_machine.travel.start

    def slow_start(travel):
        time.sleep(0.2)
        return start(travel)

    monkeypatch.setattr(time_machine.travel, "start", slow_start)
    shift = 3600.0 * 5
    travel = follow(shift)
    try:
        assert abs(travelled_offset() - shift) < 0.005
    finally:
        travel.stop()


def test_a_run_that_crosses_midnight_keeps_its_day(migrated_app, database_url):
    """The real clock stands here at 23:59:59.5 at the clinic. A run that starts then gets noon of
    that day, as the `clock` fixture does; the test sleeps until the real clock is past midnight,
    and the app in this process and the live server (gunicorn) both still answer the run's day."""
    started = time.monotonic()
    with time_machine.travel(JUST_BEFORE_MIDNIGHT, tick=True):  # stands in for the real clock
        with controlled_clock(datetime.now(UTC)) as noon:
            day = noon.date()
            with demo_clinic_server(migrated_app, database_url, day) as base_url:
                time.sleep(max(0.0, 0.6 - (time.monotonic() - started)))  # until past midnight
                with migrated_app.app_context():
                    assert clinic_today_now() == day
                cookie = sign_in(base_url, "patient@example.com")
                assert day_of_the_log_form(base_url, cookie) == day.isoformat()
        real_day_now = clinic_today(datetime.now(UTC), CLINIC_TIMEZONE)
    assert day == JUST_BEFORE_MIDNIGHT.date()
    assert real_day_now == day + timedelta(days=1), "the stand-in real clock did pass midnight"
