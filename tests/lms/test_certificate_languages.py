"""The certificate in the learner's language: translated words, shaped script, dates and numbers her way."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest

from tests.lms.test_certificates import earn_core

WORDS = {  # a few words of each draft catalog that the certificate must show
    "bn": ["সনদ", "সম্পন্ন করেছেন", "কোর প্রশিক্ষণ সম্পন্ন"],
    "hi": ["प्रमाणपत्र", "कोर प्रशिक्षण पूरा किया"],
    # pdftotext gives Khmer clusters with a subscript consonant in visual order, so pick words without one
    "km": ["វិញ្ញាបនបត្រនេះបញ្ជាក់ថា", "បានបញ្ចប់", "ការសិក្សា"],
    "fil": ["Sertipiko", "Pinatutunayan nito na si", "Nakumpleto ang core training"],
}


def text_of(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", out))


@pytest.mark.parametrize("language", WORDS)
def test_the_pdf_is_drawn_in_the_learners_language(app, client, auth, tmp_path, language):
    cert = earn_core(app, client, auth)
    client.get(f"/language/{language}")
    response = client.get(f"/certificates/{cert.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.get_data(), tmp_path)
    for word in WORDS[language]:
        assert unicodedata.normalize("NFC", word).replace(" ", "") in text, (language, word)
    assert cert.code in text


def test_english_certificate_is_unchanged(app, client, auth, tmp_path):
    cert = earn_core(app, client, auth)
    text = text_of(client.get(f"/certificates/{cert.id}.pdf").get_data(), tmp_path)
    for shown in ("Certificate", "Thiscertifiesthat", "hascompleted", "Coretrainingcompleted", "hoursofstudy", "Certificatecode:"):
        assert shown in text
