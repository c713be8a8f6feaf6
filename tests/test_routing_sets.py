"""The routing data sets (tests/data/routing/{eval,dev}/<provider>.yaml) are well formed and kept apart."""

from __future__ import annotations

import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ROUTING = DATA / "routing"

KINDS = {"ticket", "email", "phone", "chat", "messenger", "self_service"}
INTENTS = {"problem", "question", "status", "complaint", "admin_change", "access"}
CLASSES = {
    "slang",
    "typo",
    "no_punct",
    "long_noise",
    "english",
    "translit",
    "negation",
    "severity",
    "degradation",
    "question",
    "status",
    "complaint",
    "admin",
    "access",
    "hacked",
    "presales",
    "plain",
}
PRIORITIES = {"normal", "high"}
DEPARTMENTS = {"technical", "financial"}
ROW_KEYS = {"provider", "text", "answers", "expect", "class", "source"}
EXPECT_KEYS = {"kind", "priority", "department", "intent"}
MIN_SIZE = {"eval": 200, "dev": 600}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _provider_facts() -> dict[str, tuple[set[str], set[str]]]:
    """{provider id: (channel kinds its policy has, ids of its questions)} from providers/*.yaml."""
    facts = {}
    for path in sorted((ROOT / "providers").glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
        kinds = {c["kind"] for c in raw["channels"]}
        facts[raw["provider"]["id"]] = (kinds, {q["id"] for q in raw.get("questions", [])})
    return facts


def _load_set(name: str) -> list[tuple[str, dict]]:
    rows = []
    for path in sorted((ROUTING / name).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
        assert isinstance(data, list) and data, f"{path}: expected a non-empty list of rows"
        rows += [(f"{path.relative_to(ROOT)}#{i}", row) for i, row in enumerate(data, 1)]
    return rows


def normalized(text: str) -> str:
    """Lower case, ё -> е, letters and digits only, single spaces: two texts equal here are one message."""
    return " ".join(re.findall(r"\w+", text.lower().replace("ё", "е")))


def _row_problems(where: str, row: dict, facts: dict) -> list[str]:
    if not isinstance(row, dict):
        return [f"{where}: expected a mapping"]
    problems = [f"{where}: unknown key {k!r}" for k in row if k not in ROW_KEYS]
    problems += [f"{where}: missing {k!r}" for k in ("provider", "text", "expect", "class", "source") if k not in row]
    if problems:
        return problems
    provider = row["provider"]
    if provider not in facts:
        return [f"{where}: unknown provider {provider!r}"]
    kinds, questions = facts[provider]
    if not isinstance(row["text"], str) or not row["text"].strip():
        problems.append(f"{where}: text must be a non-empty string")
    if not isinstance(row["source"], str) or not re.match(r"^00[0-4]: \S", row["source"]):
        problems.append(f"{where}: source must start with the seed number, e.g. '001: <sentence>'")
    for question, value in (row.get("answers") or {}).items():
        if question not in questions or value not in ("yes", "no"):
            problems.append(f"{where}: answers.{question}={value!r} (questions of {provider}: {sorted(questions)})")
    expect = row["expect"]
    if not isinstance(expect, dict):
        return problems + [f"{where}: expect must be a mapping"]
    problems += [f"{where}: expect.{k}: unknown key" for k in expect if k not in EXPECT_KEYS]
    kind = expect.get("kind")
    if not isinstance(kind, list) or not kind or len(set(kind)) != len(kind):
        problems.append(f"{where}: expect.kind must be a non-empty list without repeats")
    else:
        problems += [
            f"{where}: expect.kind {k!r} is not a channel kind of {provider}"
            for k in kind
            if k not in KINDS or k not in kinds
        ]
    if expect.get("intent") not in INTENTS:
        problems.append(f"{where}: expect.intent {expect.get('intent')!r} not in {sorted(INTENTS)}")
    if "priority" in expect and expect["priority"] not in PRIORITIES:
        problems.append(f"{where}: expect.priority {expect['priority']!r}")
    if "department" in expect and expect["department"] not in DEPARTMENTS:
        problems.append(f"{where}: expect.department {expect['department']!r}")
    classes = row["class"]
    if not isinstance(classes, list) or not classes or not set(classes) <= CLASSES or len(set(classes)) != len(classes):
        problems.append(f"{where}: class {classes!r} must be a non-empty list of {sorted(CLASSES)}")
    return problems


def test_sets_are_well_formed():
    facts = _provider_facts()
    sets = {name: _load_set(name) for name in ("eval", "dev")}
    problems = []
    for name, rows in sets.items():
        for where, row in rows:
            problems += _row_problems(where, row, facts)
        if len(rows) < MIN_SIZE[name]:
            problems.append(f"{name}: {len(rows)} rows, expected at least {MIN_SIZE[name]}")
        seen: dict[str, str] = {}
        for where, row in rows:
            key = normalized(str(row.get("text", "")))
            if key in seen:
                problems.append(f"{where}: same text as {seen[key]}")
            seen.setdefault(key, where)
        present = {(r.get("provider"), (r.get("expect") or {}).get("intent")) for _, r in rows}
        problems += [f"{name}: no row for provider {p}" for p in facts if p not in {p for p, _ in present}]
        problems += [f"{name}: no row with intent {i}" for i in INTENTS if i not in {i for _, i in present}]
        used = {c for _, r in rows for c in (r.get("class") or [])}
        problems += [f"{name}: no row of class {c}" for c in sorted(CLASSES - used)]
    dev_texts = {normalized(str(r.get("text", ""))): w for w, r in sets["dev"]}
    for where, row in sets["eval"]:
        twin = dev_texts.get(normalized(str(row.get("text", ""))))
        if twin:
            problems.append(f"{where}: the same text is in the development set ({twin})")
    # The evaluation set must not repeat the texts the policies and older sets were written from either.
    older = [
        row["text"]
        for name in ("scenarios_public.yaml", "paraphrases.yaml")
        for row in yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=LOADER)
    ]
    older_norm = {normalized(t) for t in older}
    problems += [
        f"{w}: text already in scenarios_public.yaml or paraphrases.yaml"
        for w, r in sets["eval"]
        if normalized(str(r.get("text", ""))) in older_norm
    ]
    assert not problems, "\n".join(problems)


def test_normalized_text_ignores_case_punctuation_and_yo():
    assert normalized("Всё  ЛЕЖИТ!!! срочно,") == normalized("все лежит срочно")
    assert normalized("сайт лежит") != normalized("сайт не лежит")


def test_a_bad_row_is_reported():
    facts = _provider_facts()
    row = {
        "provider": "landvps",
        "text": "x",
        "expect": {"kind": ["phone"], "intent": "gossip"},
        "class": ["plain"],
        "source": "002: ...",
    }
    problems = _row_problems("r", row, facts)
    assert any("'phone' is not a channel kind of landvps" in p for p in problems)
    assert any("intent 'gossip'" in p for p in problems)
