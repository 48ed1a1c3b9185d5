"""Creating accounts, one at a time or from a CSV file (all or nothing)."""
from __future__ import annotations

import csv
import io
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from lms.db.models import ROLES, Cohort, User, utcnow
from lms.learning import inputs, once, organisations

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = inputs.PASSWORD_MIN
INVITED = "!"  # the password hash of an account whose owner has not chosen a password yet: nothing matches it


class UserError(ValueError):
    """Account data that cannot be accepted; the message says why."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def random_password() -> str:
    return secrets.token_urlsafe(12)


def get_or_create_cohort(session: Session, name: str) -> Cohort:
    """The cohort of that name, created if new; two requests creating it at once make one."""
    name = cohort_name(name)
    if not name:
        raise UserError("the cohort name is empty")
    once.insert_once(session, once.table(Cohort), {"name": name, "created_at": utcnow()}, ("name",))
    return session.scalars(select(Cohort).where(Cohort.name == name)).one()


def cohort_name(name: str) -> str:
    """A cohort name with spaces tidied; refused when too long or holding control characters."""
    try:
        return inputs.text(name, "the cohort name", inputs.COHORT_MAX)
    except inputs.InputError as exc:
        raise UserError(str(exc)) from None


def validate(email: str, name: str, role: str, password: str | None) -> tuple[str, str]:
    """Check one account's fields; returns the normalised (email, name)."""
    try:
        email = inputs.text(email, "the email address", inputs.EMAIL_MAX).lower()
        name = inputs.text(name, "the name", inputs.NAME_MAX)
        if password is not None:
            inputs.password(password)
    except inputs.InputError as exc:
        raise UserError(str(exc)) from None
    if not EMAIL.match(email):
        raise UserError(f"{email or '(empty)'!s} is not an email address")
    if not name:
        raise UserError("the name is empty")
    if role not in ROLES:
        raise UserError(f"role {role!r} must be one of {', '.join(ROLES)}")
    return email, name


def create_user(session: Session, email: str, name: str, role: str, password: str | None, cohort: str | None = None,
                organisation: str | None = None, country: str | None = None) -> User:
    """Add an account (the caller commits); trainers are attached to their cohort as its trainer.

    Without a password the account waits for its owner to choose one through an invitation link.
    """
    email, name = validate(email, name, role, password)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise UserError(f"an account for {email} already exists")
    if country and not organisation:
        raise UserError("a country belongs to an organisation: give --organisation too")
    user = User(email=email, name=name, role=role, password_hash=hash_password(password) if password else INVITED)
    session.add(user)  # before any relationship, so the organisation's and cohort's member lists take it in
    if organisation:
        try:
            user.organisation = organisations.get_or_create(session, organisation, country)
        except organisations.OrganisationError as exc:
            raise UserError(str(exc)) from None
    if cohort:
        group = get_or_create_cohort(session, cohort.strip())
        if role == "trainer":
            user.trains.append(group)
        else:
            user.cohort = group
    return user


def import_csv(session: Session, text: str) -> list[tuple[User, str | None]]:
    """Create every account in a CSV (email,name,role[,cohort,organisation,country,password]) or none; returns (user, password given).

    Rows without a password are not hashed at all: those accounts get invitation links instead.
    """
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in ("email", "name", "role") if c not in header]
        if missing:
            raise UserError(f"line 1: the header needs the columns {', '.join(missing)} (found: {', '.join(header) or 'none'})")
        reader.fieldnames = header
        errors: list[str] = []
        rows = []
        seen: set[str] = set()
        existing = set(session.scalars(select(User.email)))
        new_orgs: dict[str, str] = {}
        for row in reader:
            number = reader.line_num
            given = _cell(row, "password") or None
            try:
                email, name = validate(_cell(row, "email"), _cell(row, "name"), _cell(row, "role").strip(), given)
                cohort = cohort_name(_cell(row, "cohort"))
            except UserError as exc:
                errors.append(f"line {number}: {exc}")
                continue
            if email in seen or email in existing:
                errors.append(f"line {number}: {email} {'appears twice in the file' if email in seen else 'already has an account'}")
                continue
            org, country = _cell(row, "organisation").strip(), _cell(row, "country").strip()
            problem = _organisation_problem(session, org, country, new_orgs)
            if problem:
                errors.append(f"line {number}: {problem}")
                continue
            seen.add(email)
            rows.append((email, name, _cell(row, "role").strip(), cohort, given, org, country))
    except csv.Error as exc:
        raise UserError(f"nothing was imported: the file is not readable as CSV ({exc})") from None
    if errors:
        raise UserError("nothing was imported:\n" + "\n".join(errors))
    if not rows:
        raise UserError("nothing was imported: the file has no accounts")
    # Checked above, so added in one flush: one INSERT batch, not a query and a flush per row.
    cohorts = {name: get_or_create_cohort(session, name) for name in {row[3] for row in rows if row[3]}}
    named: dict[str, tuple[str, str | None]] = {}  # the organisations named, with a country where any row gives one
    for *_r, org, country in rows:
        if org:
            named[org.lower()] = (org, country or named.get(org.lower(), (org, None))[1])
    orgs = {key: organisations.get_or_create(session, org, country) for key, (org, country) in named.items()}
    created = []
    with session.no_autoflush:
        for email, name, role, cohort, password, org, _country in rows:
            user = User(email=email, name=name, role=role, password_hash=hash_password(password) if password else INVITED)
            if org:
                user.organisation = orgs[org.lower()]
            if cohort and role == "trainer":
                user.trains.append(cohorts[cohort])
            elif cohort:
                user.cohort = cohorts[cohort]
            created.append((user, password))
        session.add_all([user for user, _p in created])
    session.flush()
    return created


def _cell(row: dict, column: str) -> str:
    """A cell as text; a row with too many cells puts the rest in a list under None, which is ignored."""
    value = row.get(column)
    return value if isinstance(value, str) else ""


def _organisation_problem(session: Session, name: str, country: str, new: dict[str, str]) -> str | None:
    """What is wrong with a row's organisation and country, checked before anything is created."""
    if not name:
        return "a country belongs to an organisation: fill in the organisation too" if country else None
    try:
        name = organisations.clean_name(name)
        code = organisations.clean_country(country) if country else None
    except organisations.OrganisationError as exc:
        return str(exc)
    org = organisations.by_name(session, name)
    known = org.country if org is not None else new.get(name.lower())
    if known is None:
        if code is None:
            return f"{name} is a new organisation: give its country too"
        new[name.lower()] = code
    elif code is not None and code != known:
        return f"{name} is in {known}, not {code}"
    return None
