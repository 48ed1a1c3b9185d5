"""The TSP training LMS: a Flask application factory over the `quizzes` and `certificates` packages."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from lms import config
from lms.content.loader import load_course
from lms.db import session as db
from lms.web import setup as web


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, database, course, blueprints."""
    app = Flask(__name__, instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
                template_folder="web/templates", static_folder="web/static")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config.load(app, test_config)
    app.extensions["lms.course"] = load_course(app.config["COURSE_DIR"])
    db.init_app(app)
    web.init_app(app)
    return app


__all__ = ["create_app"]
