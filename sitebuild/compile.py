"""Compile validated policies into the JSON the engine reads (no YAML at run time)."""

from __future__ import annotations

import json

from triage.policy import FORMAT


def compiled(policy: dict, lexicon: dict) -> dict:
    """The engine's input for one provider: the policy plus the shared synonyms, intent and severity cues."""
    return {"format": FORMAT, "policy": policy, "lexicon": lexicon.get("synonyms", []),
            "intents": lexicon.get("intents", []), "severity": lexicon.get("severity", {})}


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
