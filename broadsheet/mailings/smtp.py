"""Django's SMTP backend with a hook at the point of no return.

An SMTP server takes responsibility for a message only when it has read the
line `.` that ends DATA and answered 250. Until that dot, a dropped connection
leaves nothing behind (RFC 5321 §4.1.1.4; aiosmtpd, Postfix and Exim discard
an unfinished DATA). So the connection here writes the whole message, then
calls `before_commit()` — the engine commits the delivery row as `sending`
there — and only then writes the dot:

- killed before the hook commits: the row is still `pending`, the server
  dropped the message, a later worker sends it: no copy lost, none twice;
- killed after the commit: the row says `sending`, which counts as sent; the
  server has the message or (if the dot never left this machine) not — the
  one remaining window, between the commit and the dot reaching the server,
  where a message can be lost but never duplicated.

The hook may refuse (the subscriber unsubscribed a moment ago, or another
worker took the row): the connection is then closed without the dot, which
throws the message away at the server, and reopened for the next one.
"""

import smtplib
import socket
from collections.abc import Callable

from django.core.mail.backends.smtp import EmailBackend


class SendAborted(Exception):
    """`before_commit` said no: the message was discarded before its end."""


class DataAnswerLost(Exception):
    """The dot was written but no reply came: the server may have the message."""


class _HookedSMTPMixin:
    before_commit: Callable[[], bool] | None = None

    def _get_socket(self, host, port, timeout):
        # The message and its dot go in two writes, and SMTP is a dialogue of
        # small writes: with Nagle's algorithm each waits for the delayed ACK
        # of the one before (~40 ms a message on loopback, 20 messages/s).
        sock = super()._get_socket(host, port, timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def data(self, msg):
        if self.before_commit is None:
            return super().data(msg)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        body = smtplib._quote_periods(msg)
        if body[-2:] != smtplib.bCRLF:
            body += smtplib.bCRLF
        self.send(body)
        if not self.before_commit():
            self.close()
            raise SendAborted
        try:
            self.send(b"." + smtplib.bCRLF)
            return self.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise DataAnswerLost(str(error)) from error


class HookedSMTP(_HookedSMTPMixin, smtplib.SMTP):
    pass


class HookedSMTP_SSL(_HookedSMTPMixin, smtplib.SMTP_SSL):  # noqa: N801 — smtplib's naming
    pass


class MailingBackend(EmailBackend):
    """EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS… as Django's SMTP backend; the
    engine sends through `send_hooked` on one open connection per batch."""

    @property
    def connection_class(self):
        return HookedSMTP_SSL if self.use_ssl else HookedSMTP

    def send_hooked(
        self, *, from_email: str, to: str, message: bytes, before_commit: Callable[[], bool]
    ) -> None:
        """Send one message; raises smtplib's errors, SendAborted or DataAnswerLost."""
        if self.connection is None:
            self.open()
        self.connection.before_commit = before_commit
        try:
            self.connection.sendmail(from_email, [to], message)
        finally:
            if self.connection is not None:
                self.connection.before_commit = None

    def discard_connection(self) -> None:
        """After an error mid-transaction the connection is in an unknown state."""
        if self.connection is not None:
            try:
                self.connection.close()
            except (smtplib.SMTPException, OSError):
                pass
        self.connection = None
