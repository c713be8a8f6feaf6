"""Understanding free text: word units with negation and synonyms, topic ranking, phrase detection."""

from __future__ import annotations

import math
import re
from typing import Iterable, NamedTuple

from .text import NEGATIONS, STOPWORDS, stem, tokenize


class Unit(NamedTuple):
    """One meaningful word of a text: its stem, whether it is negated, and the concepts it carries."""

    neg: bool
    stem: str
    concepts: frozenset

    @property
    def key(self) -> str:
        return ("!" if self.neg else "") + self.stem


_CLAUSE = re.compile(r"[,;:!?()\n«»\"]+|\.(?=\s|$)|\s[-—–]+\s")


def raw_units(text: str) -> list[tuple[bool, str]]:
    """Content stems with negation: не/без attach to the next word; a negation that ends its clause
    ("звонить не хочу") attaches to the word before it, and a clause-final нет ("доступа к панели нет")
    to every word of the clause."""
    out: list[tuple[bool, str]] = []
    for clause in _CLAUSE.split(text):
        negate = False
        last_neg = ""
        start = len(out)
        for token in tokenize(clause):
            if token in NEGATIONS:
                negate, last_neg = True, token
                continue
            if token in STOPWORDS:
                continue
            out.append((negate, stem(token)))
            negate = False
        if negate and len(out) > start:
            first = start if last_neg == "нет" else len(out) - 1
            for i in range(first, len(out)):
                out[i] = (True, out[i][1])
    return out


def _edit1(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i]
                                           and a[i + 2:] == b[i + 2:])
    return a[i:] == b[i + 1:]


class Lexicon:
    """Synonym groups compiled to unit sequences; tags the words of a text with concept ids."""

    def __init__(self, groups: Iterable[dict]):
        self.single: dict[tuple[bool, str], set[str]] = {}
        self.multi: dict[tuple[bool, str], list[tuple[tuple[tuple[bool, str], ...], str]]] = {}
        self.vocabulary: set[str] = set()
        for group in groups:
            for word in group["words"]:
                seq = tuple(raw_units(word))
                if not seq:
                    continue
                self.vocabulary.update(s for _, s in seq)
                if len(seq) == 1:
                    self.single.setdefault(seq[0], set()).add(group["id"])
                else:
                    self.multi.setdefault(seq[0], []).append((seq, group["id"]))
        for entries in self.multi.values():
            entries.sort(key=lambda e: -len(e[0]))

    def learn(self, stems: Iterable[str]) -> None:
        self.vocabulary.update(stems)
        self._by_len: dict[int, list[str]] = {}
        for s in sorted(self.vocabulary):  # sorted: the same correction in every process (str hashes vary)
            self._by_len.setdefault(len(s), []).append(s)

    def correct(self, s: str) -> str:
        """Map an unknown stem of 5+ letters to a known one at edit distance 1 (typos)."""
        if s in self.vocabulary or len(s) < 5 or not s.isalpha():
            return s
        by_len = getattr(self, "_by_len", None)
        if by_len is None:
            return s
        for length in (len(s), len(s) - 1, len(s) + 1):
            for cand in by_len.get(length, ()):
                if cand[0] == s[0] and _edit1(s, cand):
                    return cand
        return s

    def units(self, text: str) -> list[Unit]:
        raw = [(neg, self.correct(s)) for neg, s in raw_units(text)]
        concepts: list[set[str]] = [set(self.single.get(r, ())) for r in raw]
        for i, r in enumerate(raw):
            for seq, cid in self.multi.get(r, ()):
                if tuple(raw[i:i + len(seq)]) == seq:
                    for j in range(i, i + len(seq)):
                        concepts[j].add(cid)
        return [Unit(neg, s, frozenset(c)) for (neg, s), c in zip(raw, concepts)]


def features(units: Iterable[Unit]) -> set[str]:
    out: set[str] = set()
    for u in units:
        out.add(u.key)
        out.update("@" + c for c in u.concepts)
    return out


class Matcher:
    """Ranks a provider's topics for a customer's text.

    Each topic is a set of documents (title, examples) plus a bag of all its words (with keywords).
    Words match by stem, or softly when they share a synonym concept; weights are inverse topic
    frequencies, so words that many topics share count little.
    """

    #: Below this score the engine says it is not sure and offers the default route.
    THRESHOLD = 0.3
    #: A synonym counts a little less than the very word.
    SOFT = 0.85

    def __init__(self, topics: list[dict], groups: Iterable[dict]):
        self.lexicon = Lexicon(groups)
        topic_stems: set[str] = set()
        for t in topics:
            for text in [t["title"], *t["examples"], *(t.get("keywords") or [])]:
                topic_stems.update(s for _, s in raw_units(text))
        self.lexicon.learn(topic_stems)
        self.topics = topics
        docs_units: list[list[list[Unit]]] = []
        bags: list[list[Unit]] = []
        df: dict[str, int] = {}
        for t in topics:
            docs = [self._dedupe(self.lexicon.units(x)) for x in [t["title"], *t["examples"]]]
            docs = [d for d in docs if d]
            bag = self._dedupe([u for d in docs for u in d]
                               + [u for k in t.get("keywords") or [] for u in self.lexicon.units(k)])
            docs_units.append(docs)
            bags.append(bag)
            for f in features(bag):
                df[f] = df.get(f, 0) + 1
        n = max(len(topics), 1)
        self.weight = {f: math.log(1.0 + n / c) for f, c in df.items()}
        self.docs = [[self._weigh(d) for d in docs] for docs in docs_units]
        self.bags = [self._weigh(b) for b in bags]

    @staticmethod
    def _dedupe(units: list[Unit]) -> list[Unit]:
        seen, out = set(), []
        for u in units:
            if u.key not in seen:
                seen.add(u.key)
                out.append(u)
        return out

    def _unit_weight(self, u: Unit) -> float:
        w = self.weight.get(u.key, 0.0)
        if u.concepts:
            w = max(w, max(self.weight.get("@" + c, 0.0) for c in u.concepts))
        return w

    def _weigh(self, units: list[Unit]) -> tuple:
        weighted = [(u.key, u.neg, frozenset(u.concepts), self._unit_weight(u)) for u in units]
        return tuple(x for x in weighted if x[3] > 0), sum(x[3] for x in weighted)

    def _concept_weight(self, concepts: frozenset) -> float:
        return max((self.weight.get("@" + c, 0.0) for c in concepts), default=0.0)

    @staticmethod
    def _match(entries, total, q_keys, q_concepts) -> tuple[float, set]:
        """Matched weight of a document against the query, and which query keys/concepts it used."""
        got, used = 0.0, set()
        for key, neg, concepts, w in entries:
            if key in q_keys:
                got += w
                used.add(key)
                continue
            shared = concepts & q_concepts[neg]
            if shared:
                got += w * Matcher.SOFT
                used.update((neg, c) for c in shared)
        return got, used

    def rank(self, text: str) -> list[tuple[dict, float]]:
        """Topics with scores in [0, 1], best first; empty or unknown text scores 0 everywhere."""
        units = self._dedupe(self.lexicon.units(text))
        q_keys = {u.key for u in units}
        q_concepts = {True: set(), False: set()}
        for u in units:
            q_concepts[u.neg].update(u.concepts)
        q = [(u, self._unit_weight(u)) for u in units]
        q = [(u, w) for u, w in q if w > 0]
        q_mass = sum(w for _, w in q)
        scored = []
        for index, t in enumerate(self.topics):
            best = 0.0
            if q_mass > 0:
                for entries, total in self.docs[index]:
                    got, used = self._match(entries, total, q_keys, q_concepts)
                    if got <= 0:
                        continue
                    cover_doc = got / total
                    cover_query = self._query_cover(q, used) / q_mass
                    best = max(best, math.sqrt(cover_doc * cover_query))
                entries, total = self.bags[index]
                got, used = self._match(entries, total, q_keys, q_concepts)
                if got > 0:
                    explained = self._query_cover(q, used)
                    best = max(best, 0.8 * (explained / q_mass) * min(1.0, explained / 4.0))
            scored.append((t, round(best, 4)))
        order = {id(t): i for i, t in enumerate(self.topics)}
        scored.sort(key=lambda ts: (-ts[1], order[id(ts[0])]))
        return scored

    @staticmethod
    def _query_cover(q, used) -> float:
        got = 0.0
        for u, w in q:
            if u.key in used:
                got += w
            elif any((u.neg, c) in used for c in u.concepts):
                got += w * Matcher.SOFT
        return got


class PhraseIndex:
    """Detects declared phrases: every word present (same stem or a synonym), in any order and form,
    close together (within the phrase's length plus SLACK words), as a phrase is said in one breath."""

    SLACK = 2

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.entries: list[tuple[list[Unit], object]] = []

    def add(self, phrase: str, payload: object) -> None:
        seq = self.lexicon.units(phrase)
        if seq:
            self.entries.append((seq, payload))

    @staticmethod
    def _matches(u: Unit, p: Unit) -> bool:
        return (u.neg or not p.neg) and (u.stem == p.stem or bool(u.concepts & p.concepts))

    def find(self, units: list[Unit]) -> list[object]:
        found = []
        for seq, payload in self.entries:
            width = len(seq) + self.SLACK
            hits = [[i for i, u in enumerate(units) if self._matches(u, p)] for p in seq]
            if not all(hits):
                continue
            # Some window of `width` consecutive words holds a match for every word of the phrase.
            starts = sorted({i for h in hits for i in h})
            if any(all(any(s <= i < s + width for i in h) for h in hits) for s in starts):
                found.append(payload)
        return found
