"""The engine's public entry points, shared by the build, the CLI and the browser worker."""

from __future__ import annotations

import json
from typing import Any

from . import secrets as secretlib
from .availability import parse_now
from .draft import _ACCOUNT_ADVICE, compose, mask_input
from .draft import _clean as clean_details
from .policy import Policy
from .route import route
from .sanitize import clean_json, clean_request, clean_text

#: Recent routing results: while the customer fills in the draft's fields, text, answers and topic
#: stay the same, so only the draft is composed again (the wizard calls triage() per keystroke).
_ROUTES: dict[tuple, tuple[Policy, dict]] = {}
_ROUTES_MAX = 16


def _route_key(policy: Policy, text: str, answers: dict, topic: str | None, now=None) -> tuple | None:
    try:
        key = (id(policy), text, tuple(sorted((str(k), v) for k, v in answers.items())), topic, now)
        hash(key)
        return key
    except TypeError:  # unhashable or unorderable answer values: route without the cache
        return None


def cached_route(policy: Policy, text: str, answers: dict, topic: str | None, now=None) -> dict:
    key = _route_key(policy, text, answers, topic, now)
    hit = _ROUTES.get(key) if key is not None else None
    if hit is not None and hit[0] is policy:  # the entry holds its policy, so its id is not reused
        return dict(hit[1])
    result = route(policy, text, answers, topic_id=topic, now=now)
    if key is not None:
        if len(_ROUTES) >= _ROUTES_MAX:
            _ROUTES.pop(next(iter(_ROUTES)))
        _ROUTES[key] = (policy, result)
    return dict(result)


def triage(
    policy: Policy,
    text: str,
    answers: dict | None = None,
    details: dict | None = None,
    topic: str | None = None,
    now=None,
) -> dict:
    """Route the customer's situation and compose the draft for the recommended channel.

    Every input is cleaned and capped first (triage.sanitize); result["notices"] says, in Russian, what was changed.
    now: the customer's clock (an aware datetime or ISO 8601 text with offset); None: any hour.
    """
    text, answers, details, topic, notices = clean_request(text, answers, details, topic)
    result = cached_route(policy, text or "", answers or {}, topic, parse_now(now))
    result["draft"] = compose(policy, result, text or "", details or {})
    if result["draft"]["presales"]:  # advice about account data does not fit a customer without one
        result["prepare"] = [item for item in result["prepare"] if not _ACCOUNT_ADVICE.search(item)]
    # The echo of the input never repeats a secret: text and fields are echoed as the draft saw them.
    masked_text, masked_details, _ = mask_input(text or "", clean_details(details))
    result["input"] = {
        "text": masked_text,
        "answers": {k: secretlib.mask(v) if isinstance(v, str) else v for k, v in dict(answers or {}).items()},
        "details": masked_details,
        "topic": topic,
    }
    result["notices"] = [secretlib.mask(n) for n in notices]
    return result


def topics(policy: Policy) -> list[dict]:
    """All topics of a provider with their recommended channel, in policy order."""
    return [
        {
            "id": t["id"],
            "title": t["title"],
            "channel": policy.channel_summary(t["channel"]),
            "examples": list(t["examples"]),
        }
        for t in policy.topics.values()
    ]


def suggest(policy: Policy, text: str, limit: int = 5) -> list[dict]:
    """Topic suggestions while the customer types (best first, only those that match at all); help_url is
    the topic's row on the provider's help page, relative to the site root."""
    text = clean_text(text)[0]
    return [
        {"id": t["id"], "title": t["title"], "score": s, "help_url": f"providers/{policy.id}/#topic-{t['id']}"}
        for t, s in policy.matcher.rank(text)[:limit]
        if s > 0
    ]


#: Policies registered by a host that hands them over as JSON text (the browser worker).
_REGISTRY: dict[str, Policy] = {}


def register_policy(compiled_json: str) -> str:
    """Load one compiled policy (the JSON build.py emits) into the registry; returns its provider id."""
    policy = Policy.from_json(compiled_json)
    _REGISTRY[policy.id] = policy
    return policy.id


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
            body = triage(
                policy,
                request.get("text", ""),
                request.get("answers"),
                request.get("details"),
                request.get("topic"),
                request.get("now"),
            )
        return _dumps({"ok": True, "result": body})
    except Exception as exc:  # the page must always get an answer it can show
        return _dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"})


def _dumps(payload: dict) -> str:
    """JSON text a browser can always take: valid UTF-8 (no lone surrogates) and no NaN or Infinity."""
    try:
        out = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        out.encode("utf-8")
        return out
    except (ValueError, UnicodeEncodeError):
        return json.dumps(clean_json(payload), ensure_ascii=False, allow_nan=False)
