"""`check` is total: mutations of the real policies never raise and every problem is positioned (hypothesis).

Each example takes one real policy (or the lexicon) and applies a few mutations at random places:
bytes that are not UTF-8, control characters, YAML line breaks editors do not show (U+0085,
U+2028), anchors and aliases, deep nesting, tabs, stray `: `/`- `/quotes, deleted or duplicated
lines, long texts. The mutated file stays under the loader's 1 MB limit (bounded input size), and
the whole test runs in a few seconds.
"""

from __future__ import annotations

import pathlib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitebuild import load
from sitebuild.check import capped_lines

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "providers").glob("*.yaml"))
TEXTS = {p.name: p.read_bytes() for p in SOURCES}

#: Snippets inserted at random places: each once broke (or could break) the checker or its positions.
SNIPPETS = [
    b"\x00",
    b"\x1b[31m",
    b"\x07",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    "\u0085".encode(),
    "\u2028".encode(),
    "\u2029".encode(),
    "\ufeff".encode(),
    b"\t",
    b"\r",
    b"\r\n",
    b": ",
    b"- ",
    b"'",
    b'"',
    b"&a ",
    b"*a",
    b"&a x\n*a",
    b"<<: *a",
    b"[" * 40,
    b"{" * 40,
    b"]" * 3,
    b"!!python/object:os.system ",
    b"!!binary ",
    b"? ",
    b"|",
    b">-",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b"#",
    b"\\",
    b"x" * 3000,
    b"\n" + b" " * 30,
    b"</title><script>alert(1)</script>",
    b"javascript:alert(1)",
    b"https://x.ru/)[u](javascript:1)",
    b"yes",
    b"no",
    b"0x1F",
    b"2026-02-30",
    b"~",
    b"null",
    b"@",
    b"`",
]

LINE = re.compile(r"providers/[^:]+\.yaml:(\d+):(\d+): \S.*: expected .+, got .+")


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """edits: (kind, position, which); kind 0 inserts a snippet, 1 deletes a line, 2 repeats a line,
    3 swaps two neighbouring lines, 4 deletes a span of bytes."""
    for kind, where, which in edits:
        at = where % (len(data) + 1)
        if kind == 0:
            data = data[:at] + SNIPPETS[which % len(SNIPPETS)] + data[at:]
            continue
        lines = data.split(b"\n")
        i = at % len(lines)
        if kind == 1:
            del lines[i]
        elif kind == 2:
            lines.insert(i, lines[i])
        elif kind == 3 and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif kind == 4:
            data = data[:at] + data[at + 1 + which % 200 :]
            continue
        data = b"\n".join(lines)
    return data


EDITS = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**6), st.integers(0, 10**4)), min_size=1, max_size=6)


@settings(deadline=None, max_examples=250, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(sorted(TEXTS)), edits=EDITS)
def test_check_never_raises_and_positions_every_problem(name, edits, tmp_path_factory):
    data = mutate(TEXTS[name], edits)
    assert len(data) < load.MAX_FILE_BYTES
    providers = tmp_path_factory.mktemp("fuzz") / "providers"
    providers.mkdir()
    path = providers / name
    path.write_bytes(data)
    loaded = load.load(path, f"providers/{name}", providers)  # must not raise
    lines = data.decode("utf-8", errors="replace")
    count = len(re.split(r"\r\n|\n|\r", lines))
    for line in capped_lines(loaded.problems)[:-1]:
        if line.startswith("… и ещё "):
            continue
        match = LINE.fullmatch(line)
        assert match, line
        assert 1 <= int(match.group(1)) <= count, line
        assert "<unicode string>" not in line and "internal error" not in line, line
    if loaded.data is None:
        assert loaded.problems


def _pure(path, display, base):
    saved = load.FAST_LOADER
    load.FAST_LOADER = None
    try:
        return load.load(path, display, base)
    finally:
        load.FAST_LOADER = saved


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(sorted(TEXTS)), edits=EDITS)
def test_the_libyaml_path_reads_exactly_what_the_pure_python_path_reads(name, edits, tmp_path_factory):
    """load.py composes with libyaml when it can and falls back to the pure-Python loader otherwise: data,
    problems (messages, line:col) and positions are the same either way."""
    providers = tmp_path_factory.mktemp("fast") / "providers"
    providers.mkdir()
    path = providers / name
    path.write_bytes(mutate(TEXTS[name], edits))
    assert load.load(path, f"providers/{name}", providers) == _pure(path, f"providers/{name}", providers)
