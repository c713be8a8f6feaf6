"""The engine's public entry points, shared by the build, the CLI and the browser worker."""

from __future__ import annotations

import json
from typing import Any

from . import secrets as secretlib
from .draft import _clean as clean_details, compose, mask_input
from .policy import Policy
from .route import route


def triage(policy: Policy, text: str, answers: dict | None = None, details: dict | None = None,
           topic: str | None = None) -> dict:
    """Route the customer's situation and compose the draft for the recommended channel."""
    result = route(policy, text or "", answers or {}, topic_id=topic)
    result["draft"] = compose(policy, result, text or "", details or {})
    # The echo of the input never repeats a secret: text and fields are echoed as the draft saw them.
    masked_text, masked_details, _ = mask_input(text or "", clean_details(details))
    result["input"] = {"text": masked_text,
                       "answers": {k: secretlib.mask(v) if isinstance(v, str) else v
                                   for k, v in dict(answers or {}).items()},
                       "details": masked_details, "topic": topic}
    return result


def topics(policy: Policy) -> list[dict]:
    """All topics of a provider with their recommended channel, in policy order."""
    return [{"id": t["id"], "title": t["title"], "channel": policy.channel_summary(t["channel"]),
             "examples": list(t["examples"])} for t in policy.topics.values()]


def suggest(policy: Policy, text: str, limit: int = 5) -> list[dict]:
    """Topic suggestions while the customer types (best first, only those that match at all)."""
    return [{"id": t["id"], "title": t["title"], "score": s} for t, s in policy.matcher.rank(text or "")[:limit]
            if s > 0]


#: Policies registered by a host that hands them over as JSON text (the browser worker).
_REGISTRY: dict[str, Policy] = {}


def register_policy(compiled_json: str) -> str:
    """Load one compiled policy (the JSON build.py emits) into the registry; returns its provider id."""
    policy = Policy.from_json(compiled_json)
    _REGISTRY[policy.id] = policy
    return policy.id


def registered() -> list[str]:
    return sorted(_REGISTRY)


def handle(request_json: str, policies: dict[str, Policy] | None = None) -> str:
    """JSON in, JSON out: one call for hosts that cannot pass Python objects (the browser worker)."""
    try:
        request: dict[str, Any] = json.loads(request_json)
        op = request.get("op", "triage")
        policy = (policies if policies is not None else _REGISTRY)[request["provider"]]
        if op == "suggest":
            body: Any = suggest(policy, request.get("text", ""))
        elif op == "topics":
            body = topics(policy)
        else:
            body = triage(policy, request.get("text", ""), request.get("answers"), request.get("details"),
                          request.get("topic"))
        return json.dumps({"ok": True, "result": body}, ensure_ascii=False)
    except Exception as exc:  # the page must always get an answer it can show
        return json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False)
