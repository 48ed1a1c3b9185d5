"""Organisations TSPs work for, each in one country (ISO 3166-1 alpha-2); the caller commits."""
from __future__ import annotations

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db.models import Organisation, User
from lms.learning.countries import COUNTRIES, normalise

MAX_NAME = 200


class OrganisationError(ValueError):
    """An organisation or country that cannot be accepted; the message says why."""


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationError("the organisation's name is empty")
    if len(name) > MAX_NAME:
        raise OrganisationError(f"the organisation's name is longer than {MAX_NAME} characters")
    return name


def clean_country(code: str) -> str:
    country = normalise(code)
    if country is None:
        raise OrganisationError(f"{(code or '').strip() or '(empty)'} is not an ISO 3166 country code (two letters, e.g. BD, KH, IN, PH)")
    return country


def by_name(session: Session, name: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower()))


def create(session: Session, name: str, country: str) -> Organisation:
    name, country = clean_name(name), clean_country(country)
    if by_name(session, name) is not None:
        raise OrganisationError(f"an organisation called {name} already exists")
    org = Organisation(name=name, country=country)
    session.add(org)
    return org


def get_or_create(session: Session, name: str, country: str | None) -> Organisation:
    """The organisation of that name (its country must match if given), created if new (a country is then needed)."""
    name = clean_name(name)
    org = by_name(session, name)
    if org is None:
        if not country:
            raise OrganisationError(f"{name} is a new organisation: give its country too")
        org = Organisation(name=name, country=clean_country(country))
        session.add(org)
    elif country and clean_country(country) != org.country:
        raise OrganisationError(f"{org.name} is in {COUNTRIES[org.country]} ({org.country}), not {clean_country(country)}")
    return org


def update(session: Session, org: Organisation, name: str, country: str) -> None:
    name, country = clean_name(name), clean_country(country)
    other = by_name(session, name)
    if other is not None and other.id != org.id:
        raise OrganisationError(f"an organisation called {name} already exists")
    org.name, org.country = name, country


def delete(session: Session, org: Organisation) -> None:
    """Only an organisation nobody belongs to may go, so nobody's record changes silently."""
    members = session.scalar(select(func.count()).select_from(User).where(User.organisation_id == org.id))
    if members:
        raise OrganisationError(f"{org.name} still has {members} member{'s' if members != 1 else ''}; move them first")
    # By statement: the same removal sent twice at once deletes the row once, and the other copy finds it gone.
    session.execute(sql_delete(Organisation).where(Organisation.id == org.id).execution_options(synchronize_session=False))
    session.expunge(org)


def with_counts(session: Session) -> list[tuple[Organisation, int]]:
    """Every organisation with its number of members, in one query."""
    counts = (select(User.organisation_id, func.count().label("n")).group_by(User.organisation_id).subquery())
    rows = session.execute(select(Organisation, func.coalesce(counts.c.n, 0))
                           .outerjoin(counts, counts.c.organisation_id == Organisation.id)
                           .order_by(Organisation.country, Organisation.name)).all()
    return [(org, n) for org, n in rows]


def set_member(session: Session, email: str, org: Organisation | None) -> User:
    """Put an account in an organisation (or none)."""
    user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise OrganisationError(f"no account for {(email or '').strip() or '(empty)'}")
    user.organisation = org
    return user
