"""Quiz pages: start, answer (saved as you go), submit once, review."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

import quizzes
from lms.content.model import Course, QuizContent
from lms.db.models import QuizAttempt
from lms.db.session import get_session
from lms.learning import attempts, progress
from lms.web import i18n
from lms.web.access import learner
from lms.web.clock import now
from lms.web.context import record_progress
from lms.web.forms import ActionForm
from lms.web.messages import learning_message

bp = Blueprint("quiz", __name__, url_prefix="/learn")
bp.add_app_template_filter(quizzes.shown_points, "points")
bp.add_app_template_filter(quizzes.shown_percent, "percent")


def course(language: str | None = None) -> Course:
    """The course in the reader's language (or `language`): same ids and version as the English one."""
    return i18n.course_for(language)


def _content(quiz_id: str, language: str | None = None) -> QuizContent:
    """The quiz as the reader sees it; an attempt's quiz in the language the attempt was started in."""
    content = course(language).quizzes.get(quiz_id)
    if content is None:
        abort(404)
    return content


def _owner_unit(crs: Course, content: QuizContent):
    module = crs.modules.get(content.owner)
    return crs.unit(module.unit_id) if module else crs.unit(content.owner)


def _require_open(crs: Course, content: QuizContent) -> progress.Snapshot:
    snap = progress.snapshot(get_session(), current_user, crs)
    if not progress.unit_is_open(crs, snap, _owner_unit(crs, content), now()):
        abort(403)
    return snap


def _own_attempt(attempt_id: int) -> QuizAttempt:
    attempt = get_session().get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)  # another learner's attempt does not exist, as far as this learner can tell
    return attempt


def _fail(error: attempts.AttemptError):
    abort(error.status, description=learning_message(error))


@bp.route("/quizzes/<quiz_id>")
@learner
def start_page(quiz_id: str):
    """A quiz's front page: settings, attempt history, start or continue."""
    crs = course()
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
    crs = course()
    content = _content(quiz_id)
    _require_open(crs, content)
    session = get_session()
    try:
        attempt: QuizAttempt | None = attempts.start(session, crs, content, current_user, now(),
                                                     language=i18n.current_language())
        session.commit()
    except attempts.AttemptError as exc:
        session.rollback()
        flash(learning_message(exc))
        return redirect(url_for("quiz.start_page", quiz_id=quiz_id))
    except IntegrityError:  # a double click raced this request: use the attempt the other one made
        session.rollback()
        attempt = attempts.open_attempt(session, current_user.id, quiz_id)
        if attempt is None:
            raise
    assert attempt is not None
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@learner
def attempt(attempt_id: int) -> ResponseReturnValue:
    """Answer the questions; 'Save' keeps answers, 'Submit' grades them (once)."""
    attempt = _own_attempt(attempt_id)
    content = _content(attempt.quiz_id, attempt.language)
    if request.method == "GET":
        return _show(content, attempt)
    return _answer(content, attempt, request.form.get("action", "save"))


def _show(content: QuizContent, attempt: QuizAttempt) -> ResponseReturnValue:
    current = now()
    if attempt.submitted_at is None and attempts.is_overdue(attempt, current):
        _submit_and_record(content, attempt, current)
        flash(_("Time was up, so your saved answers were submitted."))
    if attempt.submitted_at is not None:
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    if attempts.ensure_tokens(content, attempt):  # opened before form tokens existed
        get_session().commit()
    return render_template("quiz/attempt.html", content=content, attempt=attempt,
                           questions=attempts.planned_questions(content, attempt),
                           saved=attempts.saved_responses(attempt), form=ActionForm(), review=False)


def _answer(content: QuizContent, attempt: QuizAttempt, action: str) -> ResponseReturnValue:
    """Save the form's answers and, for 'Submit', grade them, all in one transaction."""
    session = get_session()
    current = now()
    try:
        responses = attempts.responses_from_form(content, attempt, request.form)
    except attempts.AttemptError as exc:
        return _fail(exc)
    if attempt.submitted_at is None and attempts.is_overdue(attempt, current):
        _submit_and_record(content, attempt, current)
        flash(_("Time was up before this page was sent, so your answers saved until then were submitted."))
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    try:
        attempts.save(attempt, responses, current)
    except attempts.AttemptError as exc:  # submitted already, perhaps by a request that finished a moment ago
        session.rollback()
        if action == "submit" and _same_answers(attempt, responses):
            return redirect(url_for("quiz.review", attempt_id=attempt.id))  # a resent form: same result
        return _fail(exc)
    if action == "submit":
        _submit_and_record(content, attempt, current)
        return redirect(url_for("quiz.review", attempt_id=attempt.id))
    session.commit()
    flash(_("Your answers are saved. You can come back and finish later."))
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id))


def _same_answers(attempt: QuizAttempt, responses: dict[str, object]) -> bool:
    saved = attempts.saved_responses(attempt)
    return all(_norm(saved.get(qid)) == _norm(value) for qid, value in responses.items())


def _norm(value: object) -> object:
    return None if value in (None, "", [], {}) else value


def _submit_and_record(content: QuizContent, attempt: QuizAttempt, current: datetime) -> bool:
    """Grade the attempt, record the progress it makes (completions, certificates), commit once."""
    session = get_session()
    if not attempts.submit(session, content, attempt, current):
        session.rollback()
        session.refresh(attempt)
        return False
    record_progress(session, current_user, current)
    session.commit()
    return True


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
