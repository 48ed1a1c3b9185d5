"""Notifications: a line on the person's dashboard and, unless they turned that kind off, an email."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, false, select, update
from sqlalchemy.orm import Session

from lms.content.model import Course
from lms.db.models import Certificate, Notification, User
from lms.learning import mail, progress
from lms.learning.inputs import ID_MAX
from lms.learning.texts import GREETING, N_, language_of, translate

# kind -> what the account page calls it (each can be turned off by email; the dashboard always shows it)
KINDS = {
    "comment": "A trainer commented on my pilot plan or report",
    "certificate": "My certificate was issued",
    "refresher": "My refresher training opens",
    "submitted": "A learner submitted a pilot plan or report for feedback (trainers)",
    "reply": "A learner replied to a comment (trainers)",
}
SIGNATURE = N_("TSP training. You can turn these emails off on your account page: %(url)s")


def wants_email(user: User, kind: str) -> bool:
    return user.active and kind not in set(filter(None, (user.email_optout or "").split(",")))


def email_body(language: str, recipient: str, body: str, values: dict[str, object], link: str, base: str) -> str:
    """An email's text in `language`: greeting, the marked `body` filled in with `values`, the link, the signature."""
    return (f"{translate(language, GREETING, name=recipient)}\n\n{translate(language, body, **values)}\n\n{link}"
            f"\n\n--\n{translate(language, SIGNATURE, url=f'{base}/account')}\n")


def notify(session: Session, user: User, kind: str, text: str, path: str, now: datetime, base: str,
           body: str, once_key: str | None = None, **values: object) -> Notification | None:
    """Tell `user` (the caller commits); with `once_key`, only if they were never told that before.

    `text` (the dashboard line and the email's subject) and `body` are marked wordings filled in with `values`:
    the dashboard line is kept in English (lms/web/messages.py shows it in the reader's language), the email
    is written in the recipient's language.
    """
    if once_key and session.scalar(select(exists().where(Notification.user_id == user.id, Notification.once_key == once_key))):
        return None
    note = Notification(user_id=user.id, kind=kind, text=text % values if values else text, url=path, created_at=now,
                        once_key=once_key)
    session.add(note)
    if wants_email(user, kind):
        language = language_of(user)
        mail.queue(session, user.email, translate(language, text, **values),
                   email_body(language, user.name, body, values, f"{base}{path}", base), now)
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
    if target == "plan":
        text, body = N_("%(name)s commented on your pilot plan"), N_(
            "%(name)s left a comment on your pilot plan. Read it, and answer on the same page if you like:")
    else:
        text, body = N_("%(name)s commented on your pilot report"), N_(
            "%(name)s left a comment on your pilot report. Read it, and answer on the same page if you like:")
    notify(session, learner, "comment", text, path, now, base, body, name=trainer.name)


def replied(session: Session, learner: User, target: str, path: str, now: datetime, base: str, authors: set[int]) -> None:
    if target == "plan":
        text, body = N_("%(name)s replied about their pilot plan"), N_("%(name)s answered the comments on their pilot plan:")
    else:
        text, body = N_("%(name)s replied about their pilot report"), N_("%(name)s answered the comments on their pilot report:")
    people = {t.id: t for t in trainers_of(learner)}
    people.update({u.id: u for u in session.scalars(select(User).where(User.id.in_(authors - set(people))))} if authors else {})
    for trainer in people.values():
        if trainer.id != learner.id:
            notify(session, trainer, "reply", text, path, now, base, body, name=learner.name)


def submitted(session: Session, learner: User, target: str, path: str, now: datetime, base: str) -> None:
    if target == "plan":
        text, body = N_("%(name)s submitted their pilot plan"), N_("%(name)s submitted their pilot plan, and it awaits your feedback:")
    else:
        text, body = N_("%(name)s submitted their pilot report"), N_(
            "%(name)s submitted their pilot report, and it awaits your feedback:")
    for trainer in trainers_of(learner):
        notify(session, trainer, "submitted", text, path, now, base, body, name=learner.name)


def certificates_issued(session: Session, user: User, now: datetime, base: str) -> int:
    """Tell the learner about each current certificate they were not told about yet."""
    told = set(session.scalars(select(Notification.once_key).where(Notification.user_id == user.id,
                                                                   Notification.once_key.like("cert:%"))))
    fresh = [c for c in session.scalars(select(Certificate).where(Certificate.user_id == user.id,
                                                                  Certificate.current_key.is_not(None)))
             if f"cert:{c.id}" not in told]
    for cert in fresh:
        if cert.kind == "refresher":
            text, body = N_("Your refresher certificate was issued"), N_(
                "Congratulations: your refresher certificate was issued (code %(code)s). Download the PDF here:")
        else:
            text, body = N_("Your core training certificate was issued"), N_(
                "Congratulations: your core training certificate was issued (code %(code)s). Download the PDF here:")
        notify(session, user, "certificate", text, "/learn/certificates", now, base, body, once_key=f"cert:{cert.id}",
               code=cert.code)
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
            notify(session, person, "refresher", N_("Your refresher training is open"), "/learn/", now, base,
                   N_("The refresher unit of your training is open: report on your pilot, read what your peers shared, "
                      "and take the refresher quiz."), once_key="refresher")
            told += 1
    return told


def select_one(user: User, note_id: int):
    """One of the person's notifications; an id no id column can hold names none (PostgreSQL would fail on it)."""
    if not 0 < note_id <= ID_MAX:
        return select(Notification).where(false())
    return select(Notification).where(Notification.user_id == user.id, Notification.id == note_id)
