"""The SCORM 1.2 package: a manifest valid against the ADL schemas, every lesson a SCO, no quiz answers inside."""
from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from lms.cli import cli

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "scorm12"
WRAPPER = b"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wrapper">
  <xsd:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2" schemaLocation="imscp_rootv1p1p2.xsd"/>
  <xsd:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2" schemaLocation="adlcp_rootv1p2.xsd"/>
</xsd:schema>"""


class SchemaFiles(etree.Resolver):
    """Serve the ADL/IMS schema files; ims_xml.xsd without the default-namespace declaration libxml2 refuses."""

    def resolve(self, url, pubid, context):
        name = Path(url).name
        text = (SCHEMAS / name).read_text(encoding="utf-8-sig")
        if name == "ims_xml.xsd":
            text = text.replace(' xmlns="http://www.w3.org/XML/1998/namespace"', "")
        return self.resolve_string(text.encode(), context)


def schema() -> etree.XMLSchema:
    parser = etree.XMLParser()
    parser.resolvers.add(SchemaFiles())
    return etree.XMLSchema(etree.fromstring(WRAPPER, parser, base_url=str(SCHEMAS / "wrapper.xsd")))


def build(app, tmp_path) -> zipfile.ZipFile:
    out = tmp_path / "course.zip"
    env = {"LMS_SECRET_KEY": "k", "LMS_DATABASE_URL": app.config["DATABASE_URL"], "LMS_COURSE_DIR": app.config["COURSE_DIR"]}
    result = CliRunner().invoke(cli, ["export", "scorm", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(out)


def test_manifest_is_valid_scorm_12(app, tmp_path):
    package = build(app, tmp_path)
    document = etree.fromstring(package.read("imsmanifest.xml"))
    validator = schema()
    assert validator.validate(document), validator.error_log


def test_every_lesson_is_a_sco_with_its_files(app, tmp_path):
    package = build(app, tmp_path)
    names = set(package.namelist())
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    document = etree.fromstring(package.read("imsmanifest.xml"))
    scos = document.xpath("//cp:resource[@adlcp:scormtype='sco']", namespaces=ns)
    assert len(scos) == len(app.extensions["lms.course"].lessons) == 5
    for resource in document.xpath("//cp:resource", namespaces=ns):
        for file in resource.xpath("cp:file/@href", namespaces=ns):
            assert file in names
    assert "files/images/diagram.png" in names
    page = package.read("lessons/basics-one.html").decode()
    assert 'href="basics-two.html#top"' in page and 'src="../files/images/diagram.png"' in page
    assert "@@ROOT@@" not in page and "LMSSetValue" in package.read("lessons/scorm.js").decode()


def test_no_quiz_content_is_packed(app, tmp_path):
    package = build(app, tmp_path)
    everything = b"".join(package.read(n) for n in package.namelist())
    assert b"Right: it ignores gender." not in everything and b"q-basics-blind" not in everything


def test_the_schema_check_can_fail(app, tmp_path):
    document = etree.fromstring(build(app, tmp_path).read("imsmanifest.xml"))
    organizations = document.find("{http://www.imsproject.org/xsd/imscp_rootv1p1p2}organizations")
    document.remove(organizations)  # a manifest must have its organizations
    assert not schema().validate(document)
