"""Trainer tables as CSV downloads that open cleanly in spreadsheets (the rules are in lms/interop/csvsafe.py)."""
from __future__ import annotations

from collections.abc import Iterable

from flask import Response, stream_with_context

from lms.interop.csvsafe import list_rows


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> Response:
    return Response(stream_with_context(list_rows(header, rows)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
