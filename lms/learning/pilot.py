"""Pilot plan, pilot log and pilot report: the learner's work between core training and refresher."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from lms.db.models import Comment, PilotLogEntry, PilotPlan, PilotPlanVersion, PilotReport, User
from lms.learning import inputs, once
from lms.learning.inputs import LONG_TEXT_MAX

FieldSpec = tuple[tuple[str, str, str], ...]  # (name, label, help) of each field of a form
PLAN_FIELDS: FieldSpec = (
    ("organisation", "Organisation", "The organisation where you will run the pilot, and your role there."),
    ("change", "The change to pilot", "What you will change to make the programme more gender-inclusive or female-friendly."),
    ("serves", "Who it serves", "Which women (and partners) the change is for, and how many you hope to reach."),
    ("actions", "Actions", "The steps you will take, and who will take each one."),
    ("indicators", "Indicators", "How you will know it works: indicators split by sex, with a starting value if you have one."),
    ("timeline", "Timeline", "When each action happens over the six months."),
    ("support", "Support needed", "What help you need from your trainer, peers or managers."),
    ("safety", "Safety and legal risk", "How the change could put women or staff at risk (violence, police, arrest, being "
     "identified), what the law in your country allows, and how your plan lowers those risks."),
)
REPORT_FIELDS: FieldSpec = (
    ("progress", "Progress", "What you did, compared with your plan."),
    ("results", "Results against your indicators", "For each indicator in your plan: where it started and where it is now."),
    ("challenges", "Challenges", "What got in the way."),
    ("helped", "What helped", "People, tools or decisions that made a difference."),
    ("next_steps", "Next steps", "What you will do next, and what support you need."),
)
MAX_FIELD = LONG_TEXT_MAX
# Saves kept per plan: the latest MAX_VERSIONS and the first submitted one. Each save compares with the
# last version only, so a plan saved every day for a year costs the same per save as a new one.
MAX_VERSIONS = 50


class PilotError(ValueError):
    """Input that cannot be saved; `fields` maps field names to messages."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def clean_fields(spec: FieldSpec, form: Mapping[str, str], require_all: bool) -> dict[str, str]:
    """Read the spec's fields from a form; all must be filled when submitting."""
    values: dict[str, str] = {}
    problems = {}
    for name, label, _help in spec:
        try:
            values[name] = inputs.text(_str(form.get(name)), label, MAX_FIELD, multiline=True)
        except inputs.InputError as exc:
            problems[name] = f"{exc}."
            continue
        if require_all and not values[name]:
            problems[name] = f"Fill in “{label}” before submitting."
    if problems:
        raise PilotError(problems)
    return values


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _digest(*parts: object) -> str:
    """A fingerprint of a resendable form's content: the same content twice is one row."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def plan_of(session: Session, user: User) -> PilotPlan | None:
    return session.scalar(select(PilotPlan).where(PilotPlan.user_id == user.id))


def save_plan(session: Session, user: User, fields: dict[str, str], submit: bool, now: datetime) -> PilotPlan:
    """Save the plan, and a new version unless it is the same as the last (the caller commits).

    Two first saves at once create one plan; the plan row is locked by the update until the
    caller commits, so concurrent saves take turns numbering their versions.
    """
    plans, versions = once.table(PilotPlan), once.table(PilotPlanVersion)
    once.insert_once(session, plans, {"user_id": user.id, "fields": fields, "updated_at": now}, ("user_id",))
    mine = plans.c.user_id == user.id
    session.execute(update(plans).where(mine).values(fields=fields, updated_at=now))
    if submit:
        session.execute(update(plans).where(mine, plans.c.submitted_at.is_(None)).values(submitted_at=now))
    plan_id: int = session.execute(select(plans.c.id).where(mine)).scalar_one()
    status = "submitted" if submit else "draft"
    last = session.execute(select(versions.c.number, versions.c.fields, versions.c.status)
                           .where(versions.c.plan_id == plan_id).order_by(versions.c.number.desc()).limit(1)).first()
    if last is None or last.fields != fields or last.status != status:
        number = (last.number if last else 0) + 1
        session.execute(insert(versions).values(plan_id=plan_id, number=number, fields=dict(fields), status=status,
                                                saved_at=now))
        _prune_versions(session, plan_id, number)
    return session.get_one(PilotPlan, plan_id, populate_existing=True)


def _prune_versions(session: Session, plan_id: int, newest: int) -> None:
    """Keep the latest MAX_VERSIONS versions and the first submitted one."""
    if newest <= MAX_VERSIONS:
        return
    versions = once.table(PilotPlanVersion)
    mine = versions.c.plan_id == plan_id
    first_submitted = session.scalar(select(func.min(versions.c.number)).where(mine, versions.c.status == "submitted"))
    stmt = delete(versions).where(mine, versions.c.number <= newest - MAX_VERSIONS)
    if first_submitted is not None:
        stmt = stmt.where(versions.c.number != first_submitted)
    session.execute(stmt)


LOG_TEXTS = (("did", "What I did"), ("happened", "What happened"), ("learned", "What I learned"))


def add_log_entry(session: Session, user: User, form: Mapping[str, str], today: date, now: datetime) -> bool:
    """Add a dated log entry (the date may not be in the future); False when the same entry is already there."""
    raw_date = _str(form.get("entry_date")).strip()
    problems = {}
    try:
        entry_date = date.fromisoformat(raw_date)
    except ValueError:
        problems["entry_date"] = "Give the date as YYYY-MM-DD."
        entry_date = today
    if entry_date > today:
        problems["entry_date"] = "The date cannot be in the future."
    texts = {}
    for name, label in LOG_TEXTS:
        try:
            texts[name] = inputs.text(_str(form.get(name)), label, MAX_FIELD, multiline=True)
        except inputs.InputError as exc:
            problems[name] = f"{exc}."
            texts[name] = ""
    if not any(texts.values()) and "did" not in problems:
        problems["did"] = "Write at least what you did."
    if problems:
        raise PilotError(problems)
    digest = _digest("log", user.id, entry_date.isoformat(), *texts.values())
    return once.insert_once(session, once.table(PilotLogEntry), {
        "user_id": user.id, "entry_date": entry_date, "created_at": now, "digest": digest, **texts,
    }, ("digest",))


def add_comment(session: Session, author: User, learner: User, target: str, body: str, now: datetime) -> bool:
    """A trainer's comment on a plan or report; False when the same comment was already made that day."""
    if target not in ("plan", "report"):
        raise PilotError({"target": "Say whether the comment is on the plan or the report."})
    try:
        body = inputs.text(body, "The comment", MAX_FIELD, multiline=True, required=True)
    except inputs.InputError as exc:
        raise PilotError({"body": f"{exc}."}) from None
    digest = _digest("comment", author.id, learner.id, target, now.date().isoformat(), body)
    return once.insert_once(session, once.table(Comment), {
        "target": target, "learner_id": learner.id, "author_id": author.id, "body": body, "created_at": now,
        "digest": digest,
    }, ("digest",))


def report_of(session: Session, user: User) -> PilotReport | None:
    return session.scalar(select(PilotReport).where(PilotReport.user_id == user.id))


def save_report(session: Session, user: User, fields: dict[str, str], shared: bool, submit: bool, now: datetime) -> PilotReport:
    """Save the report (one per learner, however many saves arrive at once); the caller commits."""
    reports = once.table(PilotReport)
    once.insert_once(session, reports, {"user_id": user.id, "fields": fields, "shared": shared, "updated_at": now},
                     ("user_id",))
    mine = reports.c.user_id == user.id
    session.execute(update(reports).where(mine).values(fields=fields, shared=shared, updated_at=now))
    if submit:
        session.execute(update(reports).where(mine, reports.c.submitted_at.is_(None)).values(submitted_at=now))
    return session.scalars(select(PilotReport).where(PilotReport.user_id == user.id)
                           .execution_options(populate_existing=True)).one()


def shared_reports(session: Session, cohort_id: int) -> list[PilotReport]:
    """Submitted reports that their authors shared with the cohort."""
    return list(session.scalars(
        select(PilotReport).join(User, User.id == PilotReport.user_id)
        .where(User.cohort_id == cohort_id, PilotReport.shared.is_(True), PilotReport.submitted_at.is_not(None))
        .order_by(PilotReport.submitted_at)
    ))
