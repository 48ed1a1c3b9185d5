"""Certificate codes: unguessable, readable, signed; forged or altered codes fail without a database."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates import ALPHABET, InvalidCode, code_is_authentic, new_code, normalize_code

KEY = b"deployment key A"


def test_shape_and_alphabet():
    """24 characters in groups of four, none of them easy to misread (I, L, O, U)."""
    for _ in range(200):
        code = new_code(KEY)
        assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){5}", code)
        assert not set(code.replace("-", "")) & set("ILOU")


def test_codes_are_distinct():
    assert len({new_code(KEY) for _ in range(2000)}) == 2000


def test_authentic_under_its_key_only():
    code = new_code(KEY)
    assert code_is_authentic(code, KEY)
    assert not code_is_authentic(code, b"deployment key B")


@pytest.mark.parametrize("typed", ["{}", "{} ", "{lower}", "{spaces}", "{nohyphens}", "{oh}"])
def test_typing_is_forgiving(typed):
    code = new_code(KEY)
    variants = {"{}": code, "{} ": f"  {code} ", "{lower}": code.lower(), "{spaces}": code.replace("-", " "),
                "{nohyphens}": code.replace("-", ""), "{oh}": code.replace("0", "O").replace("1", "l")}
    assert normalize_code(variants[typed]) == code
    assert code_is_authentic(variants[typed], KEY)


@pytest.mark.parametrize("raw", ["", "ABCD", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ0#", "ü" * 24])
def test_not_codes(raw):
    with pytest.raises(InvalidCode):
        normalize_code(raw)
    assert not code_is_authentic(raw, KEY)


@given(st.text(alphabet=ALPHABET, min_size=24, max_size=24))
@settings(max_examples=300)
def test_made_up_codes_are_rejected(text):
    assert not code_is_authentic(text, KEY)  # a 40-bit tag: a chance of 1 in a trillion per guess


@given(position=st.integers(0, 23), shift=st.integers(1, 31))
@settings(max_examples=300)
def test_altering_any_one_character_is_rejected(position, shift):
    code = new_code(KEY).replace("-", "")
    altered = code[:position] + ALPHABET[(ALPHABET.index(code[position]) + shift) % 32] + code[position + 1:]
    assert not code_is_authentic(altered, KEY)
