"""Wiring mail and notifications into the app: settings, a background sender woken after commit, hooks."""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app, request
from sqlalchemy import event

from lms.learning import mail, notify

log = logging.getLogger("lms.mail")
IDLE_SECONDS = 30  # the sender thread ends after this long with nothing to do; the next commit starts it again
SCAN_SECONDS = 3600  # how often refresher openings are looked for


def transport(app: Flask) -> mail.Transport:
    return app.extensions["lms.mail"]


def base_url() -> str:
    """The address links in emails start with: LMS_BASE_URL, else the address this request came to."""
    configured = current_app.config.get("BASE_URL") or ""
    base = (configured or request.url_root).rstrip("/")
    current_app.extensions["lms.base_seen"] = base
    return base


class Sender:
    """One daemon thread per process that sends what is due, then sleeps until woken or a retry falls due."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.scan = False

    def kick(self, scan: bool = False) -> None:
        with self.lock:
            self.scan = self.scan or scan
            self.wake.set()
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="lms-mail", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            self.wake.clear()
            wait = float(IDLE_SECONDS)
            try:
                wait = run_once(self.app, scan=self._take_scan()) or float(IDLE_SECONDS)
            except Exception:  # noqa: BLE001 - the thread must survive a database hiccup; mail stays queued
                log.exception("The mail sender failed; queued messages are kept and retried")
            if not self.wake.wait(timeout=wait):
                with self.lock:
                    if not self.wake.is_set() and not mail.pending(self.app.extensions["lms.engine"]):
                        self.thread = None
                        return

    def _take_scan(self) -> bool:
        with self.lock:
            scan, self.scan = self.scan, False
        return scan


def run_once(app: Flask, scan: bool = False) -> float | None:
    """Look for refresher openings (when asked), send what is due; the seconds until the next retry, if any."""
    now = app.extensions["lms.clock"]()
    engine = app.extensions["lms.engine"]
    if scan:
        base = app.config.get("BASE_URL") or app.extensions.get("lms.base_seen") or "http://localhost:5000"
        with app.extensions["lms.sessionmaker"]() as session:
            if notify.refreshers_opened(session, app.extensions["lms.course"], now, base.rstrip("/")):
                session.commit()
    mail.deliver_due(engine, transport(app), now)
    waiting = mail.pending(engine)
    if not waiting:
        return None
    return max(1.0, min(60.0, min((m.next_try_at - now).total_seconds() for m in waiting)))


def init_app(app: Flask) -> None:
    app.config.setdefault("MAIL_URL", os.environ.get("LMS_MAIL_URL", ""))
    app.config.setdefault("MAIL_FROM", os.environ.get("LMS_MAIL_FROM", ""))
    app.config.setdefault("MAIL_OUTBOX_DIR", str(Path(app.instance_path) / "outbox"))
    app.config.setdefault("MAIL_BACKGROUND", not app.testing)  # tests turn it on where they watch mail arrive
    try:
        app.extensions["lms.mail"] = mail.transport_from(app.config["MAIL_URL"], app.config["MAIL_FROM"],
                                                          Path(app.config["MAIL_OUTBOX_DIR"]))
    except mail.MailConfigError as exc:
        from lms.config import ConfigError

        raise ConfigError(str(exc)) from None
    sender = Sender(app)
    app.extensions["lms.mail_sender"] = sender

    @event.listens_for(app.extensions["lms.sessionmaker"], "after_commit")
    def _sent_after_commit(session):
        if session.info.pop("mail_queued", False) and app.config["MAIL_BACKGROUND"]:
            sender.kick()

    @event.listens_for(app.extensions["lms.sessionmaker"], "after_rollback")
    def _dropped_on_rollback(session):
        session.info.pop("mail_queued", None)

    next_scan = [0.0]

    @app.after_request
    def _scan_now_and_then(response):
        if app.config["MAIL_BACKGROUND"] and time.monotonic() >= next_scan[0]:
            next_scan[0] = time.monotonic() + SCAN_SECONDS
            base_url()
            sender.kick(scan=True)  # also sends anything left from before a restart
        return response
