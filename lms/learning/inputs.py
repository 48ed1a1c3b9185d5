"""One input layer for forms and the CLI: control characters, lengths that match the columns, passwords.

Pure functions, no Flask: the web layer (lms/web/forms.py) and the commands use the same rules, so
a NUL or an over-long name is refused the same way on SQLite (which would store it) and on
PostgreSQL (which would fail with an error page).
"""
from __future__ import annotations

import re

# C0 controls and DEL, except tab, newline and carriage return (kept in long text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\t\r\n]")

# Lengths that match the columns in lms/db/models.py.
EMAIL_MAX = 254
NAME_MAX = 200
COHORT_MAX = 120
LONG_TEXT_MAX = 6000  # pilot plan, log and report fields, trainer comments (Text columns, bounded here)
REASON_MAX = 2000
SEARCH_MAX = 200
PASSWORD_MIN = 10
PASSWORD_MAX = 1024  # scrypt hashes anything, but a megabyte password is only a way to burn CPU

INT64_MAX = 2**63 - 1
# Ids are INTEGER columns (32-bit on PostgreSQL, which refuses a larger number with an error rather than
# finding nothing), so an id beyond this cannot name a row: it is "not found", on every engine.
ID_MAX = 2**31 - 1


class InputError(ValueError):
    """A value that cannot be accepted; the message says why, for a person."""


def has_control(value: str, multiline: bool = False) -> bool:
    """Whether the text holds characters no person types (NUL, escape...); tabs and newlines only in long text."""
    return bool(CONTROL.search(value)) or (not multiline and bool(LINE_BREAKS.search(value)))


def text(value: str | None, label: str, limit: int, *, multiline: bool = False, required: bool = False) -> str:
    """The value stripped; refused when it holds control characters, is too long, or is missing."""
    value = (value or "").strip()
    if CONTROL.search(value):
        raise InputError(f"{label} contains control characters (such as NUL) that cannot be stored")
    if not multiline:
        value = " ".join(value.split())
    if len(value) > limit:
        raise InputError(f"{label} is too long (at most {limit:,} characters, not {len(value):,})")
    if required and not value:
        raise InputError(f"{label} is empty")
    return value


def password(value: str) -> str:
    """A new password: not blank or only spaces, long enough, not absurdly long, no control characters."""
    if not value or not value.strip():
        raise InputError("the password is empty or only spaces")
    if len(value) < PASSWORD_MIN:
        raise InputError(f"the password must have at least {PASSWORD_MIN} characters")
    if len(value) > PASSWORD_MAX:
        raise InputError(f"the password is too long (at most {PASSWORD_MAX} characters)")
    if CONTROL.search(value) or "\n" in value or "\r" in value:
        raise InputError("the password contains control characters")
    return value


def int_id(value: object) -> int | None:
    """A database id from a form or URL: a whole number that fits the id columns, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        raw = str(value or "").strip()
        if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
            return None
        number = int(raw)
    return number if 0 <= number <= ID_MAX else None


def decode_text_file(data: bytes, what: str = "the file") -> str:
    """Text from an uploaded or given file: UTF-8 (with or without a BOM) or UTF-16 with a BOM.

    Spreadsheets save "CSV" in many encodings; anything else gets one clear message, not a traceback.
    """
    try:
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        text_ = data.decode("utf-16") if utf16 else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} is not UTF-8 text; save it as “CSV UTF-8” and try again") from None
    if CONTROL.search(text_):
        raise InputError(f"{what} holds control characters, so it is not a text file; save it as “CSV UTF-8” and try again")
    return text_
