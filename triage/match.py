"""Understanding free text: word units with negation and synonyms, topic ranking, phrase detection."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from typing import NamedTuple

from .learn import TopicModel
from .text import NEGATIONS, STOPWORDS, stem, tokenize


class Unit(NamedTuple):
    """One meaningful word of a text: its stem, whether it is negated, the concepts it carries, and the
    customer's own word (with its negation) for explanations."""

    neg: bool
    stem: str
    concepts: frozenset
    word: str = ""

    @property
    def key(self) -> str:
        return ("!" if self.neg else "") + self.stem


_CLAUSE = re.compile(r"[,;:!?()\n«»\"]+|\.(?=\s|$)|\s[-—–]+\s")


_EN_SUFFIXES = ("ing", "ed", "es", "s")


def fold_english(token: str) -> str:
    """A light English stemmer for Latin words of 4+ letters (down/downs, hacked/hack, invoices/invoice):
    strip one of -ing/-ed/-es/-s (not -ss/-us/-is), then a final -e."""
    if len(token) < 4 or not token.isascii() or not token.isalpha():
        return token
    for suffix in _EN_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            if suffix == "s" and token[-2] in "sui":
                break
            if suffix == "es" and token[-3] not in "sxz":
                continue  # "invoices": drop only the -s (then the -e below)
            token = token[: -len(suffix)]
            break
    if token.endswith("e") and len(token) > 3:
        token = token[:-1]
    return token


def _stem(token: str) -> str:
    return fold_english(token) if token.isascii() else stem(token)


# Russian typed in Latin letters («ne mogu zajti», «server lezhit»): longest Latin sequence first.
_TRANSLIT = sorted(
    {
        "shch": "щ",
        "sch": "щ",
        "tsya": "тся",
        "tsa": "тся",
        "zh": "ж",
        "kh": "х",
        "ts": "ц",
        "ch": "ч",
        "sh": "ш",
        "yu": "ю",
        "ya": "я",
        "yo": "е",
        "ye": "е",
        "ju": "ю",
        "ja": "я",
        "jo": "е",
        "yy": "ый",
        "a": "а",
        "b": "б",
        "v": "в",
        "g": "г",
        "d": "д",
        "e": "е",
        "z": "з",
        "i": "и",
        "j": "й",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "f": "ф",
        "h": "х",
        "c": "ц",
        "y": "ы",
        "w": "в",
        "x": "кс",
        "q": "к",
    }.items(),
    key=lambda kv: -len(kv[0]),
)


#: The Russian keyboard layout on the Latin keys («ytn» typed for «нет», «gjxnf» for «почта»).
_LAYOUT = str.maketrans("qwertyuiop[]asdfghjkl;'zxcvbnm,.`", "йцукенгшщзхъфывапролджэячсмитьбюё")
_LAYOUT_LETTER = re.compile(r"(?<![\w.@'-])[a-z](?![\w.@'-])", re.IGNORECASE)
_LAYOUT_RUN = re.compile(r"[a-z\[\];',.`]*[a-z][a-z\[\];',.`]*", re.IGNORECASE)


#: Words that begin with «не» and are not a negated word («несколько», «неделю»).
_NE_WORDS = ("нескольк", "недел", "некотор", "немно", "небольш", "недавн", "нечто", "некто", "неужел")


def to_cyrillic(token: str) -> str:
    """A Latin-letter token read as transliterated Russian («lezhit» -> «лежит»)."""
    out, i = [], 0
    while i < len(token):
        for latin, cyr in _TRANSLIT:
            if token.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(token[i])
            i += 1
    word = "".join(out)
    # «y» after a vowel is «й» («moy», «kakoy»), so is «i» between a vowel and a consonant («sait»).
    word = re.sub(r"(?<=[аеиоуыэюя])ы", "й", word)
    return re.sub(r"(?<=а)и(?=[бвгджзклмнпрстфхцчшщ])", "й", word)


#: Common words whose transliteration drops a soft sign or a letter.
_TRANSLIT_WORDS = {
    "chto": "что",
    "shto": "что",
    "ochen": "очень",
    "pismo": "письмо",
    "pisma": "письма",
    "pisem": "писем",
    "parol": "пароль",
    "nelzya": "нельзя",
    "vsyo": "все",
    "est": "есть",
    "schet": "счет",
    "scheta": "счета",
    "schetu": "счету",
    "voiti": "войти",
    "voyti": "войти",
    "zaiti": "зайти",
    "zayti": "зайти",
    "moi": "мои",
    "moy": "мой",
}


#: English negations besides «not» (n't is written without its apostrophe first: «doesn't» -> «doesnt»).
_EN_NEGATIONS = frozenset(
    {
        "no",
        "nothing",
        "never",
        "nobody",
        "none",
        "cant",
        "cannot",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "havent",
        "hasnt",
    }
)
#: English function words with no topic meaning («nothing is down»: the negation reaches «down»). Words that carry
#: an intent («do», «can», «how», «is there») stay: the intent cues name them.
_EN_STOPWORDS = frozenset(
    {
        "is",
        "are",
        "am",
        "was",
        "were",
        "be",
        "been",
        "being",
        "the",
        "a",
        "an",
        "to",
        "for",
        "of",
        "in",
        "on",
        "at",
        "by",
        "with",
        "and",
        "or",
        "but",
        "we",
        "i",
        "my",
        "our",
        "it",
        "its",
        "this",
        "that",
        "please",
        "pls",
        "from",
        "since",
        "as",
        "so",
        "me",
        "us",
        "they",
        "them",
        "just",
        "still",
        "also",
        "very",
        "really",
        "yet",
    }
)
_APOSTROPHE_NT = re.compile(r"n['’]t\b", re.IGNORECASE)


def _tokens(clause: str, translit) -> Iterable[str]:
    for token in tokenize(clause):
        if translit is None or not token.isalpha():
            yield token
        else:
            yield from translit(token).split()


_NET_SCOPE = 3


def raw_words(text: str, translit=None) -> list[tuple[bool, str, str]]:
    """Content stems with negation and the customer's word: не/без attach to the next word; a negation that
    ends its clause ("звонить не хочу") attaches to the word before it, and a clause-final нет ("доступа к
    панели нет") to the last three words of the clause («или нет» negates nothing). `translit(token)` may read a
    token otherwise (a Latin token as Russian, «немогу» as «не могу»); it returns one or more words separated by
    spaces."""
    out: list[tuple[bool, str, str]] = []
    for clause in _CLAUSE.split(text):
        negate = False
        last_neg = ""
        start = len(out)
        prev = ""
        for token in _tokens(clause, translit):
            prev, before = token, prev
            if token in NEGATIONS or token in _EN_NEGATIONS:
                if token == "нет" and before == "или":
                    continue  # «ответили или нет»: a yes-or-no question, nothing is negated
                negate, last_neg = True, token
                continue
            if token in STOPWORDS or token in _EN_STOPWORDS:
                continue
            out.append((negate, _stem(token), (last_neg + " " + token) if negate else token))
            negate = False
        if negate and len(out) > start:
            # A clause-final нет negates the few words before it («доступа к личному кабинету нет»), not a whole
            # message typed without commas.
            first = max(start, len(out) - _NET_SCOPE) if last_neg == "нет" else len(out) - 1
            for i in range(first, len(out)):
                neg, s, w = out[i]
                out[i] = (True, s, w if neg else f"{w} {last_neg}")
    return out


def raw_units(text: str) -> list[tuple[bool, str]]:
    """(negated, stem) of every content word of text (see raw_words)."""
    if len(text) <= _RAW_UNITS_CACHED_LEN:
        return list(_raw_units_short(text))
    return [(neg, s) for neg, s, _ in raw_words(text)]


#: Texts up to this length are read once per process: the synonyms, examples and keywords are read again every
#: time an engine is built (`build.py check` builds one per topic example to leave it out).
_RAW_UNITS_CACHED_LEN = 256


@functools.lru_cache(maxsize=16384)
def _raw_units_short(text: str) -> tuple[tuple[bool, str], ...]:
    return tuple((neg, s) for neg, s, _ in raw_words(text))


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
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


class Lexicon:
    """Synonym groups compiled to unit sequences; tags the words of a text with concept ids."""

    def __init__(self, groups: Iterable[dict]):
        self.single: dict[tuple[bool, str], set[str]] = {}
        self.multi: dict[tuple[bool, str], list[tuple[tuple[tuple[bool, str], ...], str]]] = {}
        self.vocabulary: set[str] = set()
        self.words: set[str] = set()  # known Cyrillic word forms of 5+ letters (typos are corrected against them)
        for group in groups:
            for word in group["words"]:
                self.learn_words(word)
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

    def learn_words(self, text: str) -> None:
        self.words.update(t for t in tokenize(text) if len(t) >= 5 and t.isalpha())

    def learn(self, stems: Iterable[str]) -> None:
        self.vocabulary.update(stems)
        self._by_len: dict[int, list[str]] = {}
        for s in sorted(self.vocabulary):  # sorted: the same correction in every process (str hashes vary)
            self._by_len.setdefault(len(s), []).append(s)
        self._words_by: dict[tuple[str, int], list[str]] = {}
        for w in sorted(self.words):
            self._words_by.setdefault((w[0], len(w)), []).append(w)
        self._fixed: dict[str, str] = {}

    def correct_word(self, token: str) -> str:
        """A Cyrillic word of 5+ letters whose stem is unknown, read as the known word form one typo away
        (a letter dropped, doubled, swapped or mistyped: «деьги» -> «деньги», «отвеачет» -> «отвечает»)."""
        fixed = self._fixed.get(token)
        if fixed is None:
            fixed = token
            if _stem(token) not in self.vocabulary:
                for n in (len(token), len(token) - 1, len(token) + 1):
                    fixed = next((w for w in self._words_by.get((token[0], n), ()) if _edit1(token, w)), None)
                    if fixed:
                        break
                fixed = fixed or token
            if len(self._fixed) > 8192:
                self._fixed.clear()
            self._fixed[token] = fixed
        return fixed

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

    def _known(self, word: str) -> bool:
        return word in NEGATIONS or word in _EN_NEGATIONS or word in STOPWORDS or stem(word) in self.vocabulary

    def fix_layout(self, text: str) -> str:
        """Words typed with the keyboard in the Latin layout («ytn ljcnegf» for «нет доступа») read as
        Russian, when every letter run of the word so read is a known word; a Latin word the vocabulary
        knows stays itself."""
        if "'" in text or "’" in text:
            text = _APOSTROPHE_NT.sub("nt", text)
        if text.isascii() and not any(c.isalpha() for c in text):
            return text

        swapped = 0

        def repl(m: re.Match) -> str:
            nonlocal swapped
            run = m.group()
            for end in (len(run), len(run.rstrip(",."))):  # a final comma or dot may be punctuation
                core = run[:end]
                if len(core) < 2 or core.isalpha() and fold_english(core.lower()) in self.vocabulary:
                    return run
                cyr = core.lower().translate(_LAYOUT)
                if cyr.isalpha() and self._known(cyr) and not self._known_latin(core.lower()):
                    swapped += 1
                    return cyr + run[end:]
            return run

        def repl_letter(m: re.Match) -> str:  # «r» between swapped words is the preposition «к»
            cyr = m.group().lower().translate(_LAYOUT)
            return cyr if cyr in STOPWORDS else m.group()

        text = _LAYOUT_RUN.sub(repl, text)
        return _LAYOUT_LETTER.sub(repl_letter, text) if swapped else text

    def _known_latin(self, token: str) -> bool:
        return token.isalpha() and (
            fold_english(token) in self.vocabulary or self._known(_TRANSLIT_WORDS.get(token) or to_cyrillic(token))
        )

    def translit(self, token: str) -> str:
        """A Latin token stays itself when the vocabulary knows it (ssl, down, server); otherwise it is read as
        transliterated Russian when that gives a known word, a negation or a function word. A Cyrillic word
        glued to «не» («немогу», «неработает») is read as two when only the rest is a known word."""
        if not token.isascii():
            if len(token) < 5 or stem(token) in self.vocabulary:
                return token
            if token.startswith("не") and not token.startswith(_NE_WORDS) and stem(token[2:]) in self.vocabulary:
                return "не " + token[2:]
            return self.correct_word(token) if hasattr(self, "_words_by") else token
        if fold_english(token) in self.vocabulary or token in _EN_STOPWORDS or token in _EN_NEGATIONS:
            return token
        cyr = _TRANSLIT_WORDS.get(token) or to_cyrillic(token)
        if cyr in NEGATIONS or cyr in STOPWORDS:
            return cyr
        s = stem(cyr)
        if len(s) >= 3 and (s in self.vocabulary or self.correct(s) != s):
            return cyr
        if len(token) >= 5 and hasattr(self, "_words_by"):
            return self.correct_word(token)  # «pasword», «dedicted»: a known Latin word one typo away
        return token

    def units(self, text: str) -> list[Unit]:
        words = raw_words(self.fix_layout(text), self.translit)
        raw = [(neg, self.correct(s)) for neg, s, _ in words]
        concepts: list[set[str]] = [set(self.single.get(r, ())) for r in raw]
        for i, r in enumerate(raw):
            for seq, cid in self.multi.get(r, ()):
                if tuple(raw[i : i + len(seq)]) == seq:
                    for j in range(i, i + len(seq)):
                        concepts[j].add(cid)
        return [Unit(neg, s, frozenset(c), w[2]) for (neg, s), c, w in zip(raw, concepts, words, strict=True)]


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
    #: How much the learned model (triage/learn.py) reweighs a topic's rule score: by a factor from
    #: 1 - LEARNED/2 (the model gives it no chance) to 1 + LEARNED/2 (the model is sure).
    LEARNED = 0.5

    def __init__(
        self, topics: list[dict], groups: Iterable[dict], cue_texts: Iterable[str] = (), model: dict | None = None
    ):
        self.lexicon = Lexicon(groups)
        topic_stems: set[str] = set()
        for t in topics:
            for text in [t["title"], *t["examples"], *(t.get("keywords") or [])]:
                topic_stems.update(s for _, s in raw_units(text))
        for text in cue_texts:  # words of intent, severity and question cues: known words too (typos, translit)
            topic_stems.update(s for _, s in raw_units(text))
            self.lexicon.learn_words(text)
        for t in topics:
            for text in [t["title"], *t["examples"], *(t.get("keywords") or [])]:
                self.lexicon.learn_words(text)
        self.lexicon.learn(topic_stems)
        self.topics = topics
        docs_units: list[list[list[Unit]]] = []
        bags: list[list[Unit]] = []
        df: dict[str, int] = {}
        for t in topics:
            docs = [self._dedupe(self.lexicon.units(x)) for x in [t["title"], *t["examples"]]]
            docs = [d for d in docs if d]
            bag = self._dedupe(
                [u for d in docs for u in d] + [u for k in t.get("keywords") or [] for u in self.lexicon.units(k)]
            )
            docs_units.append(docs)
            bags.append(bag)
            for f in features(bag):
                df[f] = df.get(f, 0) + 1
        n = max(len(topics), 1)
        self.weight = {f: math.log(1.0 + n / c) for f, c in df.items()}
        self.docs = [[self._weigh(d) for d in docs] for docs in docs_units]
        self.bags = [self._weigh(b) for b in bags]
        self.model = TopicModel(model, [t["id"] for t in topics]) if TopicModel.usable(model) else None

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
        return self.rank_units(self.lexicon.units(text))

    def rank_units(self, units: list[Unit]) -> list[tuple[dict, float]]:
        """Rule scores (how well the text covers a topic's example or vocabulary), reweighed by the learned
        model when the policy has one: it reorders topics the rules found, never finds one by itself."""
        learned = self.model.probabilities(units) if self.model is not None else None
        units = self._dedupe(units)
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
            if learned is not None:
                best *= 1.0 + self.LEARNED * (learned[index] - 0.5)
            scored.append((t, round(best, 4)))
        order = {id(t): i for i, t in enumerate(self.topics)}
        scored.sort(key=lambda ts: (-ts[1], order[id(ts[0])]))
        return scored

    def explain(self, units: list[Unit], index: int) -> list[dict]:
        """The customer's words (and the concepts through which they matched) that tie the text to topic
        number `index`: those of its best-matching example, or of its whole vocabulary."""
        units = self._dedupe(units)
        q_keys = {u.key for u in units}
        q_concepts = {True: set(), False: set()}
        for u in units:
            q_concepts[u.neg].update(u.concepts)
        best_used, best_got = set(), 0.0
        for entries, total in [*self.docs[index], self.bags[index]]:
            got, used = self._match(entries, total, q_keys, q_concepts)
            if got > best_got:
                best_got, best_used = got, used
        out = []
        for u in units:
            if self._unit_weight(u) <= 0:
                continue
            if u.key in best_used:
                out.append({"words": u.word or u.stem, "concept": None})
            else:
                shared = sorted(c for c in u.concepts if (u.neg, c) in best_used)
                if shared:
                    out.append({"words": u.word or u.stem, "concept": shared[0]})
        return out

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
    close together (within the phrase's length plus SLACK words), as a phrase is said in one breath.

    Negation scope: a phrase without a negation does not match negated words («сервер лежит» does not
    match «сервер не лежит»); a negated word of a phrase needs a negated word in the text."""

    SLACK = 2

    def __init__(self, lexicon: Lexicon, by_concept: bool = True, slack: int = SLACK):
        self.lexicon = lexicon
        self.slack = slack
        self.by_concept = by_concept  # False: words match by stem only (signal cues are explicit word lists)
        self._needs: list[frozenset] = []
        self.entries: list[tuple[list[Unit], bool, object]] = []

    def add(self, phrase: str, payload: object) -> None:
        seq = self.lexicon.units(phrase)
        if seq:
            self.entries.append((seq, any(p.neg for p in seq), payload))

    def spans(self, units: list[Unit]) -> list[tuple[object, list[int]]]:
        """(payload, indices of the text's units that matched) for every phrase found, in declaration order."""
        by_stem: dict[str, list[int]] = {}
        by_concept: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            by_stem.setdefault(u.stem, []).append(i)
            if self.by_concept:
                for c in u.concepts:
                    by_concept.setdefault(c, []).append(i)
        found = []
        present = by_stem.keys()
        if len(self._needs) != len(self.entries):
            self._needs = [frozenset(p.stem for p in seq) for seq, _, _ in self.entries]
        for (seq, lenient, payload), needs in zip(self.entries, self._needs, strict=True):
            if not self.by_concept and not present >= needs:
                continue  # quick reject: some word of the phrase is not in the text at all
            width = len(seq) + self.slack
            hits = []
            for p in seq:
                cand = by_stem.get(p.stem, ())
                if self.by_concept and p.concepts:
                    more = [i for c in p.concepts for i in by_concept.get(c, ())]
                    if more:
                        cand = sorted(set(cand).union(more))
                # Negation scope: a negated phrase word needs a negated word; a phrase without negation
                # does not match negated words.
                h = [i for i in cand if (units[i].neg if p.neg else (lenient or not units[i].neg))]
                if not h:
                    break
                hits.append(h)
            if len(hits) != len(seq):
                continue
            # Some window of `width` consecutive words holds a match for every word of the phrase.
            for start in sorted({i for h in hits for i in h}):
                inside = [[i for i in h if start <= i < start + width] for h in hits]
                if all(inside):
                    found.append((payload, sorted({h[0] for h in inside})))
                    break
        return found

    def find(self, units: list[Unit]) -> list[object]:
        return [payload for payload, _ in self.spans(units)]


def surface(units: list[Unit], indices) -> str:
    """The customer's words at these unit positions, in text order."""
    return " ".join(units[i].word or units[i].stem for i in sorted(set(indices)))


#: Words that open a question typed without «?» («какие ос доступны», «можно ли», «how do I ...»).
_QUESTION_OPENERS = frozenset(
    {
        "какой",
        "какая",
        "какое",
        "какие",
        "каких",
        "каком",
        "какую",
        "сколько",
        "можно",
        "где",
        "как",
        "есть",
        "what",
        "which",
        "how",
        "can",
        "do",
        "does",
        "is",
        "are",
    }
)
#: Words a sentence may start with before its question word.
_LEADING = frozenset(
    {
        "а",
        "и",
        "ну",
        "так",
        "скажите",
        "подскажите",
        "здравствуйте",
        "привет",
        "добрый",
        "доброе",
        "день",
        "вечер",
        "утро",
        "hi",
        "hello",
    }
)
_SENTENCES = re.compile(r"[.!\n]+")


def _asks(text: str) -> bool:
    """Some sentence of the text opens with a question word (the customer did not type «?»)."""
    for sentence in _SENTENCES.split(text):
        for token in tokenize(sentence):
            if token not in _LEADING:
                if token in _QUESTION_OPENERS:
                    return True
                break
    return False


def _word_sequences(intents: list[dict], key: str) -> list[tuple[tuple[str, ...], str]]:
    """(exact word forms, intent id) of every cue an intent lists under `key` (`scope`, `general`, `own`)."""
    out = []
    for intent in intents:
        for cue in intent.get(key) or []:
            seq = tuple(tokenize(cue))
            if seq:
                out.append((seq, intent["id"]))
    return out


class Signals:
    """Intent and severity of a text, from the cues the shared lexicon declares (`intents`, `severity`)."""

    #: Below this cue score no intent is read from the text.
    MIN_INTENT = 1.0
    TOKEN_WEIGHT = 0.5

    def __init__(self, lexicon: Lexicon, intents: list[dict], severity: dict):
        self.lexicon = lexicon
        self.intents = {i["id"]: i for i in intents}
        self.order = [i["id"] for i in intents]
        self.phrases = PhraseIndex(lexicon, by_concept=False)
        self.concepts: dict[str, list[str]] = {}
        for intent in intents:
            for phrase in intent.get("phrases") or []:
                self.phrases.add(phrase, ("intent", intent["id"]))
            for concept in intent.get("concepts") or []:
                self.concepts.setdefault(concept, []).append(intent["id"])
        #: Concepts that together show an intent anywhere in the text (a request + its status): len(pair) points.
        self.pairs = [(intent["id"], tuple(pair)) for intent in intents for pair in intent.get("pairs") or []]
        #: Function words that carry an intent («можно», «сколько»), or short sequences of them («когда будет
        #: ответ», «что с заявкой»): matched on the stems of all tokens (stopwords included), in order, with at most
        #: one word between; each word is worth TOKEN_WEIGHT, each cue counts once.
        self.tokens: list[tuple[tuple[str, ...], str]] = []
        for intent in intents:
            for cue in intent.get("tokens") or []:
                seq = tuple(tokenize(cue))  # exact word forms: «какой» is not «как»
                if seq and (seq, intent["id"]) not in self.tokens:
                    self.tokens.append((seq, intent["id"]))
        #: Openings of a yes/no question («был ли», «was there»): in such a text the concepts of other intents do
        #: not count (asking whether there was an outage is not reporting one); intent id -> word sequences.
        self.scopes = _word_sequences(intents, "scope")
        #: The customer addressing the provider («у вас», «do you»): with it, the intent's text is a general
        #: question about the provider's service, not about the customer's own case.
        self.general = _word_sequences(intents, "general")
        #: ...unless the customer speaks of their own case («мой сервер», «для продления»).
        self.own = _word_sequences(intents, "own")
        self.levels = [lv for lv in ("outage", "urgent", "degraded") if (severity or {}).get(lv)]
        # Severity cues may be spread a little wider («скорость загрузки файлов с сервера упала»).
        self.severity_index = PhraseIndex(lexicon, by_concept=False, slack=3)
        # The same cues said with a negation: reported, not counted.
        self.negated_index = PhraseIndex(lexicon, by_concept=False)
        for level in self.levels:
            for phrase in severity[level]:
                self.severity_index.add(phrase, level)
                seq = lexicon.units(phrase)
                if seq and not any(u.neg for u in seq):
                    self.negated_index.entries.append(([u._replace(neg=True) for u in seq], True, level))

    @functools.cached_property
    def _cue_words(self) -> list[str]:
        return sorted({w for seq, _ in [*self.tokens, *self.own] for w in seq if len(w) >= 5})

    def _read(self, token: str) -> str:
        """A Latin token read as transliterated Russian when it is one («mozhno» -> «можно»)."""
        if token.isascii() and token.isalpha():
            return self.lexicon.translit(token).split()[-1]
        return token

    def _cue_form(self, token: str) -> str:
        """A word cue typed with one typo («можна») is still the cue."""
        if len(token) < 5 or not token.isalpha():
            return token
        cache = self.__dict__.setdefault("_cue_cache", {})
        if token not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[token] = next(
                (w for w in self._cue_words if w != token and w[0] == token[0] and _edit1(token, w)), token
            )
        return cache[token]

    @staticmethod
    def _found(seq: tuple[str, ...], stems: list[str], first: dict[str, list[int]]) -> bool:
        """The word sequence occurs in the text's words, in order, at most one word between."""
        for start in first.get(seq[0], ()):
            pos = start
            for s in seq[1:]:
                pos = next((j for j in (pos + 1, pos + 2) if j < len(stems) and stems[j] == s), None)
                if pos is None:
                    break
            else:
                return True
        return False

    def intent(self, units: list[Unit], text: str) -> dict:
        """{"id", "score", "scores", "evidence", "general"}: the intent whose cues weigh most (ties: lexicon order);
        `general` says the text is that intent's general question to the provider (its `general` cues)."""
        cued = self.tokens or self.scopes or self.general
        stems = [self._cue_form(self._read(t)) for t in tokenize(text)] if cued else []
        first: dict[str, list[int]] = {}
        for i, s in enumerate(stems):
            first.setdefault(s, []).append(i)
        scope = next((iid for seq, iid in self.scopes if self._found(seq, stems, first)), None)
        scores: dict[str, float] = {}
        evidence: dict[str, list[dict]] = {}
        taken: dict[str, set[int]] = {}
        for (_, iid), idx in self.phrases.spans(units):
            fresh = [i for i in idx if i not in taken.setdefault(iid, set())]
            if not fresh:
                continue
            taken[iid].update(idx)
            scores[iid] = scores.get(iid, 0.0) + len(idx)
            evidence.setdefault(iid, []).append({"words": surface(units, idx), "cue": "phrase"})
        counted: set[tuple[str, str]] = set()
        where: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            if len(u.stem) >= 3 and (u.stem.isdigit() or u.stem[0] == "#" and u.stem[1:].isdigit()):
                where.setdefault("number", []).append(i)  # «заявка 778812»: a number names a request, an order
            for concept in u.concepts:
                where.setdefault(concept, []).append(i)
                for iid in self.concepts.get(concept, ()):
                    if i in taken.setdefault(iid, set()) or (iid, concept) in counted:
                        continue
                    if scope is not None and iid != scope:
                        continue  # «был ли сбой»: asked about, not reported
                    counted.add((iid, concept))  # a concept counts once, however many of its words
                    taken[iid].add(i)
                    scores[iid] = scores.get(iid, 0.0) + 1.0
                    evidence.setdefault(iid, []).append({"words": surface(units, [i]), "concept": concept})
        for iid, pair in self.pairs:
            if all(c in where for c in pair):
                idx = [where[c][0] for c in pair]
                if "number" in pair:  # a number names the request only next to it («заявка 778812», «#5 тикет»)
                    near = [(i, j) for i in where[pair[0]] for j in where[pair[1]] if 0 < abs(i - j) <= 2]
                    if not near:
                        continue
                    idx = list(near[0])
                if set(idx) <= taken.setdefault(iid, set()):
                    continue  # the same words already counted as a phrase of this intent
                taken[iid].update(idx)
                scores[iid] = scores.get(iid, 0.0) + len(pair)
                evidence.setdefault(iid, []).append({"words": surface(units, idx), "concepts": list(pair)})
        for seq, iid in self.tokens:
            if self._found(seq, stems, first):
                scores[iid] = scores.get(iid, 0.0) + self.TOKEN_WEIGHT * len(seq)
                evidence.setdefault(iid, []).append({"words": " ".join(seq), "cue": "words"})
        if "question" in self.intents and ("?" in text or _asks(text)):
            scores["question"] = scores.get("question", 0.0) + 0.5
            evidence.setdefault("question", []).append({"words": "?", "cue": "question_mark"})
        for iid in self.order:  # a complaint about a request is a complaint, not a status question
            if scores.get(iid, 0.0) >= self.MIN_INTENT:
                for other in self.intents[iid].get("suppresses") or ():
                    scores.pop(other, None)
        best = None
        for iid in self.order:
            if scores.get(iid, 0.0) >= self.MIN_INTENT and (best is None or scores[iid] > scores[best]):
                best = iid
        general = None
        if best is not None and all(v < self.MIN_INTENT for k, v in scores.items() if k != best):
            general = next((seq for seq, iid in self.general if iid == best and self._found(seq, stems, first)), None)
            if general and any(iid == best and self._found(seq, stems, first) for seq, iid in self.own):
                general = None
        if general:
            evidence.setdefault(best, []).append({"words": " ".join(general), "cue": "general"})
        return {
            "id": best,
            "score": scores.get(best, 0.0) if best else 0.0,
            "scores": {k: v for k, v in scores.items() if v > 0},
            "evidence": evidence.get(best, []),
            "cues": evidence,
            "general": general is not None,
        }

    def severity(self, units: list[Unit]) -> dict:
        """{"level", "levels", "evidence", "negated"}: outage > urgent > degraded > normal."""
        levels: list[str] = []
        evidence: list[dict] = []
        spans = self.severity_index.spans(units)
        degraded = [set(idx) for level, idx in spans if level == "degraded"]
        for level, idx in spans:
            if level != "degraded" and any(set(idx) < d for d in degraded):
                continue  # «скорость упала» is a degradation, though «упала» alone is an outage
            if level not in levels:
                levels.append(level)
            words = surface(units, idx)
            if not any(e["words"] == words for e in evidence):
                evidence.append({"words": words, "level": level})
        negated = []
        for level, idx in self.negated_index.spans(units):
            words = surface(units, idx)
            if words not in [n["words"] for n in negated] and not any(e["words"] == words for e in evidence):
                negated.append({"words": words, "level": level, "negated": True})
        levels.sort(key=("outage", "urgent", "degraded").index)
        return {"level": levels[0] if levels else "normal", "levels": levels, "evidence": evidence, "negated": negated}
