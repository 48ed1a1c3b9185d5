"""A person's own account: name, email, password, which emails they get; notifications and replies to comments."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from lms.db.models import Comment, User
from lms.db.session import get_session
from lms.learning import credentials, notify, pilot
from lms.learning.accounts import UserError, validate
from lms.web.access import learner
from lms.web.clock import now
from lms.web.mailer import base_url
from lms.web.messages import learning_message

bp = Blueprint("account", __name__)
STAFF_KINDS = ("submitted", "reply")


class ActionForm(FlaskForm):
    """Only a CSRF token; fields are read from the request."""


def _kinds() -> list[tuple[str, str]]:
    staff = current_user.role in ("trainer", "admin")
    return [(k, label) for k, label in notify.KINDS.items() if staff or k not in STAFF_KINDS]


@bp.app_template_global()
def my_notifications() -> list:
    """Unread notifications of the signed-in person (called only where the panel is shown)."""
    return notify.unread(get_session(), current_user) if current_user.is_authenticated else []


@bp.route("/account", methods=["GET", "POST"])
@learner
def index():
    """Name, email, and which emails to receive."""
    form = ActionForm()
    session = get_session()
    errors: dict[str, str] = {}
    values = {"name": current_user.name, "email": current_user.email}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = {"name": request.form.get("name", ""), "email": request.form.get("email", "")}
        try:
            email, name = validate(values["email"], values["name"], current_user.role, None)
        except UserError as exc:
            errors["profile"] = _("Nothing was changed: %(reason)s.", reason=learning_message(exc))
        else:
            if email != current_user.email:
                if not check_password_hash(current_user.password_hash, request.form.get("current_password") or ""):
                    errors["current_password"] = _("To change your email, type your current password (nothing was changed).")
                elif session.scalar(select(func.count()).select_from(User).where(User.email == email)):
                    errors["profile"] = _("Nothing was changed: another account already uses %(email)s.", email=email)
        if not errors:
            current_user.name, current_user.email = name, email
            chosen = set(request.form.getlist("email_kinds"))
            off = [k for k, _label in _kinds() if k not in chosen]
            kept = [k for k in (current_user.email_optout or "").split(",") if k and k not in dict(_kinds())]
            current_user.email_optout = ",".join(sorted(set(off + kept)))
            session.commit()
            flash(_("Your account is saved."))
            return redirect(url_for("account.index"))
    optout = set((current_user.email_optout or "").split(","))
    return render_template("account/index.html", form=form, values=values, errors=errors, kinds=_kinds(),
                           optout=optout), (400 if errors else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@learner
def password():
    """Change your password; every other session of the account ends."""
    form = ActionForm()
    error = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        session = get_session()
        if not check_password_hash(current_user.password_hash, request.form.get("current_password") or ""):
            error = _("Your current password is not right, so nothing was changed.")
        else:
            try:
                credentials.set_password(current_user, request.form.get("new_password") or "",
                                         request.form.get("confirm_password") or "")
            except UserError as exc:
                error = _("Your password was not changed: %(reason)s.", reason=learning_message(exc))
            else:
                session.commit()
                login_user(current_user._get_current_object())  # this device stays signed in under the new session version
                flash(_("Your password is changed. Other devices signed in to your account have been logged out."))
                return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form, error=error), (400 if error else 200)


@bp.route("/notifications/read", methods=["POST"])
@learner
def read():
    """Mark one notification (or all) as read, then go where it points."""
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    note_id = request.form.get("id", type=int)
    target = None
    if note_id is not None:
        note = session.scalar(notify.select_one(current_user, note_id)) or abort(404)
        target = note.url
    notify.mark_read(session, current_user, now(), note_id)
    session.commit()
    return redirect(target if target and target.startswith("/") and not target.startswith("//") else request.referrer
                    if (request.referrer or "").startswith(request.host_url) else url_for("auth.index"))


@bp.route("/learn/pilot/<target>/reply", methods=["POST"])
@learner
def reply(target: str):
    """The learner answers their trainer's comments on their plan or report; the trainers are told."""
    if target not in ("plan", "report"):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    page = url_for("pilot.plan" if target == "plan" else "pilot.report")
    body = (request.form.get("body") or "").strip()
    if not body or len(body) > pilot.MAX_FIELD:
        flash(_("Write your reply (at most %(count)s characters); nothing was sent.", count=pilot.MAX_FIELD))
        return redirect(page)
    session = get_session()
    authors = set(session.scalars(select(Comment.author_id).where(Comment.learner_id == current_user.id,
                                                                  Comment.target == target)))
    if pilot.add_comment(session, current_user, current_user, target, body, now()):  # the same reply resent is kept once
        notify.replied(session, current_user, target, url_for("trainer.learner", user_id=current_user.id), now(), base_url(),
                       authors - {current_user.id})
    session.commit()
    flash(_("Your reply is sent to your trainer."))
    return redirect(page)
