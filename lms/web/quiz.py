"""Quiz pages: start, answer (saved as you go), submit once, review."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

import quizzes
from lms.content.model import Course, QuizContent
from lms.db.models import QuizAttempt
from lms.db.session import get_session
from lms.learning import attempts, progress
from lms.web import i18n
from lms.web.access import learner
from lms.web.clock import now

bp = Blueprint("quiz", __name__, url_prefix="/learn")


class ActionForm(FlaskForm):
    """Only a CSRF token."""


def _course(language: str | None = None) -> Course:
    return i18n.course_for(language)


def _content(quiz_id: str, language: str | None = None) -> QuizContent:
    """The quiz as the reader sees it; an attempt's quiz in the language the attempt was started in."""
    content = _course(language).quizzes.get(quiz_id)
    if content is None:
        abort(404)
    return content


def _owner_unit(crs: Course, content: QuizContent):
    module = crs.modules.get(content.owner)
    return crs.unit(module.unit_id) if module else crs.unit(content.owner)


def _require_open(crs: Course, content: QuizContent) -> progress.Snapshot:
    snap = progress.snapshot(get_session(), current_user)
    if not progress.unit_is_open(crs, snap, _owner_unit(crs, content), now()):
        abort(403)
    return snap


def _own_attempt(attempt_id: int) -> QuizAttempt:
    attempt = get_session().get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)  # another learner's attempt does not exist, as far as this learner can tell
    return attempt


def _fail(error: attempts.AttemptError):
    abort(error.status, description=str(error))


@bp.route("/quizzes/<quiz_id>")
@learner
def start_page(quiz_id: str):
    """A quiz's front page: settings, attempt history, start or continue."""
    crs = _course()
    content = _content(quiz_id)
    _require_open(crs, content)
    history = attempts.attempts_of(get_session(), current_user.id, quiz_id)
    open_attempt = next((a for a in history if a.submitted_at is None), None)
    return render_template("quiz/start.html", content=content, history=history, open_attempt=open_attempt,
                           left=attempts.attempts_left(content, history), form=ActionForm(),
                           final=quizzes.final_score([a.percent or 0 for a in history if a.submitted_at], content.quiz.settings.grading))


@bp.route("/quizzes/<quiz_id>/start", methods=["POST"])
@learner
def start(quiz_id: str):
    """Start an attempt (or return to the open one: a double click never makes two)."""
    crs = _course()
    content = _content(quiz_id)
    _require_open(crs, content)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start(get_session(), crs, content, current_user, now(), language=i18n.current_language())
    except attempts.AttemptError as exc:
        flash(str(exc))
        return redirect(url_for("quiz.start_page", quiz_id=quiz_id))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@learner
def attempt(attempt_id: int):
    """Answer the questions; 'Save' keeps answers, 'Submit' grades them (once)."""
    attempt = _own_attempt(attempt_id)
    content = _content(attempt.quiz_id, attempt.language)
    session = get_session()
    current = now()
    if request.method == "GET":
        if attempt.submitted_at is None and attempts.is_overdue(attempt, current):
            _submit_and_record(content, attempt, current)
            flash(_("Time was up, so your saved answers were submitted."))
        if attempt.submitted_at is not None:
            return redirect(url_for("quiz.review", attempt_id=attempt.id))
        return _render_attempt(content, attempt, attempts.saved_responses(attempt))

    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        responses = attempts.responses_from_form(content, attempt, request.form)
    except attempts.AttemptError as exc:
        return _fail(exc)
    action = request.form.get("action", "save")
    if attempt.submitted_at is not None:
        if action == "submit" and _same_answers(attempt, responses):
            return redirect(url_for("quiz.review", attempt_id=attempt.id))  # a resent form: same result
        return _fail(attempts.AttemptError(_("This attempt was already submitted; nothing was changed."), 409))
    if attempts.is_overdue(attempt, current):
        _submit_and_record(content, attempt, current)
        flash(_("Time was up before this page was sent, so your answers saved until then were submitted."))
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    attempts.save(attempt, responses, current)
    session.commit()
    if action == "submit":
        if not _submit_and_record(content, attempt, current):
            session.refresh(attempt)
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    flash(_("Your answers are saved. You can come back and finish later."))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


def _same_answers(attempt: QuizAttempt, responses: dict) -> bool:
    saved = attempts.saved_responses(attempt)
    return all(_norm(saved.get(qid)) == _norm(value) for qid, value in responses.items())


def _norm(value):
    return None if value in (None, "", [], {}) else value


def _submit_and_record(content: QuizContent, attempt: QuizAttempt, current) -> bool:
    session = get_session()
    done = attempts.submit(session, content, attempt, current)
    if done:
        snap = progress.snapshot(session, current_user)
        progress.record_completions(session, _course(), snap, current)
        session.commit()
        for hook in current_app.extensions.get("lms.progress_hooks", []):
            hook(snap)
    return done


def _render_attempt(content: QuizContent, attempt: QuizAttempt, saved: dict):
    return render_template("quiz/attempt.html", content=content, attempt=attempt,
                           questions=attempts.planned_questions(content, attempt), saved=saved, form=ActionForm(),
                           review=False)


@bp.route("/reviews/<int:attempt_id>")
@learner
def review(attempt_id: int):
    """The result of a submitted attempt, with answers and feedback as the quiz's review setting allows."""
    attempt = _own_attempt(attempt_id)
    content = _content(attempt.quiz_id, attempt.language)
    if attempt.submitted_at is None:
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    session = get_session()
    show = quizzes.may_see_review(content.quiz.settings, attempts.passed_ever(session, current_user.id, content.quiz.id))
    history = attempts.attempts_of(session, current_user.id, content.quiz.id)
    return render_template("quiz/review.html", content=content, attempt=attempt, show=show,
                           questions=attempts.planned_questions(content, attempt),
                           saved=attempts.saved_responses(attempt), items={i.question_id: i for i in attempt.items},
                           left=attempts.attempts_left(content, history), form=ActionForm(), review=True)
