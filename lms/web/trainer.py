"""Trainer workspace: cohorts, each learner's progress, quiz results down to each answer, item statistics."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

import quizzes
from lms.db.models import Cohort, Comment, PilotLogEntry, QuizAttempt, User
from lms.db.session import get_session
from lms.learning import attempts as attempts_service
from lms.learning import pilot, progress, reports
from lms.web import i18n
from lms.web.access import staff

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


class ActionForm(FlaskForm):
    """Only a CSRF token."""


def _course():
    return current_app.extensions["lms.course"]


def my_cohorts() -> list[Cohort]:
    """Trainers see only the cohorts they train; admins see all."""
    session = get_session()
    if current_user.role == "admin":
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
    session = get_session()
    crs = _course()
    summaries = []
    for cohort in my_cohorts():
        rows = reports.cohort_rows(session, cohort)
        counts = {u.id: sum(progress.unit_status(crs, r.snap, u) in progress.DONE for r in rows) for u in crs.units}
        plans = sum(r.snap.plan_submitted_at is not None for r in rows)
        summaries.append((cohort, len(rows), counts, plans))
    return render_template("trainer/dashboard.html", summaries=summaries, course=crs)


@bp.route("/cohorts/<int:cohort_id>")
@staff
def cohort(cohort_id: int):
    """Who is where: every learner against every module, quiz, plan, report and certificate."""
    group = _cohort(cohort_id)
    crs = _course()
    rows = reports.cohort_rows(get_session(), group)
    table = []
    for row in rows:
        modules = [(m, progress.module_status(crs, row.snap, m)) for u in crs.units for m in crs.unit_modules(u)]
        units = [(u, progress.unit_status(crs, row.snap, u)) for u in crs.units]
        table.append((row, modules, units, progress.refresher_opens_on(crs, row.snap)))
    quiz_ids = [q for u in crs.units for q in crs.all_quizzes_of(u)]
    return render_template("trainer/cohort.html", cohort=group, table=table, course=crs, quiz_ids=quiz_ids, form=ActionForm())


@bp.route("/cohorts/<int:cohort_id>/refresher", methods=["POST"])
@staff
def set_refresher(cohort_id: int):
    """Set (or clear) the date the refresher opens for the whole cohort."""
    group = _cohort(cohort_id)
    if not ActionForm().validate_on_submit():
        abort(400)
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
        flash(_("%(cohort)s: the refresher opens for each learner %(days)s days after their core completion.", cohort=group.name,
                days=_course().unit("refresher").opens_after_days))
    get_session().commit()
    return redirect(url_for("trainer.cohort", cohort_id=cohort_id))


@bp.route("/cohorts/<int:cohort_id>/quizzes/<quiz_id>")
@staff
def quiz_report(cohort_id: int, quiz_id: str):
    """A quiz across the cohort: each learner's attempts, and item statistics from first attempts."""
    group = _cohort(cohort_id)
    crs = _course()
    content = crs.quizzes.get(quiz_id) or abort(404)
    session = get_session()
    members = list(session.scalars(select(User).where(User.cohort_id == group.id, User.role == "tsp").order_by(User.name)))
    tries = reports.quiz_attempts(session, [m.id for m in members], quiz_id)
    first_only = request.args.get("attempts") != "all"
    stats = quizzes.item_statistics(reports.item_rows(tries, first_only=first_only))
    by_learner: dict[int, list[QuizAttempt]] = {}
    for attempt in tries:
        by_learner.setdefault(attempt.user_id, []).append(attempt)
    return render_template("trainer/quiz.html", cohort=group, content=content, members=members, by_learner=by_learner,
                           stats=stats, first_only=first_only)


@bp.route("/attempts/<int:attempt_id>")
@staff
def attempt(attempt_id: int):
    """One attempt, down to each answer."""
    item = get_session().get(QuizAttempt, attempt_id) or abort(404)
    learner = _learner(item.user_id)
    content = _course().quizzes.get(item.quiz_id) or abort(404)
    answers = []
    saved = attempts_service.saved_responses(item)
    scores = {i.question_id: i for i in item.items}
    for question, _order in attempts_service.planned_questions(content, item):
        kind = quizzes.QUESTION_TYPES[question.type]()
        answers.append((question, kind.describe_response(question, saved.get(question.id)), scores.get(question.id)))
    return render_template("trainer/attempt.html", attempt=item, learner=learner, content=content, answers=answers)


@bp.route("/learners/<int:user_id>")
@staff
def learner(user_id: int):
    """One learner: progress, attempts, pilot plan with versions, log, report, comments."""
    user = _learner(user_id)
    session = get_session()
    crs = _course()
    snap = progress.snapshot(session, user)
    tries = list(session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.started_at)))
    log = session.scalars(select(PilotLogEntry).where(PilotLogEntry.user_id == user.id).order_by(PilotLogEntry.entry_date)).all()
    comments = session.scalars(select(Comment).where(Comment.learner_id == user.id).order_by(Comment.created_at)).all()
    modules = [(m, progress.module_status(crs, snap, m)) for u in crs.units for m in crs.unit_modules(u)]
    by_quiz: dict[str, list[QuizAttempt]] = {}
    for attempt in tries:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    rank = {q: i for i, q in enumerate(q for u in crs.units for q in crs.all_quizzes_of(u))}
    quiz_attempts = [(crs.quizzes[q].quiz.title if q in crs.quizzes else q, by_quiz[q])
                     for q in sorted(by_quiz, key=lambda q: rank.get(q, len(rank)))]
    return render_template("trainer/learner.html", learner=user, course=crs, modules=modules, quiz_attempts=quiz_attempts, log=log,
                           plan=pilot.plan_of(session, user), report=pilot.report_of(session, user), comments=comments,
                           plan_fields=pilot.PLAN_FIELDS, report_fields=pilot.REPORT_FIELDS, form=ActionForm())


@bp.route("/learners/<int:user_id>/comments", methods=["POST"])
@staff
def comment(user_id: int):
    """Comment on a learner's pilot plan or report."""
    user = _learner(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    target = request.form.get("target")
    body = (request.form.get("body") or "").strip()
    if target not in ("plan", "report") or not body or len(body) > pilot.MAX_FIELD:
        flash(_("Write a comment (at most 6000 characters) on the plan or the report; nothing was saved."))
        return redirect(url_for("trainer.learner", user_id=user.id))
    from lms.web.clock import now

    get_session().add(Comment(target=target, learner_id=user.id, author_id=current_user.id, body=body, created_at=now()))
    get_session().commit()
    flash(_("Comment added."))
    return redirect(url_for("trainer.learner", user_id=user.id))
