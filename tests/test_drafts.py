"""Table-driven draft cases: one YAML file per case in tests/data/drafts/ (adding a case needs no code).

A case file:

    about: what the case shows (one line, free text)
    input:
      provider: introserv            # required
      text: "сервер полностью недоступен"
      answers: {panel_access: "no"}  # optional; unquoted yes/no (YAML booleans) are mapped to "yes"/"no"
      details: {ip: 203.0.113.10}    # optional draft fields
      topic: service_down            # optional: a topic picked by hand
    expect:                          # every key is optional
      kind: ticket                   # draft channel kind
      channel: ticket                # draft channel id
      topic: service_down            # routed topic id (null: no topic recognised)
      subject: "..."                 # subject equals
      subject_contains: ["..."]
      subject_not: ["Помогите"]      # subject differs from each
      form: {department: technical, priority: high, service: null}     # ticket form values; null = absent
      values: {domain: bakery-demo.ru}   # draft.values (typed or recognised) equal
      recognised: [domain, login]        # exactly these fields were recognised in the text
      no_account: true                   # the customer has no account yet
      text: |                            # the whole plain-text draft (golden), exactly
        Тема: ...
      blocks: {identification: ["..."], authorization: ["..."], description: ["..."]}  # substrings
      blocks_not: {description: ["..."]}
      text_contains: ["..."]         # the whole plain-text draft
      text_not_contains: ["..."]
      prepare: ["..."]               # substrings of the routing's "what to prepare" list
      next: ["..."]                  # substrings of the routing's "what happens next" list
      warnings: [no_time]            # warning codes that must be present
      no_warnings: [secret]          # warning codes that must be absent
      field_errors: [ip]             # exactly these keys in draft.field_errors
      mailto: true                   # a mailto: URL is (true) / is not (false) present
      mailto_contains: ["support@introserv.com"]
      secrets: [password]            # exactly these kinds found (any field); [] = nothing flagged
      secret_values: ["Qwerty123"]   # must not appear anywhere in the JSON result nor in the decoded mailto
"""

from __future__ import annotations

import json
import pathlib
import urllib.parse

import pytest
import yaml

from triage import triage

CASES_DIR = pathlib.Path(__file__).resolve().parent / "data" / "drafts"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))

INPUT_KEYS = {"provider", "text", "answers", "details", "topic"}
EXPECT_KEYS = {
    "kind",
    "channel",
    "topic",
    "subject",
    "subject_contains",
    "subject_not",
    "form",
    "values",
    "recognised",
    "no_account",
    "text",
    "blocks",
    "blocks_not",
    "text_contains",
    "text_not_contains",
    "prepare",
    "next",
    "warnings",
    "no_warnings",
    "field_errors",
    "mailto",
    "mailto_contains",
    "secrets",
    "secret_values",
}
BLOCKS = {"identification", "authorization", "description"}


def _yes_no(value):
    return "yes" if value is True else "no" if value is False else value


def load_case(path: pathlib.Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), f"{path.name}: a case is a mapping"
    unknown = set(case) - {"about", "input", "expect"}
    assert not unknown, f"{path.name}: unknown top-level keys {sorted(unknown)}"
    assert set(case["input"]) <= INPUT_KEYS, (
        f"{path.name}: unknown input keys {sorted(set(case['input']) - INPUT_KEYS)}"
    )
    assert "provider" in case["input"], f"{path.name}: input.provider is required"
    assert set(case["expect"]) <= EXPECT_KEYS, (
        f"{path.name}: unknown expect keys {sorted(set(case['expect']) - EXPECT_KEYS)}"
    )
    for key in ("blocks", "blocks_not"):
        assert set(case["expect"].get(key) or {}) <= BLOCKS, f"{path.name}: {key} are {sorted(BLOCKS)}"
    return case


def test_there_are_enough_cases():
    assert len(CASE_FILES) >= 20, f"expected at least 20 draft cases in {CASES_DIR}, got {len(CASE_FILES)}"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_draft_case(policies, path):
    case = load_case(path)
    given, expect = case["input"], case["expect"]
    answers = {k: _yes_no(v) for k, v in (given.get("answers") or {}).items()}
    result = triage(
        policies[given["provider"]], given.get("text", ""), answers, given.get("details") or {}, given.get("topic")
    )
    draft = result["draft"]
    summary = (
        f"{path.name} ({case.get('about', '')}): routed to {result['channel']['id']} "
        f"[{draft['kind']}], topic {result['topic'] and result['topic']['id']}\n--- draft ---\n"
        f"{draft['text']}\n--- warnings: {[w['code'] for w in draft['warnings']]}, "
        f"field_errors: {sorted(draft['field_errors'])}, secrets: {draft['secrets']}"
    )
    problems: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    if "kind" in expect:
        need(draft["kind"] == expect["kind"], f"kind {draft['kind']!r} != {expect['kind']!r}")
    if "channel" in expect:
        got = draft["channel"]["id"]
        need(got == expect["channel"], f"channel {got!r} != {expect['channel']!r}")
    if "topic" in expect:
        got = result["topic"]["id"] if result["topic"] else None
        need(got == expect["topic"], f"topic {got!r} != {expect['topic']!r}")
    subject = draft["subject"]
    if "subject" in expect:
        need(subject == expect["subject"], f"subject {subject!r} != {expect['subject']!r}")
    for s in expect.get("subject_contains") or []:
        need(s in subject, f"subject {subject!r} lacks {s!r}")
    for s in expect.get("subject_not") or []:
        need(subject.strip() != s, f"subject must not be {s!r}")
    for name, want in (expect.get("form") or {}).items():
        got = draft["form"].get(name)
        need(got == want, f"form.{name} {got!r} != {want!r}")
    for name, want in (expect.get("values") or {}).items():
        got = draft["values"].get(name)
        need(got == str(want), f"values.{name} {got!r} != {want!r}")
    if "recognised" in expect:
        got = sorted(draft["recognised"])
        need(got == sorted(expect["recognised"] or []), f"recognised {got} != {sorted(expect['recognised'] or [])}")
    if "no_account" in expect:
        need(draft["no_account"] == expect["no_account"], f"no_account {draft['no_account']!r}")
    if "text" in expect:
        need(draft["text"].strip() == expect["text"].strip(), "the draft text differs from the golden text")
    for block, subs in (expect.get("blocks") or {}).items():
        for s in subs:
            need(s in draft["blocks"][block]["text"], f"block {block} lacks {s!r}")
    for block, subs in (expect.get("blocks_not") or {}).items():
        for s in subs:
            need(s not in draft["blocks"][block]["text"], f"block {block} must not contain {s!r}")
    for s in expect.get("text_contains") or []:
        need(s in draft["text"], f"draft text lacks {s!r}")
    for s in expect.get("text_not_contains") or []:
        need(s not in draft["text"], f"draft text must not contain {s!r}")
    for key in ("prepare", "next"):
        joined = "\n".join(result[key])
        for s in expect.get(key) or []:
            need(s in joined, f"{key} list lacks {s!r}: {result[key]}")
    codes = [w["code"] for w in draft["warnings"]]
    for code in expect.get("warnings") or []:
        need(code in codes, f"warning {code!r} missing")
    for code in expect.get("no_warnings") or []:
        need(code not in codes, f"warning {code!r} must be absent")
    if "field_errors" in expect:
        need(
            sorted(draft["field_errors"]) == sorted(expect["field_errors"] or []),
            f"field_errors {sorted(draft['field_errors'])} != {sorted(expect['field_errors'] or [])}",
        )
    if "mailto" in expect:
        need(bool(draft["mailto"]) == expect["mailto"], f"mailto present={bool(draft['mailto'])}")
        if expect["mailto"]:
            need(draft["mailto"].startswith("mailto:"), "mailto URL must start with mailto:")
    for s in expect.get("mailto_contains") or []:
        need(s in urllib.parse.unquote(draft["mailto"]), f"mailto lacks {s!r}")
    if "secrets" in expect:
        kinds = sorted({s["kind"] for s in draft["secrets"]})
        need(kinds == sorted(set(expect["secrets"] or [])), f"secret kinds {kinds} != {expect['secrets']}")
        if expect["secrets"]:
            need("secret" in codes, "a found secret must be reported as a warning")
    everything = json.dumps(result, ensure_ascii=False)
    for value in expect.get("secret_values") or []:
        value = str(value)
        need(value not in everything, f"secret {value!r} leaked into the JSON result")
        need(value not in json.dumps(result), f"secret {value!r} leaked into the ASCII JSON result")
        need(value not in urllib.parse.unquote(draft["mailto"]), f"secret {value!r} leaked into the mailto URL")
    json.loads(everything)  # the result is plain JSON
    assert not problems, "\n".join(problems) + "\n" + summary
