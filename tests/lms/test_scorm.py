"""The SCORM packages (1.2 and 2004 4th Edition): manifests valid against the ADL schemas, LOM metadata, every file
in the zip listed, no dead link inside, the control files at the root, no quiz answers inside."""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from lxml import etree

from lms.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NS12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}
NS2004 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
          "imsss": "http://www.imsglobal.org/xsd/imsss", "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
          "lom": "http://ltsc.ieee.org/xsd/LOM"}
NS = {"1.2": NS12, "2004": NS2004}
WRAPPERS = {
    "1.2": ["http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd",
            "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"],
    "2004": ["http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd", "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd",
             "http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd", "http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd",
             "http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd", "http://ltsc.ieee.org/xsd/LOM lom.xsd"],
}
EXTRA_FILES = {"handouts/checklist.pdf": b"%PDF-1.4 a handout", ".DS_Store": b"junk", "images/.hidden.png": b"x",
               "images/unused.png": b"x", "modules/basics/.notes.md.swp": b"x"}


class SchemaFiles(etree.Resolver):
    """Serve the ADL/IMS schema files from the test fixtures (never the network); ims_xml.xsd without the
    default-namespace declaration libxml2 refuses; the W3C xml.xsd from ADL's copy."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):
        if url == "http://www.w3.org/2001/xml.xsd":
            return self.resolve_filename(str(self.folder / "xml.xsd"), context)
        path = Path(url.removeprefix("file://"))
        if not path.is_file():
            path = self.folder / Path(url).name
        text = path.read_text(encoding="utf-8-sig")
        if path.name == "ims_xml.xsd":
            text = text.replace(' xmlns="http://www.w3.org/XML/1998/namespace"', "")
        return self.resolve_string(text.encode(), context, base_url=str(path))


def schema(version: str) -> etree.XMLSchema:
    folder = FIXTURES / ("scorm2004" if version == "2004" else "scorm12")
    imports = "".join(f'<xsd:import namespace="{pair.split()[0]}" schemaLocation="{pair.split()[1]}"/>'
                      for pair in WRAPPERS[version])
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wrapper">{imports}</xsd:schema>'
    parser = etree.XMLParser(load_dtd=False, no_network=True)
    parser.resolvers.add(SchemaFiles(folder))
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=str(folder / "wrapper.xsd")))


@pytest.fixture
def app(make_app, course_dir):
    """The fixture course, plus files a package must not carry, and links to a module and to a handout."""
    for rel, data in EXTRA_FILES.items():
        (course_dir / rel).parent.mkdir(exist_ok=True)
        (course_dir / rel).write_bytes(data)
    lesson = course_dir / "modules" / "basics" / "two.md"
    lesson.write_text(lesson.read_text() + "\nSee [the practice module](../practice/module.md), and [the checklist](../../handouts/checklist.pdf).\n")
    return make_app(course_dir)


def build(app, tmp_path, *args: str) -> zipfile.ZipFile:
    out = tmp_path / "course.zip"
    env = {"LMS_SECRET_KEY": "k", "LMS_DATABASE_URL": app.config["DATABASE_URL"], "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = CliRunner().invoke(cli, ["export", "scorm", "-o", str(out), *args], env=env)
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(out)


def package(app, tmp_path, version: str) -> zipfile.ZipFile:
    return build(app, tmp_path, "--version", version) if version == "2004" else build(app, tmp_path)


def manifest(zipped: zipfile.ZipFile):
    return etree.fromstring(zipped.read("imsmanifest.xml"))


VERSIONS = pytest.mark.parametrize("version", ["1.2", "2004"])


@VERSIONS
def test_manifest_is_valid_against_the_adl_schemas(app, tmp_path, version):
    document = manifest(package(app, tmp_path, version))
    validator = schema(version)
    assert validator.validate(document), validator.error_log
    schemaversion = document.findtext("cp:metadata/cp:schemaversion", namespaces=NS[version])
    assert schemaversion == ("2004 4th Edition" if version == "2004" else "1.2")


@VERSIONS
def test_the_schema_check_can_fail(app, tmp_path, version):
    document = manifest(package(app, tmp_path, version))
    document.remove(document.find("cp:organizations", NS[version]))  # a manifest must have its organizations
    assert not schema(version).validate(document)


def references(folder_files: dict[str, bytes], name: str) -> list[str]:
    text = re.sub(rb"<!--.*?-->", b"", folder_files[name], flags=re.S)
    found = re.findall(rb'schemaLocation\s*=\s*"([^"]+)"|<!DOCTYPE[^>]*"([^"]+\.dtd)"|<!ENTITY[^>]*SYSTEM\s+"([^"]+)"', text)
    refs = []
    for groups in found:
        value = next(g for g in groups if g).decode().split()
        for ref in value[1::2] if len(value) > 1 else value:  # xsi:schemaLocation holds (namespace, file) pairs
            add_reference(refs, name, ref)
    return refs


def add_reference(refs: list[str], name: str, ref: str) -> None:
    if ref == "http://www.w3.org/2001/xml.xsd":  # imscp_v1p1.xsd imports it from the W3C; ADL ships a copy
        refs.append("xml.xsd")
    elif "://" not in ref:
        refs.append(posixpath.normpath(posixpath.join(posixpath.dirname(name), ref)))


@VERSIONS
def test_every_file_in_the_zip_is_listed_or_a_control_file_at_the_root(app, tmp_path, version):
    zipped = package(app, tmp_path, version)
    ns = NS[version]
    names = set(zipped.namelist())
    document = manifest(zipped)
    listed = set(document.xpath("//cp:resource/cp:file/@href", namespaces=ns))
    assert listed <= names  # and every listed file is there
    hrefs = set(document.xpath("//cp:resource/@href", namespaces=ns))
    assert hrefs <= listed
    # Control files: what the manifest's schemaLocation and metadata location name, and what those include or import.
    location = document.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    pending = location[1::2] + document.xpath("cp:metadata/adlcp:location/text()", namespaces=ns)
    control: set[str] = set()
    contents = {n: zipped.read(n) for n in names if n.endswith((".xsd", ".xml", ".dtd"))}
    while pending:
        name = pending.pop()
        assert name in names, f"{name} is named by the package but is not in it"
        if name not in control:
            control.add(name)
            pending.extend(references(contents, name))
    for name in location[1::2]:
        assert "/" not in name  # at the package root
        assert zipped.read(name) == (FIXTURES / ("scorm2004" if version == "2004" else "scorm12") / name).read_bytes()
    assert names == listed | control | {"imsmanifest.xml"}, names - listed - control
    assert not any(part.startswith(".") for n in names for part in n.split("/"))
    assert "files/images/unused.png" not in names and {"files/images/diagram.png", "files/handouts/checklist.pdf"} <= listed
    scos = document.xpath("//cp:resource[@adlcp:scormtype='sco' or @adlcp:scormType='sco']", namespaces=ns)
    assert len(scos) == len(app.extensions["lms.course"].lessons) == 5
    one = next(r for r in scos if r.get("href") == "lessons/basics-one.html")
    assert "files/images/diagram.png" in one.xpath("cp:file/@href", namespaces=ns)  # listed with the page that shows it


@VERSIONS
def test_no_dead_links_inside_the_package(app, tmp_path, version):
    zipped = package(app, tmp_path, version)
    names = set(zipped.namelist())
    pages = {n: zipped.read(n).decode() for n in names if n.endswith(".html")}
    checked = 0
    for name, text in pages.items():
        assert "@@ROOT@@" not in text and "#module-" not in text and "/learn/" not in text
        for ref in re.findall(r'(?:href|src)="([^"]*)"', text):
            if "://" in ref or ref.startswith("mailto:"):
                continue
            path, _, fragment = ref.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            assert target in names, f"{name}: {ref} points at nothing in the package"
            if fragment and fragment != "top":  # "#top" is the top of the page in HTML
                assert f'id="{fragment}"' in pages[target], f"{name}: {ref} names no element"
            checked += 1
    assert checked > 10
    two = pages["lessons/basics-two.html"]
    assert '<a href="practice-only.html" rel="noopener noreferrer">the practice module</a>' in two  # a module: its first lesson
    assert '<a href="../files/handouts/checklist.pdf"' in two  # a handout is packed and linked
    one = pages["lessons/basics-one.html"]
    assert 'href="basics-two.html#top"' in one and 'src="../files/images/diagram.png"' in one


@VERSIONS
def test_lom_metadata(app, tmp_path, version):
    zipped = package(app, tmp_path, version)
    course = app.extensions["lms.course"]
    document = manifest(zipped)
    if version == "1.2":
        location = document.findtext("cp:metadata/adlcp:location", namespaces=NS12)
        record = etree.fromstring(zipped.read(location))
        folder = FIXTURES / "scorm12"
        imsmd = xmlschema.XMLSchema(str(folder / "imsmd_rootv1p2p1.xsd"), validation="lax",
                                    locations={"http://www.w3.org/XML/1998/namespace": str(folder / "ims_xml.xsd")})
        imsmd.validate(zipped.read(location).decode())  # raises on an invalid record
        get = {"title": "md:general/md:title/md:langstring", "language": "md:general/md:language",
               "description": "md:general/md:description/md:langstring", "version": "md:lifecycle/md:version/md:langstring",
               "time": "md:educational/md:typicallearningtime/md:datetime"}
        found = {k: record.findtext(v, namespaces=NS12) for k, v in get.items()}
    else:
        record = document.find("cp:metadata/lom:lom", NS2004)
        get = {"title": "lom:general/lom:title/lom:string", "language": "lom:general/lom:language",
               "description": "lom:general/lom:description/lom:string", "version": "lom:lifeCycle/lom:version/lom:string",
               "time": "lom:educational/lom:typicalLearningTime/lom:duration"}
        found = {k: record.findtext(v, namespaces=NS2004) for k, v in get.items()}
    minutes = sum(lesson.minutes for lesson in course.lessons.values())
    assert found == {"title": "Fixture course", "language": "en", "description": found["description"],
                     "version": course.full_version, "time": f"PT{minutes}M"}
    assert "Fixture course" in found["description"] and minutes > 0


def test_2004_sequencing_keeps_the_course_order(app, tmp_path):
    document = manifest(package(app, tmp_path, "2004"))
    course = app.extensions["lms.course"]
    order = [r[len("res-"):] for r in document.xpath("//cp:item/@identifierref", namespaces=NS2004)]
    assert order == [lid for u in course.units for m in u.module_ids for lid in course.modules[m].lesson_ids]
    clusters = document.xpath("//cp:organization | //cp:item[cp:item]", namespaces=NS2004)
    assert len(clusters) == 1 + 3 + 4  # the organisation, units, modules
    for cluster in clusters:
        mode = cluster.find("imsss:sequencing/imsss:controlMode", NS2004)
        assert mode.get("flow") == "true"
        assert cluster.find("imsss:sequencing/adlseq:constrainedChoiceConsiderations", NS2004).get("preventActivation") == "true"
    for leaf in document.xpath("//cp:item[@identifierref]", namespaces=NS2004):
        assert leaf.find("imsss:sequencing/imsss:deliveryControls", NS2004).get("completionSetByContent") == "true"


@VERSIONS
def test_no_quiz_content_is_packed(app, tmp_path, version):
    zipped = package(app, tmp_path, version)
    everything = b"".join(zipped.read(n) for n in zipped.namelist())
    assert b"Right: it ignores gender." not in everything and b"q-basics-blind" not in everything


def test_unknown_version_is_refused(app, tmp_path):
    env = {"LMS_SECRET_KEY": "k", "LMS_DATABASE_URL": app.config["DATABASE_URL"], "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = CliRunner().invoke(cli, ["export", "scorm", "-o", str(tmp_path / "x.zip"), "--version", "1.3"], env=env)
    assert result.exit_code != 0 and "1.3" in result.output and not (tmp_path / "x.zip").exists()
