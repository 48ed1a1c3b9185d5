"""Trainer tables as CSV downloads that open cleanly in spreadsheets.

UTF-8 with a byte-order mark (so Excel shows Bengali, Khmer and Filipino names), CRLF line
ends, and cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) prefixed with an apostrophe, so a learner's text can never become a formula.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def safe_cell(value: object) -> str:
    """A cell's text, neutralised if a spreadsheet would read it as a formula (plain negative numbers stay numbers)."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START) and not NUMBER.match(text):
        return "'" + text
    return text


def csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The BOM and header first, then one CRLF-terminated line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(c) for c in row])
        yield buffer.getvalue()


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> Response:
    return Response(stream_with_context(csv_lines(header, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
