"""Passwords and sessions: reset and invitation links (single-use, expiring, kept only as a hash),
setting a password, and ending every session of an account."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.db.models import AccountToken, User
from lms.learning import mail, once
from lms.learning.accounts import hash_password, validate
from lms.learning.texts import GREETING, N_, language_of, translate

LIFETIMES = {"reset": timedelta(hours=1), "invite": timedelta(days=14)}


class TokenError(ValueError):
    """A link that cannot be used; the message says why and what to do."""


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(session: Session, user: User, purpose: str, now: datetime) -> str:
    """A new link token for `user` (the caller commits); older unused links of the same purpose stop working."""
    if user.id is None:
        session.flush()
    # Lock the account's row first (a write lock on SQLite, a row lock on PostgreSQL): of two links asked for at
    # once, the later retires the earlier, so one link works.
    session.execute(update(User).where(User.id == user.id).values(session_version=User.session_version)
                    .execution_options(synchronize_session=False))
    session.execute(update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
                                               AccountToken.used_at.is_(None)).values(used_at=now))
    raw = secrets.token_urlsafe(32)
    session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_digest(raw), created_at=now,
                             expires_at=now + LIFETIMES[purpose]))
    return raw


def issue_many(session: Session, users: list[User], purpose: str, now: datetime) -> list[str]:
    """Tokens for freshly created accounts in one insert (they have no older links)."""
    session.flush()
    raws = [secrets.token_urlsafe(32) for _ in users]
    session.execute(once.table(AccountToken).insert(), [
        {"user_id": u.id, "purpose": purpose, "token_hash": _digest(r), "created_at": now,
         "expires_at": now + LIFETIMES[purpose]} for u, r in zip(users, raws, strict=True)])
    return raws


def peek(session: Session, raw: str, purpose: str, now: datetime) -> User:
    """The account a link is for, without using it up; TokenError when it cannot be used."""
    token = session.scalar(select(AccountToken).where(AccountToken.token_hash == _digest(raw or ""),
                                                      AccountToken.purpose == purpose))
    again = "Ask for a new link." if purpose == "reset" else "Ask your administrator for a new invitation."
    if token is None or token.used_at is not None:
        raise TokenError(f"This link has already been used or is not valid. {again}")
    if token.expires_at <= now:
        raise TokenError(f"This link has expired. {again}")
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise TokenError("This account cannot sign in. Ask your trainer or administrator.")
    return user


def consume(session: Session, raw: str, purpose: str, now: datetime) -> User:
    """Use a link up (the caller commits); a second use, or one after it expires, raises TokenError."""
    user = peek(session, raw, purpose, now)
    used = session.execute(update(AccountToken).where(AccountToken.token_hash == _digest(raw),
                                                      AccountToken.used_at.is_(None)).values(used_at=now))
    if once.rowcount(used) != 1:  # a concurrent request used it first
        raise TokenError("This link has already been used.")
    return user


def end_sessions(user: User) -> None:
    """Every session cookie of this account stops working, on every device (the caller commits)."""
    user.session_version = (user.session_version or 0) + 1


def set_password(user: User, password: str, confirm: str | None = None) -> None:
    """Check and set a new password, ending the account's other sessions (the caller commits); UserError if unfit."""
    from lms.learning.accounts import UserError

    if confirm is not None and password != confirm:
        raise UserError("the two new passwords are not the same")
    validate(user.email, user.name, user.role, password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def reset_email(user: User, link: str, title: str) -> tuple[str, str]:
    """Subject and body, in the person's language."""
    lang = language_of(user)
    return (translate(lang, N_("Reset your password for %(title)s"), title=title),
            f"{translate(lang, GREETING, name=user.name)}\n\n"
            + translate(lang, N_("Someone, probably you, asked to reset the password of your account (%(email)s).\n"
                                 "Choose a new password here; the link works once, for one hour:"), email=user.email)
            + f"\n\n{link}\n\n"
            + translate(lang, N_("If you did not ask, ignore this email: your password stays as it is.")) + "\n")


def invitation_email(user: User, link: str, title: str) -> tuple[str, str]:
    """Subject and body, in the person's language."""
    lang = language_of(user)
    return (translate(lang, N_("Your account for %(title)s"), title=title),
            f"{translate(lang, GREETING, name=user.name)}\n\n"
            + translate(lang, N_("An account was made for you on %(title)s, the online training for technical support "
                                 "providers.\nChoose your password here; the link works once, for 14 days:"), title=title)
            + f"\n\n{link}\n\n"
            + translate(lang, N_("Then log in with your email address, %(email)s."), email=user.email) + "\n")


def send_link(session: Session, user: User, purpose: str, base: str, title: str, now: datetime) -> str:
    """Issue a reset or invitation link and queue its email (the caller commits); returns the link."""
    link = f"{base}{'/password/reset/' if purpose == 'reset' else '/invite/'}{issue(session, user, purpose, now)}"
    subject, body = (reset_email if purpose == "reset" else invitation_email)(user, link, title)
    mail.queue(session, user.email, subject, body, now)
    return link


def links_for(session: Session, users: list[User], purpose: str, base: str, title: str, now: datetime,
              email: bool) -> list[str]:
    """Links for many people at once (the caller commits), each emailed when `email`; returns them in order."""
    fresh = purpose == "invite" and len(users) > 1  # accounts just imported: no older links to retire, one insert
    raws = issue_many(session, users, purpose, now) if fresh else [issue(session, u, purpose, now) for u in users]
    links = [f"{base}{'/password/reset/' if purpose == 'reset' else '/invite/'}{raw}" for raw in raws]
    if email:
        write = reset_email if purpose == "reset" else invitation_email
        rows = []
        for user, link in zip(users, links, strict=True):
            subject, body = write(user, link, title)
            rows.append({"to_addr": user.email, "subject": subject, "body": body, "created_at": now, "next_try_at": now, "tries": 0})
        mail.queue_rows(session, rows)
    return links
