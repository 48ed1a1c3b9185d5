"""`lms export records --format csv|json [-o FILE] [--cohort NAME]`."""
from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TextIO

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.db.models import Cohort
from lms.db.session import get_session
from lms.interop import records as exports


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """The named file, or standard output when there is none."""
    if path is None:
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as out:
        yield out


@click.group("export", cls=AppGroup)
def export_group() -> None:
    """Exports for other systems."""


@export_group.command("records")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="File (default: standard output).")
@click.option("--cohort", default=None, help="Only this cohort.")
def export_records(fmt: str, output: str | None, cohort: str | None) -> None:
    """Completion records, one per learner per unit, in SCORM 1.2 and 2004 terms."""
    session = get_session()
    group = None
    if cohort:
        group = session.scalar(select(Cohort).where(Cohort.name == cohort))
        if group is None:
            raise click.ClickException(f"no cohort named {cohort!r}")
    rows = exports.records(session, current_app.extensions["lms.course"], group)
    chunks = exports.as_csv(rows) if fmt == "csv" else exports.as_json(rows)
    with _output(output) as out:
        for chunk in chunks:
            out.write(chunk)


@export_group.command("scorm")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The .zip to write.")
@click.option("--version", "version", type=click.Choice(["1.2", "2004"]), default="1.2", show_default=True,
              help="SCORM 1.2, or SCORM 2004 4th Edition.")
def export_scorm(output: str, version: str) -> None:
    """A SCORM package of the course's lessons (quizzes stay on this server)."""
    from lms.interop.scorm import write_package

    course = current_app.extensions["lms.course"]
    with open(output, "wb") as out:
        write_package(course, out, version)
    edition = "SCORM 2004 4th Edition" if version == "2004" else "SCORM 1.2"
    click.echo(f"Wrote {output}: {edition}, {len(course.lessons)} lessons as SCOs, course {course.full_version}.")


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


@export_group.command("xapi")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the statements as JSON to this file (default: standard output).")
@click.option("--lrs", default=None, help="Send to this LRS endpoint (e.g. https://lrs.example.org/xAPI) instead;"
              " credentials from LMS_LRS_USERNAME and LMS_LRS_PASSWORD.")
@click.option("--base-url", default=None, help="The deployment's public address, for actor and activity ids"
              " (default: LMS_BASE_URL).")
@click.option("--since", "since", default=None, metavar="DATE",
              help="Only statements timestamped on or after DATE (YYYY-MM-DD, UTC, or an ISO date and time).")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 1000), help="Statements per request to the LRS.")
def export_xapi(output: str | None, lrs: str | None, base_url: str | None, since: str | None, batch: int) -> None:
    """xAPI 1.0.3 statements: experienced, completed, attempted, answered, passed, failed."""
    import json
    import os

    from lms.interop import lrs as lrs_client
    from lms.interop import xapi

    base = base_url or current_app.config.get("BASE_URL") or ""
    if not base:
        raise click.ClickException("give the deployment's public address with --base-url or LMS_BASE_URL: "
                                   "it makes actor and activity ids stable")
    if output and lrs:
        raise click.ClickException("choose either -o FILE or --lrs URL")
    stream = xapi.statements(get_session(), current_app.extensions["lms.course"], base, _since(since))
    if lrs:
        user, password = os.environ.get("LMS_LRS_USERNAME"), os.environ.get("LMS_LRS_PASSWORD")
        if not user or not password:
            raise click.ClickException("set LMS_LRS_USERNAME and LMS_LRS_PASSWORD for the LRS")
        try:
            report = lrs_client.send(stream, lrs_client.Client(lrs, user, password), batch)
        except lrs_client.LrsError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Sent {report.sent} statements to {lrs} in {report.batches} batches: {report.new} new, "
                   f"{report.sent - report.new} already stored.")
        if report.conflicts:
            for ident, reason in report.conflicts:
                click.echo(f"conflict: statement {ident}: the LRS holds a different statement with this id ({reason})", err=True)
            raise click.ClickException(f"{len(report.conflicts)} statements conflict with different statements "
                                       "already stored under their ids; they were not sent")
        return
    with _output(output) as out:
        out.write("[")
        for index, statement in enumerate(stream):
            out.write(("," if index else "") + "\n" + json.dumps(statement, ensure_ascii=False))
        out.write("\n]\n")
