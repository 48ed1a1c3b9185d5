"""Sending xAPI statements to a Learning Record Store over its HTTP API, in batches.

A statement whose id the LRS already holds with the same content is a resend and stores nothing; one it holds with
*different* content is a conflict (HTTP 409): reported per statement, never counted as sent.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field

VERSION = "1.0.3"


class LrsError(RuntimeError):
    """The Learning Record Store refused or could not be reached; the message says which."""


@dataclass
class SendReport:
    sent: int = 0  # statements posted
    new: int = 0  # of those, stored as new (the LRS answers with the ids it stored; a resend stores none)
    batches: int = 0  # POST requests with a batch of statements
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (statement id, the LRS's reason)


class Client:
    def __init__(self, endpoint: str, username: str, password: str, timeout: float = 60):
        self.url = endpoint.rstrip("/") + "/statements"
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.headers = {"Content-Type": "application/json", "X-Experience-API-Version": VERSION,
                        "Authorization": f"Basic {token}"}
        self.timeout = timeout

    def post(self, statements: list[dict]) -> tuple[int, bytes]:
        """(status, body); a 409 is returned, every other refusal raised as LrsError."""
        request = urllib.request.Request(self.url, data=json.dumps(statements).encode(), method="POST", headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if exc.code == 409:
                return 409, body
            raise LrsError(f"the LRS answered {exc.code}: {body[:300].decode(errors='replace')}") from None
        except urllib.error.URLError as exc:
            raise LrsError(f"cannot reach the LRS at {self.url}: {exc.reason}") from None


def _stored(status: int, body: bytes, ids: set[str]) -> int:
    if status == 204 or not body.strip():
        return 0
    try:
        answered = json.loads(body)
    except ValueError:
        return 0
    return len(ids & set(answered)) if isinstance(answered, list) else 0


def _reason(body: bytes) -> str:
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail or body[:200].decode(errors="replace") or "conflict")


def send(statements: Iterable[dict], client: Client, batch: int = 100) -> SendReport:
    """POST statements in batches of `batch`. A batch refused with 409 is resent one statement at a time,
    so the statements in it that do not conflict still arrive and each conflicting one is named."""
    report = SendReport()
    chunk: list[dict] = []

    def flush() -> None:
        if not chunk:
            return
        report.batches += 1
        status, body = client.post(chunk)
        if status == 409:
            for statement in chunk:
                one_status, one_body = client.post([statement])
                if one_status == 409:
                    report.conflicts.append((statement["id"], _reason(one_body)))
                else:
                    report.sent += 1
                    report.new += _stored(one_status, one_body, {statement["id"]})
        else:
            report.sent += len(chunk)
            report.new += _stored(status, body, {s["id"] for s in chunk})
        chunk.clear()

    for statement in statements:
        chunk.append(statement)
        if len(chunk) >= batch:
            flush()
    flush()
    return report
