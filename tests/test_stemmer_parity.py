"""triage/text.py's hand-written Russian stemmer agrees with Snowball (the `snowballstemmer` package)
on every Cyrillic word of every policy and every test data file."""

from __future__ import annotations

import pathlib
import re

import snowballstemmer

from triage.text import stem

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [
        *(ROOT / "providers").glob("*.yaml"),
        *(p for p in (ROOT / "tests" / "data").rglob("*") if p.is_file() and p.suffix in {".yaml", ".expected"}),
    ]
)
WORD = re.compile(r"[а-яё]+")


def words() -> list[str]:
    found: set[str] = set()
    for path in SOURCES:
        found.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace").lower()))
    return sorted(found)


def test_the_word_list_is_large():
    assert len(SOURCES) >= 10 and len(words()) >= 2000


def test_stem_matches_snowball_on_every_word_of_the_policies_and_test_data():
    snowball = snowballstemmer.stemmer("russian")
    differ = [
        (word, stem(word), snowball.stemWord(word.replace("ё", "е")))
        for word in words()
        if stem(word) != snowball.stemWord(word.replace("ё", "е"))
    ]
    assert not differ, f"{len(differ)} word(s) stem differently (word, ours, Snowball): {differ[:20]}"
