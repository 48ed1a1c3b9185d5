"""Offline reading: a module as one self-contained HTML file (styles inline, images as data: URIs, glossary at the end).

The file is for reading on a phone with no connection; it records nothing. Progress is recorded when the
learner opens the course again and marks the lessons done.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from lms.content.markdown import ROOT
from lms.db.session import get_session
from lms.learning import progress
from lms.web import i18n
from lms.web.access import learner
from lms.web.clock import now

bp = Blueprint("offline", __name__, url_prefix="/learn")
_FILE = re.compile(re.escape(ROOT) + r"/learn/files/([^\"'#?\s]+)")
_LESSON = re.compile(re.escape(ROOT) + r"/learn/lessons/([a-z0-9-]+)")
_GLOSSARY = re.compile(re.escape(ROOT) + r"/learn/glossary#")
_OTHER = re.compile(re.escape(ROOT) + r"/")
MAX_IMAGE = 2 * 1024 * 1024  # a bigger file would make the page too heavy for a phone; it is linked instead


def _data_uri(course_root: Path, rel: str) -> str | None:
    path = (course_root / rel).resolve()
    if not path.is_relative_to(course_root.resolve()) or not path.is_file() or path.stat().st_size > MAX_IMAGE:
        return None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def self_contained(html: str, course_root: Path, lesson_ids: set[str], site: str) -> Markup:
    """Course HTML with its images embedded and its links pointing inside the file (or to the site, absolute)."""
    html = _FILE.sub(lambda m: _data_uri(course_root, m.group(1)) or f"{site}/learn/files/{m.group(1)}", html)
    html = _LESSON.sub(lambda m: f"#lesson-{m.group(1)}" if m.group(1) in lesson_ids else f"{site}/learn/lessons/{m.group(1)}", html)
    html = _GLOSSARY.sub("#", html)
    html = html.replace(f"{ROOT}/learn/glossary", "#glossary")
    return Markup(_OTHER.sub(site + "/", html))


@bp.route("/modules/<module_id>/download")
@learner
def module(module_id: str):
    """Download a module to read offline, in the reader's language."""
    crs = i18n.course_for()
    mod = crs.modules.get(module_id) or abort(404)
    unit = crs.unit(mod.unit_id)
    snap = progress.snapshot(get_session(), current_user, crs)
    if unit is None or not progress.unit_is_open(crs, snap, unit, now()):
        abort(403)
    lessons = crs.module_lessons(module_id)
    site = request.url_root.rstrip("/")
    ids = {lesson.id for lesson in lessons}

    def embed(html: str | None) -> Markup:
        return self_contained(html or "", crs.path, ids, site)

    css = Path(current_app.static_folder or "", "style.css").read_text(encoding="utf-8")
    page = render_template("offline/module.html", course=crs, module=mod, lessons=lessons, embed=embed, css=Markup(css),
                           site=site, glossary_html=crs.glossary_html)
    language = i18n.current_language()
    response = Response(page, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{module_id}-{language}.html"'
    return response
