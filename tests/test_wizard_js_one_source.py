"""The wizard's JavaScript displays the engine's field plan: no field label, placeholder or field order of its own.

Labels, placeholders and the order of the detail fields live in triage/vocab.py and triage/draft.py and reach the
page in every answer (draft.fields); a copy in the JS would drift from them (issue 8, "one source per fact").
"""

from __future__ import annotations

import pathlib
import re

import pytest

from triage.vocab import DESCRIPTION_FIELDS, IDENTIFIERS, OTHER_FIELDS, PLACEHOLDERS

ROOT = pathlib.Path(__file__).resolve().parents[1]
WIZARD_JS = sorted((ROOT / "docs" / "assets" / "javascripts" / "wizard").glob("*.js"))
LABELS = sorted(
    {
        *IDENTIFIERS.values(),
        *OTHER_FIELDS.values(),
        *(label for fields in DESCRIPTION_FIELDS.values() for label in fields.values()),
    }
)
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def literals(path: pathlib.Path) -> set[str]:
    return set(LITERAL.findall(path.read_text(encoding="utf-8")))


def test_the_wizard_modules_are_found():
    assert len(WIZARD_JS) >= 10, WIZARD_JS


@pytest.mark.parametrize("path", WIZARD_JS, ids=lambda p: p.name)
def test_no_field_label_or_placeholder_is_copied_into_js(path):
    found = literals(path)
    copied = sorted(label for label in LABELS if label in found)
    assert not copied, f"{path.name} repeats field labels of triage/vocab.py: {copied}"
    placeholders = sorted(p for p in PLACEHOLDERS.values() if p and p in found)
    assert not placeholders, f"{path.name} repeats placeholders of triage/vocab.py: {placeholders}"
