"""A small learned topic model: multinomial logistic regression over the words and synonym concepts of a text.

It is trained when the policies are compiled (`sitebuild/compile.py`), from each topic's own YAML: its title,
examples, keywords and the texts of its `tests` (never from the routing data sets), and stored in the compiled
JSON (`model`). The engine uses it only to reweigh topics the rules already found (`Matcher.rank_units`): a topic
without a rule score stays at 0, so every recommendation is still explained by the customer's words.

Standard library only and deterministic: the same YAML gives the same JSON (fixed order, no randomness).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

#: Version of the features and of the stored form; a compiled model of another version is ignored.
VERSION = 1
EPOCHS = 30
RATE = 0.5
L2 = 0.001
#: Weights below this (absolute) are not stored: they change no ranking.
PRUNE = 0.01


def features(units: Iterable) -> dict[str, float]:
    """Unit-length vector of a text's features: each word's stem (with its negation) and each synonym concept
    it carries (negated concepts apart)."""
    counts: dict[str, float] = {}
    for u in units:
        key = "w" + u.key
        counts[key] = counts.get(key, 0.0) + 1.0
        for c in sorted(u.concepts):
            key = ("c!" if u.neg else "c") + c
            counts[key] = counts.get(key, 0.0) + 1.0
    norm = math.sqrt(sum(v * v for v in counts.values()))
    return {k: v / norm for k, v in counts.items()} if norm else {}


def _softmax(z: Sequence[float]) -> list[float]:
    top = max(z)
    e = [math.exp(x - top) for x in z]
    total = sum(e)
    return [x / total for x in e]


def train(docs: Sequence[tuple[int, dict[str, float]]], topics: Sequence[str]) -> dict:
    """Fit the model by stochastic gradient descent (fixed order and epochs) on (topic index, features) pairs.

    Returns the stored form: {"version", "topics": [topic ids], "weights": {feature: [[topic index, weight]]}}
    with weights rounded to 3 decimals and the negligible ones left out.
    """
    k = len(topics)
    w: dict[str, list[float]] = {}
    for _ in range(EPOCHS):
        for y, f in docs:
            if not f:
                continue
            rows = [(w.setdefault(a, [0.0] * k), v) for a, v in f.items()]
            z = [0.0] * k
            for row, v in rows:
                for j in range(k):
                    z[j] += row[j] * v
            p = _softmax(z)
            p[y] -= 1.0
            for row, v in rows:
                for j in range(k):
                    row[j] -= RATE * (p[j] * v + L2 * row[j])
    weights = {}
    for a in sorted(w):
        kept = [[j, round(x, 3)] for j, x in enumerate(w[a]) if abs(x) >= PRUNE]
        if kept:
            weights[a] = kept
    return {"version": VERSION, "topics": list(topics), "weights": weights}


class TopicModel:
    """The stored model, read for the engine: topic probabilities for a text's units."""

    def __init__(self, stored: dict, topic_ids: Sequence[str]):
        index = {tid: i for i, tid in enumerate(topic_ids)}
        self.size = len(topic_ids)
        #: stored topic index -> the engine's topic index (a topic the model does not know gets no weight).
        remap = [index.get(tid) for tid in stored.get("topics") or []]
        self.weights: dict[str, list[tuple[int, float]]] = {}
        for feature, pairs in (stored.get("weights") or {}).items():
            row = [(remap[j], x) for j, x in pairs if j < len(remap) and remap[j] is not None]
            if row:
                self.weights[feature] = row

    @staticmethod
    def usable(stored) -> bool:
        return isinstance(stored, dict) and stored.get("version") == VERSION and isinstance(stored.get("weights"), dict)

    def probabilities(self, units: Iterable) -> list[float] | None:
        """P(topic | text) in the engine's topic order; None when the text has no feature the model knows."""
        z = [0.0] * self.size
        known = False
        for feature, v in features(units).items():
            row = self.weights.get(feature)
            if row:
                known = True
                for j, x in row:
                    z[j] += x * v
        return _softmax(z) if known and self.size else None
