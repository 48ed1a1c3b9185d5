"""The layout's rules, checked on the source: purity, layers, no import circles, small modules.

Every import counts, including those inside functions: a function-level import is still a
dependency, and hiding one there is how circles usually creep back in.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lms", "quizzes", "certificates")
FLASK = {"flask", "flask_login", "flask_wtf", "werkzeug"}
MAX_LINES = 300
# Lower layers never import higher ones; packages on the same layer never import each other.
LAYERS = {
    "quizzes": 0, "certificates": 0,
    "lms.config": 1, "lms.db": 1, "lms.content": 1,
    "lms.learning": 2,
    "lms.interop": 3,
    "lms": 5,  # lms/__init__.py: the app factory wires the web layer
    "lms.web": 4,
    "lms.cli": 6,  # commands load the app through the factory
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


MODULES = sources()


def imports_of(name: str, path: Path) -> set[str]:
    """Every module `name` imports, anywhere in the file, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.add(child if child in MODULES else base)
    return found


GRAPH = {name: {m for m in imports_of(name, path) if m in MODULES and m != name} for name, path in MODULES.items()}
EXTERNAL = {name: {m.split(".")[0] for m in imports_of(name, path)} for name, path in MODULES.items()}


def layer(name: str) -> tuple[int, str]:
    group = max((g for g in LAYERS if name == g or name.startswith(g + ".")), key=len)
    return LAYERS[group], group


def test_the_walk_sees_the_code():
    assert len(MODULES) > 40 and GRAPH["lms.web.learn"] and "flask" in EXTERNAL["lms.web.learn"]
    assert "lms.learning.progress" in GRAPH["lms.learning.recording"]  # `from lms.learning import progress` is a module edge


@pytest.mark.parametrize("package", ["quizzes", "certificates"])
def test_pure_packages_import_nothing_from_flask_or_lms(package):
    offenders = {name: EXTERNAL[name] & (FLASK | {"lms", "sqlalchemy"}) for name in MODULES if layer(name)[1] == package}
    assert {n: bad for n, bad in offenders.items() if bad} == {}


@pytest.mark.parametrize("package", ["lms.content", "lms.learning"])
def test_content_and_learning_do_not_import_flask(package):
    offenders = {name: EXTERNAL[name] & FLASK for name in MODULES if layer(name)[1] == package}
    assert {n: bad for n, bad in offenders.items() if bad - {"werkzeug"}} == {}


def test_imports_point_down_the_layers():
    wrong = []
    for name, targets in GRAPH.items():
        rank, group = layer(name)
        for target in targets:
            target_rank, target_group = layer(target)
            if target_group != group and target_rank >= rank:
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_no_import_circles():
    """Tarjan's strongly connected components over the module graph: every one must be a single module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in GRAPH:
        if name not in index:
            visit(name)
    assert circles == []


def test_no_module_over_300_lines():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_the_circle_check_finds_a_circle():
    """The checks above would fail on a real circle: one made up here is found."""
    saved = dict(GRAPH)
    try:
        GRAPH["lms.content.model"] = GRAPH["lms.content.model"] | {"lms.web.learn"}
        with pytest.raises(AssertionError):
            test_no_import_circles()
        with pytest.raises(AssertionError):
            test_imports_point_down_the_layers()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
