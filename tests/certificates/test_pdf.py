"""Certificate PDFs: names in four scripts come out as text (shaped, not boxes); no font, a clear error."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from certificates import CertificateData, MissingGlyphs, find_font_for, new_code, render_pdf, verify_url

NAMES = {
    "Bengali": "সুমাইয়া আক্তার",
    "Khmer": "សុខ ចាន់ធី",
    "Devanagari": "प्रिया शर्मा",
    "Latin with diacritics": "Nguyễn Thị Hồng Peñaflor",
}
NOTO = "/usr/share/fonts/truetype/noto"


def certificate(name: str) -> CertificateData:
    return CertificateData(code=new_code(b"k"), learner_name=name, course_title="Gender-inclusive harm reduction",
                           kind_label="Core training completed", issued_on=date(2026, 11, 25), study_hours=7.5,
                           organisation="TSP Training Programme")


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (.ci/run does)")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(autouse=True)
def fonts_installed():
    if not Path(NOTO, "NotoSansBengali-Regular.ttf").is_file():
        pytest.fail("fonts-noto-core is not installed (apt-get install fonts-noto-core; .ci/run does)")


@pytest.mark.parametrize("script", NAMES)
def test_names_in_each_script_come_out_as_text(script, tmp_path):
    name = NAMES[script]
    cert = certificate(name)
    url = verify_url("https://lms.example.org/", cert.code)
    text = unicodedata.normalize("NFC", pdftotext(render_pdf(cert, url), tmp_path))
    # pdftotext may put a space inside a Devanagari cluster whose vowel sign is drawn before its consonant
    # (प्रि|या); the glyphs map back to the same characters in the same order, so compare without spaces.
    assert unicodedata.normalize("NFC", name).replace(" ", "") in re.sub(r"\s+", "", text)
    for shown in ("Gender-inclusive harm reduction", "Core training completed", "25 November 2026", "7.5 hours",
                  "TSP TRAINING PROGRAMME", cert.code, url):
        assert shown in text


def test_the_name_font_matches_the_script():
    assert find_font_for(NAMES["Bengali"], [NOTO]).name == "NotoSansBengali-Regular.ttf"
    assert find_font_for(NAMES["Khmer"], [NOTO]).name == "NotoSansKhmer-Regular.ttf"
    assert find_font_for(NAMES["Devanagari"], [NOTO]).name == "NotoSansDevanagari-Regular.ttf"
    assert find_font_for(NAMES["Latin with diacritics"], [NOTO]).name == "NotoSans-Regular.ttf"


def test_a_name_no_font_covers_is_a_clear_error_not_boxes(tmp_path):
    only_latin = tmp_path / "fonts"
    only_latin.mkdir()
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(Path(NOTO, name), only_latin / name)
    cert = certificate(NAMES["Bengali"])
    with pytest.raises(MissingGlyphs) as info:
        render_pdf(cert, "https://x/verify/1", font_dirs=[str(only_latin)])
    assert "সু"[0] in info.value.chars and "BENGALI" in str(info.value)
    assert "install fonts-noto-core" in str(info.value)


def test_the_qr_code_is_drawn_from_the_verify_url(tmp_path):
    import segno

    cert = certificate("Ana")
    url = verify_url("https://lms.example.org", cert.code)
    pdf = render_pdf(cert, url)
    modules = sum(sum(row) for row in segno.make(url, error="m").matrix_iter(scale=1, border=0))
    assert modules > 100
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.fail("zbarimg and pdftoppm are needed to read the QR code back: apt-get install zbar-tools poppler-utils")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert decoded.stdout.strip() == url
    assert len(pdf) < 200_000
