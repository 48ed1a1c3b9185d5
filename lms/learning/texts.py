"""Texts the learning layer writes for a person (emails), in that person's language, without Flask.

Wordings are marked with `N_` (a no-op that `make translations` extracts) and translated when the email is
queued, with Babel's own catalogs from lms/translations. A language without a catalog, or a wording not yet
translated, falls back to English. Placeholders are %(name)s, filled in after translating.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DEFAULT_LANGUAGE = "en"  # the course's language: what someone who never chose a language reads


def N_(text: str) -> str:  # noqa: N802 - the gettext convention `make translations` looks for
    """Mark a wording for translation; it stays as it is until `translate` is called with it."""
    return text


@lru_cache(maxsize=32)
def catalog(language: str) -> NullTranslations:
    if not language or language == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language.replace("-", "_")])


GREETING = N_("Hello %(name)s,")  # the first line of every email


def language_of(user: object, default: str = DEFAULT_LANGUAGE) -> str:
    """The language a person reads: the one chosen on their account, else the course's."""
    return getattr(user, "language", None) or default


def translate(language: str | None, msgid: str, **values: object) -> str:
    """`msgid` in `language` (English when there is no translation), its placeholders filled in."""
    text = catalog(language or DEFAULT_LANGUAGE).gettext(msgid)
    return text % values if values else text
