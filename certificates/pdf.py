"""The certificate as an A4 landscape PDF: TrueType fonts with text shaping, and a vector QR code."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import segno
from fontTools.ttLib import TTFont
from fpdf import FPDF

from .codes import CertificateError

DEFAULT_FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype")
# Tried in this order for the learner's name; the first that covers every character is used.
NAME_FONTS = ("NotoSans-Regular.ttf", "NotoSansBengali-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
              "NotoSansKhmer-Regular.ttf", "DejaVuSans.ttf")
BODY_FONT, BODY_BOLD = "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"
INK, MUTED, ACCENT = (29, 42, 51), (91, 103, 112), (138, 47, 91)


class MissingGlyphs(CertificateError):
    """No installed font can draw some characters of a text."""

    def __init__(self, text: str, chars: str):
        self.text, self.chars = text, chars
        names = ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unknown')})" for c in chars)
        super().__init__(f"no installed font covers these characters of {text!r}: {names}; "
                         "install fonts-noto-core or point LMS_FONT_DIRS at a folder with a font that has them")


@dataclass(frozen=True)
class CertificateData:
    """Everything the certificate shows, and nothing more: the verify page shows the same."""

    code: str
    learner_name: str
    course_title: str
    kind_label: str
    issued_on: date
    study_hours: float
    organisation: str


@dataclass(frozen=True)
class CertificateLabels:
    """The certificate's own words, translated by the caller (this package knows no languages)."""

    heading: str = "Certificate"
    certifies: str = "This certifies that"
    completed: str = "has completed"
    details: str = "{date}   ·   {hours} hours of study"  # {date} and {hours} are filled in
    code_line: str = "Certificate code: {code}"
    check_line: str = "Check it at {url}"
    date_text: str = ""  # the issue date as the reader writes it; default: "1 December 2026"
    hours_text: str = ""  # the study hours as the reader writes numbers; default: "8.5"


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{code}"


def _find_file(name: str, dirs: Sequence[str]) -> Path | None:
    for folder in dirs:
        root = Path(folder)
        if (root / name).is_file():
            return root / name
        if root.is_dir():
            match = next(root.rglob(name), None)
            if match:
                return match
    return None


@lru_cache(maxsize=32)
def _coverage(path: Path) -> frozenset[int]:
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _needs(text: str) -> set[int]:
    return {ord(c) for c in unicodedata.normalize("NFC", text) if not c.isspace() and unicodedata.category(c) not in ("Cf",)}


def find_font_for(text: str, font_dirs: Sequence[str] | None = None) -> Path | None:
    """The first name font that has every character of `text`."""
    dirs = list(font_dirs or DEFAULT_FONT_DIRS)
    for name in NAME_FONTS:
        path = _find_file(name, dirs)
        if path and _needs(text) <= _coverage(path):
            return path
    return None


class PdfRenderer(Protocol):
    def render(self, cert: CertificateData, url: str, labels: CertificateLabels | None = None) -> bytes: ...


class FpdfRenderer:
    """Draws certificates with fpdf2 from the fonts in `font_dirs` (the caller's setting; Debian's folders by default)."""

    def __init__(self, font_dirs: Sequence[str] | None = None):
        self.font_dirs = list(font_dirs or DEFAULT_FONT_DIRS)

    def _font(self, pdf: FPDF, family: str, filename: str, text: str) -> None:
        path = _find_file(filename, self.font_dirs)
        needed = _needs(text)
        if path is not None and not needed <= _coverage(path):
            # Translated wording in another script (Bengali, Devanagari, Khmer): the font that covers most of it;
            # the rest (a "·", Latin digits) comes from the fallback fonts set in `render`.
            best = max(self._script_fonts(), key=lambda p: len(needed & _coverage(p)), default=None)
            if best is not None and len(needed & _coverage(best)) > len(needed & _coverage(path)):
                path, family = best, f"script-{best.stem.lower()}"
        covered = (_coverage(path) if path else frozenset()).union(*(_coverage(p) for p in self._script_fonts()))
        if path is None or not needed <= covered:
            raise MissingGlyphs(text, "".join(sorted(chr(c) for c in needed - covered)))
        if family not in pdf.fonts:
            pdf.add_font(family, fname=str(path))
        pdf.set_font(family)

    def _script_fonts(self) -> list[Path]:
        return [p for p in (_find_file(name, self.font_dirs) for name in NAME_FONTS) if p is not None]

    def _fallbacks(self, pdf: FPDF) -> None:
        families = []
        for path in self._script_fonts():
            family = f"script-{path.stem.lower()}"
            if family not in pdf.fonts:
                pdf.add_font(family, fname=str(path))
            families.append(family)
        pdf.set_fallback_fonts(families)

    def render(self, cert: CertificateData, url: str, labels: CertificateLabels | None = None) -> bytes:
        words = labels or CertificateLabels()
        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.add_page()
        pdf.set_title(f"Certificate: {cert.learner_name}")
        pdf.set_creator("TSP training LMS")
        pdf.set_text_shaping(True)
        if labels is not None:
            self._fallbacks(pdf)
        width, height = pdf.w, pdf.h
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.8)
        pdf.rect(10, 10, width - 20, height - 20)
        pdf.set_line_width(0.2)
        pdf.rect(13, 13, width - 26, height - 26)

        def line(text: str, size: float, y: float, bold: bool = False, color=INK, font_file: str | None = None) -> None:
            family = "name" if font_file else ("body-bold" if bold else "body")
            self._font(pdf, family, font_file or (BODY_BOLD if bold else BODY_FONT), text)
            pdf.set_font_size(size)
            pdf.set_text_color(*color)
            pdf.set_xy(25, y)
            pdf.multi_cell(width - 50, size * 0.45, text, align="C")

        line(cert.organisation.upper(), 11, 24, color=MUTED)
        line(words.heading, 34, 38, bold=True, color=ACCENT)
        line(cert.kind_label, 15, 56, color=MUTED)
        line(words.certifies, 12, 72, color=MUTED)
        name_font = find_font_for(cert.learner_name, self.font_dirs)
        if name_font is None:
            missing = _needs(cert.learner_name)
            for name in NAME_FONTS:
                path = _find_file(name, self.font_dirs)
                if path:
                    missing -= _coverage(path)
            raise MissingGlyphs(cert.learner_name, "".join(sorted(chr(c) for c in missing)) or cert.learner_name)
        line(cert.learner_name, 30, 82, font_file=name_font.name)
        pdf.set_draw_color(*MUTED)
        pdf.line(width / 2 - 70, 101, width / 2 + 70, 101)
        line(words.completed, 12, 106, color=MUTED)
        line(cert.course_title, 16, 114, bold=True)
        details = words.details.format(date=words.date_text or cert.issued_on.strftime("%-d %B %Y"),
                                       hours=words.hours_text or f"{cert.study_hours:g}")
        line(details, 12, 140, color=INK)

        self._qr(pdf, url, x=width - 60, y=height - 62, size=36)
        footer = words.code_line.format(code=cert.code) + "\n" + words.check_line.format(url=url)
        self._font(pdf, "body", BODY_FONT, footer)
        pdf.set_font_size(9)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(25, height - 46)
        pdf.multi_cell(width - 100, 5, footer, align="L")
        return bytes(pdf.output())

    @staticmethod
    def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
        """The QR code as vector squares: sharp at any zoom, and a few hundred bytes."""
        qr = segno.make(url, error="m")
        rows = list(qr.matrix_iter(scale=1, border=0))
        cell = size / len(rows)
        pdf.set_fill_color(*INK)
        for r, row in enumerate(rows):
            start = None
            for c, dark in enumerate(list(row) + [0]):
                if dark and start is None:
                    start = c
                elif not dark and start is not None:
                    pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
                    start = None


def render_pdf(cert: CertificateData, verify_url: str, font_dirs: Sequence[str] | None = None,
               labels: CertificateLabels | None = None) -> bytes:
    """Render a certificate (in English unless `labels` are given); MissingGlyphs when no font can draw a text."""
    return FpdfRenderer(font_dirs).render(cert, verify_url, labels)
