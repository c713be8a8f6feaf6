"""Hints for the YAML traps writers fall into: what YAML did with the text, and the fix (quotes)."""

from __future__ import annotations

import re

import yaml

QUOTE_IT = "put the whole text in quotes"

#: What an unquoted value starting with this character means to YAML.
_LEADING = {
    "*": "a text that starts with * is read as a reference to an anchor (*name)",
    "&": "a text that starts with & is read as an anchor name (&name)",
    "!": "a text that starts with ! is read as a tag (!name)",
    "@": "@ cannot start an unquoted text in YAML",
    "`": "` cannot start an unquoted text in YAML",
    "%": "% cannot start an unquoted text in YAML (it starts a directive)",
    "[": "a text that starts with [ is read as a list",
    "{": "a text that starts with { is read as a mapping",
    '"': "a text that starts with a quote must end with the same quote",
    "'": "a text that starts with a quote must end with the same quote",
    "|": "| starts a block of text on the following lines",
    ">": "> starts a folded block of text on the following lines",
}

_VALUE_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s:#][^:#]*?:\s+)?(\S)")


def syntax_hint(text: str, line: int, problem: str, context: str | None) -> str:
    """' (hint)' for a YAML syntax error at a 1-based line, or ''."""
    lines = text.splitlines()
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    if context and "flow mapping" in context and "':'" in problem:
        return f" (an unquoted ': ' inside a text in {{...}} ends the text; {QUOTE_IT}: {{text: \"ошибка: 502\", ...}})"
    match = _VALUE_START.match(raw)
    if match and match.group(1) in _LEADING:
        return f" ({_LEADING[match.group(1)]}; {QUOTE_IT})"
    return ""


def unknown_key_hint(parent: yaml.MappingNode, value: yaml.Node) -> str:
    """A key with no value inside {...}: a comma in an unquoted text split it."""
    if parent.flow_style and isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and value.value == "":
        return (
            " (a comma inside an unquoted text in {...} splits the text; "
            f'{QUOTE_IT}: {{text: "ошибка 502, сайт лежит", ...}})'
        )
    return ""


def number_hint(value: str) -> str:
    """Why a phone-like number must be quoted."""
    if re.fullmatch(r"[+]?0\d+|\+\d+", value):
        return f'YAML drops the leading {value[0]} of a number; write "{value}" in quotes'
    if re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", value):
        return f'YAML 1.1 reads unquoted {value} as a number of minutes; write "{value}" in quotes'
    return f'write "{value}" in quotes if it is text'


def list_hint(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode) and node.style is None and node.value.startswith("-"):
        return " (a list item needs a space after '-')"
    return ""


def comment_cuts(root: yaml.Node) -> list[tuple[yaml.ScalarNode, str]]:
    """Plain texts followed on the same line by ' #...': YAML took the rest of the line as a comment."""
    out = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _key, value in node.value)
        elif isinstance(node, yaml.ScalarNode) and node.style is None and node.value:
            mark = node.end_mark
            if mark.buffer is None:
                continue
            end = mark.buffer.find("\n", mark.pointer)
            rest = mark.buffer[mark.pointer : end if end >= 0 else None]  # the rest of the text's line
            cut = re.match(r"[ \t]+(#[^\s#].*)$", rest)
            if cut:
                out.append((node, cut.group(1)))
    return out
