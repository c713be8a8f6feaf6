"""A compiled provider policy (the JSON that build.py emits), indexed for the engine."""

from __future__ import annotations

import functools
import json
from typing import Any

from .availability import normalize_policy

#: Version of the compiled policy format; build.py writes it, the engine checks it.
FORMAT = 1


class PolicyError(ValueError):
    """The compiled policy is missing or of an unknown format."""


class Policy:
    """One provider's rules: channels, questions, routing rules and topics, plus synonyms."""

    def __init__(self, compiled: dict[str, Any]):
        if not isinstance(compiled, dict) or compiled.get("format") != FORMAT:
            got = compiled.get("format") if isinstance(compiled, dict) else type(compiled).__name__
            raise PolicyError(f"unsupported compiled policy format: {got}")
        self.raw: dict[str, Any] = compiled["policy"]
        self.raw = normalize_policy(self.raw)
        self.synonyms: list[dict] = list(compiled.get("lexicon") or []) + list(self.raw.get("synonyms") or [])
        self.intent_cues: list[dict] = list(compiled.get("intents") or [])
        self.severity_cues: dict = dict(compiled.get("severity") or {})
        self.model: dict | None = compiled.get("model")
        self.id: str = self.raw["provider"]["id"]
        self.name: str = self.raw["provider"]["name"]
        self.client_area: str = self.raw["provider"]["client_area"]
        self.channels: dict[str, dict] = {c["id"]: c for c in self.raw["channels"]}
        self.topics: dict[str, dict] = {t["id"]: t for t in self.raw["topics"]}
        self.questions: dict[str, dict] = {q["id"]: q for q in self.raw.get("questions") or []}
        self.routing: dict = self.raw["routing"]
        self.rules: list[dict] = list(self.routing.get("rules") or [])
        self.form: dict = self.raw.get("form") or {}
        self.request: dict = self.raw["request"]

    @classmethod
    def from_json(cls, text: str | bytes) -> Policy:
        return cls(json.loads(text))

    @functools.cached_property
    def matcher(self):
        from .match import Matcher  # local: keeps import of the policy light

        cues = [p for i in self.intent_cues for p in i.get("phrases") or []]
        cues += [p for phrases in self.severity_cues.values() for p in phrases or []]
        cues += [p for q in self.questions.values() for inf in q.get("infer") or [] for p in inf.get("phrases") or []]
        return Matcher(list(self.topics.values()), self.synonyms, cues, self.model)

    @functools.cached_property
    def question_matcher(self):
        """Phrases of the questions' `infer` entries; payload (question id, infer index, value)."""
        from .match import PhraseIndex

        index = PhraseIndex(self.matcher.lexicon, by_concept=False)
        for q in self.questions.values():
            for n, inf in enumerate(q.get("infer") or []):
                for phrase in inf.get("phrases") or []:
                    index.add(phrase, (q["id"], n, inf["value"]))
        return index

    @functools.cached_property
    def signals(self):
        from .match import Signals

        return Signals(self.matcher.lexicon, self.intent_cues, self.severity_cues)

    @functools.cached_property
    def declared_intents(self) -> frozenset:
        """Intents some topic of this provider declares (`topics[].intents`)."""
        return frozenset(i for t in self.topics.values() for i in t.get("intents") or ())

    @functools.cached_property
    def intent_titles(self) -> dict[str, str]:
        return {i["id"]: i.get("title", i["id"]) for i in self.intent_cues}

    def department_title(self, dept_id: str | None) -> str | None:
        for d in self.form.get("departments") or []:
            if d["id"] == dept_id:
                return d["title"]
        return None

    def priority_title(self, prio_id: str | None) -> str | None:
        for p in self.form.get("priorities") or []:
            if p["id"] == prio_id:
                return p["title"]
        return None

    def channel_summary(self, channel_id: str) -> dict:
        """id, kind, title and how to reach the channel; an unreachable one lists reachable alternatives."""
        c = self.channels[channel_id]
        how = reach(self.raw["provider"], c)
        out = {"id": c["id"], "kind": c["kind"], "title": c["title"], "reachable": how["reachable"]}
        if how["href"]:
            out["href"] = how["href"]
        if not how["reachable"]:
            out["reach_note"] = how["note"]
            out["site"] = how["site"]
            out["alternatives"] = []
            for a in reachable_alternatives(self.raw, channel_id):
                href = reach(self.raw["provider"], a)["href"]
                out["alternatives"].append(
                    {"id": a["id"], "kind": a["kind"], "title": a["title"], **({"href": href} if href else {})}
                )
        return out


#: How the page labels a channel's address, by kind.
REACH_LABELS = {
    "phone": "Телефон",
    "email": "E-mail",
    "chat": "Где",
    "messenger": "Адрес",
    "ticket": "Где",
    "self_service": "Где",
}


def reach(provider: dict, channel: dict) -> dict:
    """How a customer reaches a channel, from what the source gives (never invented).

    reachable: the source gives an address (phone number, e-mail, link), or the channel lives in the client
    area (tickets, settings) or on the provider's site (chat). href: tel:, mailto: or http(s) link, if any.
    note: the writer's address note. site: the provider's site, for an unreachable channel."""
    kind, address = channel["kind"], channel.get("address") or ""
    href = None
    site = provider.get("site")
    if address.startswith(("http://", "https://")):
        href = address
    elif kind == "phone" and address:
        href = "tel:" + "".join(ch for ch in address if ch.isdigit() or ch == "+")
    elif "@" in address:
        href = "mailto:" + address
    elif kind == "chat" and site:  # the chat lives on the provider's site
        href = site
    reachable = bool(address) or kind in ("ticket", "self_service") or (kind == "chat" and bool(site))
    return {
        "reachable": reachable,
        "href": href,
        "label": REACH_LABELS[kind],
        "address": address or None,
        "note": channel.get("address_note"),
        "site": site,
    }


def reachable_alternatives(raw: dict, channel_id: str, limit: int = 2) -> list[dict]:
    """Reachable channels the policy itself offers instead of channel_id: the channels its routing rules
    switch to from it, then the default channel, then ticket channels."""
    channels = {c["id"]: c for c in raw["channels"]}
    routing = raw["routing"]
    order = [
        r["channel"] for r in routing.get("rules") or [] if r.get("channel") and channel_id in (r.get("channels") or [])
    ]
    order.append(routing["default_channel"])
    order.extend(c["id"] for c in raw["channels"] if c["kind"] == "ticket")
    out: list[dict] = []
    for cid in order:
        c = channels.get(cid)
        if c and cid != channel_id and c not in out and reach(raw["provider"], c)["reachable"]:
            out.append(c)
    return out[:limit]
