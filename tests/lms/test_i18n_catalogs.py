"""Interface catalogs: every language complete, no fuzzy entry, placeholders kept, compiled and up to date."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "lms" / "translations"
LANGUAGES = ("bn", "hi", "km", "fil")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def source_ids() -> set[str]:
    """Every string marked in the code and templates now (what `make translations` would extract)."""
    method_map = [("lms/**.py", "python"), ("lms/web/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map=method_map, keywords=keywords,
                                                                      options_map={"lms/web/templates/**.html": {}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_complete_without_fuzzy_entries(language):
    cat = catalog(language)
    assert len(cat) > 300
    problems = []
    for message in cat:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
        for s in strings:
            wanted = sorted(set(PLACEHOLDER.findall(ids[-1]))) if "%(num)s" not in ids[0] else sorted(set(PLACEHOLDER.findall(ids[0])))
            if sorted(set(PLACEHOLDER.findall(s))) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {s!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_covers_every_marked_string_and_nothing_stale(language):
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(language) if m.id}
    marked = source_ids()
    assert not marked - have, f"strings not in the {language} catalog (run `make translations` and translate them): {sorted(marked - have)}"
    assert not have - marked, f"entries no longer used (run `make translations`): {sorted(have - marked)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_compiles_and_the_committed_mo_matches_the_po(language):
    cat = catalog(language)
    compiled = io.BytesIO()
    write_mo(compiled, cat)
    compiled.seek(0)
    fresh = read_mo(compiled)
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as f:
        committed = read_mo(f)
    def entries(cat):
        return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id: tuple(m.string) if isinstance(m.string, list | tuple) else m.string
                for m in cat if m.id}

    assert entries(fresh) == entries(committed), \
        f"lms/translations/{language}/LC_MESSAGES/messages.mo is stale: run `make translations`"
    assert catalog(language).plural_forms and not list(cat.check())
