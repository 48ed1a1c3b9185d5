"""The trainer's "Needs attention" queue, on a page and as CSV; only the trainer's own cohorts."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from lms.db.session import get_session
from lms.learning import inputs, queue
from lms.web.access import staff
from lms.web.clock import now
from lms.web.tables import csv_download
from lms.web.trainer import my_cohorts

bp = Blueprint("queue", __name__, url_prefix="/trainer/queue")


def _scope():
    """(cohorts shown, the cohort filter, the kind filter, page); a cohort that is not the trainer's is not found."""
    cohorts = my_cohorts()
    raw = (request.args.get("cohort") or "").strip()
    chosen = None
    if raw:
        chosen = next((c for c in cohorts if str(c.id) == raw), None)
        if chosen is None:
            abort(404)
    kind = request.args.get("kind") if request.args.get("kind") in queue.KINDS else None
    return cohorts, chosen, kind, max(1, inputs.int_id(request.args.get("page")) or 1)


@bp.route("/")
@staff
def index():
    """What waits on the trainer, longest waiting first."""
    cohorts, chosen, kind, page = _scope()
    ids = [chosen.id] if chosen else [c.id for c in cohorts]
    session = get_session()
    entries = queue.entries(session, current_app.extensions["lms.course"], ids, now())
    counts = queue.counts(entries)
    total = counts[kind] if kind else sum(counts.values())
    pages = max(1, -(-total // queue.PAGE_SIZE))
    found = queue.items(session, entries, kind, min(page, pages))
    names = {c.id: c.name for c in cohorts}
    return render_template("trainer/queue.html", items=found, counts=counts, kinds=queue.KINDS, cohorts=cohorts, chosen=chosen,
                           kind=kind, page=min(page, pages), pages=pages, total=total, names=names)


@bp.route("/queue.csv")
@staff
def csv():
    """The queue as CSV, with the same filters, every page."""
    cohorts, chosen, kind, _page = _scope()
    ids = [chosen.id] if chosen else [c.id for c in cohorts]
    session = get_session()
    found = queue.items(session, queue.entries(session, current_app.extensions["lms.course"], ids, now()), kind, page_size=None)
    names = {c.id: c.name for c in cohorts}
    rows = [[queue.KINDS[i.kind], i.user.name, i.user.email, names.get(i.user.cohort_id, ""), i.organisation or "", i.country or "",
             i.since.strftime("%Y-%m-%d %H:%M")] for i in found]
    return csv_download("needs-attention.csv", ["What", "Learner", "Email", "Cohort", "Organisation", "Country", "Since"], rows)
