"""quizzes/ and certificates/ import nothing from Flask or the app."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("package", ["quizzes", "certificates"])
def test_pure_packages_do_not_import_flask_or_lms(package):
    imported = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert imported, "no imports found: the walk is broken"
    assert not imported & {"flask", "flask_login", "flask_wtf", "lms", "werkzeug", "sqlalchemy"}
