"""The cohort table at scale: filtered, sorted and paged in SQL, counted for the whole filtered set (constant queries)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, exists, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from lms.content.model import Course
from lms.db.models import (
    Cohort,
    Completion,
    LessonProgress,
    Organisation,
    PilotLogEntry,
    PilotPlan,
    PilotReport,
    QuizAttempt,
    User,
)
from lms.learning import inputs, progress
from lms.learning.reports import LearnerRow, rows_for

PAGE_SIZE = 50
SORTS = ("name", "organisation", "country", "status", "last_active")
NOT_STARTED, STARTED = "not-started", "started"


@dataclass
class CohortQuery:
    """What the trainer asked to see; unknown values fall back to the defaults (whole cohort, by name, page 1)."""

    organisation_id: int | None = None
    country: str | None = None
    status: str | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args, statuses: list[str]) -> CohortQuery:
        def number(name: str) -> int | None:
            raw = (args.get(name) or "").strip()
            return inputs.int_id(raw)  # ASCII digits that fit an id; anything else is no choice

        sort = (args.get("sort") or "name").strip()
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        status = (args.get("status") or "").strip()
        country = (args.get("country") or "").strip().upper()
        return cls(organisation_id=number("organisation"), country=country if len(country) == 2 else None,
                   status=status if status in statuses else None, sort=sort if sort in SORTS else "name",
                   descending=descending and sort in SORTS, page=max(1, number("page") or 1))

    def args(self, **changes) -> dict[str, str]:
        """The query string for this view with some values changed (for links: sort, page, CSV)."""
        values = {"organisation": self.organisation_id, "country": self.country, "status": self.status,
                  "sort": ("-" if self.descending else "") + self.sort, "page": self.page, **changes}
        defaults = {"sort": "name", "page": 1}  # left out of links, so the plain URL is the default view
        return {k: str(v) for k, v in values.items() if v not in (None, "") and defaults.get(k) != v}


def statuses(course: Course) -> list[tuple[str, str]]:
    """Where a learner stands, coarsely, from stored completions: (key, label), earliest first."""
    return ([(NOT_STARTED, "Not started"), (STARTED, "In progress")]
            + [(f"done:{u.id}", f"Completed: {u.title}") for u in course.units])


def _status_column(course: Course):
    """The furthest unit a learner completed (stored completions), else started or not: one CASE, no per-learner query."""
    def completed(unit_id: str):
        return exists().where(Completion.user_id == User.id, Completion.scope == "unit", Completion.ref_id == unit_id)

    started = exists().where(LessonProgress.user_id == User.id) | exists().where(QuizAttempt.user_id == User.id)
    whens: list[tuple[Any, Any]] = [(completed(u.id), literal_column(f"'done:{u.id}'")) for u in reversed(course.units) if "'" not in u.id]
    whens.append((started, literal_column(f"'{STARTED}'")))
    return case(*whens, else_=literal_column(f"'{NOT_STARTED}'"))


def last_activity(user_ids):
    """(user_id, last_at): the latest thing each learner did (lesson, quiz, plan, log, report), for users in `user_ids`.

    Each table is reduced to one row per learner first (its user_id index makes that cheap), then the five are merged.
    """
    def latest(user_id, at):
        return select(user_id.label("user_id"), func.max(at).label("at")).where(user_id.in_(user_ids)).group_by(user_id)

    parts = union_all(
        latest(LessonProgress.user_id, LessonProgress.last_viewed_at),
        latest(QuizAttempt.user_id, func.coalesce(QuizAttempt.submitted_at, QuizAttempt.started_at)),
        latest(PilotLogEntry.user_id, PilotLogEntry.created_at),
        select(PilotPlan.user_id, PilotPlan.updated_at).where(PilotPlan.user_id.in_(user_ids)),
        select(PilotReport.user_id, PilotReport.updated_at).where(PilotReport.user_id.in_(user_ids)),
    ).subquery()
    return select(parts.c.user_id, func.max(parts.c.at).label("last_at")).group_by(parts.c.user_id).subquery()


def _learners(course: Course, cohort: Cohort, query: CohortQuery, with_status: bool = True, with_last: bool = False):
    """One row per learner of the cohort matching the filters: id, name, organisation, country, status, rank (and last activity).

    Last activity is the costly column (a union over five tables), so it is joined only to sort by it.
    """
    status = _status_column(course)
    keys = [k for k, _ in statuses(course)]
    rank = case(*[(status == literal_column(f"'{k}'"), i) for i, k in enumerate(keys) if "'" not in k], else_=0)
    columns = [User.id.label("id"), User.name.label("name"), Organisation.name.label("organisation"),
               Organisation.country.label("country"), status.label("status"), rank.label("rank")]
    stmt = select(*columns).select_from(User).outerjoin(Organisation, Organisation.id == User.organisation_id)
    if with_last:
        last = last_activity(select(User.id).where(User.cohort_id == cohort.id, User.role == "tsp"))
        stmt = stmt.add_columns(last.c.last_at.label("last_at")).outerjoin(last, last.c.user_id == User.id)
    stmt = stmt.where(User.cohort_id == cohort.id, User.role == "tsp")
    if query.organisation_id is not None:
        stmt = stmt.where(User.organisation_id == query.organisation_id)
    if query.country:
        stmt = stmt.where(Organisation.country == query.country)
    sub = stmt.subquery()
    if with_status and query.status:
        return select(sub).where(sub.c.status == query.status).subquery()
    return sub


def _ids(cohort: Cohort, query: CohortQuery, sub):
    """The filtered learners' ids, as a subquery; without a status filter, one that skips computing statuses."""
    if query.status:
        return select(sub.c.id)
    stmt = select(User.id).where(User.cohort_id == cohort.id, User.role == "tsp")
    if query.organisation_id is not None:
        stmt = stmt.where(User.organisation_id == query.organisation_id)
    if query.country:
        stmt = stmt.where(User.organisation_id.in_(select(Organisation.id).where(Organisation.country == query.country)))
    return stmt


def _ordered(sub, query: CohortQuery):
    column = {"name": sub.c.name, "organisation": sub.c.organisation, "country": sub.c.country,
              "status": sub.c.rank, "last_active": sub.c.get("last_at")}[query.sort]
    first = column.desc() if query.descending else column.asc()
    nulls = column.is_(None)  # learners without an organisation or any activity go last, on every engine
    return [nulls, first, sub.c.name, sub.c.id]


@dataclass
class CohortPage:
    rows: list[LearnerRow]
    extra: dict[int, Any]  # user id -> row of organisation, country, status
    last_active: dict[int, Any]  # user id -> when they last did something (None: never)
    total: int  # learners matching every filter
    status_counts: dict[str, int]  # per status, with the organisation and country filters only
    unit_counts: dict[str, tuple[int, int]]  # unit id -> (started, completed) over the whole filtered set
    organisations: list[Organisation]  # those the cohort's learners belong to, for the filter
    pages: int


def cohort_page(session: Session, course: Course, cohort: Cohort, query: CohortQuery, page_size: int | None = PAGE_SIZE) -> CohortPage:
    """One page of the cohort table (or every row, page_size None) with counts for the filtered set; constant queries."""
    unfiltered = _learners(course, cohort, query, with_status=False)
    status_counts: dict[str, int] = dict(session.execute(select(unfiltered.c.status, func.count()).group_by(unfiltered.c.status)).all())
    sub = _learners(course, cohort, query, with_last=query.sort == "last_active")
    total = status_counts.get(query.status, 0) if query.status else sum(status_counts.values())
    ids = _ids(cohort, query, _learners(course, cohort, query) if query.sort == "last_active" else sub)
    done = dict(session.execute(select(Completion.ref_id, func.count()).where(Completion.scope == "unit", Completion.user_id.in_(ids))
                                .group_by(Completion.ref_id)).all())
    unit_of = {lid: u.id for u in course.units for m in course.unit_modules(u) for lid in m.lesson_ids}
    started: dict[str, int] = {}
    if unit_of:
        unit_column = case(*[(LessonProgress.lesson_id.in_([lid for lid, uid in unit_of.items() if uid == u.id]), u.id)
                             for u in course.units if any(uid == u.id for uid in unit_of.values())], else_=None)
        started = {k: v for k, v in session.execute(
            select(unit_column, func.count(func.distinct(LessonProgress.user_id))).where(LessonProgress.user_id.in_(ids))
            .group_by(unit_column)).all() if k is not None}
    unit_counts = {u.id: (started.get(u.id, 0), done.get(u.id, 0)) for u in course.units}
    stmt = select(User, sub).join(sub, sub.c.id == User.id).order_by(*_ordered(sub, query))
    pages = max(1, -(-total // page_size)) if page_size else 1
    if page_size:
        stmt = stmt.limit(page_size).offset((min(query.page, pages) - 1) * page_size)
    found = session.execute(stmt).all()
    users = [r[0] for r in found]
    extra = {r[0].id: r for r in found}
    if query.sort == "last_active":
        last = {r[0].id: r.last_at for r in found}
    else:
        page_last = last_activity([u.id for u in users])
        last = dict(session.execute(select(page_last.c.user_id, page_last.c.last_at)).all())
    organisations = list(session.scalars(select(Organisation).where(Organisation.id.in_(
        select(User.organisation_id).where(User.cohort_id == cohort.id, User.role == "tsp"))).order_by(Organisation.name)))
    return CohortPage(rows=learner_rows(session, course, users), extra=extra, last_active=last, total=total,
                      status_counts=status_counts, unit_counts=unit_counts, organisations=organisations, pages=pages)


def light_snapshots(session: Session, course: Course, users: list[User]) -> dict[int, progress.Snapshot]:
    """The same snapshots as `progress.snapshots`, read as plain rows of the few columns statuses need.

    A page of 50 learners holds a thousand or more lesson rows; building ORM objects for them
    cost more than everything else on the cohort page together. Rows answer the same attribute
    reads (`completed_at`), and these snapshots are only read, never written through.
    """
    ids = [u.id for u in users]
    lessons: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in session.execute(select(LessonProgress.user_id, LessonProgress.lesson_id, LessonProgress.completed_at)
                               .where(LessonProgress.user_id.in_(ids))):
        lessons[row.user_id][row.lesson_id] = row
    records = progress.quiz_records(course, session.execute(
        select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.submitted_at, QuizAttempt.percent)
        .where(QuizAttempt.user_id.in_(ids)).order_by(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.number)))
    completions: dict[int, dict[tuple[str, str], Any]] = defaultdict(dict)
    for done in session.execute(select(Completion.user_id, Completion.scope, Completion.ref_id, Completion.completed_at)
                                .where(Completion.user_id.in_(ids))):
        completions[done.user_id][(done.scope, done.ref_id)] = done
    plans = dict(session.execute(select(PilotPlan.user_id, PilotPlan.submitted_at).where(PilotPlan.user_id.in_(ids))).all())
    reports = dict(session.execute(select(PilotReport.user_id, PilotReport.submitted_at).where(PilotReport.user_id.in_(ids))).all())
    return {u.id: progress.Snapshot(u, lessons[u.id], records[u.id], completions[u.id], plans.get(u.id), reports.get(u.id))
            for u in users}


def learner_rows(session: Session, course: Course, users: list[User]) -> list[LearnerRow]:
    """Snapshots, log counts and certificates for these learners: one query per table."""
    return rows_for(session, users, light_snapshots(session, course, users))


def cohort_summaries(session: Session, course: Course, cohorts: list[Cohort]) -> dict[int, dict[str, Any]]:
    """Per cohort: its size, learners who completed each unit, plans submitted; three queries for any number of cohorts."""
    ids = [c.id for c in cohorts]
    learners = select(User.id).where(User.cohort_id.in_(ids), User.role == "tsp")
    sizes = dict(session.execute(select(User.cohort_id, func.count()).where(User.id.in_(learners)).group_by(User.cohort_id)).all())
    done: dict[int, dict[str, int]] = defaultdict(dict)
    for cohort_id, unit_id, n in session.execute(
            select(User.cohort_id, Completion.ref_id, func.count()).join(User, User.id == Completion.user_id)
            .where(Completion.scope == "unit", Completion.user_id.in_(learners)).group_by(User.cohort_id, Completion.ref_id)):
        if cohort_id is not None:
            done[cohort_id][unit_id] = n
    plans = dict(session.execute(select(User.cohort_id, func.count()).join(PilotPlan, PilotPlan.user_id == User.id)
                                 .where(User.id.in_(learners), PilotPlan.submitted_at.is_not(None)).group_by(User.cohort_id)).all())
    return {c.id: {"size": sizes.get(c.id, 0), "done": {u.id: done[c.id].get(u.id, 0) for u in course.units},
                   "plans": plans.get(c.id, 0)} for c in cohorts}
