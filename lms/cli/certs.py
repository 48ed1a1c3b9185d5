"""`lms certificates verify CODE`."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from lms.db.enums import CertificateStatus
from lms.db.session import get_session
from lms.learning import certs


@click.group("certificates", cls=AppGroup)
def certificates_group() -> None:
    """Certificates."""


@certificates_group.command("verify")
@click.argument("code")
@with_appcontext
def verify(code: str) -> None:
    """Check a certificate code: valid (exit 0), or revoked, superseded, unknown (exit 1)."""
    status, cert = certs.lookup(get_session(), code, certs.signing_key(current_app.config["SECRET_KEY"]))
    if cert is None:
        click.echo("unknown: no certificate has this code" if status == CertificateStatus.UNKNOWN
                   else "invalid: this is not a certificate code")
        sys.exit(1)
    click.echo(f"{status}: {cert.learner_name} · {certs.KIND_LABELS.get(cert.kind, cert.kind)} · {cert.course_title} · "
               f"{cert.issued_at:%Y-%m-%d} · {cert.organisation} · {cert.code}")
    if cert.revoked_at:
        click.echo(f"revoked on {cert.revoked_at:%Y-%m-%d}: {cert.revoke_reason}")
    sys.exit(0 if status == CertificateStatus.VALID else 1)
