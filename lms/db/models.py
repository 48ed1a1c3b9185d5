"""The database schema: people, cohorts, and what each learner did (messaging tables in lms/db/messaging.py)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db.base import ROLES, Base, UTCDateTime, utcnow
from lms.db.enums import CertificateStatus
from lms.db.messaging import AccountToken, Comment, Notification, OutboxMessage, RateEvent

__all__ = ["ROLES", "AccountToken", "Base", "Comment", "Notification", "OutboxMessage", "RateEvent", "UTCDateTime", "utcnow"]


cohort_trainers = Table(
    "cohort_trainers",
    Base.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    refresher_opens_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="cohort", foreign_keys="User.cohort_id")
    trainers: Mapped[list[User]] = relationship(secondary=cohort_trainers, back_populates="trains")


class Organisation(Base):
    """Where a TSP works; its country is an ISO 3166-1 alpha-2 code."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="organisation")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))  # a Role
    password_hash: Mapped[str] = mapped_column(String(255))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session cookie; bumped by logout, a password change or reset and deactivation,
    # which ends every session of the account on every device (reactivation does not undo it).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    email_optout: Mapped[str] = mapped_column(String(200), default="", server_default="")  # kinds, comma-separated
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    language: Mapped[str | None] = mapped_column(String(12))  # interface language chosen; None: from the browser

    cohort: Mapped[Cohort | None] = relationship(back_populates="members", foreign_keys=[cohort_id])
    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    trains: Mapped[list[Cohort]] = relationship(secondary=cohort_trainers, back_populates="trainers")

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot log in
        return self.active

    def get_id(self) -> str:  # Flask-Login keeps this in the session: a bumped version ends old sessions
        return f"{self.id}:{self.session_version}"

    @property
    def has_password(self) -> bool:
        return "$" in self.password_hash  # invited accounts hold "!" until they choose one


class LessonProgress(Base):
    """One row per learner and lesson: first view, completion, time spent."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(100))
    first_viewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_viewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    seconds_spent: Mapped[int] = mapped_column(default=0)
    content_version: Mapped[str] = mapped_column(String(40))


class QuizAttempt(Base):
    """One sitting of a quiz; `plan` fixes its questions and option order when it starts."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("user_id", "quiz_id", "number"), UniqueConstraint("open_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[str] = mapped_column(String(100), index=True)
    number: Mapped[int]
    # "user:quiz" while the attempt is open, NULL once submitted: at most one open attempt each.
    open_key: Mapped[str | None] = mapped_column(String(120))
    plan: Mapped[list[Any]]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    content_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(12))  # the course language it was started in; kept for the whole attempt

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptItem.position"
    )
    user: Mapped[User] = relationship()


class ExtraAttempt(Base):
    """One more attempt at a quiz granted to a learner beyond its limit: who granted it, when and why."""

    __tablename__ = "extra_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[str] = mapped_column(String(100))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


class AttemptItem(Base):
    """One question in one attempt: the raw response (saved as the learner goes) and its score 0..1."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    response: Mapped[dict[str, Any] | None]
    saved_at: Mapped[datetime | None]
    score: Mapped[float | None]
    points: Mapped[float | None]

    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")


class Completion(Base):
    """A module or unit completed, kept with the content version it was earned on; never undone by edits."""

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("user_id", "scope", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10))  # a Scope
    ref_id: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_version: Mapped[str] = mapped_column(String(40))


class PilotPlan(Base):
    """A learner's pilot plan: the current text, its status, and every saved version."""

    __tablename__ = "pilot_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    fields: Mapped[dict[str, Any]]
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[PilotPlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PilotPlanVersion.number"
    )


class PilotPlanVersion(Base):
    __tablename__ = "pilot_plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pilot_plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    fields: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10))  # a PlanStatus
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[PilotPlan] = relationship(back_populates="versions")


class PilotLogEntry(Base):
    __tablename__ = "pilot_log_entries"
    __table_args__ = (UniqueConstraint("digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_date: Mapped[date]
    did: Mapped[str] = mapped_column(Text)
    happened: Mapped[str] = mapped_column(Text)
    learned: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # sha256 of the learner, date and texts: a resent form adds nothing (NULL on rows from before it existed)
    digest: Mapped[str | None] = mapped_column(String(64))


class PilotReport(Base):
    __tablename__ = "pilot_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    fields: Mapped[dict[str, Any]]
    shared: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Certificate(Base):
    """An issued certificate; what the public verify page shows is exactly what the PDF shows."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("code"), UniqueConstraint("current_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # core | refresher
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300))
    study_hours: Mapped[float]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the training was completed: the date the certificate shows, kept across re-issues.
    completed_at: Mapped[datetime | None]
    content_version: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    # "user:kind" on the learner's current certificate of a kind, NULL once superseded: issuing twice is impossible.
    current_key: Mapped[str | None] = mapped_column(String(60))

    @property
    def status(self) -> CertificateStatus:
        if self.superseded_by_id is not None:
            return CertificateStatus.SUPERSEDED
        return CertificateStatus.REVOKED if self.revoked_at is not None else CertificateStatus.VALID

    user: Mapped[User] = relationship()
    events: Mapped[list[CertificateEvent]] = relationship(
        back_populates="certificate", cascade="all, delete-orphan", order_by="CertificateEvent.at"
    )

    @property
    def completed_on(self) -> date:
        return (self.completed_at or self.issued_at).date()


class CertificateEvent(Base):
    """What an administrator did to a certificate (revoked, restored, re-issued), by whom and why."""

    __tablename__ = "certificate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # revoked | restored | reissued
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
