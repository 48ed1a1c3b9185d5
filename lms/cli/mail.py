"""`lms mail ...`: send what is waiting in the outbox, and look for refreshers that opened."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from lms.learning import mail


@click.group("mail", cls=AppGroup)
def mail_group() -> None:
    """Email."""


@mail_group.command("send")
@with_appcontext
def mail_send() -> None:
    """Send queued email that is due (for a cron job, or after the mail server was down); tell learners whose refresher opened."""
    from lms.web.mailer import run_once, transport

    engine = current_app.extensions["lms.engine"]
    before = len(mail.pending(engine))
    run_once(current_app, scan=True)
    waiting = mail.pending(engine)
    where = "the mail server" if transport(current_app).configured else f"the outbox folder {transport(current_app).outbox_dir}"
    click.echo(f"Sent {max(before - len(waiting), 0)} message(s) to {where}; {len(waiting)} waiting.")
    for row in waiting:
        click.echo(f"  waiting: {row.to_addr} · {row.subject} · try {row.tries}, next {row.next_try_at:%Y-%m-%d %H:%M} UTC"
                   + (f" · {row.last_error}" if row.last_error else ""))
    if waiting and any(r.last_error for r in waiting):
        raise SystemExit(1)
