"""A SCORM 1.2 content package of the course, so an organisation can load the lessons into its own LMS.

Each lesson is a SCO that reports itself completed when opened. Quizzes are left out on purpose:
a package runs in the learner's browser, and this course never sends correct answers there.
"""
from __future__ import annotations

import html
import zipfile
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree as ET

from lms.content.markdown import ROOT
from lms.content.model import Course

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
STATIC = Path(__file__).parent.parent / "web" / "static"

API_SCRIPT = """(function () {
  function find(win) {
    for (var i = 0; win && i < 10; i++) { if (win.API) return win.API; if (win.parent === win) break; win = win.parent; }
    return null;
  }
  var api = find(window) || (window.opener && find(window.opener));
  if (!api) return;
  api.LMSInitialize("");
  if (api.LMSGetValue("cmi.core.lesson_status") !== "completed") {
    api.LMSSetValue("cmi.core.lesson_status", "completed");
  }
  api.LMSCommit("");
  window.addEventListener("unload", function () { api.LMSFinish(""); });
})();
"""

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="style.css"></head>
<body><main id="main"><p class="crumbs">{module}</p><article class="prose"><h1>{title}</h1>{body}</article></main>
<script src="scorm.js"></script></body></html>
"""


def _page_name(lesson_id: str) -> str:
    return f"lessons/{lesson_id}.html"


def _portable(course: Course, body: str) -> str:
    """Links between lessons become links between package pages; course images are packed alongside."""
    for lesson_id in course.lessons:
        body = body.replace(f"{ROOT}/learn/lessons/{lesson_id}", f"{lesson_id}.html")
    return body.replace(f"{ROOT}/learn/files/", "../files/").replace(f"{ROOT}/learn/modules/", "#module-")


def manifest(course: Course) -> bytes:
    """imsmanifest.xml: one organisation, units > modules > lessons; every lesson a SCO."""
    ET.register_namespace("", IMSCP)
    ET.register_namespace("adlcp", ADLCP)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{IMSCP}}}manifest", {
        "identifier": f"{course.id}-{course.content_hash}", "version": course.version,
        f"{{{XSI}}}schemaLocation": f"{IMSCP} imscp_rootv1p1p2.xsd {ADLCP} adlcp_rootv1p2.xsd",
    })
    metadata = ET.SubElement(root, f"{{{IMSCP}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    organizations = ET.SubElement(root, f"{{{IMSCP}}}organizations", {"default": f"org-{course.id}"})
    organization = ET.SubElement(organizations, f"{{{IMSCP}}}organization", {"identifier": f"org-{course.id}"})
    ET.SubElement(organization, f"{{{IMSCP}}}title").text = course.title
    resources = ET.SubElement(root, f"{{{IMSCP}}}resources")
    for unit in course.units:
        unit_item = ET.SubElement(organization, f"{{{IMSCP}}}item", {"identifier": f"unit-{unit.id}"})
        ET.SubElement(unit_item, f"{{{IMSCP}}}title").text = unit.title
        for module in course.unit_modules(unit):
            module_item = ET.SubElement(unit_item, f"{{{IMSCP}}}item", {"identifier": f"module-{module.id}"})
            ET.SubElement(module_item, f"{{{IMSCP}}}title").text = module.title
            for lesson in course.module_lessons(module.id):
                item = ET.SubElement(module_item, f"{{{IMSCP}}}item",
                                     {"identifier": f"item-{lesson.id}", "identifierref": f"res-{lesson.id}"})
                ET.SubElement(item, f"{{{IMSCP}}}title").text = lesson.title
                resource = ET.SubElement(resources, f"{{{IMSCP}}}resource", {
                    "identifier": f"res-{lesson.id}", "type": "webcontent", f"{{{ADLCP}}}scormtype": "sco",
                    "href": _page_name(lesson.id)})
                ET.SubElement(resource, f"{{{IMSCP}}}file", {"href": _page_name(lesson.id)})
                ET.SubElement(resource, f"{{{IMSCP}}}dependency", {"identifierref": "res-shared"})
    shared = ET.SubElement(resources, f"{{{IMSCP}}}resource",
                           {"identifier": "res-shared", "type": "webcontent", f"{{{ADLCP}}}scormtype": "asset"})
    for name in ("lessons/style.css", "lessons/scorm.js"):
        ET.SubElement(shared, f"{{{IMSCP}}}file", {"href": name})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_package(course: Course, out: BinaryIO) -> None:
    """Write the zip: manifest, one HTML page per lesson, the stylesheet, the API script, course images."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", manifest(course))
        package.writestr("lessons/style.css", (STATIC / "style.css").read_text())
        package.writestr("lessons/scorm.js", API_SCRIPT)
        for lesson in course.lessons.values():
            module = course.modules[lesson.module_id]
            page = PAGE.format(lang=html.escape(course.language), title=html.escape(lesson.title),
                               module=html.escape(module.title), body=_portable(course, lesson.html))
            package.writestr(_page_name(lesson.id), page)
        for path in sorted(course.path.rglob("*")):
            rel = path.relative_to(course.path).as_posix()
            if path.is_file() and not rel.endswith((".md", ".yaml")) and not rel.startswith("."):
                package.write(path, f"files/{rel}")
