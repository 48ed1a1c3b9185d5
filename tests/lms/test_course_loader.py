"""The course loader and `lms check-course`, on a valid course and every kind of broken one."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from lms.cli import cli
from lms.content.loader import check_course, load_course
from lms.content.model import CourseInvalid


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def errors(course_dir: Path) -> list[str]:
    _, problems = check_course(course_dir)
    return [p.format() for p in problems if p.severity == "error"]


def test_fixture_course_loads_in_order(course_dir):
    course = load_course(course_dir)
    assert [u.id for u in course.units] == ["core", "pilot", "refresher"]
    assert course.modules["basics"].lesson_ids == ["basics-one", "basics-two"]
    assert course.unit("refresher").opens_after_days == 180
    assert course.unit("core").quiz_id == "quiz-final"
    assert course.full_version.startswith("0.1+") and len(course.content_hash) == 12


def test_rendered_links_resolve_to_the_app(course_dir):
    one = load_course(course_dir).lessons["basics-one"].html
    assert "@@ROOT@@/learn/lessons/basics-two#top" in one
    assert "@@ROOT@@/learn/files/images/diagram.png" in one
    assert '<blockquote class="case">' in one


class Elements(HTMLParser):
    """The elements of an HTML fragment with their attributes, as a browser would build them."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)


HOSTILE = """
<p onclick="steal()" style="position:fixed">Styled paragraph</p>

[Scripted link](javascript:alert(1)) and <a href="javascript:alert(2)" onmouseover="steal()">raw link</a>

[Decorated link](https://example.org){: onclick="steal()" style="color:red" }

<iframe src="https://example.org/frame"></iframe>
"""


def test_lesson_html_keeps_no_script_handlers_styles_or_javascript_links(course_dir):
    """Authors are trusted, but a pasted snippet must not run in a learner's browser: whatever the Markdown
    library passes through, the sanitiser (nh3) leaves no script, event handler, style or javascript: URL."""
    lesson = course_dir / "modules/basics/two.md"
    lesson.write_text(lesson.read_text() + HOSTILE)
    html = load_course(course_dir).lessons["basics-two"].html
    elements = Elements(html)
    tags = [tag for tag, _ in elements.found]
    attributes = {name: value for _, attrs in elements.found for name, value in attrs.items()}
    assert "script" not in tags and "iframe" not in tags
    assert not [name for name in attributes if name.startswith("on") or name == "style"], attributes
    assert not [v for v in attributes.values() if v.replace(" ", "").lower().startswith("javascript:")], attributes
    text = "".join(elements.text)
    for kept in ("Styled paragraph", "raw link", "Decorated link"):  # the words survive; only the danger goes
        assert kept in text


def test_content_version_changes_with_content(course_dir):
    before = load_course(course_dir).full_version
    edit(course_dir / "modules/basics/one.md", "Sex is biological", "Sex is biological (reworded)")
    assert load_course(course_dir).full_version != before


@pytest.mark.parametrize("file, old, new, expected", [
    ("course.yaml", "units:", "units: [\n", "course.yaml:"),
    ("course.yaml", "version: \"0.1\"\n", "", "course.yaml:1: the manifest needs `version:`"),
    ("course.yaml", "kind: pilot", "kind: pilots", "course.yaml:15: unit kind 'pilots'"),
    ("course.yaml", "modules: [basics, practice]", "modules: [basics, practice, missing]", "course.yaml:11: module 'missing': file not found"),
    ("course.yaml", "title: \"Fixture course\"", "title: \"Fixture course\"\nauthor: me", "course.yaml:3: unknown manifest key 'author'"),
    ("modules/practice/only.md", "id: practice-only", "id: basics-one", "modules/practice/only.md:2: duplicate id 'basics-one'"),
    ("modules/practice/only.md", "id: practice-only", "id: Practice Only", "modules/practice/only.md:2: lesson id 'Practice Only' must be a slug"),
    ("modules/basics/module.md", "  - two.md", "  - three.md", "modules/basics/module.md:10: lesson file not found: modules/basics/three.md"),
    ("modules/basics/one.md", "title: Sex and gender", "title: [unclosed", "modules/basics/one.md:4: front matter: invalid YAML"),
    ("modules/basics/one.md", "---\n\nSex", "\nSex", "modules/basics/one.md:1: front matter: front matter starts with '---' but has no closing"),
    ("modules/basics/one.md", "minutes: 10", "minutes: 10\ncolour: red", "modules/basics/one.md:5: unknown front matter key 'colour'"),
    ("modules/basics/one.md", "(two.md#top)", "(missing.md)", "modules/basics/one.md:14: link 'missing.md' does not resolve"),
    ("modules/basics/one.md", "diagram.png", "nothing.png", "modules/basics/one.md:9: image '../../images/nothing.png' does not resolve"),
    ("modules/basics/one.md", "(two.md#top)", "(../../../outside.md)", "modules/basics/one.md:14: link '../../../outside.md' points outside"),
    ("modules/basics/quiz.md", "pass_mark: 60", "pass_mark: 160", "modules/basics/quiz.md:4:"),
    ("modules/basics/quiz.md", "- [x] Gender-blind {#blind}", "- [ ] Gender-blind {#blind}", "modules/basics/quiz.md:"),
    ("quizzes/final.md", "draw: 2", "draw: 9", "quizzes/final.md:"),
])
def test_broken_courses_name_file_and_line(course_dir, file, old, new, expected):
    edit(course_dir / file, old, new)
    found = errors(course_dir)
    assert any(line.startswith(expected) for line in found), found
    with pytest.raises(CourseInvalid):
        load_course(course_dir)


def test_missing_manifest(tmp_path):
    _, problems = check_course(tmp_path)
    assert [p.format() for p in problems] == ["course.yaml:1: the course folder has no course.yaml manifest"]


def test_stigmatising_terms_are_warnings_not_errors(course_dir):
    edit(course_dir / "modules/practice/only.md", "Do it.", "Do not call anyone a Junkie.")
    course, problems = check_course(course_dir)
    assert course is not None
    assert [p.format() for p in problems] == ["modules/practice/only.md:7: warning: stigmatising term 'Junkie': use person-first language"]


def test_check_course_command_exit_codes(course_dir):
    runner = CliRunner()
    ok = runner.invoke(cli, ["check-course", str(course_dir)])
    assert ok.exit_code == 0, ok.output
    assert "OK: Fixture course" in ok.output
    edit(course_dir / "modules/basics/module.md", "  - two.md", "  - three.md")
    bad = runner.invoke(cli, ["check-course", str(course_dir)])
    assert bad.exit_code == 1
    assert f"{course_dir}/modules/basics/module.md:10: lesson file not found" in bad.output


def test_app_refuses_to_start_on_invalid_course(course_dir, make_app):
    edit(course_dir / "modules/basics/module.md", "  - two.md", "  - three.md")
    with pytest.raises(CourseInvalid) as info:
        make_app(course_dir)
    assert "modules/basics/module.md:10: lesson file not found" in str(info.value)


GLOSSARY = """---
title: Glossary
---

## Naloxone

A medicine that reverses an opioid overdose.

## ART (antiretroviral therapy)

Medicines that treat HIV.
"""


def test_glossary_links_reach_the_term_and_a_missing_term_is_an_error(course_dir):
    (course_dir / "glossary.md").write_text(GLOSSARY)
    edit(course_dir / "modules/basics/one.md", "Sex is biological;",
         "Carry [naloxone](../../glossary.md#naloxone) and [ART](../../glossary.md#art-antiretroviral-therapy). Sex is biological;")
    course = load_course(course_dir)
    one = course.lessons["basics-one"].html
    assert '"@@ROOT@@/learn/glossary#naloxone"' in one and '"@@ROOT@@/learn/glossary#art-antiretroviral-therapy"' in one
    assert '<h2 id="naloxone">Naloxone</h2>' in course.glossary_html  # the anchor the link lands on
    edit(course_dir / "modules/basics/one.md", "glossary.md#naloxone", "glossary.md#naloxon")
    assert errors(course_dir) == ["modules/basics/one.md:7: link to glossary.md#naloxon: the glossary has no term with that anchor"]


def test_two_activities_in_a_row_stay_two_labelled_boxes(course_dir):
    edit(course_dir / "modules/basics/one.md", "> Rina runs outreach.\n",
         "> Rina runs outreach.\n\n> **Reflection**\n> What would you do?\n")
    html = load_course(course_dir).lessons["basics-one"].html
    assert html.count("<blockquote") == 2
    assert '<blockquote class="case">' in html and '<blockquote class="reflection">' in html


def test_a_list_right_under_a_line_of_text_is_a_list_as_in_commonmark():
    from lms.content.markdown import render

    html = render("**Bangladesh**\n- NSP since 1998\n  in Dhaka\n- methadone since 2010\n\nMonth 6:\n170. given to women\n")[0]
    assert "<p><strong>Bangladesh</strong></p>\n<ul>\n<li>NSP since 1998\n  in Dhaka</li>\n<li>methadone since 2010</li>" in html
    assert "<p>Month 6:\n170. given to women</p>" in html  # only a list starting at 1 may interrupt a paragraph
