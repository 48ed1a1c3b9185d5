"""Issuing, revoking and re-issuing certificates; the pure parts live in the `certificates` package."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

import certificates
from lms.content.model import Course
from lms.db.enums import CertificateStatus, Role, Scope
from lms.db.models import Certificate, CertificateEvent, User
from lms.learning import once, progress

KIND_LABELS = {"core": "Core training completed", "refresher": "Refresher training completed"}


def signing_key(secret: str) -> bytes:
    """A key for certificate codes, derived from the deployment's secret key (LMS_SECRET_KEY)."""
    return hmac.new(str(secret).encode(), b"lms certificate codes v1", hashlib.sha256).digest()


def current_key(user_id: int, kind: str) -> str:
    return f"{user_id}:{kind}"


def _current(session: Session, user_id: int, kind: str) -> Certificate | None:
    return session.scalar(select(Certificate).where(Certificate.current_key == current_key(user_id, kind)))


def issue(session: Session, course: Course, user: User, kind: str, now: datetime, key: bytes) -> Certificate:
    """The learner's current certificate of this kind, issued now if there is none (the caller commits).

    The insert runs in a SAVEPOINT: when a concurrent request issued the same certificate first,
    only the savepoint is rolled back, that request's certificate stands, and the caller's
    transaction carries on.
    """
    existing = _current(session, user.id, kind)
    if existing is not None:
        return existing
    unit = course.unit(kind)
    cert = Certificate(
        code=certificates.new_code(key), user_id=user.id, kind=kind, learner_name=user.name,
        course_title=course.title, organisation=course.organisation, study_hours=unit.study_hours if unit else 0,
        issued_at=now, completed_at=now, content_version=course.full_version, current_key=current_key(user.id, kind),
    )
    try:
        with session.begin_nested():
            session.add(cert)
    except IntegrityError:
        existing = _current(session, user.id, kind)
        if existing is None:
            raise
        return existing
    return cert


def issue_earned(session: Session, course: Course, snap: progress.Snapshot, key: bytes) -> list[Certificate]:
    """A certificate for each completed core or refresher unit, dated on its completion; idempotent, never commits."""
    if snap.user.role != Role.TSP:
        return []
    core = course.unit("core")
    core_done = core is None or (Scope.UNIT, core.id) in snap.completions
    return [issue(session, course, snap.user, unit.kind, snap.completions[(Scope.UNIT, unit.id)].completed_at, key)
            for unit in course.units if unit.kind in KIND_LABELS and (Scope.UNIT, unit.id) in snap.completions
            and (unit.kind != "refresher" or core_done)]  # no refresher certificate without the core training


def _claim(cert: Certificate, condition, **values) -> bool:
    """Change the certificate's row only if `condition` still holds (a write lock on SQLite, a row lock on
    PostgreSQL): of the same revoke or restore sent twice at once, one does it and is recorded."""
    session = object_session(cert)
    if session is None:  # not stored yet: nothing else can change it
        return True
    claimed = session.execute(update(Certificate).where(Certificate.id == cert.id, condition).values(**values)
                              .execution_options(synchronize_session=False))
    return once.rowcount(claimed) == 1


def _record(cert: Certificate, action: str, reason: str, now: datetime, actor: User | None) -> None:
    cert.events.append(CertificateEvent(action=action, reason=reason, at=now, actor_id=actor.id if actor else None))


def revoke(cert: Certificate, reason: str, now: datetime, actor: User | None = None) -> None:
    if not reason.strip():
        raise certificates.CertificateError("Give a reason for revoking; it is kept with the certificate.")
    if cert.superseded_by_id is not None:
        raise certificates.CertificateError("This certificate was replaced; revoke the newest one.")
    if cert.revoked_at is None and _claim(cert, Certificate.revoked_at.is_(None), revoked_at=now, revoke_reason=reason.strip()):
        cert.revoked_at, cert.revoke_reason = now, reason.strip()
        _record(cert, "revoked", reason.strip(), now, actor)


def restore(cert: Certificate, reason: str, now: datetime, actor: User | None = None) -> None:
    """Undo a revocation (a mistake): the certificate is valid again, and the restore is recorded with its reason."""
    if not reason.strip():
        raise certificates.CertificateError("Give a reason for restoring; it is kept with the certificate.")
    if cert.revoked_at is None:
        raise certificates.CertificateError("This certificate is not revoked.")
    if cert.superseded_by_id is not None:
        raise certificates.CertificateError("This certificate was replaced; the newest one is the one that counts.")
    if not _claim(cert, Certificate.revoked_at.is_not(None), revoked_at=None, revoke_reason=None):
        raise certificates.CertificateError("This certificate is not revoked.")  # a request sent at the same time restored it
    cert.revoked_at, cert.revoke_reason = None, None
    _record(cert, "restored", reason.strip(), now, actor)


def reissue(session: Session, cert: Certificate, new_name: str, now: datetime, key: bytes,
            actor: User | None = None, reason: str = "") -> Certificate:
    """Replace a certificate (a corrected name, or after a revocation); the old one shows as superseded.

    The new certificate keeps the date the training was completed: re-issuing is not completing again.
    """
    new_name = " ".join(new_name.split())
    if not new_name:
        raise certificates.CertificateError("The corrected name is empty.")
    if cert.superseded_by_id is not None:
        raise certificates.CertificateError("This certificate was already replaced; re-issue the newest one.")
    user = session.get_one(User, cert.user_id)
    cert.current_key = None
    session.flush()
    new = Certificate(
        code=certificates.new_code(key), user_id=cert.user_id, kind=cert.kind, learner_name=new_name,
        course_title=cert.course_title, organisation=cert.organisation, study_hours=cert.study_hours, issued_at=now,
        completed_at=cert.completed_at or cert.issued_at, content_version=cert.content_version,
        current_key=current_key(cert.user_id, cert.kind),
    )
    session.add(new)
    session.flush()
    cert.superseded_by_id = new.id
    why = reason.strip() or (f"name corrected to {new_name}" if new_name != cert.learner_name else "re-issued")
    _record(cert, "reissued", why, now, actor)
    user.name = new_name
    return new


def lookup(session: Session, raw_code: str, key: bytes) -> tuple[CertificateStatus, Certificate | None]:
    """The status of a typed code and its certificate, if there is one."""
    try:
        code = certificates.normalize_code(raw_code)
    except certificates.InvalidCode:
        return CertificateStatus.INVALID, None
    if not certificates.code_is_authentic(code, key):
        return CertificateStatus.UNKNOWN, None  # made up or altered: rejected without trusting the database
    cert = session.scalar(select(Certificate).where(Certificate.code == code))
    if cert is None:
        return CertificateStatus.UNKNOWN, None
    return cert.status, cert


def data_of(cert: Certificate) -> certificates.CertificateData:
    return certificates.CertificateData(
        code=cert.code, learner_name=cert.learner_name, course_title=cert.course_title,
        kind_label=KIND_LABELS.get(cert.kind, cert.kind), issued_on=cert.completed_on,
        study_hours=cert.study_hours, organisation=cert.organisation,
    )
