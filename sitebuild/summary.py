"""What the home and comparison pages say about a provider, derived from its own routing and topics.

The summaries never come from a generic sentence: the usual channel is the one the policy's topics
route most situations to, the urgent channel is where its high-priority or urgent situations go, and
the channel without client-area access is what its routing rules switch to.
"""

from __future__ import annotations

import collections
import re

from triage.policy import reach

#: Word stems that mark urgency in a channel's purpose or criteria («оперативного решения», «срочные»,
#: «критических инцидентов»).
URGENT = re.compile(r"\b(срочн|оперативн|критическ)", re.IGNORECASE)
#: Contact channels; self-service entries (settings, status notices) are not ways to contact support.
CONTACT_KINDS = ("ticket", "email", "phone", "chat", "messenger")


def _most_common(channel_ids: list[str], order: list[str], prefer: str | None = None) -> str | None:
    if not channel_ids:
        return None
    counts = collections.Counter(channel_ids)
    best = max(counts.values())
    tied = [c for c in order if counts.get(c) == best]
    return prefer if prefer in tied else tied[0]


def summarize(p: dict) -> dict:
    """Usual, urgent and no-access channels of one policy, each with the policy's own reason."""
    channels = {c["id"]: c for c in p["channels"]}
    order = [c["id"] for c in p["channels"]]
    routing = p["routing"]
    topics = p["topics"]
    default = routing["default_channel"]

    usual = _most_common([t["channel"] for t in topics], order, prefer=default) or default
    usual_topics = [t for t in topics if t["channel"] == usual]

    urgent, urgent_reason, urgent_priority = None, None, None
    high = [t for t in topics if t.get("priority") == "high"]
    high_rules = [r for r in routing.get("rules") or [] if r.get("priority") == "high"]
    if high:
        urgent = _most_common([t["channel"] for t in high], order)
        urgent_reason = next(t["reason"] for t in high if t["channel"] == urgent)
        urgent_priority = "high"
    elif high_rules:
        r = high_rules[0]
        urgent = r.get("channel") or (r.get("channels") or [default])[0]
        urgent_reason, urgent_priority = r["reason"], "high"
    else:
        for c in p["channels"]:
            texts = [c["purpose"], *[u["text"] for u in c.get("use_when") or []]]
            hit = next((t for t in texts if URGENT.search(t)), None)
            if c["kind"] in CONTACT_KINDS and hit:
                urgent, urgent_reason = c["id"], hit
                break
    if urgent is None:
        urgent, urgent_reason = default, routing["default_reason"]

    no_access = None
    for r in routing.get("rules") or []:
        if r.get("channel") and (r.get("when") or {}).get("panel_access") in ("no", ["no"]):
            no_access = {"channel": r["channel"], "reason": r["reason"]}
            break

    def described(cid: str) -> dict:
        return {
            "id": cid,
            "title": channels[cid]["title"],
            "kind": channels[cid]["kind"],
            "reach": reach(p["provider"], channels[cid]),
        }

    priority_title = None
    if urgent_priority:
        form = p.get("form") or {}
        priority_title = next((x["title"] for x in form.get("priorities") or [] if x["id"] == urgent_priority), None)
    return {
        "usual": {**described(usual), "topics": len(usual_topics), "of": len(topics)},
        "urgent": {**described(urgent), "reason": urgent_reason, "priority": priority_title},
        "no_access": {**described(no_access["channel"]), "reason": no_access["reason"]} if no_access else None,
        "contact": [c for c in p["channels"] if c["kind"] in CONTACT_KINDS],
        "self_service": [c for c in p["channels"] if c["kind"] not in CONTACT_KINDS],
    }
