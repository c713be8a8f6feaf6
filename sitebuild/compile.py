"""Compile validated policies into the JSON the engine reads (no YAML at run time)."""

from __future__ import annotations

import json

from triage import learn
from triage.policy import FORMAT, Policy


def compiled(policy: dict, lexicon: dict, *, model: bool = False) -> dict:
    """The engine's input for one provider: the policy (writers' notes left out) plus the shared synonyms,
    intent and severity cues; with model=True also the learned topic model (`model`, see triage/learn.py),
    which is what the build and load_and_compile() write. Without it the engine routes by its rules alone
    (cheap: the writers' guard compiles a policy once per held-out example)."""
    out = {
        "format": FORMAT,
        "policy": without_notes(policy),
        "lexicon": lexicon.get("synonyms", []),
        "intents": lexicon.get("intents", []),
        "severity": lexicon.get("severity", {}),
    }
    if model:
        out["model"] = learned_model(out)
    return out


def training_texts(topic: dict) -> list[str]:
    """What the learned model learns a topic from: its title, each example, its keywords as one text (a bag of
    words, not messages) and the texts of its tests (those without answers: a test with answers checks a rule,
    not the topic's wording)."""
    tests = [t["text"] for t in topic.get("tests") or [] if not t.get("answers") and t.get("text")]
    return [topic["title"], *topic["examples"], ", ".join(topic.get("keywords") or []), *tests]


def learned_model(engine_input: dict) -> dict:
    """Train the topic model on the policy's own topics, reading the texts as the engine reads a customer's."""
    policy = Policy(engine_input)
    lexicon = policy.matcher.lexicon
    topics = list(policy.topics.values())
    docs = [(i, learn.features(lexicon.units(text))) for i, t in enumerate(topics) for text in training_texts(t)]
    return learn.train(docs, [t["id"] for t in topics])


def without_notes(policy: dict) -> dict:
    """The policy without what is for writers only: `notes` and the sources' `note`."""
    out = {k: v for k, v in policy.items() if k != "notes"}
    provider = policy.get("provider")
    if isinstance(provider, dict) and provider.get("sources"):
        out["provider"] = {
            **provider,
            "sources": [
                {k: v for k, v in s.items() if k != "note"} for s in provider["sources"] if isinstance(s, dict)
            ],
        }
    return out


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
