"""Access rules, in one place: every view declares who may open it.

A test walks `app.url_map` and fails on any view without a rule, so a new
route cannot forget one.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, redirect, request, session, url_for
from flask_login import current_user

from lms.db.enums import Role

F = TypeVar("F", bound=Callable)
PUBLIC = "public"


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in users with one of `roles`; others are sent to log in (anonymous) or refused (403)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.access = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Open to everyone, signed in or not."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


learner = roles_required(Role.TSP, Role.TRAINER, Role.ADMIN)  # trainers and admins can walk the course too
staff = roles_required(Role.TRAINER, Role.ADMIN)
admin_only = roles_required(Role.ADMIN)


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        if "_user_id" in session:  # signed in; asking the session spares loading the user on public pages
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response
