"""Masking recall and false positives over the corpus in tests/data/secrets/ (one row per case)."""

from __future__ import annotations

import pathlib

import pytest
import yaml

from triage import secrets

DATA = pathlib.Path(__file__).resolve().parent / "data" / "secrets"
SECRET_ROWS = yaml.safe_load((DATA / "secrets.yaml").read_text(encoding="utf-8"))
ORDINARY_ROWS = yaml.safe_load((DATA / "ordinary.yaml").read_text(encoding="utf-8"))
MIN_RECALL = 0.98


def _leaked(row: dict) -> list[str]:
    masked = secrets.mask(row["text"])
    return [value for value in row["secrets"] if value in masked]


def test_corpus_sizes():
    assert len(SECRET_ROWS) >= 100 and len(ORDINARY_ROWS) >= 100
    for row in SECRET_ROWS:
        assert set(row) <= {"text", "secrets", "keep"} and row["secrets"], row
        assert all(value in row["text"] for value in row["secrets"] + row.get("keep", [])), row
    assert all(set(row) == {"text"} for row in ORDINARY_ROWS)


def test_recall():
    missed = [(row["text"], leaked) for row in SECRET_ROWS if (leaked := _leaked(row))]
    recall = 1 - len(missed) / len(SECRET_ROWS)
    assert recall >= MIN_RECALL, f"recall {recall:.1%}; missed:\n" + "\n".join(map(repr, missed))


@pytest.mark.parametrize("row", [r for r in SECRET_ROWS if r.get("keep")], ids=lambda r: f"{SECRET_ROWS.index(r):03d}")
def test_masking_keeps_labels_and_logins(row):
    masked = secrets.mask(row["text"])
    for value in row["keep"]:
        assert value in masked, (row["text"], masked)


@pytest.mark.parametrize("row", ORDINARY_ROWS, ids=[f"{i:03d}" for i in range(len(ORDINARY_ROWS))])
def test_no_false_positive(row):
    assert secrets.mask(row["text"]) == row["text"]


def _megabyte(unit: str) -> str:
    return (unit * (1_000_000 // len(unit) + 1))[:1_000_000]


#: 1 MB strings that would make a backtracking or quadratic matcher hang: many labels without values, many
#: distinct values (repeat search), one huge run of digit groups, of random-looking characters, a key block
#: with no END line, token prefixes over and over. Each: (text, a string the masked text must not contain, or
#: None if the text has no secret and must come back unchanged).
ADVERSARIAL = {
    "labels": (_megabyte("пароль от "), None),
    "distinct_values": ("".join(f"пароль: X{i}y " for i in range(80_000))[:1_000_000], "X50000y"),
    "digit_groups": (_megabyte("4111 1111 1111 1111 "), "4111"),
    "path_like_run": (_megabyte("Aa1/"), None),
    "key_without_end": (_megabyte("-----BEGIN RSA PRIVATE KEY-----\n"), "-----"),
    "token_prefixes": (_megabyte("eyJaaaaaaaa."), "eyJaaaaaaaa.eyJaaaaaaaa."),
    "cards_and_codes": (_megabyte("карта 4111111111111111 срок действия 12/27 CVV 123 "), "123 "),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_masking_a_megabyte_finishes(name):
    text, gone = ADVERSARIAL[name]
    masked = secrets.mask(text)
    if gone is None:
        assert masked == text
    else:
        assert gone not in masked
