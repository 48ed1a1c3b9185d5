"""The admin's people page: find, edit, send a reset link or an invitation; links shown once without mail."""
from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from lms.db.models import ROLES, Cohort, User
from lms.db.session import get_session
from lms.learning import credentials, mail
from lms.learning.accounts import UserError, get_or_create_cohort, validate
from lms.web.access import admin_only
from lms.web.clock import now
from lms.web.mailer import base_url, transport
from lms.web.messages import learning_message

bp = Blueprint("people", __name__, url_prefix="/admin/people")


class ActionForm(FlaskForm):
    """Only a CSRF token."""


def mail_configured() -> bool:
    return transport(current_app).configured


def _title() -> str:
    return current_app.extensions["lms.course"].title


@bp.route("/")
@admin_only
def index():
    """Everyone, or those whose name or email contains the search."""
    query = " ".join((request.args.get("q") or "").split())
    stmt = select(User).options(selectinload(User.cohort), selectinload(User.trains)).order_by(User.name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    people = get_session().scalars(stmt.limit(500)).all()
    return render_template("admin/people.html", people=people, q=query, form=ActionForm(),
                           waiting=mail.pending(current_app.extensions["lms.engine"]), mail_configured=mail_configured())


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@admin_only
def edit(user_id: int):
    """Edit a person's name, email, role and cohort."""
    session = get_session()
    person = session.get(User, user_id) or abort(404)
    form = ActionForm()
    error = None
    values = {"name": person.name, "email": person.email, "role": person.role, "cohort": person.cohort.name if person.cohort else ""}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = {k: (request.form.get(k) or "").strip() for k in values}
        try:
            email, name = validate(values["email"], values["name"], values["role"], None)
            if email != person.email and session.scalar(select(func.count()).select_from(User).where(User.email == email)):
                raise UserError(_("another account already uses %(email)s", email=email))
            if person.id == current_user.id and values["role"] != "admin":
                raise UserError(_("you cannot take away your own administrator role; ask another administrator"))
        except UserError as exc:
            error = _("Nothing was changed: %(reason)s.", reason=learning_message(exc))
        else:
            person.name, person.email, person.role = name, email, values["role"]
            group = get_or_create_cohort(session, " ".join(values["cohort"].split())) if values["cohort"] else None
            if person.role == "tsp":
                person.cohort = group
            elif group is not None and group not in person.trains:
                person.trains.append(group)
            session.commit()
            flash(_("Saved %(name)s (%(email)s).", name=person.name, email=person.email))
            return redirect(url_for("people.edit", user_id=person.id))
    cohorts = session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template("admin/person.html", person=person, values=values, roles=ROLES, cohorts=cohorts, form=form,
                           error=error, mail_configured=mail_configured()), (400 if error else 200)


@bp.route("/<int:user_id>/link", methods=["POST"])
@admin_only
def send_link(user_id: int):
    """Email a password-reset link or an invitation; with no mail configured, show the link once instead."""
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    person = session.get(User, user_id) or abort(404)
    purpose = request.form.get("purpose")
    if purpose not in ("reset", "invite"):
        abort(400, description=_("Say whether to send a reset link or an invitation; nothing was sent."))
    if not person.active:
        flash(_("%(email)s is deactivated; reactivate it first. Nothing was sent.", email=person.email))
        return redirect(url_for("people.edit", user_id=person.id))
    return links_for(session, [person], purpose, url_for("people.edit", user_id=person.id))


def links_for(session, people: list[User], purpose: str, back: str):
    """Send links by email when mail is configured; otherwise show them once, with a one-time CSV download."""
    links = credentials.links_for(session, people, purpose, base_url(), _title(), now(), email=mail_configured())
    if mail_configured():
        session.commit()
        if len(people) > 1:
            flash(_("Emailed %(count)s invitations.", count=len(people)))
        elif purpose == "reset":
            flash(_("Emailed a password-reset link to %(email)s.", email=people[0].email))
        else:
            flash(_("Emailed an invitation to %(email)s.", email=people[0].email))
        return redirect(back)
    session.commit()
    download = _keep_once(people, links) if len(people) > 1 else None
    return render_template("admin/links.html", pairs=list(zip(people, links, strict=True)), purpose=purpose,
                           download=download, back=back)


def _folder() -> Path:
    return Path(current_app.instance_path) / "invitations"


def _keep_once(people: list[User], links: list[str]) -> str:
    """Write the links to a file in the instance folder that the download deletes."""
    name = secrets.token_urlsafe(16)
    _folder().mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "link"])
    writer.writerows([p.email, p.name, link] for p, link in zip(people, links, strict=True))
    path = _folder() / f"{name}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    path.chmod(0o600)
    return name


@bp.route("/links/<name>.csv", methods=["POST"])
@admin_only
def download_links(name: str):
    """The invitation links of an import, downloadable once (the file is deleted as it is sent)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    path = _folder() / f"{name}.csv"
    if not name.replace("-", "").replace("_", "").isalnum() or not path.is_file():
        abort(410, description=_("These links were already downloaded. Send new invitations from the people page."))
    claimed = path.with_name(f"{name}.{secrets.token_hex(8)}.sending")
    try:  # a rename is atomic: of the same download sent twice at once, one gets the file
        path.rename(claimed)
    except FileNotFoundError:
        abort(410, description=_("These links were already downloaded. Send new invitations from the people page."))
    body = claimed.read_bytes()
    claimed.unlink()
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="invitation-links.csv"'})
