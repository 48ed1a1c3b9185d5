"""Certificates: signed, human-friendly codes and PDF rendering. Pure Python: nothing from Flask or the app."""
from .codes import ALPHABET, CertificateError, InvalidCode, code_is_authentic, new_code, normalize_code
from .pdf import CertificateData, CertificateLabels, FpdfRenderer, MissingGlyphs, PdfRenderer, find_font_for, render_pdf, verify_url

__all__ = [
    "ALPHABET", "CertificateData", "CertificateLabels", "CertificateError", "FpdfRenderer", "InvalidCode", "MissingGlyphs", "PdfRenderer",
    "code_is_authentic", "find_font_for", "new_code", "normalize_code", "render_pdf", "verify_url",
]
