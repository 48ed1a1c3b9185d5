"""Notifications: a line on the person's dashboard and, unless they turned that kind off, an email."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, false, select, update
from sqlalchemy.orm import Session

from lms.content.model import Course
from lms.db.models import Certificate, Notification, User
from lms.learning import mail, progress
from lms.learning.inputs import ID_MAX

# kind -> what the account page calls it (each can be turned off by email; the dashboard always shows it)
KINDS = {
    "comment": "A trainer commented on my pilot plan or report",
    "certificate": "My certificate was issued",
    "refresher": "My refresher training opens",
    "submitted": "A learner submitted a pilot plan or report for feedback (trainers)",
    "reply": "A learner replied to a comment (trainers)",
}
SIGNATURE = "\n\n--\nTSP training. You can turn these emails off on your account page: {base}/account\n"


def wants_email(user: User, kind: str) -> bool:
    return user.active and kind not in set(filter(None, (user.email_optout or "").split(",")))


def notify(session: Session, user: User, kind: str, text: str, path: str, now: datetime, base: str,
           body: str, once_key: str | None = None) -> Notification | None:
    """Tell `user` (the caller commits); with `once_key`, only if they were never told that before."""
    if once_key and session.scalar(select(exists().where(Notification.user_id == user.id, Notification.once_key == once_key))):
        return None
    note = Notification(user_id=user.id, kind=kind, text=text, url=path, created_at=now, once_key=once_key)
    session.add(note)
    if wants_email(user, kind):
        mail.queue(session, user.email, text, f"Hello {user.name},\n\n{body}\n\n{base}{path}" + SIGNATURE.format(base=base), now)
    return note


def unread(session: Session, user: User, limit: int = 20) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                                .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(session: Session, user: User, now: datetime, note_id: int | None = None) -> None:
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if note_id is not None:
        stmt = stmt.where(Notification.id == note_id)
    session.execute(stmt.values(read_at=now))


def trainers_of(learner: User) -> list[User]:
    return list(learner.cohort.trainers) if learner.cohort is not None else []


def commented(session: Session, learner: User, trainer: User, target: str, path: str, now: datetime, base: str) -> None:
    what = "pilot plan" if target == "plan" else "pilot report"
    notify(session, learner, "comment", f"{trainer.name} commented on your {what}", path, now, base,
           f"{trainer.name} left a comment on your {what}. Read it, and answer on the same page if you like:")


def replied(session: Session, learner: User, target: str, path: str, now: datetime, base: str, authors: set[int]) -> None:
    what = "pilot plan" if target == "plan" else "pilot report"
    people = {t.id: t for t in trainers_of(learner)}
    people.update({u.id: u for u in session.scalars(select(User).where(User.id.in_(authors - set(people))))} if authors else {})
    for trainer in people.values():
        if trainer.id != learner.id:
            notify(session, trainer, "reply", f"{learner.name} replied about their {what}", path, now, base,
                   f"{learner.name} answered the comments on their {what}:")


def submitted(session: Session, learner: User, target: str, path: str, now: datetime, base: str) -> None:
    what = "pilot plan" if target == "plan" else "pilot report"
    for trainer in trainers_of(learner):
        notify(session, trainer, "submitted", f"{learner.name} submitted their {what}", path, now, base,
               f"{learner.name} submitted their {what}, and it awaits your feedback:")


def certificates_issued(session: Session, user: User, now: datetime, base: str) -> int:
    """Tell the learner about each current certificate they were not told about yet."""
    told = set(session.scalars(select(Notification.once_key).where(Notification.user_id == user.id,
                                                                   Notification.once_key.like("cert:%"))))
    fresh = [c for c in session.scalars(select(Certificate).where(Certificate.user_id == user.id,
                                                                  Certificate.current_key.is_not(None)))
             if f"cert:{c.id}" not in told]
    for cert in fresh:
        label = "refresher" if cert.kind == "refresher" else "core training"
        notify(session, user, "certificate", f"Your {label} certificate was issued", "/learn/certificates", now, base,
               f"Congratulations: your {label} certificate was issued (code {cert.code}). Download the PDF here:",
               once_key=f"cert:{cert.id}")
    return len(fresh)


def refreshers_opened(session: Session, course: Course, now: datetime, base: str) -> int:
    """Tell each learner once, when their refresher opens (run by the mail worker and `lms mail send`)."""
    if course.unit("refresher") is None:
        return 0
    learners = list(session.scalars(select(User).where(
        User.role == "tsp", User.active.is_(True),
        ~exists().where(Notification.user_id == User.id, Notification.once_key == "refresher"))))
    told = 0
    snaps = progress.snapshots(session, learners, course) if learners else {}
    for person in learners:
        if progress.refresher_is_open(course, snaps[person.id], now):
            notify(session, person, "refresher", "Your refresher training is open", "/learn/", now, base,
                   "The refresher unit of your training is open: report on your pilot, read what your peers shared, "
                   "and take the refresher quiz.", once_key="refresher")
            told += 1
    return told


def select_one(user: User, note_id: int):
    """One of the person's notifications; an id no id column can hold names none (PostgreSQL would fail on it)."""
    if not 0 < note_id <= ID_MAX:
        return select(Notification).where(false())
    return select(Notification).where(Notification.user_id == user.id, Notification.id == note_id)
