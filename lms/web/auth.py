"""Logging in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.security import check_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from lms.db.models import User
from lms.db.session import get_session
from lms.web.access import public, roles_required
from lms.web.ratelimit import limit

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
_dummy_hash: list[str] = []
_USER_BY_ID = select(User.__table__).where(User.__table__.c.id == bindparam("id"))


def _dummy() -> str:
    """A real hash to check against when the account does not exist, so both failures take as long."""
    if not _dummy_hash:
        from lms.learning.accounts import hash_password, random_password

        _dummy_hash.append(hash_password(random_password()))
    return _dummy_hash[0]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(message=_l("Enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    csrf.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The signed-in user, on every request: one Core query, the row attached as a loaded User.

        Cheaper than `session.get` by about a third of a lesson page's database time (see
        benchmarks/RESULTS.md); the object is an ordinary persistent User of the request's session.
        """
        session = get_session()
        row = session.connection().execute(_USER_BY_ID, {"id": int(user_id)}).first()
        if row is None or not row.active:  # a deactivated account's open sessions end for good
            flask_session.pop("_user_id", None)
            flask_session.pop("_fresh", None)
            return None
        user = User(**row._mapping)
        make_transient_to_detached(user)
        session.add(user)
        return user

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        text = _("The form was missing its security token or it was not valid, so nothing was changed. Reload the page and try again.")
        return render_template("error.html", code=400, title=_("The form could not be accepted"), text=text), 400


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: User) -> str:
    if user.role == "trainer":
        return url_for("trainer.dashboard") if "trainer.dashboard" in _endpoints() else url_for("learn.dashboard")
    if user.role == "admin":
        return url_for("admin.index") if "admin.index" in _endpoints() else url_for("learn.dashboard")
    return url_for("learn.dashboard")


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        limit("login", "LOGIN_RATE_LIMIT")
        email = form.email.data.strip().lower()
        user = get_session().scalar(select(User).where(User.email == email))
        password_ok = check_password_hash(user.password_hash if user else _dummy(), form.password.data)
        if user and password_ok and user.active:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        if user and password_ok:  # only someone who knows the password learns the account is deactivated
            error = _("This account has been deactivated, so it cannot sign in. Ask your trainer or administrator.")
        else:
            error = _("That email and password do not match an account. Check both and try again.")
    return render_template("login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@roles_required("tsp", "trainer", "admin")
def logout():
    """Log out."""
    logout_user()
    flash(_("You have logged out."))
    return redirect(url_for("auth.login"))


@bp.route("/")
@public
def index():
    """The front door: the dashboard for the signed-in, the login page otherwise."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))
