"""Routing scenarios: the public situations (one test each) and the paraphrase set (one accuracy test)."""

from __future__ import annotations

import copy
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from triage import Policy, triage

DATA = pathlib.Path(__file__).resolve().parent / "data"
PARAPHRASE_MIN_ACCURACY = 0.90


def _load(name: str) -> list[dict]:
    rows = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(rows, list) and rows, f"{name}: expected a non-empty list"
    return rows


def yes_no(answers: dict | None) -> dict[str, str]:
    """Unquoted `yes`/`no` in YAML 1.1 load as booleans; the engine's answers are the strings."""
    out = {}
    for key, value in (answers or {}).items():
        out[key] = "yes" if value is True else "no" if value is False else str(value)
    return out


def _kinds(expect: dict) -> list[str]:
    kind = expect["kind"]
    return [kind] if isinstance(kind, str) else list(kind)


_TRANSLIT = {
    **dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщыэюя",
            [
                "a",
                "b",
                "v",
                "g",
                "d",
                "e",
                "e",
                "zh",
                "z",
                "i",
                "y",
                "k",
                "l",
                "m",
                "n",
                "o",
                "p",
                "r",
                "s",
                "t",
                "u",
                "f",
                "kh",
                "ts",
                "ch",
                "sh",
                "shch",
                "y",
                "e",
                "yu",
                "ya",
            ],
            strict=True,
        )
    ),
    "ъ": "",
    "ь": "",
}


def _row_id(index: int, row: dict) -> str:
    """A readable ASCII id (pytest escapes non-ASCII ids): provider-NN-transliterated-text[answers]."""
    words = "".join(_TRANSLIT.get(c, c) for c in row["text"].lower())
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:50].rstrip("-")
    answers = "".join(f"[{k}={v}]" for k, v in yes_no(row.get("answers")).items())
    return f"{row['provider']}-{index:02d}-{slug}{answers}"


def check(policies: dict[str, Policy], row: dict) -> tuple[bool, str]:
    """Route one row; (passed, what happened)."""
    expect = row["expect"]
    result = triage(policies[row["provider"]], row["text"], yes_no(row.get("answers")))
    kind = result["channel"]["kind"]
    fields = result["draft"]["form"]
    problems = []
    if kind not in _kinds(expect):
        problems.append(f"kind {kind!r} not in {_kinds(expect)}")
    for key in ("department", "priority"):
        if key in expect and fields.get(key) != expect[key]:
            problems.append(f"{key} {fields.get(key)!r} != {expect[key]!r}")
    topic = result["topic"]["id"] if result["topic"] else None
    return not problems, f"topic={topic} channel={result['channel']['id']}: " + ("; ".join(problems) or "ok")


PUBLIC = _load("scenarios_public.yaml")
PARAPHRASES = _load("paraphrases.yaml")


def test_yes_no_booleans_are_mapped():
    raw = yaml.safe_load("{panel_access: yes, call_ok: no, other: maybe}")
    assert raw == {"panel_access": True, "call_ok": False, "other": "maybe"}
    assert yes_no(raw) == {"panel_access": "yes", "call_ok": "no", "other": "maybe"}


@pytest.mark.parametrize("row", PUBLIC, ids=[_row_id(i, r) for i, r in enumerate(PUBLIC, 1)])
def test_public_scenario(policies, row):
    passed, detail = check(policies, row)
    assert passed, f"{row['provider']}: {row['text']!r} -> {detail} (source: {row.get('source')})"


def test_paraphrase_accuracy(policies):
    misses = []
    for row in PARAPHRASES:
        passed, detail = check(policies, row)
        if not passed:
            misses.append(f"  {row['provider']}: {row['text']!r} {yes_no(row.get('answers')) or ''} -> {detail}")
    accuracy = 1 - len(misses) / len(PARAPHRASES)
    report = (
        f"paraphrase accuracy {accuracy:.3f} ({len(PARAPHRASES) - len(misses)}/{len(PARAPHRASES)}), "
        f"{len(misses)} miss(es):\n" + "\n".join(misses)
    )
    print(report)
    assert accuracy >= PARAPHRASE_MIN_ACCURACY, report


# --- Routing rules: regressions for the rule matcher (not phrase tuning) -----------------------------


def _with(policies, pid: str, edit) -> Policy:
    raw = copy.deepcopy(policies[pid].raw)
    edit(raw)
    return Policy({"format": 1, "policy": raw, "lexicon": list(policies[pid].synonyms)})


def test_rule_with_single_answer_string_is_not_a_substring_match(policies):
    """`when: {q: "not_sure"}` must not fire for the answer "no" (a string is one answer, not a list)."""

    def edit(raw):
        raw["questions"].append(
            {
                "id": "sure",
                "text": "Уверены?",
                "options": [{"value": "no", "label": "Нет"}, {"value": "not_sure", "label": "Не знаю"}],
                "default": "no",
            }
        )
        raw["routing"]["rules"].append(
            {"when": {"sure": "not_sure"}, "channel": "chat", "reason": "Если не уверены, напишите в чат."}
        )

    policy = _with(policies, "spaceweb", edit)
    assert triage(policy, "не работает почта", {"sure": "no"})["channel"]["kind"] == "ticket"
    assert triage(policy, "не работает почта", {"sure": "not_sure"})["channel"]["kind"] == "chat"


def test_rule_on_question_without_default(policies):
    """A question may have no default (the schema allows it): an unanswered one must not crash routing."""

    def edit(raw):
        raw["questions"].append(
            {
                "id": "vip",
                "text": "Вы VIP?",
                "options": [{"value": "yes", "label": "Да"}, {"value": "no", "label": "Нет"}],
            }
        )
        raw["routing"]["rules"].append({"when": {"vip": "yes"}, "channel": "phone", "reason": "VIP звонят."})

    policy = _with(policies, "spaceweb", edit)
    result = triage(policy, "не работает почта")
    assert result["channel"]["kind"] == "ticket"
    assert "vip" in {q["id"] for q in result["questions"]}
    assert triage(policy, "не работает почта", {"vip": "yes"})["channel"]["kind"] == "phone"


# --- Determinism: the same routing in every process ---------------------------------------------------

_ROUTE_ALL = r"""
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
import yaml
from sitebuild import load_and_compile
from triage import Policy, triage
pol = {k: Policy(v) for k, v in load_and_compile(root / "providers")[0].items()}
out = []
for name in ("scenarios_public.yaml", "paraphrases.yaml"):
    for r in yaml.safe_load((root / "tests" / "data" / name).read_text(encoding="utf-8")):
        a = {k: "yes" if v is True else "no" if v is False else str(v) for k, v in (r.get("answers") or {}).items()}
        res = triage(pol[r["provider"]], r["text"], a)
        out.append([res["channel"]["id"], res["topic"] and res["topic"]["id"],
                    [[c["id"], c["score"]] for c in res["candidates"]], res["draft"]["text"]])
print(json.dumps(out, ensure_ascii=False))
"""


def test_routing_does_not_depend_on_the_hash_seed():
    """String hashing differs per process (PYTHONHASHSEED); the answer must not (e.g. typo correction)."""
    root = pathlib.Path(__file__).resolve().parents[1]
    outputs = {}
    for seed in ("0", "2", "6"):
        proc = subprocess.run(
            [sys.executable, "-c", _ROUTE_ALL, str(root)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == 0, proc.stderr
        outputs[seed] = json.loads(proc.stdout)
    first = outputs["0"]
    for seed, out in outputs.items():
        diffs = [
            f"{row['text']!r}: {a[:2]} / {b[:2]}"
            for row, a, b in zip(PUBLIC + PARAPHRASES, first, out, strict=True)
            if a != b
        ]
        assert not diffs, f"PYTHONHASHSEED={seed} routes differently:\n" + "\n".join(diffs[:10])
