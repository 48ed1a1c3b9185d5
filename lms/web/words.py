"""Plain words for learners' statuses; the SCORM vocabulary stays in trainer views and exports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PLAIN_STATUS = {
    "not attempted": _l("not started"),
    "browsed": _l("looked through"),
    "incomplete": _l("in progress"),
    "completed": _l("done"),
    "passed": _l("passed"),
    "failed": _l("not passed yet"),
}


def plain_status(status: str) -> str:
    label = PLAIN_STATUS.get(str(status))
    return str(label) if label is not None else str(status)
