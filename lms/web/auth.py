"""Logging in and out, forgotten passwords, invitations, and sessions that really end."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.security import check_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from lms.db.enums import Role
from lms.db.models import User
from lms.db.session import get_session
from lms.learning import credentials, inputs
from lms.learning.accounts import UserError
from lms.web.access import public, roles_required
from lms.web.clock import now
from lms.web.mailer import base_url
from lms.web.messages import learning_message
from lms.web.ratelimit import count_failure, limit, wait_after_failures

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
_dummy_hash: list[str] = []
_USER_BY_ID = select(User.__table__).where(User.__table__.c.id == bindparam("id"))
DEVICE_COOKIE = "lms_device"


def _dummy() -> str:
    """A real hash to check against when the account does not exist, so both failures take as long."""
    if not _dummy_hash:
        from lms.learning.accounts import hash_password, random_password

        _dummy_hash.append(hash_password(random_password()))
    return _dummy_hash[0]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(message=_l("Enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])


class ActionForm(FlaskForm):
    """Only a CSRF token; fields are read from the request."""


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    csrf.init_app(app)
    app.config.setdefault("LOGIN_ACCOUNT_LIMIT", (5, 900))  # failed tries per account before the back-off starts
    app.config.setdefault("LOGIN_BACKOFF_CAP", (60, 120))  # the longest wait, in seconds: (per address, per account)
    app.config.setdefault("RESET_RATE_LIMIT", (5, 900))  # reset emails asked for per client

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The signed-in user, on every request: one Core query, the row attached as a loaded User.

        The session holds "id:version"; a bumped version (logout, new password, deactivation) ends
        every older session. Cheaper than `session.get` (see benchmarks/RESULTS.md).
        """
        raw_id, _, version = user_id.partition(":")
        row = None
        if inputs.int_id(raw_id) is not None and version.isascii() and version.isdigit() and len(version) < 10:
            row = get_session().connection().execute(_USER_BY_ID, {"id": int(raw_id)}).first()
        if row is None or not row.active or row.session_version != int(version):
            flask_session.pop("_user_id", None)
            flask_session.pop("_fresh", None)
            return None
        user = User(**row._mapping)
        make_transient_to_detached(user)
        get_session().add(user)
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
    if user.role == Role.TRAINER:
        return url_for("trainer.dashboard")
    if user.role == Role.ADMIN:
        return url_for("admin.index")
    return url_for("learn.dashboard")


def _devices() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="lms login device")


def _known_device(email: str) -> bool:
    """This browser signed in to this account before: the shared address's count does not hold it back."""
    try:
        return _devices().loads(request.cookies.get(DEVICE_COOKIE, "")) == email
    except BadSignature:
        return False


def _wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong passwords were tried. Wait {seconds} {unit}, then try again."


def _throttle_wait(email: str) -> int:
    """How long this try must wait: failed logins slow down an account and a client address, gently."""
    (free, window), (cap_address, cap_account) = current_app.config["LOGIN_RATE_LIMIT"], current_app.config["LOGIN_BACKOFF_CAP"]
    acct_free, acct_window = current_app.config["LOGIN_ACCOUNT_LIMIT"]
    wait = wait_after_failures(f"login-fail-account:{email}", acct_free, acct_window, cap_account)
    if not _known_device(email):
        wait = max(wait, wait_after_failures(f"login-fail:{request.remote_addr}", free, window, cap_address))
    return wait


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    error = None
    status = 401
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = _throttle_wait(email)
        if wait:
            return render_template("login.html", form=form, error=_wait_message(wait)), 429
        user = get_session().scalar(select(User).where(User.email == email))
        known = user.password_hash if user and user.has_password else _dummy()
        password_ok = check_password_hash(known, form.password.data) and user is not None and user.has_password
        if user and password_ok and user.active:
            login_user(user)
            response = redirect(_safe_next(request.args.get("next")) or home_for(user))
            response.set_cookie(DEVICE_COOKIE, _devices().dumps(email), max_age=365 * 86400, httponly=True, samesite="Lax",
                                secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
            return response
        if user and password_ok:  # only someone who knows the password learns the account is deactivated
            error = _("This account has been deactivated, so it cannot sign in. Ask your trainer or administrator.")
        else:
            count_failure(f"login-fail-account:{email}", f"login-fail:{request.remote_addr}")
            error = _("That email and password do not match an account. Check both and try again.")
    return render_template("login.html", form=form, error=error), (status if error else 200)


@bp.route("/logout", methods=["POST"])
@roles_required(*Role)
def logout():
    """Log out: every session of this account ends, on every device."""
    credentials.end_sessions(current_user)
    get_session().commit()
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


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot():
    """Ask for a reset link by email; the answer is the same whether or not the account exists."""
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("account/forgot.html", form=form, error="Reload the page and try again."), 400
        email = (request.form.get("email") or "").strip().lower()
        if not email:
            return render_template("account/forgot.html", form=form, error=_("Enter your email address.")), 400
        limit("reset", "RESET_RATE_LIMIT")
        session = get_session()
        user = session.scalar(select(User).where(User.email == email))
        if user is not None and user.active:
            credentials.send_link(session, user, "reset" if user.has_password else "invite", base_url(),
                                  current_app.extensions["lms.course"].title, now())
            session.commit()
        flash(_("If there is an account for %(email)s, an email with a link to choose a new password is on its way. "
                "The link works once, for one hour. Check your spam folder if it does not arrive.", email=email))
        return redirect(url_for("auth.login"))
    return render_template("account/forgot.html", form=form, error=None)


def _choose_password(token: str, purpose: str):
    session = get_session()
    form = ActionForm()
    try:
        user = credentials.peek(session, token, purpose, now())
    except credentials.TokenError as exc:
        return render_template("account/choose_password.html", purpose=purpose, broken=learning_message(exc), user=None, form=form,
                               error=None), 410
    error = None
    if request.method == "POST":
        if not form.validate_on_submit():
            error = _("The form was missing its security token; reload the page and try again.")
        else:
            try:
                credentials.set_password(user, request.form.get("new_password") or "", request.form.get("confirm_password") or "")
                credentials.consume(session, token, purpose, now())
                session.commit()
            except (UserError, credentials.TokenError) as exc:
                session.rollback()
                error = _("Your password was not changed: %(reason)s.", reason=learning_message(exc))
            else:
                if current_user.is_authenticated:
                    logout_user()
                flash(_("Your password is set. Log in with your email address and your new password."))
                return redirect(url_for("auth.login"))
    return render_template("account/choose_password.html", purpose=purpose, broken=None, user=user, form=form,
                           error=error), (400 if error else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    """Choose a new password from an emailed link (single use, one hour)."""
    return _choose_password(token, "reset")


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
def invite(token: str):
    """Accept an invitation: choose a password for a new account."""
    return _choose_password(token, "invite")
