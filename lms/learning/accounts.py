"""Creating accounts, one at a time or from a CSV file (all or nothing)."""
from __future__ import annotations

import csv
import io
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from lms.db.models import ROLES, Cohort, User
from lms.learning import organisations

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
CSV_COLUMNS = ("email", "name", "role", "cohort", "organisation", "country")


class UserError(ValueError):
    """Account data that cannot be accepted; the message says why."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def random_password() -> str:
    return secrets.token_urlsafe(12)


def get_or_create_cohort(session: Session, name: str) -> Cohort:
    cohort = session.scalar(select(Cohort).where(Cohort.name == name))
    if cohort is None:
        cohort = Cohort(name=name)
        session.add(cohort)
    return cohort


def validate(email: str, name: str, role: str, password: str | None) -> tuple[str, str]:
    """Check one account's fields; returns the normalised (email, name)."""
    email = email.strip().lower()
    name = " ".join(name.split())
    if not EMAIL.match(email):
        raise UserError(f"{email or '(empty)'!s} is not an email address")
    if not name:
        raise UserError("the name is empty")
    if role not in ROLES:
        raise UserError(f"role {role!r} must be one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    return email, name


def create_user(session: Session, email: str, name: str, role: str, password: str, cohort: str | None = None,
                organisation: str | None = None, country: str | None = None) -> User:
    """Add an account (the caller commits); trainers are attached to their cohort as its trainer."""
    email, name = validate(email, name, role, password)
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise UserError(f"an account for {email} already exists")
    if country and not organisation:
        raise UserError("a country belongs to an organisation: give --organisation too")
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
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


def import_csv(session: Session, text: str) -> list[tuple[User, str]]:
    """Create every account in a CSV (email,name,role[,cohort,organisation,country,password]) or none; returns (user, password)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("email", "name", "role") if c not in header]
    if missing:
        raise UserError(f"line 1: the header needs the columns {', '.join(missing)} (found: {', '.join(header) or 'none'})")
    reader.fieldnames = header
    errors: list[str] = []
    rows = []
    seen: set[str] = set()
    existing = set(session.scalars(select(User.email)))
    new_orgs: dict[str, str] = {}
    for number, row in enumerate(reader, start=2):
        try:
            email, name = validate(row.get("email") or "", row.get("name") or "", (row.get("role") or "").strip(), row.get("password") or None)
        except UserError as exc:
            errors.append(f"line {number}: {exc}")
            continue
        if email in seen or email in existing:
            errors.append(f"line {number}: {email} {'appears twice in the file' if email in seen else 'already has an account'}")
            continue
        org, country = (row.get("organisation") or "").strip(), (row.get("country") or "").strip()
        problem = _organisation_problem(session, org, country, new_orgs)
        if problem:
            errors.append(f"line {number}: {problem}")
            continue
        seen.add(email)
        rows.append((email, name, row["role"].strip(), (row.get("cohort") or "").strip(), row.get("password") or random_password(),
                     org, country))
    if errors:
        raise UserError("nothing was imported:\n" + "\n".join(errors))
    if not rows:
        raise UserError("nothing was imported: the file has no accounts")
    return [(create_user(session, e, n, r, p, c or None, o or None, k or None), p) for e, n, r, c, p, o, k in rows]


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
