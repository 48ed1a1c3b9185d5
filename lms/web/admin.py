"""Administration: accounts, cohorts, certificates."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

import certificates
from lms.db.enums import Role
from lms.db.models import ROLES, Certificate, Cohort, User
from lms.db.session import get_session
from lms.interop import records as exports
from lms.learning import certs, credentials, inputs
from lms.learning.accounts import UserError, create_user, get_or_create_cohort, import_csv
from lms.web import people
from lms.web.access import admin_only
from lms.web.clock import now
from lms.web.context import course, signing_key
from lms.web.forms import ActionForm
from lms.web.messages import learning_message

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_only
def index():
    """People and cohorts."""
    session = get_session()
    users = session.scalars(select(User).options(selectinload(User.cohort)).order_by(User.role, User.name)).all()
    cohorts = session.scalars(select(Cohort).options(selectinload(Cohort.trainers)).order_by(Cohort.name)).all()
    return render_template("admin/index.html", users=users, cohorts=cohorts, roles=ROLES, form=ActionForm(),
                           created=None, values={})


@bp.route("/users", methods=["POST"])
@admin_only
def create():
    """Create one account."""
    session = get_session()
    form = request.form
    try:
        user = create_user(session, form.get("email", ""), form.get("name", ""), form.get("role", ""),
                           form.get("password") or None, (form.get("cohort") or "").strip() or None)
        session.flush()
    except IntegrityError:  # the same form sent twice at once: the other request created the account
        session.rollback()
        flash(_("An account for %(email)s already exists; nothing else was created.", email=(form.get("email") or "").strip().lower()))
        return redirect(url_for("admin.index"))
    except UserError as exc:
        session.rollback()
        flash(_("No account was created: %(reason)s.", reason=learning_message(exc)))
        return redirect(url_for("admin.index"))
    flash(_("Created the %(role)s account %(email)s.", role=user.role, email=user.email))
    if not user.has_password:  # its owner chooses a password through an invitation
        return people.links_for(session, [user], "invite", url_for("admin.index"))
    session.commit()
    return redirect(url_for("admin.index"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_only
def set_active(user_id: int):
    """Deactivate an account (it can no longer sign in, its open sessions end) or reactivate it; records stay."""
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    choice = request.form.get("active")
    if choice not in ("yes", "no"):
        abort(400, description=_("Say whether the account should be active (yes or no); nothing was changed."))
    active = choice == "yes"
    if user.id == current_user.id and not active:
        flash(_("You cannot deactivate your own account; ask another administrator."))
        return redirect(url_for("admin.index"))
    if not active:
        credentials.end_sessions(user)  # reactivating later does not revive these sessions
    user.active = active
    session.commit()
    flash(_("%(email)s is active again.", email=user.email) if active
          else _("%(email)s is deactivated: it cannot sign in, and its records are kept.", email=user.email))
    return redirect(url_for("admin.index"))


@bp.route("/users/import", methods=["POST"])
@admin_only
def import_users():
    """Create accounts from a CSV file: every row, or none."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file to import; nothing was imported."))
        return redirect(url_for("admin.index"))
    try:
        text = inputs.decode_text_file(upload.read())
    except inputs.InputError as exc:
        problem = str(exc)
        flash(_("%(problem)s; nothing was imported.", problem=problem[:1].upper() + problem[1:]))
        return redirect(url_for("admin.index"))
    session = get_session()
    try:
        created = import_csv(session, text)
    except UserError as exc:
        session.rollback()
        return render_template("admin/import_result.html", error=str(exc), created=None), 400
    invited = [user for user, password in created if password is None]
    flash(_("Imported %(count)s accounts; %(invited)s get an invitation to choose a password.", count=len(created), invited=len(invited)))
    if invited:  # committed together with the accounts: all or nothing
        return people.links_for(session, invited, "invite", url_for("people.index"))
    session.commit()
    return redirect(url_for("people.index"))


@bp.route("/cohorts", methods=["POST"])
@admin_only
def cohort_trainer():
    """Create a cohort and/or add a trainer to it."""
    session = get_session()
    name = " ".join((request.form.get("cohort") or "").split())
    email = (request.form.get("trainer_email") or "").strip().lower()
    if not name:
        flash(_("Give the cohort a name; nothing was changed."))
        return redirect(url_for("admin.index"))
    trainer = None
    if email:
        trainer = session.scalar(select(User).where(User.email == email))
        if trainer is None or trainer.role not in (Role.TRAINER, Role.ADMIN):
            flash(_("%(email)s is not a trainer's account; nothing was changed.", email=email))
            return redirect(url_for("admin.index"))
    try:
        cohort = get_or_create_cohort(session, name)
    except UserError as exc:
        flash(_("Nothing was changed: %(reason)s.", reason=exc))
        return redirect(url_for("admin.index"))
    if trainer and cohort not in trainer.trains:
        trainer.trains.append(cohort)
    session.commit()
    flash(_("Cohort %(cohort)s saved with trainer %(name)s.", cohort=cohort.name, name=trainer.name) if trainer
          else _("Cohort %(cohort)s saved.", cohort=cohort.name))
    return redirect(url_for("admin.index"))


@bp.route("/records.<fmt>")
@admin_only
def records(fmt: str):
    """Download completion records (CSV or JSON), streamed."""
    if fmt not in ("csv", "json"):
        abort(404)
    rows = exports.records(get_session(), course())
    body = exports.as_csv(rows) if fmt == "csv" else exports.as_json(rows)
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="completion-records.{fmt}"'})


@bp.route("/certificates")
@admin_only
def certificates_list():
    """Every certificate, newest first, with revoke and re-issue."""
    session = get_session()
    query = (request.args.get("q") or "").strip()[:inputs.SEARCH_MAX]
    stmt = select(Certificate).options(selectinload(Certificate.events)).order_by(Certificate.issued_at.desc())
    if query:
        stmt = stmt.where((Certificate.code == query.upper()) | Certificate.learner_name.ilike(f"%{query}%"))
    return render_template("admin/certificates.html", certificates=session.scalars(stmt.limit(500)).all(),
                           q=query, form=ActionForm(), labels=certs.KIND_LABELS)


def _certificate(cert_id: int) -> Certificate:
    return get_session().get(Certificate, cert_id) or abort(404)


@bp.route("/certificates/<int:cert_id>/revoke", methods=["POST"])
@admin_only
def revoke(cert_id: int):
    """Revoke a certificate, keeping the reason."""
    cert = _certificate(cert_id)
    try:
        reason = inputs.text(request.form.get("reason"), "The reason", inputs.REASON_MAX, multiline=True)
        certs.revoke(cert, reason, now(), current_user)
    except (certificates.CertificateError, inputs.InputError) as exc:
        flash(_("Not revoked: %(reason)s", reason=exc))
        return redirect(url_for("admin.certificates_list"))
    get_session().commit()
    flash(_("Certificate %(code)s is revoked.", code=cert.code))
    return redirect(url_for("admin.certificates_list"))


@bp.route("/certificates/<int:cert_id>/restore", methods=["POST"])
@admin_only
def restore(cert_id: int):
    """Restore a certificate revoked by mistake, keeping the reason."""
    cert = _certificate(cert_id)
    try:
        reason = inputs.text(request.form.get("reason"), "The reason", inputs.REASON_MAX, multiline=True)
        certs.restore(cert, reason, now(), current_user)
    except (certificates.CertificateError, inputs.InputError) as exc:
        flash(_("Not restored: %(reason)s", reason=exc))
        return redirect(url_for("admin.certificates_list"))
    get_session().commit()
    flash(_("Certificate %(code)s is valid again.", code=cert.code))
    return redirect(url_for("admin.certificates_list"))


@bp.route("/certificates/<int:cert_id>/reissue", methods=["POST"])
@admin_only
def reissue(cert_id: int):
    """Issue a corrected certificate; the old one shows as superseded."""
    cert = _certificate(cert_id)
    session = get_session()
    try:
        name = inputs.text(request.form.get("name"), "The corrected name", inputs.NAME_MAX)
        reason = inputs.text(request.form.get("reason"), "The reason", inputs.REASON_MAX, multiline=True)
        new = certs.reissue(session, cert, name, now(), signing_key(), current_user, reason)
        session.commit()
    except IntegrityError:  # sent twice at once: the other request re-issued it
        session.rollback()
        flash(_("This certificate was just re-issued; the list shows the new one."))
        return redirect(url_for("admin.certificates_list"))
    except (certificates.CertificateError, inputs.InputError) as exc:
        session.rollback()
        flash(_("Not re-issued: %(reason)s", reason=exc))
        return redirect(url_for("admin.certificates_list"))
    flash(_("Re-issued as %(new)s; %(old)s now shows as replaced.", new=new.code, old=cert.code))
    return redirect(url_for("admin.certificates_list"))
