"""The learner's journey page, pilot plan, pilot log, pilot report and peers' shared reports."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.db.enums import CommentTarget, Role, Scope
from lms.db.models import Certificate, Comment, PilotLogEntry, PilotPlan, PilotReport, User
from lms.db.session import get_session
from lms.learning import pilot, progress
from lms.web import i18n
from lms.web.access import learner
from lms.web.clock import now
from lms.web.context import course, record_progress
from lms.web.forms import ActionForm
from lms.web.learn import next_step

bp = Blueprint("pilot", __name__, url_prefix="/learn")


def _snap() -> progress.Snapshot:
    return progress.snapshot(get_session(), current_user, course())


def _comments(target: CommentTarget, learner_id: int) -> list[Comment]:
    return list(get_session().scalars(select(Comment).where(Comment.target == target, Comment.learner_id == learner_id)
                                      .order_by(Comment.created_at)))


@bp.route("/journey")
@learner
def journey():
    """Core training, pilot, refresher, certificates, and the next thing to do."""
    crs = course()
    session = get_session()
    snap = _snap()
    current = now()
    units = [(u, progress.unit_status(crs, snap, u), progress.completed_on(snap, Scope.UNIT, u.id)) for u in crs.units]
    plan = pilot.plan_of(session, current_user)
    log_count = len(session.scalars(select(PilotLogEntry.id).where(PilotLogEntry.user_id == current_user.id)).all())
    certificates = session.scalars(select(Certificate).where(Certificate.user_id == current_user.id)
                                   .order_by(Certificate.issued_at)).all()
    refresher = crs.unit("refresher")
    return render_template("pilot/journey.html", course=crs, units=units, plan=plan, log_count=log_count,
                           report=pilot.report_of(session, current_user), certificates=certificates,
                           step=next_step(crs, snap), opens_on=progress.refresher_opens_on(crs, snap),
                           refresher_open=bool(refresher) and progress.refresher_is_open(crs, snap, current))


def _plan_editable(snap: progress.Snapshot) -> bool:
    """A plan can change until the refresher opens; then it is the record the report is measured against."""
    crs = course()
    return current_user.role != Role.TSP or not crs.unit("refresher") or not progress.refresher_is_open(crs, snap, now())


@dataclass
class _Posted:
    """A posted plan or report form, read and checked."""

    submit: bool  # submitting now, or saving a text already submitted (which must stay complete)
    first_submission: bool
    values: dict[str, str]  # as typed, to show again
    fields: dict[str, str] | None  # cleaned, when valid
    errors: dict[str, str]


def _posted(spec: pilot.FieldSpec, existing: PilotPlan | PilotReport | None) -> _Posted:
    was_submitted = existing is not None and existing.submitted_at is not None
    submit = request.form.get("action") == "submit" or was_submitted
    values = {name: request.form.get(name, "") for name, _label, _help in spec}
    try:
        fields = pilot.clean_fields(spec, request.form, require_all=submit)
    except pilot.PilotError as exc:
        return _Posted(submit, False, values, None, exc.fields)
    return _Posted(submit, submit and not was_submitted, values, fields, {})


def _recorded(what: str, posted: _Posted) -> ResponseReturnValue:
    """Record the learner's progress, commit once, and say what happened."""
    if posted.first_submission:
        _tell_trainers(what)
    record_progress(get_session(), current_user, now())
    get_session().commit()
    if what == "plan":
        flash(_("Your pilot plan is submitted.") if posted.first_submission else _("Your pilot plan is saved."))
    else:
        flash(_("Your pilot report is submitted.") if posted.first_submission else _("Your pilot report is saved."))
    return redirect(url_for(f"pilot.{what}"))


@bp.route("/pilot/plan", methods=["GET", "POST"])
@learner
def plan():
    """Write, save and submit the pilot plan; every save is kept as a version."""
    session = get_session()
    snap = _snap()
    existing = pilot.plan_of(session, current_user)
    editable = _plan_editable(snap)
    errors: dict[str, str] = {}
    values = dict(existing.fields) if existing else {}
    if request.method == "POST":
        if not editable:
            abort(403, description=_("The refresher has opened, so the pilot plan can no longer change."))
        posted = _posted(pilot.PLAN_FIELDS, existing)
        values, errors = posted.values, posted.errors
        if posted.fields is not None:
            pilot.save_plan(session, current_user, posted.fields, submit=posted.submit, now=now())
            return _recorded("plan", posted)
    return render_template("pilot/plan.html", plan=existing, fields=pilot.PLAN_FIELDS, values=values, errors=errors,
                           editable=editable, form=ActionForm(), comments=_comments(CommentTarget.PLAN, current_user.id)), (400 if errors else 200)


@bp.route("/pilot/log", methods=["GET", "POST"])
@learner
def log():
    """Dated entries during the pilot: what I did, what happened, what I learned."""
    session = get_session()
    errors: dict[str, str] = {}
    values: Mapping[str, str] = {}
    if request.method == "POST":
        values = request.form
        try:
            added = pilot.add_log_entry(session, current_user, request.form, now().date(), now())
        except pilot.PilotError as exc:
            errors = exc.fields
        else:
            session.commit()
            flash(_("Log entry added.") if added else _("That entry is already in your log; it was not added twice."))
            return redirect(url_for("pilot.log"))
    entries = session.scalars(select(PilotLogEntry).where(PilotLogEntry.user_id == current_user.id)
                              .order_by(PilotLogEntry.entry_date.desc(), PilotLogEntry.id.desc())).all()
    return render_template("pilot/log.html", entries=entries, errors=errors, values=values, form=ActionForm(),
                           today=now().date().isoformat()), (400 if errors else 200)


def _require_refresher(snap: progress.Snapshot) -> None:
    crs = course()
    if not crs.unit("refresher") or not progress.refresher_is_open(crs, snap, now()):
        opens = progress.refresher_opens_on(crs, snap)
        abort(403, description=_("The refresher opens on %(date)s.", date=i18n.long_date(opens)) if opens else
              _("The refresher opens about six months after you complete the core training."))


@bp.route("/pilot/report", methods=["GET", "POST"])
@learner
def report():
    """The pilot report, written in the refresher; sharing with the cohort is the learner's choice."""
    session = get_session()
    snap = _snap()
    _require_refresher(snap)
    existing = pilot.report_of(session, current_user)
    errors: dict[str, str] = {}
    values = dict(existing.fields) if existing else {}
    shared = existing.shared if existing else False
    if request.method == "POST":
        posted = _posted(pilot.REPORT_FIELDS, existing)
        values, errors = posted.values, posted.errors
        shared = request.form.get("shared") == "yes"
        if posted.fields is not None:
            pilot.save_report(session, current_user, posted.fields, shared, submit=posted.submit, now=now())
            return _recorded("report", posted)
    return render_template("pilot/report.html", report=existing, fields=pilot.REPORT_FIELDS, values=values, shared=shared,
                           errors=errors, form=ActionForm(), comments=_comments(CommentTarget.REPORT, current_user.id)), (400 if errors else 200)


@bp.route("/pilot/shared")
@learner
def shared():
    """Reports that peers in the learner's cohort chose to share."""
    snap = _snap()
    _require_refresher(snap)
    reports = pilot.shared_reports(get_session(), current_user.cohort_id) if current_user.cohort_id else []
    return render_template("pilot/shared.html", reports=reports)


@bp.route("/pilot/shared/<int:report_id>")
@learner
def shared_report(report_id: int):
    """One shared report: readable by its cohort during the refresher (trainers use their own pages)."""
    snap = _snap()
    _require_refresher(snap)
    item = get_session().get(PilotReport, report_id)
    author = get_session().get(User, item.user_id) if item else None
    if (item is None or author is None or not item.shared or item.submitted_at is None
            or current_user.cohort_id is None or author.cohort_id != current_user.cohort_id):
        abort(404)
    return render_template("pilot/shared_report.html", report=item, author=author, fields=pilot.REPORT_FIELDS)


def _tell_trainers(target: str) -> None:
    """The learner's trainers hear that a plan or report awaits their feedback."""
    from lms.learning import notify
    from lms.web.mailer import base_url

    notify.submitted(get_session(), current_user, target, url_for("trainer.learner", user_id=current_user.id), now(), base_url())

