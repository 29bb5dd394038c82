"""Where messages go: a Maildir outbox (the default) or an SMTP server.

deliver() returns "delivered" once the message is safely handed over,
"rejected" when the server refuses this one recipient for good at RCPT (5xx),
or "deferred" when this one message keeps failing (a 4xx or a dropped
connection through every retry, or a 5xx after the data, which may be about
this message's content): the run goes on with the others and the next run
tries it again. It raises DeliveryFailed when nothing more can be sent in
this run (the server cannot be reached, refuses the login or the sender).
"""

from __future__ import annotations

import logging
import mailbox
import os
import smtplib
import ssl
import time
from pathlib import Path
from typing import Protocol

from digest.errors import DeliveryFailed, DigestError

logger = logging.getLogger("digest")

DELIVERED, REJECTED, DEFERRED = "delivered", "rejected", "deferred"

ENV_USER = "DIGEST_SMTP_USER"
ENV_PASSWORD = "DIGEST_SMTP_PASSWORD"
ENV_SECURITY = "DIGEST_SMTP_SECURITY"  # auto (default), starttls, ssl, none
SECURITY_MODES = ("auto", "starttls", "ssl", "none")


class Transport(Protocol):
    last_error: str  # why the last message was deferred

    def deliver(self, sender: str, recipient: str, message: bytes) -> str: ...

    def close(self) -> None: ...


class MaildirOutbox:
    """Each message a file in DIR/new: any mail client, or mutt -f DIR."""

    last_error = ""

    def __init__(self, folder: Path):
        try:
            # The folder may exist already, holding the outbox run's own state
            # file: Maildir(create=True) makes its subfolders only for a new one.
            for sub in ("tmp", "new", "cur"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
            self.maildir = mailbox.Maildir(folder, create=True)
        except OSError as error:
            raise DeliveryFailed(
                f"{folder}: cannot create the outbox: {error}"
            ) from None
        self.folder = folder

    def deliver(self, sender: str, recipient: str, message: bytes) -> str:
        try:
            # Maildir files use the local line end.
            self.maildir.add(message.replace(b"\r\n", b"\n"))
        except OSError as error:
            raise DeliveryFailed(f"{self.folder}: cannot write: {error}") from None
        return DELIVERED

    def close(self) -> None:
        pass


def parse_host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise DigestError(f"--smtp {value!r}: expected HOST:PORT, e.g. localhost:25")
    return host.strip("[]"), int(port)


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _is_temporary(code: int) -> bool:
    return 400 <= code < 500


class SmtpSender:
    """One connection for the whole run; reconnects and retries on 4xx."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        retries: int,
        retry_delay: float,
        environ: dict[str, str] | None = None,
        timeout: float = 60.0,
    ):
        environ = dict(os.environ if environ is None else environ)
        self.host, self.port = host, port
        self.retries, self.retry_delay, self.timeout = retries, retry_delay, timeout
        self.user = environ.get(ENV_USER) or None
        self.password = environ.get(ENV_PASSWORD) or ""
        self.security = (environ.get(ENV_SECURITY) or "auto").lower()
        if self.security not in SECURITY_MODES:
            raise DigestError(
                f"{ENV_SECURITY}={self.security!r}: one of {', '.join(SECURITY_MODES)}"
            )
        if self.security == "auto" and port == 465:
            self.security = "ssl"
        self._connection: smtplib.SMTP | None = None
        self.last_error = ""

    def _connect(self) -> smtplib.SMTP:
        # Verification stays on: a private CA is trusted through OpenSSL's
        # SSL_CERT_FILE, read by create_default_context() (docs/digest.md, "Delivery").
        context = ssl.create_default_context()
        if self.security == "ssl":
            connection = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            self._secure_and_log_in(connection, context)
        except BaseException:
            connection.close()  # never leak the socket of a half-set-up session
            raise
        return connection

    def _secure_and_log_in(
        self, connection: smtplib.SMTP, context: ssl.SSLContext
    ) -> None:
        connection.ehlo()
        encrypted = self.security == "ssl"
        if self.security == "starttls" or (
            self.security == "auto" and connection.has_extn("starttls")
        ):
            connection.starttls(context=context)
            connection.ehlo()
            encrypted = True
        if self.user:
            if not encrypted:
                raise DigestError(
                    f"{self.host}:{self.port} offers no TLS: refusing to send "
                    f"{ENV_USER}'s password in clear ({ENV_SECURITY}=starttls or ssl)"
                )
            try:
                connection.login(self.user, self.password)
            except smtplib.SMTPAuthenticationError as error:
                if _is_temporary(error.smtp_code):
                    raise  # retried like any other 4xx
                # A login refused for good: said so, not blamed on a recipient.
                raise DeliveryFailed(
                    f"{self.host}:{self.port} refused the login of {self.user!r} "
                    f"({ENV_USER}/{ENV_PASSWORD}): {error.smtp_code} "
                    f"{error.smtp_error.decode(errors='replace')}"
                ) from None

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None

    def deliver(self, sender: str, recipient: str, message: bytes) -> str:
        last_error = ""
        reached = False  # a session was set up at least once for this message
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.retry_delay * 2 ** (attempt - 1))
            try:
                if self._connection is None:
                    self._connection = self._connect()
                reached = True
                self._connection.sendmail(sender, [recipient], message)
                return DELIVERED
            except smtplib.SMTPRecipientsRefused as error:
                code, reply = error.recipients.get(recipient, (0, b""))
                if not _is_temporary(code):
                    logger.warning("%s refused for good: %s %r", recipient, code, reply)
                    self.last_refusal = f"{code} {reply.decode(errors='replace')}"
                    return REJECTED
                last_error = f"{code} {_text(reply)}"
            except smtplib.SMTPDataError as error:
                last_error = f"{error.smtp_code} {_text(error.smtp_error)}"
                if not _is_temporary(error.smtp_code):
                    # Refused after the data: maybe this message's content; no
                    # retry now, the next run tries again (docs/digest.md, "Delivery").
                    self.last_error = last_error
                    return DEFERRED
            except smtplib.SMTPResponseException as error:
                if not _is_temporary(error.smtp_code):
                    self._drop()
                    raise DeliveryFailed(
                        f"{self.host}:{self.port} refused the message for "
                        f"{recipient}: {error.smtp_code} {error.smtp_error!r}"
                    ) from None
                last_error = f"{error.smtp_code} {_text(error.smtp_error)}"
            except ssl.SSLCertVerificationError as error:
                # No retry fixes an untrusted certificate.
                raise DeliveryFailed(
                    f"{self.host}:{self.port}: the server's TLS certificate is not "
                    f"trusted ({error.verify_message}); for a private CA set "
                    f"SSL_CERT_FILE to its PEM file"
                ) from None
            except (smtplib.SMTPException, OSError) as error:
                last_error = f"{type(error).__name__}: {error}"
            logger.info("temporary failure for %s: %s", recipient, last_error)
            self._drop()  # a fresh connection for the retry
        if not reached:
            raise DeliveryFailed(
                f"{self.host}:{self.port}: cannot reach the server after "
                f"{self.retries + 1} attempts: {last_error}"
            )
        self.last_error = f"{self.retries + 1} attempts, last: {last_error}"
        return DEFERRED

    def close(self) -> None:
        self._drop()
