"""Tables of the messaging side: trainers' comments and replies, rate-limit counts, account links, the email outbox, notifications."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db.base import Base, utcnow


class Comment(Base):
    """A trainer's comment on a pilot plan or report."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(20))  # a CommentTarget
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # sha256 of author, learner, target, day and text: the same comment resent the same day is kept once
    digest: Mapped[str | None] = mapped_column(String(64))

    # User lives in lms.db.models, which imports this module: the mapper finds it by name.
    author: Mapped[User] = relationship(foreign_keys=[author_id])  # type: ignore[name-defined]  # noqa: F821  # noqa: F821  (User is in lms.db.models)


class RateEvent(Base):
    """One counted request (a login try, a certificate lookup) for the rate limiter, shared by all workers."""

    __tablename__ = "rate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket_key: Mapped[str] = mapped_column(String(120), index=True)  # "login:<client address>"
    at: Mapped[datetime] = mapped_column(index=True)


class AccountToken(Base):
    """A single-use, expiring link to reset a password or accept an invitation; only its SHA-256 is kept."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))  # reset | invite
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """An email queued in the transaction that caused it and delivered after commit; kept until sent."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)


class Notification(Base):
    """Something that happened for a person: shown on their dashboard until read."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "once_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    once_key: Mapped[str | None] = mapped_column(String(60))  # set for what must be told once (a refresher opening)
