"""load.py's libyaml path (sitebuild/load.py `_compose_fast`) gives the very node tree the pure-Python loader gives
(tags, values, styles, marks), or hands the text back to it: checked on every fixture and on many small random
documents built from YAML's tricky pieces (flow collections, '?', ':', tags, block scalars, comments, anchors)."""

from __future__ import annotations

import pathlib
import random

import pytest
import yaml

from sitebuild import load

ROOT = pathlib.Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "tests" / "data").rglob("*.yaml")) + sorted((ROOT / "providers").glob("*.yaml"))
PIECES = [
    *"ab: -?,[]{}#'\"\n\n  |>!&*%@`.",
    *["ж", "\r\n", ": ", "- ", "? ", "\n  ", "\n- ", "---", "...", "\\", "x:y", "1", "0x1", "~", "&a ", "*a"],
    *["key: ", "текст", " #c", '"q\\""', "'s'''", "|\n", ">-\n", "|2\n", "{a: b, c: [d, e]}", "[x, y]", "ё", "😀"],
    *["yes", "12:30", "+7 800", "2026-01-01", "\t", "\x85", "\u2028", "\ufeff", "\x00"],
]


def _pure(text: str):
    loader = load._Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        load._fix_marks(node, load.Lines(text))
    return node


def _tree(node) -> tuple:
    start = (node.start_mark.index, node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark.index if node.style is None else None  # yamltraps.comment_cuts reads a plain text's end
        return ("scalar", node.tag, node.value, node.style, start, end)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, bool(node.flow_style), start, tuple(_tree(n) for n in node.value))
    return ("map", node.tag, bool(node.flow_style), start, tuple((_tree(k), _tree(v)) for k, v in node.value))


def _same(text: str) -> bool:
    """True when the fast path is taken (and agrees), False when it hands the text back."""
    fast = load._compose_fast(text, load.Lines(text))
    if fast is False:
        return False
    pure = _pure(text)  # the fast path never accepts what the pure-Python loader refuses
    assert (fast is None) == (pure is None), repr(text)
    if fast is not None:
        assert _tree(fast) == _tree(pure), repr(text)
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_fixtures_compose_alike(path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    _same(text)


def test_the_shipped_policies_take_the_fast_path():
    for path in sorted((ROOT / "providers").glob("*.yaml")):
        assert _same(path.read_text(encoding="utf-8")), path.name


def test_random_documents_compose_alike_or_fall_back():
    rnd = random.Random(12)
    taken = 0
    for _ in range(20000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 25)))
        taken += _same(text)
    assert taken > 2000  # the comparison is not vacuous


@pytest.mark.parametrize(
    "text",
    [
        "a: !\n",
        "|#\n",
        "{? }\n",
        "{a: x?y}\n",
        "[a:b]\n",
        "a: &x 1\nb: *x\n",
        "a:\tb\n",
        "a: b\u2028c\n",
        "\ufeffa: b\n",
    ],
)
def test_what_the_parsers_read_otherwise_goes_the_pure_python_way(text):
    assert load._compose_fast(text, load.Lines(text)) is False
