"""Administration of organisations and their countries, and who belongs to which."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from lms.db.models import Organisation
from lms.db.session import get_session
from lms.learning import organisations
from lms.learning.countries import COUNTRIES
from lms.learning.inputs import ID_MAX
from lms.web.access import admin_only

bp = Blueprint("organisations", __name__, url_prefix="/admin/organisations")


class ActionForm(FlaskForm):
    """Only a CSRF token."""


def _done(message: str):
    get_session().commit()
    flash(message)
    return redirect(url_for("organisations.index"))


def _refused(exc: Exception | str):
    get_session().rollback()
    flash(_("Nothing was changed: %(reason)s.", reason=exc))
    return redirect(url_for("organisations.index"))


@bp.route("/")
@admin_only
def index():
    """Every organisation with its country and number of members."""
    rows = organisations.with_counts(get_session())
    return render_template("admin/organisations.html", rows=rows, countries=COUNTRIES, form=ActionForm())


@bp.route("/", methods=["POST"])
@admin_only
def create():
    """Add an organisation."""
    try:
        org = organisations.create(get_session(), request.form.get("name", ""), request.form.get("country", ""))
    except organisations.OrganisationError as exc:
        return _refused(exc)
    return _done(_("Added %(name)s (%(country)s).", name=org.name, country=COUNTRIES[org.country]))


@bp.route("/<int:org_id>", methods=["POST"])
@admin_only
def update(org_id: int):
    """Rename an organisation or correct its country."""
    session = get_session()
    org = session.get(Organisation, org_id) or abort(404)
    try:
        organisations.update(session, org, request.form.get("name", ""), request.form.get("country", ""))
    except organisations.OrganisationError as exc:
        return _refused(exc)
    return _done(_("Saved %(name)s (%(country)s).", name=org.name, country=COUNTRIES[org.country]))


@bp.route("/<int:org_id>/delete", methods=["POST"])
@admin_only
def delete(org_id: int):
    """Remove an organisation nobody belongs to."""
    session = get_session()
    org = session.get(Organisation, org_id) or abort(404)
    name = org.name
    try:
        organisations.delete(session, org)
    except organisations.OrganisationError as exc:
        return _refused(exc)
    return _done(_("Removed %(name)s.", name=name))


@bp.route("/members", methods=["POST"])
@admin_only
def member():
    """Put a person in an organisation, or in none."""
    session = get_session()
    raw = (request.form.get("organisation") or "").strip()
    # Only ASCII digits naming a possible id: "²" is a digit to isdigit() but not to int(), and a larger number
    # would fail on the id column rather than find nothing.
    org = session.get(Organisation, int(raw)) if raw.isascii() and raw.isdigit() and int(raw) <= ID_MAX else None
    if raw and org is None:
        return _refused(_("that organisation does not exist"))
    try:
        user = organisations.set_member(session, request.form.get("email", ""), org)
    except organisations.OrganisationError as exc:
        return _refused(exc)
    return _done(_("%(name)s is now with %(organisation)s.", name=user.name, organisation=org.name) if org
                 else _("%(name)s is now in no organisation.", name=user.name))
