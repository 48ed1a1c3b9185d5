"""SCORM content packages of the course (SCORM 1.2, and SCORM 2004 4th Edition), so an organisation can load the
lessons into its own LMS.

Each lesson is a SCO that reports its time and its completion to the LMS's runtime (assets/sco.js). Quizzes are
left out on purpose: a package runs in the learner's browser, and this course never sends correct answers there.
The package carries, at its root, the ADL control files (schemas) its manifest names, and nothing unlisted.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from lms.content.model import Course
from lms.interop.scorm import manifest, metadata
from lms.interop.scorm.pages import build_pages, page_name

ASSETS = Path(__file__).parent / "assets"
SCHEMAS = Path(__file__).parent / "schemas"
STYLE = Path(__file__).resolve().parents[2] / "web" / "static" / "style.css"
VERSIONS = ("1.2", "2004")
_REFERENCE = re.compile(rb'(?:schemaLocation\s*=\s*"([^"]+)")|(?:<!DOCTYPE[^>]*"([^"]+\.dtd)")|(?:<!ENTITY[^>]*SYSTEM\s+"([^"]+)")')
_XML_XSD = "http://www.w3.org/2001/xml.xsd"  # imscp_v1p1.xsd imports the xml namespace from here; ADL ships it


def control_files(folder: Path, roots: list[str]) -> list[str]:
    """The schema files the manifest names, with everything they include, import or reference (DTDs), relative paths."""
    found: list[str] = []
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found or not (folder / name).is_file():
            continue
        found.append(name)
        base = Path(name).parent
        text = re.sub(rb"<!--.*?-->", b"", (folder / name).read_bytes(), flags=re.S)  # commented-out imports do not count
        for groups in _REFERENCE.findall(text):
            value = next(g for g in groups if g).decode().split()
            for ref in value[1::2] if len(value) > 1 else value:  # xsi:schemaLocation: (namespace, file) pairs
                if ref == _XML_XSD:
                    pending.append("xml.xsd")
                elif "://" not in ref:
                    pending.append((base / ref).as_posix())
    return sorted(found)


def write_package(course: Course, out: BinaryIO, version: str = "1.2") -> None:
    """Write the zip: manifest, control files, one page per lesson, the stylesheet and runtime, the files they use."""
    if version not in VERSIONS:
        raise ValueError(f"SCORM version {version!r}: choose one of {', '.join(VERSIONS)}")
    tag = "2004" if version == "2004" else "1.2"
    pages = build_pages(course, tag)
    if version == "2004":
        document, schemas, folder = manifest.manifest_2004(course, pages), manifest.V2004_SCHEMAS, SCHEMAS / "scorm2004"
        extra: dict[str, bytes] = {}
    else:
        document, schemas, folder = manifest.manifest_12(course, pages), manifest.V12_SCHEMAS, SCHEMAS / "scorm12"
        extra = {manifest.METADATA_FILE: metadata.imsmd_record(course)}
        schemas = {**schemas, metadata.IMSMD: "imsmd_rootv1p2p1.xsd"}  # named by metadata.xml
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", document)
        for name, data in extra.items():
            package.writestr(name, data)
        for name in control_files(folder, list(schemas.values())):
            package.write(folder / name, name)
        package.write(STYLE, "lessons/style.css")
        package.write(ASSETS / "sco.js", "lessons/sco.js")
        files: set[str] = set()
        for page in pages:
            package.writestr(page_name(page.lesson.id), page.html)
            files.update(page.files)
        for rel in sorted(files):
            package.write(course.path / rel, f"files/{rel}")
