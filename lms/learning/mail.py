"""Email: queued in the database in the transaction that causes it, delivered after commit, retried until sent.

Delivery is by SMTP when `LMS_MAIL_URL` is set (`smtp://user:pass@host:587` upgrades with STARTTLS,
`smtps://host:465` is TLS from the start); otherwise each message is written to the instance
folder's `outbox/` as an .eml file and logged, so development never needs a mail server.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import Row, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from lms.db.models import OutboxMessage
from lms.learning import once

log = logging.getLogger("lms.mail")
_outbox = once.table(OutboxMessage)
CLAIM = timedelta(minutes=5)  # a message being sent is left alone this long by other workers
MAX_BACKOFF = timedelta(hours=1)


class MailConfigError(ValueError):
    """LMS_MAIL_URL or LMS_MAIL_FROM cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Transport:
    """Where mail goes: an SMTP server, or (no URL) .eml files in `outbox_dir`."""

    sender: str
    outbox_dir: Path
    scheme: str = "file"
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = ""

    @property
    def configured(self) -> bool:
        return self.scheme != "file"


def transport_from(url: str, sender: str, outbox_dir: Path) -> Transport:
    """Read LMS_MAIL_URL / LMS_MAIL_FROM."""
    sender = sender.strip() or "TSP training <no-reply@localhost>"
    if not url.strip():
        return Transport(sender=sender, outbox_dir=outbox_dir)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailConfigError(f"LMS_MAIL_URL must look like smtp://user:password@host:587 or smtps://host:465, not {url!r}")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise MailConfigError(f"LMS_MAIL_URL has a port that is not a number: {url!r}") from None
    return Transport(sender=sender, outbox_dir=outbox_dir, scheme=parts.scheme, host=parts.hostname, port=port,
                     username=unquote(parts.username or ""), password=unquote(parts.password or ""))


def queue(session: Session, to: str, subject: str, body: str, now: datetime) -> None:
    """Add a message to the outbox in the caller's transaction: it is sent only if that transaction commits."""
    session.add(OutboxMessage(to_addr=to, subject=subject[:300], body=body, created_at=now, next_try_at=now))
    session.info["mail_queued"] = True  # the app's sender wakes after this transaction commits


def backoff(tries: int) -> timedelta:
    """Wait before try number `tries + 1`: 30 s, 1 min, 2 min, ... at most an hour; never given up."""
    return min(timedelta(seconds=30 * 2 ** max(tries - 1, 0)), MAX_BACKOFF)


class EncodedSubject(str):
    """A subject in another script, encoded whole into RFC 2047 words with the spaces inside them.

    Python's own folding of a long non-ASCII subject splits it at a space between two encoded words, where
    readers drop the space ("পাইলট পরিকল্পনায়" arrives as "পাইলটপরিকল্পনায়"); this header folds itself instead.
    """

    name = "Subject"

    def fold(self, *, policy: Policy) -> str:
        return f"Subject: {Header(str(self), 'utf-8', header_name='Subject').encode(linesep=policy.linesep)}{policy.linesep}"


def compose(transport: Transport, to: str, subject: str, body: str, when: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = transport.sender
    message["To"] = to
    message["Subject"] = subject if subject.isascii() else EncodedSubject(subject)
    message["Date"] = formatdate(when.timestamp(), usegmt=True)
    message["Message-ID"] = make_msgid(domain=transport.sender.rsplit("@", 1)[-1].strip("> ") or "localhost")
    message.set_content(body, cte=None if body.isascii() else "quoted-printable")  # 7-bit safe for any server
    return message


def send(transport: Transport, message: EmailMessage, name: str) -> None:
    """Hand one message over; raises on any failure so the caller can retry later."""
    if not transport.configured:
        transport.outbox_dir.mkdir(parents=True, exist_ok=True)
        path = transport.outbox_dir / f"{name}.eml"
        path.write_bytes(bytes(message))
        log.info("No LMS_MAIL_URL: email to %s written to %s\nSubject: %s\n\n%s", message["To"], path,
                 message["Subject"], message.get_content())
        return
    context = ssl.create_default_context()
    if transport.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(transport.host, transport.port, timeout=20, context=context)
    else:
        client = smtplib.SMTP(transport.host, transport.port, timeout=20)
    with client:
        client.ehlo()
        if transport.scheme == "smtp":
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            elif transport.username:
                raise smtplib.SMTPException("the server does not offer STARTTLS, so the password was not sent in clear")
        if transport.username:
            client.login(transport.username, transport.password)
        client.send_message(message)


def deliver_due(engine: Engine, transport: Transport, now: datetime, batch: int = 50) -> tuple[int, int]:
    """Send what is due, each message in its own short transactions; returns (sent, failed)."""
    sent = failed = 0
    with engine.connect() as connection:
        due = connection.execute(select(_outbox).where(_outbox.c.sent_at.is_(None), _outbox.c.next_try_at <= now)
                                 .order_by(_outbox.c.id).limit(batch)).all()
    for row in due:
        with engine.begin() as connection:  # claim it, so a second worker does not send it too
            result = connection.execute(update(_outbox).where(
                _outbox.c.id == row.id, _outbox.c.sent_at.is_(None), _outbox.c.next_try_at == row.next_try_at,
            ).values(next_try_at=now + CLAIM, tries=row.tries + 1))
            claimed = once.rowcount(result)
        if not claimed:
            continue
        try:
            send(transport, compose(transport, row.to_addr, row.subject, row.body, row.created_at), f"{now:%Y%m%dT%H%M%S}-{row.id}")
        except Exception as exc:  # noqa: BLE001 - any failure is logged, kept and retried
            wait = backoff(row.tries + 1)
            log.warning("Email %s to %s not sent (try %s, next in %s): %s", row.id, row.to_addr, row.tries + 1, wait, exc)
            with engine.begin() as connection:
                connection.execute(update(_outbox).where(_outbox.c.id == row.id)
                                   .values(next_try_at=now + wait, last_error=str(exc)[:2000]))
            failed += 1
        else:
            with engine.begin() as connection:
                connection.execute(update(_outbox).where(_outbox.c.id == row.id).values(sent_at=now, last_error=None))
            sent += 1
    return sent, failed


def pending(engine: Engine) -> Sequence[Row]:
    """Unsent messages, oldest first (for the admin page and `lms mail send`)."""
    with engine.connect() as connection:
        return connection.execute(select(_outbox.c.id, _outbox.c.to_addr, _outbox.c.subject, _outbox.c.tries,
                                         _outbox.c.next_try_at, _outbox.c.last_error)
                                  .where(_outbox.c.sent_at.is_(None)).order_by(_outbox.c.id)).all()


def queue_rows(session: Session, rows: list[dict]) -> None:
    """Queue many messages in one insert (invitations for an import)."""
    if rows:
        session.execute(insert(_outbox), rows)
        session.info["mail_queued"] = True
