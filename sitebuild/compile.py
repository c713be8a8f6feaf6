"""Compile validated policies into the JSON the engine reads (no YAML at run time)."""

from __future__ import annotations

import datetime
import functools
import json
import zoneinfo

from triage import availability, learn
from triage.policy import FORMAT, Policy

#: Years a named time zone is compiled for (its DST rules as the build machine knows them).
ZONE_YEARS = (2020, 2045)


def compiled(policy: dict, lexicon: dict, *, model: bool = False, cache=None) -> dict:
    """The engine's input for one provider: the policy (writers' notes left out) plus the shared synonyms,
    intent and severity cues; with model=True also the learned topic model (`model`, see triage/learn.py),
    which is what the build, `check`'s routing tests and load_and_compile() use. Without it the engine routes
    by its rules alone (cheap: the writers' guard compiles a policy once per held-out example).

    cache: a `checkcache.Cache` keeping trained models by their input (an unchanged policy is not trained
    again by the next `check` or build); models are also kept for the life of the process."""
    out = {
        "format": FORMAT,
        "policy": without_notes(policy),
        "lexicon": lexicon.get("synonyms", []),
        "intents": lexicon.get("intents", []),
        "severity": lexicon.get("severity", {}),
    }
    if model:
        out["model"] = _model_for(out, cache)
    return out


#: Models trained in this process, by their cache key (check's tests and the compiled data share one training).
_MODELS: dict[str, dict] = {}


def _model_for(engine_input: dict, cache) -> dict:
    from . import checkcache

    name = checkcache.key("learned-model", engine_input)
    found = _MODELS.get(name)
    if found is None and cache is not None:
        found = cache.get(name)
        if not learn.TopicModel.usable(found):
            found = None
    if found is None:
        found = learned_model(engine_input)
        if cache is not None:
            cache.put(name, found)
    if len(_MODELS) > 64:
        _MODELS.clear()
    _MODELS[name] = found
    return found


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


@functools.cache
def zone_offsets(name: str) -> tuple[tuple[int, int], ...]:
    """A named zone as the engine reads it: ((UTC epoch second from which it holds, minutes east of UTC),
    ...) over ZONE_YEARS, so the engine (in Pyodide too, which has no time-zone database) follows DST."""
    zone = zoneinfo.ZoneInfo(name)
    utc = datetime.UTC

    def minutes_at(t: int) -> int:
        return int(datetime.datetime.fromtimestamp(t, zone).utcoffset().total_seconds() // 60)

    t = int(datetime.datetime(ZONE_YEARS[0], 1, 1, tzinfo=utc).timestamp())
    end = int(datetime.datetime(ZONE_YEARS[1] + 1, 1, 1, tzinfo=utc).timestamp())
    rows = [(t, minutes_at(t))]
    day = 86_400
    while t < end:
        nxt = t + day
        if minutes_at(nxt) != rows[-1][1]:
            lo, hi = t, nxt  # the change lies in (lo, hi]: find its second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if minutes_at(mid) == rows[-1][1] else (lo, mid)
            rows.append((hi, minutes_at(hi)))
        t = nxt
    return tuple(rows)


def with_zone_tables(channels: list) -> list:
    """The channels, each with a named zone's offset table (zone_offsets) beside its `timezone`."""
    out = []
    for c in channels:
        hours = c.get("hours") if isinstance(c, dict) else None
        tz = hours.get("timezone") if isinstance(hours, dict) else None
        if isinstance(tz, str) and not availability.is_offset(tz):
            c = {**c, "hours": {**hours, "tz_offsets": [list(r) for r in zone_offsets(tz)]}}
        out.append(c)
    return out


def without_notes(policy: dict) -> dict:
    """The policy without what is for writers only: `notes` and the sources' `note`; named time zones
    get their offset tables (zone_offsets)."""
    out = {k: v for k, v in policy.items() if k != "notes"}
    if isinstance(policy.get("channels"), list):
        out["channels"] = with_zone_tables(policy["channels"])
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
