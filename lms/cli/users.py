"""`lms users ...`: create, import, set passwords, deactivate and activate."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from lms.db.models import ROLES, User
from lms.db.session import get_session
from lms.learning import inputs
from lms.learning.accounts import UserError, create_user, hash_password, import_csv, validate


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.ClickException("no password on standard input")
    return password


def _user_by_email(email: str) -> User:
    user = get_session().scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


@click.group("users", cls=AppGroup)
def users_group() -> None:
    """Accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--cohort", default=None, help="Cohort name (created if new); a trainer follows it.")
@click.option("--organisation", default=None, help="Organisation name (created if new, then --country is needed).")
@click.option("--country", default=None, help="The organisation's country: ISO 3166 two-letter code (BD, KH, IN, PH...).")
@click.option("--password-stdin", is_flag=True, required=True, expose_value=False, help="Read the password from standard input.")
@with_appcontext
def users_create(email: str, name: str, role: str, cohort: str | None, organisation: str | None, country: str | None) -> None:
    """Create an account."""
    session = get_session()
    try:
        user = create_user(session, email, name, role, _read_password(), cohort, organisation, country)
        session.commit()
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {user.role} {user.email}" + (f" in cohort {cohort}" if cohort else ""))


@users_group.command("import")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def users_import(file) -> None:
    """Create accounts from a CSV (email,name,role[,cohort,organisation,country,password]): all or nothing."""
    from flask import current_app

    from lms.learning import credentials
    from lms.web.clock import now
    from lms.web.mailer import run_once, transport

    session = get_session()
    try:
        created = import_csv(session, inputs.decode_text_file(file.read(), f"{file.name}"))
    except (UserError, inputs.InputError) as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    invited = [user for user, password in created if password is None]
    emailed = transport(current_app).configured
    base = (current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    links = credentials.links_for(session, invited, "invite", base, current_app.extensions["lms.course"].title, now(),
                                  email=emailed) if invited else []
    session.commit()
    click.echo(f"Created {len(created)} account(s); {len(invited)} without a password in the file get an invitation"
               + (" by email." if emailed else ". Pass each link to its owner (shown only now):"))
    if emailed:
        run_once(current_app)
    else:
        for user, link in zip(invited, links, strict=True):
            click.echo(f"{user.email},{link}")


@users_group.command("set-password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, required=True, expose_value=False, help="Read the password from standard input.")
@with_appcontext
def users_set_password(email: str) -> None:
    """Set a new password for an account."""
    session = get_session()
    user = _user_by_email(email)
    password = _read_password()
    try:
        validate(user.email, user.name, user.role, password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    user.password_hash = hash_password(password)
    user.session_version += 1  # a new password ends every session of the account
    session.commit()
    click.echo(f"Password set for {user.email}")


@users_group.command("deactivate")
@click.option("--email", required=True)
@with_appcontext
def users_deactivate(email: str) -> None:
    """Stop an account signing in (its open sessions end); its records are kept."""
    _set_active(email, False)


@users_group.command("activate")
@click.option("--email", required=True)
@with_appcontext
def users_activate(email: str) -> None:
    """Let a deactivated account sign in again."""
    _set_active(email, True)


def _set_active(email: str, active: bool) -> None:
    user = _user_by_email(email)
    if not active:
        user.session_version += 1  # its open sessions end, and reactivating does not revive them
    user.active = active
    get_session().commit()
    click.echo(f"{user.email} is {'active' if active else 'deactivated'}")
