"""Pilot plan, pilot log and pilot report: the learner's work between core training and refresher."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.db.models import PilotLogEntry, PilotPlan, PilotPlanVersion, PilotReport, User

FieldSpec = tuple[tuple[str, str, str], ...]  # (name, label, help) of each field of a form
PLAN_FIELDS: FieldSpec = (
    ("organisation", "Organisation", "The organisation where you will run the pilot, and your role there."),
    ("change", "The change to pilot", "What you will change to make the programme more gender-inclusive or female-friendly."),
    ("serves", "Who it serves", "Which women (and partners) the change is for, and how many you hope to reach."),
    ("actions", "Actions", "The steps you will take, and who will take each one."),
    ("indicators", "Indicators", "How you will know it works: indicators split by sex, with a starting value if you have one."),
    ("timeline", "Timeline", "When each action happens over the six months."),
    ("support", "Support needed", "What help you need from your trainer, peers or managers."),
)
REPORT_FIELDS: FieldSpec = (
    ("progress", "Progress", "What you did, compared with your plan."),
    ("results", "Results against your indicators", "For each indicator in your plan: where it started and where it is now."),
    ("challenges", "Challenges", "What got in the way."),
    ("helped", "What helped", "People, tools or decisions that made a difference."),
    ("next_steps", "Next steps", "What you will do next, and what support you need."),
)
MAX_FIELD = 6000


class PilotError(ValueError):
    """Input that cannot be saved; `fields` maps field names to messages."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def clean_fields(spec: FieldSpec, form: Mapping[str, str], require_all: bool) -> dict[str, str]:
    """Read the spec's fields from a form; all must be filled when submitting."""
    values = {name: (form.get(name) or "").strip() for name, _label, _help in spec}
    problems = {}
    for name, label, _help in spec:
        if len(values[name]) > MAX_FIELD:
            problems[name] = f"{label} is too long (at most {MAX_FIELD} characters)."
        elif require_all and not values[name]:
            problems[name] = f"Fill in “{label}” before submitting."
    if problems:
        raise PilotError(problems)
    return values


def plan_of(session: Session, user: User) -> PilotPlan | None:
    return session.scalar(select(PilotPlan).where(PilotPlan.user_id == user.id))


def save_plan(session: Session, user: User, fields: dict[str, str], submit: bool, now: datetime) -> PilotPlan:
    """Save the plan as a new version (the caller commits); submitting sets the submission time."""
    plan = plan_of(session, user)
    if plan is None:
        plan = PilotPlan(user_id=user.id, fields=fields, updated_at=now)
        session.add(plan)
    plan.fields = fields
    plan.updated_at = now
    if submit and plan.submitted_at is None:
        plan.submitted_at = now
    number = len(plan.versions) + 1
    plan.versions.append(PilotPlanVersion(number=number, fields=dict(fields), saved_at=now,
                                          status="submitted" if submit else "draft"))
    return plan


def add_log_entry(session: Session, user: User, form: Mapping[str, str], today: date, now: datetime) -> PilotLogEntry:
    """Add a dated log entry; the date may not be in the future."""
    raw_date = (form.get("entry_date") or "").strip()
    problems = {}
    try:
        entry_date = date.fromisoformat(raw_date)
    except ValueError:
        problems["entry_date"] = "Give the date as YYYY-MM-DD."
        entry_date = today
    if entry_date > today:
        problems["entry_date"] = "The date cannot be in the future."
    texts = {}
    for name, label in (("did", "What I did"), ("happened", "What happened"), ("learned", "What I learned")):
        texts[name] = (form.get(name) or "").strip()
        if len(texts[name]) > MAX_FIELD:
            problems[name] = f"{label} is too long."
    if not any(texts.values()):
        problems["did"] = "Write at least what you did."
    if problems:
        raise PilotError(problems)
    entry = PilotLogEntry(user_id=user.id, entry_date=entry_date, created_at=now, **texts)
    session.add(entry)
    return entry


def report_of(session: Session, user: User) -> PilotReport | None:
    return session.scalar(select(PilotReport).where(PilotReport.user_id == user.id))


def save_report(session: Session, user: User, fields: dict[str, str], shared: bool, submit: bool, now: datetime) -> PilotReport:
    report = report_of(session, user)
    if report is None:
        report = PilotReport(user_id=user.id, fields=fields, updated_at=now)
        session.add(report)
    report.fields, report.shared, report.updated_at = fields, shared, now
    if submit and report.submitted_at is None:
        report.submitted_at = now
    return report


def shared_reports(session: Session, cohort_id: int) -> list[PilotReport]:
    """Submitted reports that their authors shared with the cohort."""
    return list(session.scalars(
        select(PilotReport).join(User, User.id == PilotReport.user_id)
        .where(User.cohort_id == cohort_id, PilotReport.shared.is_(True), PilotReport.submitted_at.is_not(None))
        .order_by(PilotReport.submitted_at)
    ))
