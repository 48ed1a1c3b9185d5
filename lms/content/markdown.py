"""Markdown to sanitized HTML, with every relative link and image passed to a resolver."""
from __future__ import annotations

from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

#: Placeholder for the application root in rendered links; replaced per request
#: (a plain string replace), so HTML can be rendered once per content version.
ROOT = "@@ROOT@@"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "blockquote": {"class"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
BLOCK_LABELS = {"case": "case", "reflection": "reflection", "activity": "activity", "key point": "key-point"}

# (href, line) -> (new href, problem or None)
Resolver = Callable[[str, int, bool], tuple[str, str | None]]

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def is_external(href: str) -> bool:
    """Links with a scheme, protocol-relative links, and in-page anchors are not checked."""
    return "://" in href or href.startswith(("mailto:", "tel:", "#", "//"))


def _label_blockquotes(tokens) -> None:
    for index, token in enumerate(tokens):
        if token.type != "blockquote_open":
            continue
        for follower in tokens[index + 1:index + 4]:
            if follower.type == "inline":
                text = follower.content.lstrip("*_ ").lower()
                for label, css in BLOCK_LABELS.items():
                    if text.startswith(label):
                        token.attrSet("class", css)
                break


def render(text: str, resolve: Resolver | None = None, line_offset: int = 0) -> tuple[str, list[tuple[int, str]]]:
    """Render Markdown; returns (safe HTML, [(line, problem)]) from the resolver."""
    tokens = _md.parse(text)
    problems: list[tuple[int, str]] = []
    _label_blockquotes(tokens)
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = (token.map[0] + 1 + line_offset) if token.map else line_offset + 1
        for child in token.children:
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if attr is None:
                continue
            if child.type == "image":
                child.attrSet("loading", "lazy")
            target = str(child.attrGet(attr) or "")
            if resolve is None or is_external(target):
                continue
            new_target, problem = resolve(target, line, child.type == "image")
            if problem:
                problems.append((line, problem))
            child.attrSet(attr, new_target)
    html = _md.renderer.render(tokens, _md.options, {})
    safe = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return safe, problems


def render_plain(text: str) -> str:
    """Render Markdown with no link resolution (learner-written text is never Markdown)."""
    return render(text)[0]
