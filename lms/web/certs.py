"""Certificates: the learner's list and PDFs, and the public verify page."""
from __future__ import annotations

import dataclasses
import os

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

import certificates
from lms.db.enums import CertificateStatus, Role
from lms.db.models import Certificate
from lms.db.session import get_session
from lms.learning import certs
from lms.web import i18n
from lms.web.access import learner, public
from lms.web.context import signing_key
from lms.web.ratelimit import limit

bp = Blueprint("certs", __name__)


def _base_url() -> str:
    return current_app.config.get("BASE_URL") or request.url_root


def _may_see(cert: Certificate) -> bool:
    if current_user.role == Role.ADMIN or cert.user_id == current_user.id:
        return True
    if current_user.role == Role.TRAINER:
        owner = cert.user
        return owner.cohort_id is not None and owner.cohort_id in {c.id for c in current_user.trains}
    return False


@bp.route("/learn/certificates")
@learner
def mine():
    """The learner's certificates with PDF downloads."""
    found = get_session().scalars(select(Certificate).where(Certificate.user_id == current_user.id)
                                  .order_by(Certificate.issued_at)).all()
    return render_template("certs/mine.html", certificates=found, labels=certs.KIND_LABELS)


def _labels(cert: Certificate) -> certificates.CertificateLabels:
    """The certificate's words in the reader's language, with the date and numbers written her way."""
    return certificates.CertificateLabels(
        heading=_("Certificate"), certifies=_("This certifies that"), completed=_("has completed"),
        details=_("%(date)s   ·   %(hours)s hours of study", date="{date}", hours="{hours}"),
        code_line=_("Certificate code: %(code)s", code="{code}"), check_line=_("Check it at %(url)s", url="{url}"),
        date_text=i18n.long_date(cert.completed_at or cert.issued_at), hours_text=format_decimal(cert.study_hours, format="#,##0.#"),
    )


@bp.route("/certificates/<int:cert_id>.pdf")
@learner
def pdf(cert_id: int):
    """The certificate as a PDF (its owner, their trainers, admins)."""
    cert = get_session().get(Certificate, cert_id)
    if cert is None or not _may_see(cert):
        abort(404)
    dirs = [d for d in current_app.config.get("FONT_DIRS", "").split(os.pathsep) if d] or None
    try:
        data = certs.data_of(cert)
        data = dataclasses.replace(data, kind_label=str(i18n.CERT_LABELS.get(cert.kind, data.kind_label)))
        body = certificates.render_pdf(data, certificates.verify_url(_base_url(), cert.code), font_dirs=dirs, labels=_labels(cert))
    except certificates.MissingGlyphs as exc:
        # Not a crash: the server lacks a font for this name. Say which characters, and who can fix it.
        text = _("The certificate cannot be drawn: %(reason)s. Your certificate is kept; ask the administrator to install "
                 "the fonts listed in the README, or to correct the name.", reason=exc)
        return render_template("error.html", code=503, title=_("This certificate cannot be drawn yet"), text=text), 503
    name = f"certificate-{cert.kind}-{cert.code}.pdf"
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/verify", methods=["GET"])
@public
def verify_form():
    """Type a certificate code to check it."""
    code = (request.args.get("code") or "").strip()
    if code:
        try:
            return redirect(url_for("certs.verify", code=certificates.normalize_code(code)))
        except certificates.InvalidCode:
            limit("verify", "VERIFY_RATE_LIMIT")
            return render_template("certs/verify.html", status=CertificateStatus.INVALID, cert=None, code=code), 404
    return render_template("certs/verify.html", status=None, cert=None, code="")


@bp.route("/verify/<code>")
@public
def verify(code: str):
    """Anyone holding a code (or the QR link) can see whether the certificate is genuine."""
    limit("verify", "VERIFY_RATE_LIMIT")
    status, cert = certs.lookup(get_session(), code, signing_key())
    replacement = get_session().get(Certificate, cert.superseded_by_id) if cert and cert.superseded_by_id else None
    response = render_template("certs/verify.html", status=status, cert=cert, code=code, labels=certs.KIND_LABELS,
                               replacement=replacement)
    return response, (200 if cert else 404)
