"""Compile validated policies into the JSON the engine reads (no YAML at run time)."""

from __future__ import annotations

import json

from triage.policy import FORMAT


def compiled(policy: dict, lexicon: dict) -> dict:
    """The engine's input for one provider: the policy (writers' notes left out) plus the shared synonyms,
    intent and severity cues."""
    return {
        "format": FORMAT,
        "policy": without_notes(policy),
        "lexicon": lexicon.get("synonyms", []),
        "intents": lexicon.get("intents", []),
        "severity": lexicon.get("severity", {}),
    }


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
