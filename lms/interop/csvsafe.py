"""CSV as spreadsheets expect it, for every CSV this application writes.

UTF-8 with a byte-order mark (so a spreadsheet that would assume the local code page reads Bengali or Khmer names
right), CRLF line ends, and text cells that a spreadsheet would take for a formula (starting with = + - @, a tab or
a carriage return) prefixed with an apostrophe so they are read as text: a name `=HYPERLINK(...)` stays a name.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe; numbers and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def dict_rows(columns: Sequence[str], rows: Iterable[dict], chunk_size: int = 64_000) -> Iterator[str]:
    """The CSV text in chunks of about `chunk_size` characters: BOM and header first, one row per dict."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
        if buffer.tell() > chunk_size:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def list_rows(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text line by line: BOM and header first, then one CRLF-terminated line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(c) for c in row])
        yield buffer.getvalue()
