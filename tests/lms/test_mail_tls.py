"""The SMTP URL forms against a real server with TLS and a login: STARTTLS (smtp://) and TLS from the start (smtps://)."""
from __future__ import annotations

import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from lms.web.mailer import run_once
from tests.conftest import csrf_token
from tests.smtp import Inbox, free_port, self_signed

USER, SECRET = "lms", "p@ss word"


def _authenticator(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == USER.encode() and auth_data.password == SECRET.encode())


@pytest.fixture
def tls(tmp_path, monkeypatch):
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the app's default TLS context trusts this test certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def _ask_reset(app):
    client = app.test_client()
    client.post("/password/forgot", data={"email": "tsp@example.org", "csrf_token": csrf_token(client, "/password/forgot")})
    run_once(app)


def test_smtp_url_upgrades_with_starttls_and_logs_in(make_app, course_dir, tls):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=tls, require_starttls=True,
                        authenticator=_authenticator, auth_required=True)
    server.start()
    try:
        app = make_app(course_dir, MAIL_URL=f"smtp://{USER}:p%40ss%20word@127.0.0.1:{server.port}")
        _ask_reset(app)
        inbox.wait_for("tsp@example.org", "Reset your password")
    finally:
        server.stop()


def test_a_password_is_never_sent_to_a_server_without_starttls(make_app, course_dir, caplog):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=_authenticator, auth_require_tls=False)
    server.start()
    try:
        app = make_app(course_dir, MAIL_URL=f"smtp://{USER}:secret@127.0.0.1:{server.port}")
        _ask_reset(app)
        assert inbox.to("tsp@example.org") == []
        assert "does not offer STARTTLS" in caplog.text
    finally:
        server.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtps_url_speaks_tls_from_the_start(make_app, course_dir, tls):
    inbox = Inbox()
    # aiosmtpd does not see implicit TLS as TLS when offering AUTH, hence auth_require_tls=False; the socket is TLS
    server = Controller(inbox, hostname="127.0.0.1", port=free_port(), ssl_context=tls,
                        authenticator=_authenticator, auth_required=True, auth_require_tls=False)
    server.start()
    try:
        app = make_app(course_dir, MAIL_URL=f"smtps://{USER}:p%40ss%20word@127.0.0.1:{server.port}")
        _ask_reset(app)
        inbox.wait_for("tsp@example.org", "Reset your password")
    finally:
        server.stop()
