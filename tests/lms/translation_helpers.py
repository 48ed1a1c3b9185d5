"""Writing translated course files for tests, the way a translator would."""
from __future__ import annotations

import hashlib
from pathlib import Path


def source_hash(course: Path, rel: str) -> str:
    return hashlib.sha256((course / rel).read_bytes()).hexdigest()[:12]


def translate(course: Path, language: str, rel: str, replacements: dict[str, str], status: str = "draft",
              hash_: str | None = None) -> Path:
    """A translation of `rel`: the original with texts replaced and the two translation keys added."""
    text = (course / rel).read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, f"{old!r} not in {rel}"
        text = text.replace(old, new)
    head, sep, body = text.partition("\n---\n")
    keys = f"translation_status: {status}\nsource_hash: {hash_ if hash_ is not None else source_hash(course, rel)}\n"
    target = course / "translations" / language / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(head + "\n" + keys.rstrip("\n") + sep + body, encoding="utf-8")
    return target


BN_LESSON = {"title: Sex and gender": "title: লিঙ্গ ও জেন্ডার", "Sex is biological; gender is social.": "লিঙ্গ জৈবিক; জেন্ডার সামাজিক।"}
BN_QUIZ = {"title: Basics quiz": "title: মৌলিক কুইজ",
           "A centre treats everyone the same and records no sex data. Where is it?":
               "একটি কেন্দ্র সবার সঙ্গে একই আচরণ করে এবং লিঙ্গভিত্তিক তথ্য রাখে না। এটি কোথায়?",
           "- [x] Gender-blind {#blind}": "- [x] জেন্ডার-অন্ধ {#blind}"}
