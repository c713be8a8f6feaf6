"""Routing accuracy on the data sets of issue 11 (tests/data/routing/{dev,eval}/<provider>.yaml).

A row passes when the recommended channel kind is one of `expect.kind` and the form's department and priority
equal `expect.department` / `expect.priority` where given. The intent the engine reads is reported beside it
(`expect.intent`), per provider and per class. The dev set is for tuning; the evaluation set is never used to
tune topics, synonyms or weights (it is only measured). Today: dev 0.974, eval 0.944 (issue 11 asks 0.97 / 0.95).

    .venv/bin/python tests/test_routing_accuracy.py dev          the report and every miss (dev set only)
"""

from __future__ import annotations

import pathlib
import sys

import pytest
import yaml

from triage import Policy, triage

ROOT = pathlib.Path(__file__).resolve().parents[1]

ROUTING = ROOT / "tests" / "data" / "routing"
#: Regression floors, just under what the engine reaches today with the learned topic model (triage/learn.py):
#: dev 0.965 on 953 rows (0.953 before it), eval 0.940 on 216 (0.931 before; the eval set was measured three
#: times in that work: the baseline, the model's decision, the end). Issue 11 asks for 0.97 and 0.95: not met
#: yet, so the issue stays open; raise these as the engine improves, never lower them to pass.
#: Second round (general questions to the provider, yes/no question scope, intents shown by a topic's own words,
#: severity as a problem report): dev 0.974, eval 0.944 (the eval set measured once, at the end).
MIN_ACCURACY = {"eval": 0.94, "dev": 0.97}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_set(name: str) -> list[dict]:
    rows: list[dict] = []
    for path in sorted((ROUTING / name).glob("*.yaml")):
        rows += yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)
    return rows


def _answers(row: dict) -> dict[str, str]:
    return {k: "yes" if v is True else "no" if v is False else str(v) for k, v in (row.get("answers") or {}).items()}


def check(policies: dict[str, Policy], row: dict) -> tuple[bool, bool, str]:
    """(routed right, intent right, what happened) for one row."""
    expect = row["expect"]
    result = triage(policies[row["provider"]], row["text"], _answers(row))
    fields = result["draft"]["form"]
    problems = []
    if result["channel"]["kind"] not in expect["kind"]:
        problems.append(f"kind {result['channel']['kind']} not in {expect['kind']}")
    for key in ("department", "priority"):
        if key in expect and fields.get(key) != expect[key]:
            problems.append(f"{key} {fields.get(key)} != {expect[key]}")
    intent = result["intent"]["id"]
    topic = result["topic"]["id"] if result["topic"] else None
    return (
        not problems,
        intent == expect.get("intent"),
        f"topic={topic} intent={intent} conf={result['confidence']} ask={result['ask_topic']}: "
        + ("; ".join(problems) or "ok"),
    )


def evaluate(policies: dict[str, Policy], rows: list[dict]) -> dict:
    """Accuracy overall, per provider and per class (a row counts in each of its classes), plus the misses."""
    groups: dict[str, list[int]] = {}  # name -> [rows, routed right, intent right]
    misses = []

    def add(name: str, ok: bool, intent_ok: bool) -> None:
        g = groups.setdefault(name, [0, 0, 0])
        g[0] += 1
        g[1] += ok
        g[2] += intent_ok

    for row in rows:
        ok, intent_ok, detail = check(policies, row)
        add("all", ok, intent_ok)
        add(f"provider:{row['provider']}", ok, intent_ok)
        for cls in row.get("class") or []:
            add(f"class:{cls}", ok, intent_ok)
        add(f"intent:{row['expect'].get('intent')}", ok, intent_ok)
        if not ok or not intent_ok:
            misses.append(
                f"  {'ROUTE' if not ok else 'intent'} {row['provider']}: {row['text']!r} "
                f"{_answers(row) or ''} expect={row['expect']} -> {detail}"
            )
    return {"groups": groups, "misses": misses, "accuracy": groups["all"][1] / groups["all"][0]}


def report(name: str, result: dict) -> str:
    lines = [f"{name}: routing accuracy {result['accuracy']:.3f}", f"{'':24} {'rows':>5} {'route':>6} {'intent':>6}"]
    for key in sorted(result["groups"], key=lambda k: (k != "all", k)):
        n, ok, intent_ok = result["groups"][key]
        lines.append(f"{key:24} {n:>5} {ok / n:>6.3f} {intent_ok / n:>6.3f}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["dev", "eval"])
def test_routing_accuracy(policies, name):
    rows = load_set(name)
    assert rows, f"tests/data/routing/{name}/ holds no rows"
    result = evaluate(policies, rows)
    text = report(name, result)
    print("\n" + text)
    assert result["accuracy"] >= MIN_ACCURACY[name], text + "\n" + "\n".join(result["misses"])


def test_policy_tests_pass_with_the_learned_model(policies):
    """`build.py check` runs every topic's `tests` on the rules alone (sitebuild/check.py compiles without the
    model); the engine that customers use has the learned model too, and must pass them as well."""
    failed = []
    for pid, policy in policies.items():
        assert policy.model, f"{pid}: the compiled policy has no learned model"
        for topic in policy.topics.values():
            for test in topic.get("tests") or []:
                result = triage(policy, test["text"], test.get("answers") or {}, now=test.get("at"))
                expect, form = test["expect"], result["draft"]["form"]
                got = {
                    "channel": result["channel"]["id"],
                    "kind": result["channel"]["kind"],
                    "department": form.get("department"),
                    "priority": form.get("priority"),
                }
                for key, want in expect.items():
                    if key in got and (got[key] not in want if key == "kind" else got[key] != want):
                        failed.append(f"{pid} {topic['id']}: {test['text']!r}: {key} {got[key]} != {want}")
    assert not failed, "\n".join(failed)


if __name__ == "__main__":
    from tests.conftest import compiled_policies

    which = sys.argv[1] if len(sys.argv) > 1 else "dev"
    if which != "dev" and "--measure-eval" not in sys.argv:
        raise SystemExit("only the dev set is printed for tuning; pass --measure-eval to measure the eval set")
    pols = {pid: Policy(data) for pid, data in compiled_policies().items()}
    res = evaluate(pols, load_set(which))
    print(report(which, res))
    if which == "dev":
        print("\n".join(res["misses"]))
