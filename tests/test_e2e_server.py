"""The server the browser tests drive: Chromium reaches it with no nginx in front, so a connection
the browser opens and leaves idle must not stop the pages (tests/browser.py BROWSER_FACING)."""

import http.client
import socket
import urllib.parse
from contextlib import ExitStack

import pytest

pytestmark = pytest.mark.e2e

# More than the server's workers. Each would hold a sync worker until gunicorn's 30 s timeout.
IDLE_CONNECTIONS = 3
# Far longer than a page takes on a loaded host, shorter than gunicorn's worker timeout (30 s).
ANSWER_SECONDS = 20


def test_pages_are_served_while_connections_are_open_and_idle(live_server):
    address = urllib.parse.urlsplit(live_server)
    host, port = address.hostname, address.port
    assert host is not None
    assert port is not None
    with ExitStack() as stack:
        for _ in range(IDLE_CONNECTIONS):
            stack.enter_context(socket.create_connection((host, port)))
        connection = http.client.HTTPConnection(host, port, timeout=ANSWER_SECONDS)
        stack.callback(connection.close)
        connection.request("GET", "/sign-in")
        response = connection.getresponse()
        assert response.status == 200
        assert b'name="csrf_token"' in response.read()
