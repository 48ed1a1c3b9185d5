"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th Edition.

One organisation, units > modules > lessons, every lesson a SCO. Each SCO's resource lists its page and the course
files the page uses, and depends on one shared asset resource (stylesheet, runtime script), so every file in the
package is listed. The 2004 manifest adds sequencing that keeps the course order.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

from lms.content.model import Course
from lms.interop.scorm import metadata
from lms.interop.scorm.pages import Page, page_name

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SHARED = ("lessons/style.css", "lessons/sco.js")
METADATA_FILE = "metadata.xml"

V12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
V12_SCHEMAS = {V12["cp"]: "imscp_rootv1p1p2.xsd", V12["adlcp"]: "adlcp_rootv1p2.xsd"}
V2004 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
         "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
         "imsss": "http://www.imsglobal.org/xsd/imsss", "lom": metadata.LOM}
V2004_SCHEMAS = {V2004["cp"]: "imscp_v1p1.xsd", V2004["adlcp"]: "adlcp_v1p3.xsd", V2004["adlseq"]: "adlseq_v1p3.xsd",
                 V2004["adlnav"]: "adlnav_v1p3.xsd", V2004["imsss"]: "imsss_v1p0.xsd", V2004["lom"]: "lom.xsd"}


class _Writer:
    def __init__(self, ns: dict[str, str]):
        self.ns = ns
        for prefix, uri in ns.items():
            ET.register_namespace("" if prefix == "cp" else prefix, uri)
        ET.register_namespace("xsi", XSI)

    def q(self, name: str) -> str:
        prefix, _, local = name.rpartition(":")
        return f"{{{self.ns[prefix or 'cp']}}}{local}"

    def sub(self, parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, self.q(name), {self.q(k) if ":" in k else k: v for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element


def _tree(w: _Writer, course: Course, organization: ET.Element, after_items=None) -> None:
    """Units > modules > lessons as items, in course order; `after_items(item)` adds what follows an item's children."""
    for unit in course.units:
        modules = [m for m in course.unit_modules(unit) if m.lesson_ids]
        if not modules:
            continue
        unit_item = w.sub(organization, "item", identifier=f"unit-{unit.id}")
        w.sub(unit_item, "title", unit.title)
        for module in modules:
            module_item = w.sub(unit_item, "item", identifier=f"module-{module.id}")
            w.sub(module_item, "title", module.title)
            for lesson in course.module_lessons(module.id):
                item = w.sub(module_item, "item", identifier=f"item-{lesson.id}", identifierref=f"res-{lesson.id}")
                w.sub(item, "title", lesson.title)
                if after_items:
                    after_items(item, leaf=True)
            if after_items:
                after_items(module_item, leaf=False)
        if after_items:
            after_items(unit_item, leaf=False)


def _resources(w: _Writer, root: ET.Element, pages: list[Page], scorm_type: str) -> None:
    resources = w.sub(root, "resources")
    for page in pages:
        name = page_name(page.lesson.id)
        resource = w.sub(resources, "resource", identifier=f"res-{page.lesson.id}", type="webcontent", href=name,
                         **{f"adlcp:{scorm_type}": "sco"})
        w.sub(resource, "file", href=name)
        for rel in page.files:
            w.sub(resource, "file", href=f"files/{rel}")
        w.sub(resource, "dependency", identifierref="res-shared")
    shared = w.sub(resources, "resource", identifier="res-shared", type="webcontent", **{f"adlcp:{scorm_type}": "asset"})
    for name in SHARED:
        w.sub(shared, "file", href=name)


def _root(w: _Writer, course: Course, schemas: dict[str, str]) -> ET.Element:
    location = " ".join(f"{uri} {file}" for uri, file in schemas.items())
    return ET.Element(w.q("manifest"), {"identifier": f"{course.id}-{course.content_hash}", "version": course.version,
                                        f"{{{XSI}}}schemaLocation": location})


def manifest_12(course: Course, pages: list[Page]) -> bytes:
    w = _Writer(V12)
    root = _root(w, course, V12_SCHEMAS)
    meta = w.sub(root, "metadata")
    w.sub(meta, "schema", "ADL SCORM")
    w.sub(meta, "schemaversion", "1.2")
    w.sub(meta, "adlcp:location", METADATA_FILE)
    organizations = w.sub(root, "organizations", default=f"org-{course.id}")
    organization = w.sub(organizations, "organization", identifier=f"org-{course.id}")
    w.sub(organization, "title", course.title)
    _tree(w, course, organization)
    _resources(w, root, pages, "scormtype")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _sequencing(w: _Writer, parent: ET.Element, leaf: bool) -> None:
    """Clusters: flow in course order, and no jumping ahead by choice into a part not yet begun.
    Lessons: the SCO reports its own completion."""
    sequencing = w.sub(parent, "imsss:sequencing")
    if leaf:
        w.sub(sequencing, "imsss:deliveryControls", completionSetByContent="true", objectiveSetByContent="false")
        return
    w.sub(sequencing, "imsss:controlMode", choice="true", flow="true")
    w.sub(sequencing, "adlseq:constrainedChoiceConsiderations", preventActivation="true")


def manifest_2004(course: Course, pages: list[Page]) -> bytes:
    w = _Writer(V2004)
    root = _root(w, course, V2004_SCHEMAS)
    meta = w.sub(root, "metadata")
    w.sub(meta, "schema", "ADL SCORM")
    w.sub(meta, "schemaversion", "2004 4th Edition")
    meta.append(metadata.lom_element(course))
    organizations = w.sub(root, "organizations", default=f"org-{course.id}")
    organization = w.sub(organizations, "organization", identifier=f"org-{course.id}",
                         **{"adlseq:objectivesGlobalToSystem": "false"})
    w.sub(organization, "title", course.title)
    _tree(w, course, organization, lambda item, leaf: _sequencing(w, item, leaf))
    _sequencing(w, organization, leaf=False)
    _resources(w, root, pages, "scormType")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
