"""Russian-aware text normalization, tokenization and Snowball stemming for triage."""

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "NEGATIONS",
    "STOPWORDS",
    "content_stems",
    "normalize",
    "stem",
    "stems",
    "tokenize",
]

# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_DOUBLE_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033\u301d\u301e\u301f\uff02"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u2039\u203a\uff07"
# Invisible characters and stress marks (combining grave/acute) are dropped.
_DROPPED = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u0300\u0301"

_TRANSLATION = {ord("ё"): "е"}
_TRANSLATION.update({ord(c): "-" for c in _DASHES})
_TRANSLATION.update({ord(c): '"' for c in _DOUBLE_QUOTES})
_TRANSLATION.update({ord(c): "'" for c in _SINGLE_QUOTES})
_TRANSLATION.update({ord(c): None for c in _DROPPED})


def normalize(text: str) -> str:
    """NFKC, casefold, ё->е, unify dashes/quotes, drop invisibles, collapse whitespace.

    The numero sign is mapped to ``#`` first (NFKC would turn it into ``No``),
    so ``№123`` and ``#123`` normalize alike.
    """
    if "№" in text:
        text = text.replace("№", "#")
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLATION)
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        # casefold() or character removal may leave a non-NFKC string behind.
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATION)
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Tokenization
# ---------------------------------------------------------------------------

# A "chunk" is a whitespace/punctuation-delimited run that may hold a compound
# token (e-mail address, domain, IP address, order number).  Compound patterns
# are matched against a whole chunk only, which keeps tokenization linear.
_CHUNK_RE = re.compile(r"[\w.@+#-]+")
_HASH_SPACE_RE = re.compile(r"#\s+(?=\d)")

_LABEL = r"[^\W_]+(?:-+[^\W_]+)*"
_EMAIL_RE = re.compile(r"[\w+-]+(?:\.[\w+-]+)*@" + _LABEL + r"(?:\." + _LABEL + r")+")
_DOMAIN_RE = re.compile(
    _LABEL + r"(?:\." + _LABEL + r")*"
    r"\.(?:[a-z]{2,24}|xn--[a-z0-9]+(?:-+[a-z0-9]+)*|рф|рус|бел|укр|москва)"
)
# Order numbers, numbers (dotted numbers keep IPv4 addresses and versions
# whole), and words (letters/digits, optionally hyphenated).
_PLAIN_RE = re.compile(r"#\d+|\d+(?:\.\d+)*(?![^\W_])|[^\W_]+(?:-[^\W_]+)*")

# Hyphenated compounds that are written as one word.
_JOINED = {
    ("e", "mail"): "email",
    ("е", "mail"): "email",  # Cyrillic "е" typed by mistake
    ("wi", "fi"): "wifi",
    ("on", "line"): "online",
    ("off", "line"): "offline",
    # Indefinite pronouns: "кто-то вошёл в аккаунт" is about a stranger, not a stopword pair.
    ("кто", "то"): "кто-то",
    ("кто", "нибудь"): "кто-нибудь",
}


def _split_hyphenated(word: str, out: list) -> None:
    parts = word.split("-")
    i = 0
    last = len(parts) - 1
    while i <= last:
        if i < last:
            joined = _JOINED.get((parts[i], parts[i + 1]))
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        out.append(parts[i])
        i += 1


def tokenize(text: str) -> list[str]:
    """Split text into normalized tokens, keeping e-mails, domains, IPs and order numbers whole."""
    if len(text) <= _TOKENIZE_CACHED_LEN:
        return list(_tokenize_short(text))
    return _tokenize(text)


#: Texts up to this length are tokenized once per process: a policy's examples, keywords and cues are read again
#: every time an engine is built (`build.py check` builds one per topic example to leave it out).
_TOKENIZE_CACHED_LEN = 256


@lru_cache(maxsize=16384)
def _tokenize_short(text: str) -> tuple[str, ...]:
    return tuple(_tokenize(text))


def _tokenize(text: str) -> list[str]:
    text = normalize(text)
    if "#" in text:
        text = _HASH_SPACE_RE.sub("#", text)
    tokens: list[str] = []
    for match in _CHUNK_RE.finditer(text):
        chunk = match.group().strip(".-+")
        if not chunk:
            continue
        if "@" in chunk:
            if _EMAIL_RE.fullmatch(chunk):
                tokens.append(chunk)
                continue
        elif "." in chunk and _DOMAIN_RE.fullmatch(chunk):
            tokens.append(chunk)
            continue
        for word in _PLAIN_RE.findall(chunk):
            if "-" in word:
                _split_hyphenated(word, tokens)
            else:
                tokens.append(word)
    return tokens


# ---------------------------------------------------------------------------
# Snowball Russian stemmer
# ---------------------------------------------------------------------------

_VOWELS = frozenset("аеиоуыэюя")
_RUSSIAN_LETTERS = frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюя")

# Ending tables: ending -> group.  Group 1 endings must be preceded by
# "а" or "я" (which stays); group 2 endings are removed unconditionally.
_PERFECTIVE_GERUND = {
    **dict.fromkeys(("в", "вши", "вшись"), 1),
    **dict.fromkeys(("ив", "ивши", "ившись", "ыв", "ывши", "ывшись"), 2),
}
_ADJECTIVE = dict.fromkeys(
    (
        "ее",
        "ие",
        "ые",
        "ое",
        "ими",
        "ыми",
        "ей",
        "ий",
        "ый",
        "ой",
        "ем",
        "им",
        "ым",
        "ом",
        "его",
        "ого",
        "ему",
        "ому",
        "их",
        "ых",
        "ую",
        "юю",
        "ая",
        "яя",
        "ою",
        "ею",
    ),
    2,
)
_PARTICIPLE = {
    **dict.fromkeys(("ем", "нн", "вш", "ющ", "щ"), 1),
    **dict.fromkeys(("ивш", "ывш", "ующ"), 2),
}
_REFLEXIVE = dict.fromkeys(("ся", "сь"), 2)
_VERB = {
    **dict.fromkeys(
        (
            "ла",
            "на",
            "ете",
            "йте",
            "ли",
            "й",
            "л",
            "ем",
            "н",
            "ло",
            "но",
            "ет",
            "ют",
            "ны",
            "ть",
            "ешь",
            "нно",
        ),
        1,
    ),
    **dict.fromkeys(
        (
            "ила",
            "ыла",
            "ена",
            "ейте",
            "уйте",
            "ите",
            "или",
            "ыли",
            "ей",
            "уй",
            "ил",
            "ыл",
            "им",
            "ым",
            "ен",
            "ило",
            "ыло",
            "ено",
            "ят",
            "ует",
            "уют",
            "ит",
            "ыт",
            "ены",
            "ить",
            "ыть",
            "ишь",
            "ую",
            "ю",
        ),
        2,
    ),
}
_NOUN = dict.fromkeys(
    (
        "а",
        "ев",
        "ов",
        "ие",
        "ье",
        "е",
        "иями",
        "ями",
        "ами",
        "еи",
        "ии",
        "и",
        "ией",
        "ей",
        "ой",
        "ий",
        "й",
        "иям",
        "ям",
        "ием",
        "ем",
        "ам",
        "ом",
        "о",
        "у",
        "ах",
        "иях",
        "ях",
        "ы",
        "ь",
        "ию",
        "ью",
        "ю",
        "ия",
        "ья",
        "я",
    ),
    2,
)


def _table(endings: dict) -> tuple:
    return endings, max(map(len, endings))


_PERFECTIVE_GERUND_T = _table(_PERFECTIVE_GERUND)
_ADJECTIVE_T = _table(_ADJECTIVE)
_PARTICIPLE_T = _table(_PARTICIPLE)
_REFLEXIVE_T = _table(_REFLEXIVE)
_VERB_T = _table(_VERB)
_NOUN_T = _table(_NOUN)


def _remove_ending(word: str, rv: int, table_and_max: tuple) -> str | None:
    """Snowball ``[substring] among(...)`` within RV.

    The longest ending of ``table`` lying inside RV is selected; if its
    condition fails the whole step fails (no retry with a shorter ending).
    Returns the word without the ending, or None when nothing was removed.
    """
    table, max_len = table_and_max
    n = len(word)
    for size in range(min(max_len, n - rv), 0, -1):
        group = table.get(word[n - size :])
        if group is not None:
            if group == 1:
                i = n - size - 1
                if i < rv or (word[i] != "а" and word[i] != "я"):
                    return None
            return word[: n - size]
    return None


def _regions(word: str) -> tuple[int, int]:
    """Return the start positions of RV and R2."""
    n = len(word)
    i = 0
    while i < n and word[i] not in _VOWELS:
        i += 1
    if i == n:
        return n, n
    rv = i + 1
    # R1: after the first non-vowel following a vowel; R2: the same within R1.
    i = rv
    while i < n and word[i] in _VOWELS:
        i += 1
    i += 1
    while i < n and word[i] not in _VOWELS:
        i += 1
    i += 1
    while i < n and word[i] in _VOWELS:
        i += 1
    return rv, (i + 1 if i < n else n)


def _snowball_russian(word: str) -> str:
    rv, r2 = _regions(word)

    # Step 1: perfective gerund, or (reflexive +) adjectival / verb / noun.
    result = _remove_ending(word, rv, _PERFECTIVE_GERUND_T)
    if result is None:
        base = _remove_ending(word, rv, _REFLEXIVE_T)
        if base is None:
            base = word
        result = _remove_ending(base, rv, _ADJECTIVE_T)
        if result is not None:
            participle = _remove_ending(result, rv, _PARTICIPLE_T)
            if participle is not None:
                result = participle
        else:
            result = _remove_ending(base, rv, _VERB_T)
            if result is None:
                result = _remove_ending(base, rv, _NOUN_T)
                if result is None:
                    result = base
    word = result

    # Step 2: final "и".
    n = len(word)
    if n > rv and word[-1] == "и":
        word = word[:-1]
        n -= 1

    # Step 3: derivational ending ("ост", "ость") entirely inside R2.
    if word.endswith("ость"):
        size = 4
    elif word.endswith("ост"):
        size = 3
    else:
        size = 0
    if size and n - size >= r2:
        word = word[: n - size]
        n -= size

    # Step 4: superlative (then "нн" -> "н"), "нн" -> "н", or soft sign.
    if word.endswith("ейше") and n - 4 >= rv:
        word = word[:-4]
        n -= 4
        if word.endswith("нн") and n - 2 >= rv:
            word = word[:-1]
    elif word.endswith("ейш") and n - 3 >= rv:
        word = word[:-3]
        n -= 3
        if word.endswith("нн") and n - 2 >= rv:
            word = word[:-1]
    elif word.endswith("нн") and n - 2 >= rv or word.endswith("ь") and n - 1 >= rv:
        word = word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball Russian stem of a Cyrillic word; any other token is returned unchanged."""
    lowered = word.lower()
    if "ё" in lowered:
        lowered = lowered.replace("ё", "е")
    if not lowered or not _RUSSIAN_LETTERS.issuperset(lowered):
        return word
    return _snowball_russian(lowered)


def stems(text: str) -> list[str]:
    """Tokenize text and stem every token."""
    return [stem(token) for token in tokenize(text)]


# ---------------------------------------------------------------------------
# Stopwords
# ---------------------------------------------------------------------------

NEGATIONS = frozenset({"не", "нет", "ни", "без", "not"})

# Function words with no topic meaning.  Deliberately excluded: negations,
# negative words ("нельзя", "ничего", "никак", ...), intent-bearing question
# words ("почему", "сколько", "где", "куда", "откуда", "зачем") and
# frequency words ("иногда", "опять", "снова", "постоянно").
STOPWORDS = frozenset(
    [
        "а",
        "в",
        "во",
        "на",
        "с",
        "со",
        "к",
        "ко",
        "по",
        "у",
        "о",
        "об",
        "обо",
        "от",
        "ото",
        "из",
        "изо",
        "за",
        "до",
        "для",
        "при",
        "про",
        "под",
        "подо",
        "над",
        "надо",
        "перед",
        "передо",
        "через",
        "между",
        "после",
        "около",
        "возле",
        "вокруг",
        "кроме",
        "вместо",
        "среди",
        "мимо",
        "ради",
        "сквозь",
        "вдоль",
        "насчет",
        "и",
        "да",
        "но",
        "или",
        "либо",
        "что",
        "чтобы",
        "чтоб",
        "если",
        "когда",
        "пока",
        "хотя",
        "хоть",
        "потому",
        "поэтому",
        "так",
        "также",
        "тоже",
        "зато",
        "однако",
        "причем",
        "притом",
        "будто",
        "словно",
        "раз",
        "ибо",
        "тогда",
        "же",
        "ли",
        "ль",
        "бы",
        "б",
        "ж",
        "вот",
        "ну",
        "ведь",
        "уж",
        "даже",
        "лишь",
        "только",
        "именно",
        "просто",
        "разве",
        "неужели",
        "то",
        "нибудь",
        "таки",
        "вроде",
        "типа",
        "как",
        "очень",
        "слишком",
        "еще",
        "уже",
        "почти",
        "чуть",
        "более",
        "менее",
        "сейчас",
        "теперь",
        "потом",
        "здесь",
        "тут",
        "там",
        "всегда",
        "я",
        "меня",
        "мне",
        "мной",
        "мною",
        "мы",
        "нас",
        "нам",
        "нами",
        "ты",
        "тебя",
        "тебе",
        "тобой",
        "тобою",
        "вы",
        "вас",
        "вам",
        "вами",
        "он",
        "его",
        "ему",
        "им",
        "нем",
        "него",
        "нему",
        "ним",
        "она",
        "ее",
        "ей",
        "нее",
        "ней",
        "ею",
        "нею",
        "оно",
        "они",
        "их",
        "ими",
        "них",
        "ними",
        "себя",
        "себе",
        "собой",
        "собою",
        "мой",
        "моя",
        "мое",
        "мои",
        "моего",
        "моей",
        "моему",
        "моим",
        "моих",
        "моими",
        "моем",
        "мою",
        "твой",
        "твоя",
        "твое",
        "твои",
        "твоего",
        "твоей",
        "твоему",
        "твоим",
        "твоих",
        "твоими",
        "твоем",
        "твою",
        "наш",
        "наша",
        "наше",
        "наши",
        "нашего",
        "нашей",
        "нашему",
        "нашим",
        "наших",
        "нашими",
        "нашем",
        "нашу",
        "ваш",
        "ваша",
        "ваше",
        "ваши",
        "вашего",
        "вашей",
        "вашему",
        "вашим",
        "ваших",
        "вашими",
        "вашем",
        "вашу",
        "свой",
        "своя",
        "свое",
        "свои",
        "своего",
        "своей",
        "своему",
        "своим",
        "своих",
        "своими",
        "своем",
        "свою",
        "этот",
        "эта",
        "это",
        "эти",
        "этого",
        "этой",
        "этому",
        "этим",
        "этих",
        "этими",
        "этом",
        "эту",
        "тот",
        "та",
        "те",
        "того",
        "той",
        "тому",
        "тем",
        "тех",
        "теми",
        "том",
        "ту",
        "такой",
        "такая",
        "такое",
        "такие",
        "такого",
        "такому",
        "таким",
        "таких",
        "такими",
        "таком",
        "такую",
        "какой",
        "какая",
        "какое",
        "какие",
        "какого",
        "какому",
        "каким",
        "каких",
        "какими",
        "каком",
        "какую",
        "который",
        "которая",
        "которое",
        "которые",
        "которого",
        "которой",
        "которому",
        "которым",
        "которых",
        "которыми",
        "котором",
        "которую",
        "весь",
        "вся",
        "все",
        "всего",
        "всей",
        "всему",
        "всем",
        "всех",
        "всеми",
        "всю",
        "сам",
        "сама",
        "само",
        "сами",
        "самого",
        "самой",
        "самому",
        "самим",
        "самих",
        "самими",
        "самом",
        "саму",
        "кто",
        "кого",
        "кому",
        "кем",
        "ком",
        "что",
        "чего",
        "чему",
        "чем",
        "быть",
        "был",
        "была",
        "было",
        "были",
        "буду",
        "будет",
        "будем",
        "будете",
        "будут",
        "есть",
        "является",
        "можно",
        "нужно",
        "надо",
        "хочу",
        "хотим",
        "хотел",
        "хотела",
        "хотели",
        "пожалуйста",
        "здравствуйте",
        "здравствуй",
        "привет",
        "добрый",
        "доброе",
        "доброго",
        "день",
        "вечер",
        "утро",
        "спасибо",
        "благодарю",
        "заранее",
        "уважаемые",
        "уважаемый",
        "подскажите",
        "скажите",
    ]
)


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword tokens of text, in order (negations are kept)."""
    return [stem(token) for token in tokenize(text) if token not in STOPWORDS]
