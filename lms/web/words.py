"""Plain words for learners' statuses; the SCORM vocabulary stays in trainer views and exports."""
from __future__ import annotations

PLAIN_STATUS = {
    "not attempted": "not started",
    "browsed": "looked through",
    "incomplete": "in progress",
    "completed": "done",
    "passed": "passed",
    "failed": "not passed yet",
}


def plain_status(status: str) -> str:
    return PLAIN_STATUS.get(str(status), str(status))
