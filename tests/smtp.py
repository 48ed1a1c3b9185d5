"""A real SMTP server for the tests (aiosmtpd) on a free local port; it keeps what it receives."""
from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from email.message import EmailMessage

import pytest


class Inbox:
    """What the server received, as parsed messages."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler protocol
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, subject_part: str = "", timeout: float = 15) -> EmailMessage:
        """The first message to `to` whose subject contains `subject_part`, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for message in self.messages:
                    if message["To"] == to and subject_part in message["Subject"]:
                        return message
            time.sleep(0.05)
        raise AssertionError(f"no email to {to} about {subject_part!r}; received: {[(m['To'], m['Subject']) for m in self.messages]}")

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def link_in(message: EmailMessage) -> str:
    match = re.search(r"https?://\S+", message.get_content())
    assert match, message.get_content()
    return match.group(0)


@pytest.fixture(name="smtp_server")
def smtp_server_fixture():
    """(inbox, smtp:// URL) of a running server; stopped after the test."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


def self_signed(folder) -> tuple[str, str]:
    """(certificate, key) files for 127.0.0.1, made with openssl; the test trusts the certificate."""
    import subprocess

    cert, key = str(folder / "smtp-cert.pem"), str(folder / "smtp-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key
