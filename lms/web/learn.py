"""The learner's pages: dashboard, module, lesson, and marking a lesson done."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from lms.content.model import IMAGE_SUFFIXES, Course, Module, Unit
from lms.db.models import LessonProgress
from lms.db.session import get_session
from lms.learning import attempts, once, progress
from lms.web import i18n
from lms.web.access import learner
from lms.web.clock import now
from lms.web.context import record_progress

bp = Blueprint("learn", __name__, url_prefix="/learn")
MAX_CREDITED_VIEW = timedelta(minutes=45)  # an idle tab left open overnight is not study time
REVIEW_WRITE_INTERVAL = timedelta(seconds=60)
_progress: Table = LessonProgress.__table__  # type: ignore[assignment]
_VIEW_RECORD = (select(_progress.c.id, _progress.c.completed_at, _progress.c.last_viewed_at)
                .where(_progress.c.user_id == bindparam("user_id"), _progress.c.lesson_id == bindparam("lesson_id")))


@dataclass
class NextStep:
    label: str
    url: str | None
    detail: str = ""


def next_step(crs: Course, snap: progress.Snapshot) -> NextStep:
    """The one thing the learner should do next, in course order."""
    current = now()
    for unit in crs.units:
        if not progress.unit_is_open(crs, snap, unit, current):
            opens = progress.refresher_opens_on(crs, snap)
            if opens:
                label = _("%(unit)s opens on %(date)s", unit=unit.title, date=i18n.long_date(opens))
            else:
                label = _("%(unit)s opens six months after you complete the core training", unit=unit.title)
            return NextStep(label, None, _("Meanwhile, keep your pilot log up to date."))
        step = _next_in_unit(crs, snap, unit)
        if step:
            return step
    return NextStep(_("You have finished the course"), None, _("Your certificates are on your journey page."))


def _next_in_unit(crs: Course, snap: progress.Snapshot, unit: Unit) -> NextStep | None:
    for module in crs.unit_modules(unit):
        if progress.module_status(snap, module) in progress.DONE:
            continue
        for lesson_id in module.lesson_ids:
            if progress.lesson_status(snap, lesson_id) != progress.Status.COMPLETED:
                lesson = crs.lessons[lesson_id]
                return NextStep(_("Read: %(title)s", title=lesson.title), url_for("learn.lesson", lesson_id=lesson_id), module.title)
        if module.quiz_id:
            return NextStep(_("Take the quiz: %(title)s", title=module.title), url_for("quiz.start_page", quiz_id=module.quiz_id), module.title)
    if unit.quiz_id and progress.quiz_status(snap, unit.quiz_id) != progress.Status.PASSED:
        title = crs.quizzes[unit.quiz_id].quiz.title
        return NextStep(_("Take the %(title)s", title=title), url_for("quiz.start_page", quiz_id=unit.quiz_id), unit.title)
    if unit.requires_pilot_plan and snap.plan_submitted_at is None:
        return NextStep(_("Write and submit your pilot plan"), url_for("pilot.plan"), unit.title)
    if unit.requires_pilot_report and snap.report_submitted_at is None:
        return NextStep(_("Write your pilot report"), url_for("pilot.report"), unit.title)
    return None



def course() -> Course:
    """The course in the reader's language where translated: same ids and version as the English one."""
    return i18n.course_for()


@bp.route("/")
@learner
def dashboard():
    """The course, progress per module, and what to do next."""
    crs = course()
    snap = progress.snapshot(get_session(), current_user, crs)
    current = now()
    units = []
    for unit in crs.units:
        modules = []
        for module in crs.unit_modules(unit):
            done, total = progress.module_progress(snap, module)
            modules.append((module, progress.module_status(snap, module), done, total))
        units.append((unit, progress.unit_status(crs, snap, unit), progress.unit_is_open(crs, snap, unit, current), modules))
    return render_template("learn/dashboard.html", course=crs, units=units, step=next_step(crs, snap),
                           opens_on=progress.refresher_opens_on(crs, snap))


@bp.route("/modules/<module_id>")
@learner
def module(module_id: str):
    """A module: introduction, objectives, lessons with their status, the quiz."""
    crs = course()
    mod = crs.modules.get(module_id) or abort(404)
    snap = progress.snapshot(get_session(), current_user, crs)
    unit = _unit_of(crs, mod)
    if not progress.unit_is_open(crs, snap, unit, now()):
        return _not_open_yet(crs, snap, unit)
    lessons = [(lesson, progress.lesson_status(snap, lesson.id)) for lesson in crs.module_lessons(module_id)]
    quiz = crs.quizzes[mod.quiz_id] if mod.quiz_id else None
    history = attempts.attempts_of(get_session(), current_user.id, mod.quiz_id) if mod.quiz_id else []
    return render_template("learn/module.html", course=crs, module=mod, lessons=lessons, quiz=quiz, history=history,
                           quiz_record=snap.quizzes.get(mod.quiz_id) if mod.quiz_id else None,
                           status=progress.module_status(snap, mod), unit=unit)


def _record_view(session, user_id: int, lesson_id: str, version: str) -> bool:
    """Record a view of a lesson (the first, or a return after a while); whether it is done.

    The busiest request in the LMS, so it reads and writes the one row with Core statements
    rather than loading it as an ORM object (see benchmarks/RESULTS.md).
    """
    connection = session.connection()
    row = connection.execute(_VIEW_RECORD, {"user_id": user_id, "lesson_id": lesson_id}).first()
    current = now()
    if row is None:
        try:
            connection.execute(insert(_progress).values(user_id=user_id, lesson_id=lesson_id, first_viewed_at=current,
                                                    last_viewed_at=current, content_version=version))
            session.commit()
        except IntegrityError:  # two tabs opened the lesson at once: the other request recorded it
            session.rollback()
        return False
    if row.completed_at is None and current - row.last_viewed_at > REVIEW_WRITE_INTERVAL:
        # the start of this reading, for time spent; reloads within a minute need no write
        connection.execute(update(_progress).where(_progress.c.id == row.id).values(last_viewed_at=current))
        session.commit()
    return row.completed_at is not None


def _unit_of(crs: Course, module: Module) -> Unit:
    unit = crs.unit(module.unit_id)
    if unit is None:  # the loader refuses a course whose module names no unit of it
        raise LookupError(f"module {module.id} has no unit {module.unit_id}")
    return unit


def _not_open_yet(crs: Course, snap: progress.Snapshot, unit: Unit):
    opens = progress.refresher_opens_on(crs, snap)
    return render_template("learn/not_open.html", course=crs, unit=unit, opens_on=opens), 403


@bp.route("/lessons/<lesson_id>")
@learner
def lesson(lesson_id: str):
    """A lesson page; the first view is recorded."""
    crs = course()
    les = crs.lessons.get(lesson_id) or abort(404)
    session = get_session()
    mod = crs.modules[les.module_id]
    unit = _unit_of(crs, mod)
    if unit.kind == "refresher":  # the only unit that may be closed; the hot path skips the snapshot
        snap = progress.snapshot(session, current_user, crs)
        if not progress.unit_is_open(crs, snap, unit, now()):
            return _not_open_yet(crs, snap, unit)
    done = _record_view(session, current_user.id, lesson_id, crs.full_version)
    prev, nxt = crs.neighbours(lesson_id)
    index = mod.lesson_ids.index(lesson_id) + 1
    return render_template("learn/lesson.html", course=crs, lesson=les, module=mod, prev=prev, next=nxt,
                           done=done, index=index, count=len(mod.lesson_ids))


@bp.route("/lessons/<lesson_id>/done", methods=["POST"])
@learner
def mark_done(lesson_id: str):
    """Mark a lesson done (again is harmless) and go on to the next one."""
    crs = course()
    les = crs.lessons.get(lesson_id) or abort(404)
    session = get_session()
    snap = progress.snapshot(session, current_user, crs)
    unit = _unit_of(crs, crs.modules[les.module_id])
    if not progress.unit_is_open(crs, snap, unit, now()):
        abort(403)
    current = now()
    if once.mark_lesson_done(session, current_user.id, lesson_id, current, crs.full_version, MAX_CREDITED_VIEW):
        flash(_("Marked as done: %(title)s", title=les.title))
    session.expire_all()  # the write above went around the ORM: read the learner's records afresh
    record_progress(session, current_user, current)
    session.commit()
    _prev, nxt = crs.neighbours(lesson_id)
    mod = crs.modules[les.module_id]
    if nxt and nxt.module_id == les.module_id:
        return redirect(url_for("learn.lesson", lesson_id=nxt.id))
    return redirect(url_for("learn.module", module_id=mod.id))


@bp.route("/glossary")
@learner
def glossary():
    """The course glossary."""
    crs = course()
    if not crs.glossary_html:
        abort(404)
    return render_template("learn/glossary.html", course=crs)


@bp.route("/files/<path:filename>", endpoint="course_file")
@learner
def course_file(filename: str):
    """Images and files of the course (signed-in users only)."""
    if Path(filename).suffix.lower() not in IMAGE_SUFFIXES | {".pdf"}:
        abort(404)
    return send_from_directory(course().path, filename, max_age=86400)


