"""A real SMTP server (aiosmtpd) on loopback for the tests that send e-mail: every message it is
given is kept, on a port the system picked."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import Message as EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd's handler: keeps every message it is given, after `delay` seconds each (a slow
    server, so that senders running at once overlap)."""

    def __init__(self, delay: float = 0) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.delay = delay
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ARG002 (aiosmtpd's handler signature)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


class LoopbackController(Controller):
    """aiosmtpd on a socket bound here to a port the system picks: no port guessed, none raced for
    (aiosmtpd itself cannot be asked for port 0)."""

    def __init__(self, handler: object) -> None:
        self.listening = socket.socket()
        self.listening.bind(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self.listening.getsockname()[1])

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self.listening)


@contextmanager
def smtp_server(delay: float = 0) -> Iterator[Inbox]:
    """A running SMTP server; yields its inbox (`inbox.port` is where it listens)."""
    inbox = Inbox(delay)
    controller = LoopbackController(inbox)
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()
        controller.listening.close()
