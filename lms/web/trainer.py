"""Trainer workspace: cohorts at any size, each learner's progress, quiz results down to each answer, item statistics."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

import quizzes
from lms.db.enums import Role
from lms.db.models import Cohort, Comment, PilotLogEntry, QuizAttempt, User
from lms.db.session import get_session
from lms.learning import answers, attempts, cohorts, countries, grants, notify, pilot, progress, reports
from lms.web import i18n
from lms.web.access import staff
from lms.web.clock import now
from lms.web.context import course
from lms.web.forms import ActionForm
from lms.web.mailer import base_url
from lms.web.tables import csv_download

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


def my_cohorts() -> list[Cohort]:
    """Trainers see only the cohorts they train; admins see all."""
    session = get_session()
    if current_user.role == Role.ADMIN:
        return list(session.scalars(select(Cohort).order_by(Cohort.name)))
    return sorted(current_user.trains, key=lambda c: c.name)


def _cohort(cohort_id: int) -> Cohort:
    cohort = next((c for c in my_cohorts() if c.id == cohort_id), None)
    if cohort is None:
        abort(404)
    return cohort


def _learner(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None or user.cohort_id is None or user.cohort_id not in {c.id for c in my_cohorts()}:
        abort(404)
    return user


@bp.route("/")
@staff
def dashboard():
    """The trainer's cohorts, with how far each has come."""
    crs = course()
    mine = my_cohorts()
    summaries = cohorts.cohort_summaries(get_session(), crs, mine)
    return render_template("trainer/dashboard.html", cohorts=mine, summaries=summaries, course=crs)


@bp.route("/cohorts.csv")
@staff
def dashboard_csv():
    """The cohorts table as CSV."""
    crs = course()
    mine = my_cohorts()
    summaries = cohorts.cohort_summaries(get_session(), crs, mine)
    header = ["Cohort", "Learners", *[f"{u.title} completed" for u in crs.units], "Pilot plans submitted", "Refresher opens"]
    rows = [[c.name, summaries[c.id]["size"], *[summaries[c.id]["done"][u.id] for u in crs.units], summaries[c.id]["plans"],
             c.refresher_opens_on.isoformat() if c.refresher_opens_on else ""] for c in mine]
    return csv_download("cohorts.csv", header, rows)


def _cohort_query(crs) -> cohorts.CohortQuery:
    return cohorts.CohortQuery.from_args(request.args, [k for k, _ in cohorts.statuses(crs)])


@bp.route("/cohorts/<int:cohort_id>")
@staff
def cohort(cohort_id: int):
    """Who is where, a page at a time: filters, sorting and counts for the whole filtered set."""
    group = _cohort(cohort_id)
    crs = course()
    query = _cohort_query(crs)
    page = cohorts.cohort_page(get_session(), crs, group, query)
    modules = [m for u in crs.units for m in crs.unit_modules(u)]
    table = [(row, [progress.module_status(row.snap, m) for m in modules],
              [progress.unit_status(crs, row.snap, u) for u in crs.units], page.extra[row.user.id],
              progress.refresher_opens_on(crs, row.snap)) for row in page.rows]
    quiz_ids = [q for u in crs.units for q in crs.all_quizzes_of(u)]
    statuses = cohorts.statuses(crs)
    return render_template("trainer/cohort.html", cohort=group, table=table, page=page, query=query, course=crs, modules=modules,
                           statuses=statuses, labels=dict(statuses), countries=countries.COUNTRIES, quiz_ids=quiz_ids,
                           form=ActionForm())


@bp.route("/cohorts/<int:cohort_id>/learners.csv")
@staff
def cohort_csv(cohort_id: int):
    """The cohort table as CSV, with the same filters and order, every page."""
    group = _cohort(cohort_id)
    crs = course()
    query = _cohort_query(crs)
    page = cohorts.cohort_page(get_session(), crs, group, query, page_size=None)
    modules = [m for u in crs.units for m in crs.unit_modules(u)]
    labels = dict(cohorts.statuses(crs))
    header = ["Learner", "Email", "Organisation", "Country", "Status", *[m.title for m in modules], *[u.title for u in crs.units],
              "Pilot plan submitted", "Log entries", "Pilot report submitted", "Refresher opens", "Valid certificates", "Last active"]

    def rows():
        for row in page.rows:
            extra, snap = page.extra[row.user.id], row.snap
            opens = progress.refresher_opens_on(crs, snap)
            yield [row.user.name, row.user.email, extra.organisation or "", extra.country or "", labels.get(extra.status, extra.status),
                   *[progress.module_status(snap, m) for m in modules], *[progress.unit_status(crs, snap, u) for u in crs.units],
                   _iso(snap.plan_submitted_at), row.log_entries, _iso(snap.report_submitted_at), opens.isoformat() if opens else "",
                   sum(c.status == "valid" for c in row.certificates), _iso(page.last_active.get(row.user.id))]

    return csv_download(f"cohort-{group.id}-learners.csv", header, list(rows()))  # built while the session is open


def _iso(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


@bp.route("/cohorts/<int:cohort_id>/refresher", methods=["POST"])
@staff
def set_refresher(cohort_id: int):
    """Set (or clear) the date the refresher opens for the whole cohort."""
    group = _cohort(cohort_id)
    raw = (request.form.get("opens_on") or "").strip()
    if raw:
        try:
            group.refresher_opens_on = date.fromisoformat(raw)
        except ValueError:
            flash(_("The date must be written as YYYY-MM-DD; nothing was changed."))
            return redirect(url_for("trainer.cohort", cohort_id=cohort_id))
        flash(_("The refresher opens for %(cohort)s on %(date)s.", cohort=group.name, date=i18n.long_date(group.refresher_opens_on)))
    else:
        group.refresher_opens_on = None
        refresher = course().unit("refresher")
        days = refresher.opens_after_days if refresher else 0
        flash(_("%(cohort)s: the refresher opens for each learner %(days)s days after their core completion.", cohort=group.name, days=days))
    get_session().commit()
    return redirect(url_for("trainer.cohort", cohort_id=cohort_id))


def _quiz_report(cohort_id: int, quiz_id: str):
    """The cohort, the quiz, its learners, their attempts by learner and the item rows (first or all attempts)."""
    group = _cohort(cohort_id)
    content = course().quizzes.get(quiz_id) or abort(404)
    session = get_session()
    members = list(session.scalars(select(User).where(User.cohort_id == group.id, User.role == Role.TSP).order_by(User.name)))
    tries = reports.quiz_attempts(session, [m.id for m in members], quiz_id)
    first_only = request.args.get("attempts") != "all"
    by_learner: dict[int, list[QuizAttempt]] = {}
    for attempt in tries:
        by_learner.setdefault(attempt.user_id, []).append(attempt)
    return group, content, members, by_learner, reports.item_rows(tries, first_only=first_only), first_only


@bp.route("/cohorts/<int:cohort_id>/quizzes/<quiz_id>")
@staff
def quiz_report(cohort_id: int, quiz_id: str):
    """A quiz across the cohort: each learner's attempts, and item statistics from first attempts."""
    group, content, members, by_learner, rows, first_only = _quiz_report(cohort_id, quiz_id)
    return render_template("trainer/quiz.html", cohort=group, content=content, members=members, by_learner=by_learner,
                           stats=quizzes.item_statistics(rows), breakdowns=answers.breakdowns(content.quiz, rows),
                           first_only=first_only)


@bp.route("/cohorts/<int:cohort_id>/quizzes/<quiz_id>.csv")
@staff
def quiz_report_csv(cohort_id: int, quiz_id: str):
    """The quiz report's tables as CSV: its learners (default) or, with table=questions, its questions."""
    group, content, members, by_learner, rows, _first_only = _quiz_report(cohort_id, quiz_id)
    if request.args.get("table") == "questions":
        stats = quizzes.item_statistics(rows)
        return csv_download(f"{quiz_id}-questions.csv", ["Question", "Answered by", "Facility", "Discrimination", "Flag"],
                            [[q.id, s.n, round(s.facility, 2), "" if s.discrimination is None else round(s.discrimination, 2),
                              s.flag or ""] for q in content.quiz.questions if (s := stats.get(q.id))])
    table = []
    for member in members:
        tries = by_learner.get(member.id, [])
        table.append([member.name, "; ".join(f"#{a.number}: {quizzes.shown_percent(a.percent)}%" for a in tries),
                      f"{quizzes.shown_percent(max(a.percent or 0 for a in tries))}%" if tries else "",
                      "not attempted" if not tries else "yes" if any(a.passed for a in tries) else "no"])
    return csv_download(f"{group.name}-{quiz_id}.csv", ["Learner", "Attempts", "Best", "Passed"], table)


@bp.route("/attempts/<int:attempt_id>")
@staff
def attempt(attempt_id: int):
    """One attempt, down to each answer: question, the learner's answer and the right one in words, points, feedback."""
    item = get_session().get(QuizAttempt, attempt_id) or abort(404)
    learner = _learner(item.user_id)
    content = course().quizzes.get(item.quiz_id) or abort(404)
    return render_template("trainer/attempt.html", attempt=item, learner=learner, content=content,
                           answers=answers.attempt_answers(content, item))


@bp.route("/learners/<int:user_id>")
@staff
def learner(user_id: int):
    """One learner: progress, attempts, pilot plan with versions, log, report, comments."""
    user = _learner(user_id)
    session = get_session()
    crs = course()
    snap = progress.snapshot(session, user, crs)
    tries = list(session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.started_at)))
    log = session.scalars(select(PilotLogEntry).where(PilotLogEntry.user_id == user.id).order_by(PilotLogEntry.entry_date)).all()
    comments = session.scalars(select(Comment).where(Comment.learner_id == user.id).order_by(Comment.created_at)).all()
    modules = [(m, progress.module_status(snap, m)) for u in crs.units for m in crs.unit_modules(u)]
    by_quiz: dict[str, list[QuizAttempt]] = {}
    for attempt in tries:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    rank = {q: i for i, q in enumerate(q for u in crs.units for q in crs.all_quizzes_of(u))}
    quiz_attempts = [(crs.quizzes[q].quiz.title if q in crs.quizzes else q, by_quiz[q])
                     for q in sorted(by_quiz, key=lambda q: rank.get(q, len(rank)))]
    limited = [(q, crs.quizzes[q], attempts.attempts_left(crs.quizzes[q], by_quiz.get(q, [])))
               for q in sorted(rank, key=lambda q: rank[q]) if q in crs.quizzes and crs.quizzes[q].quiz.settings.attempts is not None]
    return render_template("trainer/learner.html", learner=user, course=crs, modules=modules, quiz_attempts=quiz_attempts, log=log,
                           plan=pilot.plan_of(session, user), report=pilot.report_of(session, user), comments=comments,
                           plan_fields=pilot.PLAN_FIELDS, report_fields=pilot.REPORT_FIELDS, form=ActionForm(),
                           limited=limited, grants=grants.grants_of(session, user))


@bp.route("/learners/<int:user_id>/comments", methods=["POST"])
@staff
def comment(user_id: int):
    """Comment on a learner's pilot plan or report (one that exists)."""
    user = _learner(user_id)
    target = request.form.get("target") or ""
    if target in ("plan", "report") and (pilot.plan_of if target == "plan" else pilot.report_of)(get_session(), user) is None:
        flash(_("%(name)s has not written a pilot plan yet, so there is nothing to comment on; nothing was saved.", name=user.name)
              if target == "plan" else
              _("%(name)s has not written a pilot report yet, so there is nothing to comment on; nothing was saved.", name=user.name))
        return redirect(url_for("trainer.learner", user_id=user.id))
    try:  # the same comment resent (a double click) is stored once
        added = pilot.add_comment(get_session(), current_user, user, request.form.get("target") or "",
                                  request.form.get("body") or "", now())
    except pilot.PilotError as exc:
        flash(_("Write a comment (at most 6000 characters) on the plan or the report; nothing was saved.") + " "
              + i18n.field_error(exc.fields.popitem()[1]))
        return redirect(url_for("trainer.learner", user_id=user.id))
    if added:
        notify.commented(get_session(), user, current_user, target, url_for("pilot.plan" if target == "plan" else "pilot.report"),
                         now(), base_url())
    get_session().commit()
    flash(_("Comment added.") if added else _("That comment was already added."))
    return redirect(url_for("trainer.learner", user_id=user.id))


@bp.route("/learners/<int:user_id>/extra-attempts", methods=["POST"])
@staff
def extra_attempt(user_id: int):
    """Grant a learner one more attempt at a quiz, recording who granted it and why."""
    user = _learner(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    content = course().quizzes.get(request.form.get("quiz_id") or "") or abort(404)
    session = get_session()
    try:
        grants.grant(session, user, content, current_user, request.form.get("reason") or "", now())
    except grants.GrantError as exc:
        flash(_("No extra attempt was granted: %(reason)s", reason=exc))
        return redirect(url_for("trainer.learner", user_id=user.id))
    session.commit()
    flash(_("%(name)s has one more attempt at %(quiz)s.", name=user.name, quiz=content.quiz.title))
    return redirect(url_for("trainer.learner", user_id=user.id))
