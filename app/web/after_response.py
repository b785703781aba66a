"""Work that must not keep a patient waiting: run once the response has gone out.

A warning sign's first notification to staff is sent "at once", but an SMTP server or a push
service can take seconds (or time out), and the patient's urgent message must not wait for it.
The request that raised the alert has claimed the notification (a row with a lease); it is sent
when the server closes the response (WSGI `close`, which gunicorn calls after the last byte),
in a fresh app context. If this process dies first, `flask send-alerts` takes the claim over once
its lease has run out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import after_this_request, current_app
from flask.wrappers import Response

from app.models import Alert
from app.services.clinic.settings import current_settings
from app.services.safety import notify

log = logging.getLogger("backtrack.alerts")


def notify_after_response(raised: Iterable[Alert]) -> None:
    """Tell staff about these new alerts once this request's response is out."""
    alert_ids = [alert.id for alert in raised]
    if not alert_ids:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            try:
                notify.send_first_notices(alert_ids, current_settings(), app.config)
            except Exception:  # the scheduled job tries again; the patient's answer stands
                log.exception("first notification of alerts %s failed; send-alerts will retry", alert_ids)

    @after_this_request
    def register(response: Response) -> Response:
        response.call_on_close(send)
        return response


def run_after_response(work: Callable[[], None]) -> None:
    """Run `work` in a fresh app context once this request's response is out (an e-mail whose
    sending time must not show in the answer's)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception:
                log.exception("work after the response failed")

    @after_this_request
    def register(response: Response) -> Response:
        response.call_on_close(run)
        return response
