"""LOM metadata of the package: title, description, language, version and typical learning time.

SCORM 1.2 takes IMS Meta-data 1.2.1 in a file of its own, named by `adlcp:location` in the manifest (the ADL
schema for it cannot be loaded by libxml2, so keeping it out of the manifest keeps the manifest checkable by
common validators). SCORM 2004 takes IEEE LOM inline in the manifest's metadata.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

import yaml

from lms.content.model import Course

IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def description(course: Course) -> str:
    """The manifest's `description`, or one made from the course's units."""
    try:
        manifest = yaml.safe_load((course.path / "course.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        manifest = {}
    text = " ".join(str(manifest.get("description") or "").split())
    if text:
        return text
    units = ", ".join(u.title for u in course.units)
    by = f" from {course.organisation}" if course.organisation else ""
    return f"The lessons of {course.title}{by} ({units}): {len(course.lessons)} lessons, quizzes excluded."


def learning_time(course: Course) -> str:
    """The lessons' reading time as an ISO 8601 duration."""
    minutes = sum(lesson.minutes or 0 for lesson in course.lessons.values())
    hours, minutes = divmod(minutes, 60)
    return f"PT{hours}H{minutes}M" if hours else f"PT{minutes}M"


def _sub(parent: ET.Element, ns: str, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def imsmd_record(course: Course) -> bytes:
    """metadata.xml for SCORM 1.2: an IMS Meta-data 1.2.1 <lom> record."""
    ET.register_namespace("", IMSMD)
    ET.register_namespace("xsi", XSI)
    lang = course.language
    lom = ET.Element(f"{{{IMSMD}}}lom", {f"{{{XSI}}}schemaLocation": f"{IMSMD} imsmd_rootv1p2p1.xsd"})
    general = _sub(lom, IMSMD, "general")
    _sub(_sub(general, IMSMD, "title"), IMSMD, "langstring", course.title, **{XML_LANG: lang})
    _sub(general, IMSMD, "language", lang)
    _sub(_sub(general, IMSMD, "description"), IMSMD, "langstring", description(course), **{XML_LANG: lang})
    lifecycle = _sub(lom, IMSMD, "lifecycle")
    _sub(_sub(lifecycle, IMSMD, "version"), IMSMD, "langstring", course.full_version)
    _sub(_sub(lom, IMSMD, "metametadata"), IMSMD, "metadatascheme", "ADL SCORM 1.2")
    educational = _sub(lom, IMSMD, "educational")
    _sub(_sub(educational, IMSMD, "typicallearningtime"), IMSMD, "datetime", learning_time(course))
    return ET.tostring(lom, encoding="utf-8", xml_declaration=True)


def lom_element(course: Course) -> ET.Element:
    """An IEEE LOM <lom> element for the SCORM 2004 manifest's metadata."""
    lang = course.language
    lom = ET.Element(f"{{{LOM}}}lom")
    general = _sub(lom, LOM, "general")
    _sub(_sub(general, LOM, "title"), LOM, "string", course.title, language=lang)
    _sub(general, LOM, "language", lang)
    _sub(_sub(general, LOM, "description"), LOM, "string", description(course), language=lang)
    _sub(_sub(_sub(lom, LOM, "lifeCycle"), LOM, "version"), LOM, "string", course.full_version)
    meta = _sub(lom, LOM, "metaMetadata")
    _sub(meta, LOM, "metadataSchema", "LOMv1.0")
    _sub(meta, LOM, "metadataSchema", "SCORM_CAM_v1.3")
    educational = _sub(lom, LOM, "educational")
    _sub(_sub(educational, LOM, "typicalLearningTime"), LOM, "duration", learning_time(course))
    return lom
