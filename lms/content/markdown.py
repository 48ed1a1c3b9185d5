"""Markdown to sanitized HTML (Python-Markdown + nh3), with every relative link and image passed to a resolver."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

#: Placeholder for the application root in rendered links; replaced per request
#: (a plain string replace), so HTML can be rendered once per content version.
ROOT = "@@ROOT@@"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "blockquote": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    **{h: {"id"} for h in HEADINGS},
}
BLOCK_LABELS = {"case": "case", "reflection": "reflection", "activity": "activity", "key point": "key-point"}

# (href, line, is_image) -> (new href, problem or None)
Resolver = Callable[[str, int, bool], tuple[str, str | None]]

# Inline links and images, and reference definitions: where each target is written in the source.
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)


def slug(text: str) -> str:
    """The anchor of a heading: lower case, punctuation dropped, spaces to hyphens (Unicode letters kept)."""
    return slugify_unicode(text, "-")


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_external(href: str) -> bool:
    """Links with a scheme, protocol-relative links, and in-page anchors are not checked (nh3 drops unsafe schemes)."""
    return bool(_SCHEME.match(href)) or href.startswith(("#", "//"))


def _source_lines(text: str, line_offset: int) -> dict[str, list[int]]:
    """Each link target, with the lines it is written on, in order."""
    lines: dict[str, list[int]] = defaultdict(list)
    for match in _LINK_TARGET.finditer(text):
        target = match.group(1) or match.group(2)
        lines[target].append(text.count("\n", 0, match.start()) + 1 + line_offset)
    return lines


class _Links(Treeprocessor):
    """Resolves relative links and images; labels activity blockquotes (Case, Reflection, ...)."""

    def __init__(self, md: markdown.Markdown, resolve: Resolver | None, lines: dict[str, list[int]], default_line: int):
        super().__init__(md)
        self.resolve, self.lines, self.default_line = resolve, lines, default_line
        self.problems: list[tuple[int, str]] = []

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "blockquote":
                self._label(element)
            elif element.tag in ("a", "img"):
                self._link(element, "href" if element.tag == "a" else "src")

    def _label(self, blockquote: ET.Element) -> None:
        first = next(iter(blockquote), None)
        if first is None:
            return
        text = "".join(first.itertext()).lstrip("*_ ").lower()
        for label, css in BLOCK_LABELS.items():
            if text.startswith(label):
                blockquote.set("class", css)
                return

    def _link(self, element: ET.Element, attr: str) -> None:
        if element.tag == "img":
            element.set("loading", "lazy")
        target = element.get(attr) or ""
        if self.resolve is None or is_external(target):
            return
        seen = self.lines.get(target)
        line = seen.pop(0) if seen else self.default_line
        new_target, problem = self.resolve(target, line, element.tag == "img")
        if problem:
            self.problems.append((line, problem))
        element.set(attr, new_target)


_SPLIT = "@@LMS-SPLIT@@"


class _SeparateBlockquotes(Preprocessor):
    """A blank line ends a blockquote (as in CommonMark): two activities in a row stay two boxes.

    Python-Markdown would merge `> Case` and `> Reflection` separated by a blank line into one.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for index, line in enumerate(lines):
            if (line.startswith(">") and index >= 2 and not lines[index - 1].strip()
                    and lines[index - 2].startswith(">")):
                out.extend([_SPLIT, ""])
            out.append(line)
        return out


_QUOTE = re.compile(r"^(?:>\s?)*")
_INTERRUPTING_ITEM = re.compile(r"^ {0,3}(?:[-*+]|1[.)])\s+\S")  # what CommonMark lets interrupt a paragraph
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])\s+\S")


class _ListsInterruptParagraphs(Preprocessor):
    """A list written right under a line of text starts a list, as in CommonMark.

    Python-Markdown wants a blank line first and would run the items into the paragraph
    ("Bangladesh - CARE has run ..."); authors write for CommonMark, so the blank line is added.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_list = False
        previous = ""
        for line in lines:
            prefix = _QUOTE.match(line).group(0)  # type: ignore[union-attr]
            body, before = line[len(prefix):], previous[len(_QUOTE.match(previous).group(0)):]  # type: ignore[union-attr]
            same_box = prefix.replace(" ", "") == _QUOTE.match(previous).group(0).replace(" ", "")  # type: ignore[union-attr]
            if not body.strip():
                in_list = in_list and bool(prefix)
            elif _ITEM.match(body):
                if (not in_list and same_box and before.strip() and _INTERRUPTING_ITEM.match(body)
                        and not before.startswith(("#", "|", "    "))):
                    out.append(prefix.rstrip())
                in_list = True
            elif not body.startswith(" ") and not previous.strip():
                in_list = False
            out.append(line)
            previous = line
        return out


class _NoRawHtml(Extension):
    """Authors write Markdown, not HTML: raw HTML is shown as text (nh3 would strip it anyway)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802  (Python-Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(_SeparateBlockquotes(md), "lms-blockquotes", 5)
        md.preprocessors.register(_ListsInterruptParagraphs(md), "lms-lists", 4)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "abbr", "attr_list", "sane_lists", "toc", _NoRawHtml()],
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        tab_length=2,  # nested lists are indented by two spaces in this course, as in CommonMark
    )


def render(text: str, resolve: Resolver | None = None, line_offset: int = 0) -> tuple[str, list[tuple[int, str]]]:
    """Render Markdown; returns (safe HTML, [(line, problem)]) from the resolver."""
    md = _converter()
    links = _Links(md, resolve, _source_lines(text, line_offset), line_offset + 1)
    md.treeprocessors.register(links, "lms-links", 1)  # after inline patterns have made the links
    html = md.convert(text).replace(f"<p>{_SPLIT}</p>", "")
    safe = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return safe, links.problems


def heading_ids(html: str) -> set[str]:
    """The anchors a rendered page offers."""
    return set(re.findall(r'<h[2-6] id="([^"]+)"', html))
