"""A real SMTP server for tests and benchmarks (aiosmtpd), keeping what it
receives in memory: the same wire protocol a production relay speaks.

    with SmtpSink() as sink:            # or the `smtp_sink` pytest fixture
        ... send through host=sink.host, port=sink.port ...
        sink.wait_for(3)
        sink.messages[0]["To"]

`refuse` makes the server answer a permanent error (550) for the recipients
it names, as a receiving server does for an unknown mailbox. `refuse_data`
maps a recipient to the reply given only after the whole message (e.g.
"550 5.7.1 Message rejected as spam", or a 451 to try later): the message
is then not kept, as a server that filters content does.
"""

import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.sink.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            reply = self.sink.refuse_data.get(address.lower())
            if reply:
                self.sink.data_refusals.append((address, reply))
                return reply
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.refuse_data: dict[str, str] = {}
        self.data_refusals: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname=host, port=port or _free_port())
        self.port = self._controller.port

    def start(self) -> "SmtpSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()

    def to(self, address: str) -> list[EmailMessage]:
        """Messages delivered to `address`."""
        with self.lock:
            return [
                m
                for m, (_, rcpts) in zip(self.messages, self.envelopes, strict=True)
                if address.lower() in (r.lower() for r in rcpts)
            ]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages, the SMTP server got {len(self.messages)}")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def message_text(message: EmailMessage) -> str:
    """The plain-text part of a received message."""
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def message_html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""
