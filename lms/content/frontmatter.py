"""YAML front matter with line numbers, for precise `file:line` messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass
class FrontMatter:
    """Parsed front matter: the data, the line of each key and list item, and the body."""

    data: dict[str, Any]
    body: str
    body_line: int  # 1-based line number of the first body line
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of a key, or of the n-th item of a list value; 1 when unknown."""
        if index is not None:
            lines = self.item_lines.get(key, [])
            if index < len(lines):
                return lines[index]
        return self.key_lines.get(key, 1)


class FrontMatterError(ValueError):
    """Front matter that is not valid YAML or not a mapping."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# Limits for files an author (or anyone who can write to the course folder) hands the checker:
# it must answer in a second with file:line, whatever the file holds.
MAX_MANIFEST_BYTES = 256 * 1024
MAX_MARKDOWN_BYTES = 1024 * 1024
MAX_DEPTH = 20
_SCANNER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_CLOSE = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def screen(text: str, offset: int = 0, syntax_errors: bool = True) -> None:
    """Refuse YAML that could take the parser minutes or its stack: anchors and aliases, deep nesting.

    Scanning (tokens only, no tree) is linear and stops at the first problem, so a "billion laughs"
    alias bomb or 5,000 nested brackets are refused at once. Course files never need aliases:
    writing a value out twice is clearer for the next author.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_SCANNER):
            line = token.start_mark.line + 1 + offset
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise FrontMatterError(line, "YAML anchors and aliases (&name, *name) are not allowed in course files: "
                                             "write the value out")
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise FrontMatterError(line, f"YAML nested more than {MAX_DEPTH} levels deep")
            elif isinstance(token, _CLOSE):
                depth -= 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + offset) if mark is not None else offset + 1
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # libyaml's own limit (1,000), reached while it looks ahead
            raise FrontMatterError(line, f"YAML nested more than {MAX_DEPTH} levels deep") from None
        if not syntax_errors:  # the parser that reads this text reports its own syntax errors
            return
        raise FrontMatterError(line, f"invalid YAML: {problem}") from None


def front_matter_block(text: str) -> tuple[str, int] | None:
    """The raw front matter of a Markdown file and the line it starts on, or None when there is none."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), 1
    return None


def _lines_of(node: yaml.Node, offset: int) -> tuple[dict[str, int], dict[str, list[int]]]:
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines[key] = key_node.start_mark.line + 1 + offset
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = [item.start_mark.line + 1 + offset for item in value_node.value]
    return key_lines, item_lines


def path_lines(node: yaml.Node | None, offset: int = 0, path: tuple = ()) -> dict[tuple, int]:
    """The line of every key and list item, by path: ("units", 0, "modules", 2) -> line."""
    found: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = path + (str(key_node.value),)
            found[key_path] = key_node.start_mark.line + 1 + offset
            found.update(path_lines(value_node, offset, key_path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found[path + (index,)] = item.start_mark.line + 1 + offset
            found.update(path_lines(item, offset, path + (index,)))
    return found


def parse_yaml_mapping(text: str, offset: int = 0) -> tuple[dict[str, Any], dict[str, int], dict[str, list[int]]]:
    """Parse a YAML mapping; `offset` is added to every reported line."""
    screen(text, offset)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + offset) if mark is not None else offset + 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(line, f"invalid YAML: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(offset + 1, "expected a mapping of `key: value` lines")
    key_lines, item_lines = _lines_of(node, offset) if node is not None else ({}, {})
    return data, key_lines, item_lines


def split(text: str) -> FrontMatter:
    """Split `---` front matter from a Markdown body; a file without it has empty data."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return FrontMatter({}, text, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            raw = "".join(lines[1:index])
            data, key_lines, item_lines = parse_yaml_mapping(raw, offset=1)
            body = "".join(lines[index + 1:])
            return FrontMatter(data, body, index + 2, key_lines, item_lines)
    raise FrontMatterError(1, "front matter starts with '---' but has no closing '---' line")
