"""Certificate codes: 80 random bits plus a 40-bit HMAC tag, in Crockford's base32, grouped by four.

A code made up or altered by hand fails the tag check without any database lookup.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread
RANDOM_BYTES = 10  # 80 bits
TAG_BYTES = 5  # 40 bits
LENGTH = (RANDOM_BYTES + TAG_BYTES) * 8 // 5  # 24 characters
GROUP = 4
READ_AS = {"O": "0", "I": "1", "L": "1"}


class CertificateError(Exception):
    """Base error of the certificates package."""


class InvalidCode(CertificateError):
    """Text that cannot be a certificate code (wrong length or characters)."""


def _encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(len(data) * 8 // 5)))


def _decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 32 + ALPHABET.index(char)
    return number.to_bytes(RANDOM_BYTES + TAG_BYTES, "big")


def _tag(random_part: bytes, key: bytes) -> bytes:
    return hmac.new(key, b"certificate:" + random_part, hashlib.sha256).digest()[:TAG_BYTES]


def _group(text: str) -> str:
    return "-".join(text[i:i + GROUP] for i in range(0, len(text), GROUP))


def new_code(key: bytes) -> str:
    """A fresh, unguessable code signed with the deployment's key."""
    random_part = secrets.token_bytes(RANDOM_BYTES)
    return _group(_encode(random_part + _tag(random_part, key)))


def normalize_code(raw: str) -> str:
    """The canonical grouped form of a typed code (any case, spaces or hyphens, O for 0); InvalidCode otherwise."""
    text = "".join(ch for ch in raw.upper() if ch not in " -_.\t")
    text = "".join(READ_AS.get(ch, ch) for ch in text)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        raise InvalidCode(f"a certificate code has {LENGTH} letters and digits")
    return _group(text)


def code_is_authentic(code: str, key: bytes) -> bool:
    """Whether the code's tag matches its random part under this key (constant-time)."""
    try:
        data = _decode(normalize_code(code).replace("-", ""))
    except (InvalidCode, ValueError, OverflowError):
        return False
    random_part, tag = data[:RANDOM_BYTES], data[RANDOM_BYTES:]
    return hmac.compare_digest(tag, _tag(random_part, key))
