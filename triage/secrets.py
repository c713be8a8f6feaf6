"""Finding secrets in what the customer typed (passwords, keys, tokens, card data) and masking them.

Rules (the corpus in tests/data/secrets/ checks them; docs state them in Russian):

- **Password**: a password word (пароль/пасс/пассворд/password/passwd/pass/pwd/pw/passphrase, PIN/ПИН-код, also
  inside a config name such as DB_PASSWORD) followed by a value. After a separator (``:``, ``=``, ``=>``, a dash)
  or a connector (``is``/``was``/``это``/``теперь``), optionally after a few words («пароль для входа в панель:»),
  the next word is the password unless it only describes one («забыл», «неверный», «wrong», «***»): a lowercase
  Cyrillic word, or an English state word. Without a separator the next word counts only if it looks like a
  password: a digit or special character, letters of mixed case, or a Latin word after a Russian label
  («новый пароль Qwerty») that is not a service name (FTP, SSH, cPanel ...). «логин/пароль: a/b» and
  «логин и пароль: a b» mask only the password (b). A password in a URL (``scheme://user:PASSWORD@host``) too.
- **Card number**: every run of 13–19 digits (single spaces or dashes between groups allowed) that passes the
  Luhn check, including well-known test cards, unless it is clearly another identifier: glued to a word, a
  phone (``+``), ``#``/``№`` before it, part of a dotted number, or an identifier word just before it (ИНН, ОГРН,
  заказ, договор, заявка, счёт, тикет, трек, order, ticket, invoice, ...; a card word such as «карта» nearer to
  the number wins). In a longer run of groups a card-shaped part (groups of 3+ digits starting with 4+) counts.
- **Card code**: 3–4 digits after CVC/CVV/CVV2/CVN/CSC (also Cyrillic look-alikes, «код безопасности»).
- **Card expiry**: MM/YY or MM/YYYY right after a card number, or after «срок действия»/«exp»/«valid thru»/
  «действует до» when a card is mentioned just before.
- **Token**: known formats (GitHub ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, GitLab glpat-, Slack xox*- and hook
  URLs, Stripe sk_/rk_ live/test, Google AIza, OpenAI-style sk-, Telegram bot tokens, AWS access key ids, JWTs,
  npm, SendGrid, DigitalOcean, Yandex y0_), a labelled value (token/api_key/secret/ключ API/Bearer/
  Authorization ...), and any unlabelled run of 32+ characters of upper- and lowercase letters and digits
  (also ``/``, ``+`` as in AWS secret keys) that is not a path, an SSH public key or a fingerprint.
- **Private key**: a PEM block ``-----BEGIN ... PRIVATE KEY-----`` up to its END line (or the end of the text),
  and a PuTTY key file.
- Every other occurrence of a found value (or of a value found in another field) is masked too.

Every pattern is linear in the length of the text: a match can only start at the start of a run of its
characters, and values are bounded.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import NamedTuple


class Secret(NamedTuple):
    """Where a secret sits in a string and what kind it is; the value itself is never reported."""

    start: int
    end: int
    kind: str


KIND_LABELS = {
    "private_key": "закрытый ключ",
    "password": "пароль",
    "token": "API-токен или ключ доступа",
    "card": "номер банковской карты",
    "card_code": "код CVC/CVV карты",
    "card_expiry": "срок действия карты",
}

#: At most this many distinct found values are searched for again elsewhere in the text (keeps masking
#: linear for adversarial input; a text within the engine's length cap never has that many).
REPEAT_LIMIT = 200
#: A password or labelled token value is read up to this many characters.
_VALUE_MAX = 256

# --- private keys ---------------------------------------------------------------------------------

_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----"
    r"(?:.*?-----END (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----|.*\Z)",
    re.S,
)
_PUTTY_KEY = re.compile(r"PuTTY-User-Key-File-\d+:.*?(?:Private-MAC: *[0-9a-fA-F]+|\Z)", re.S)

# --- passwords ------------------------------------------------------------------------------------

_PW_LABEL = re.compile(
    r"(?i)(?:(?<![\w])|(?<=_))"
    r"(?:парол[а-яё]{0,3}|пасс(?:ворд)?|пасворд|passwords?|passwd|passphrase|pass|pwd|pw|пин(?:-?код)?"
    r"|pin(?:[- ]?code)?)"
    r"(?![a-zа-яё0-9])"
)
_CYRILLIC_LABEL = re.compile(r"(?i)[а-яё]")
#: Right after the label: an optional closing quote and a hard separator.
_PW_SEP = re.compile(r"""["'»]?[ \t]{0,8}(?:=>|[:=]{1,2}|[—–]|-{1,2}(?=[ \t])|,(?=[ \t]*["']))[ \t]{0,8}""")
#: A few words (for what the password is), then a separator or a connector.
_PW_CONTEXT_SEP = re.compile(
    r"""(?i)(?:[ \t]{1,4}(?!(?:логин|login|user|email|e-mail|почта|имя|name)\b)"""
    r"""[^\s:=,.;!?()"«»]{1,30}(?:\.[^\s:=,.;!?()"«»]{1,30}){0,3}){0,5}?"""
    r"""(?:[ \t]{0,4}(?:=>|[:=]|[—–](?=[ \t])|-(?=[ \t]))"""
    r"""|[ \t]{1,4}(?:is|was|это|будет|теперь|стал|был|была)(?=[ \t]))"""
    r"""[ \t]{0,8}"""
)
_PW_SOFT_CONTEXT = re.compile(r"(?i)[ \t]{1,4}(?:от|для|к|на|в|of|for|to|on)[ \t]{1,4}[^\s:=,.;!?]{1,30}[ \t]{1,4}")
_PW_SPACE = re.compile(r"[ \t]{1,8}")
_PW_CHANGED_TO = re.compile(r"(?i)[ \t]{1,4}(?:на|to)[ \t]{1,4}")  # «сменил пароль на X»: X needs a digit or a sign
_VALUE = re.compile(r"""[«"'“(\[]?([^\s«»"'“”]{1,""" + str(_VALUE_MAX) + "})")
_PAIR_BEFORE = re.compile(
    r"(?i)(?:логин|login|user(?:name)?|юзер|пользователь|имя пользователя|учётка|учетка|email|e-mail|почта)"
    r"[ \t]*(?:/|:|\||\\|,|и|and|&|\+)[ \t]*$"
)
_PAIR_SPLIT = re.compile(r"[/:|\\]")
#: Words that say something about a password instead of being one (compared lowercase).
_NOT_A_PASSWORD = frozenset(
    [
        "забыл",
        "забыла",
        "забыли",
        "не",
        "нет",
        "неверный",
        "неверен",
        "неправильный",
        "верный",
        "правильный",
        "сброшен",
        "сбросил",
        "сбросила",
        "изменен",
        "изменён",
        "поменял",
        "поменяла",
        "стандартный",
        "старый",
        "новый",
        "прежний",
        "тот",
        "такой",
        "же",
        "пустой",
        "отсутствует",
        "утерян",
        "потерян",
        "скрыт",
        "есть",
        "был",
        "была",
        "подходит",
        "работает",
        "forgot",
        "forgotten",
        "forget",
        "wrong",
        "incorrect",
        "invalid",
        "expired",
        "reset",
        "changed",
        "unknown",
        "none",
        "null",
        "empty",
        "lost",
        "required",
        "correct",
        "ok",
        "not",
        "is",
        "was",
        "the",
        "a",
        "an",
        "same",
        "hidden",
        "missing",
        "blank",
        "protected",
        "too",
        "very",
        "also",
        "and",
        "or",
        "but",
        "ftp",
        "sftp",
        "ssh",
        "mysql",
        "sql",
        "phpmyadmin",
        "root",
        "user",
        "cpanel",
        "ispmanager",
        "isp",
        "plesk",
        "vesta",
        "hestia",
        "fastpanel",
        "wordpress",
        "wp",
        "bitrix",
        "joomla",
        "email",
        "e-mail",
        "mail",
        "smtp",
        "imap",
        "pop",
        "vps",
        "vds",
        "api",
        "rdp",
        "vnc",
        "ipmi",
        "wifi",
        "wi-fi",
        "db",
        "panel",
        "hosting",
        "manager",
        "recovery",
        "policy",
        "field",
        "n/a",
        "na",
        "sms",
        "смс",
        "2fa",
        "otp",
        "totp",
        "outlook",
        "gmail",
        "yandex",
        "google",
        "apple",
        "windows",
        "linux",
        "ubuntu",
        "putty",
        "filezilla",
        "thunderbird",
        "telegram",
        "whatsapp",
        "bitrix24",
        "1c",
    ]
)
_PLACEHOLDER = re.compile(r"^(?:[*•·.?xX_#-]+|\[удалено.*|<[^>]*>?|\.\.\.)$")
#: An address, a domain or a URL after «пароль от почты» names the account, it is no password.
_ADDRESS = re.compile(r"(?i)^(?:https?://\S+|[^@\s]+@[^@\s]+|(?:[\w-]+\.)+[a-zа-яё]{2,}/?)$")
_SPECIAL = re.compile(r"[\d!@#$%^&*_+=~?<>{}\[\]|\\/]")
_URL_PASSWORD = re.compile(r"(?i)(?<![\w+.-])[a-z][a-z0-9+.-]{1,15}://[^\s:/@]{1,64}:([^\s@/]{1,128})@")

# --- card data ------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_DIGIT_RUN = re.compile(r"\d+(?:[ -]\d+)*")  # digit groups joined by single spaces or dashes
_CARD_WORD = re.compile(r"(?i)^(?:карт|card|visa|виза|master|мастер|maestro|маэстро|мир$|amex|cc$|pan$|кредитк)")
_ID_WORD = re.compile(
    r"(?i)^(?:инн|огрн|кпп|бик|снилс|окпо|оквэд|договор|контракт|заказ|заявк|тикет|обращени|сч[её]т|сч$|лицев|"
    r"л/с|р/с|к/с|расч[её]т|корр|id$|uid|uuid|order|ticket|invoice|contract|трек|трэк|track|накладн|телефон|"
    r"тел$|phone|imei|serial|"
    r"серийн|s/n|sn$|транзакц|transaction|txn|платеж|платёж|payment|квитанц|чек|услуг|timestamp|паспорт|полис|"
    r"штрих|barcode|артикул|sku|inn$|ogrn|ls$)"
)
_WORDS = re.compile(r"[A-Za-zА-Яа-яЁё/_]+")
_EXPIRY_NEAR = re.compile(
    r"[^\d\n]{0,25}?(?:до[ \t]+)?(?<![\d/.])((?:0[1-9]|1[0-2])[ \t]?[/.\-][ \t]?(?:20)?\d\d)"
    r"(?![\d/.])"
)
_EXPIRY_LABEL = re.compile(
    r"(?i)(?:срок(?:а|ом)?[ \t]+действия|действует[ \t]+до|действительна[ \t]+до|годна[ \t]+до|годен[ \t]+до|"
    r"exp(?:iry|iration|ires)?(?:[ \t]+date)?|valid[ \t]+(?:thru|through|until)|мм/гг|mm/yy)[ \t]*[:\-—.=]?[ \t]*"
    r"(?:до[ \t]+)?((?:0[1-9]|1[0-2])[ \t]?[/.\-][ \t]?(?:20)?\d\d)(?![\d/.])"
)
_CARD_MENTION = re.compile(r"(?i)карт|card|visa|mastercard|мир\b")
_CARD_CODE = re.compile(
    r"(?i)(?<![a-zа-яё0-9])(?:cvc2?|cvv2?|cvn2?|csc|cid|свс|свв|свц|цвц|cvc/cvv2?|cvv/cvc2?|код[ \t]+безопасности|"
    r"security[ \t]+code|card[ \t]+code|(?:три[ \t]+)?цифры[ \t]+(?:на[ \t]+обороте|сзади|с[ \t]+обратной[ \t]+стороны)"
    r"|код[ \t]+(?:на[ \t]+обороте|сзади|с[ \t]+обратной[ \t]+стороны))(?![a-zа-яё0-9])"
    r"(?:[- ]?(?:код|code))?(?:[ \t]+карты)?[ \t]*(?:[:=\-—–]|is|это)?[ \t]*(\d{3,4})(?!\d)"
)

# --- tokens ---------------------------------------------------------------------------------------

_KNOWN_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_\-])(?:"
    r"gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255}|glpat-[A-Za-z0-9_\-]{20,255}"
    r"|xox[abprseo]-[A-Za-z0-9\-]{10,255}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,255}|whsec_[A-Za-z0-9]{16,255}"
    r"|AIza[0-9A-Za-z_\-]{30,40}|ya29\.[0-9A-Za-z_\-]{20,255}|sk-[A-Za-z0-9_\-]{20,255}"
    r"|(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[0-9A-Z]{16}"
    r"|eyJ[A-Za-z0-9_\-]{8,2048}\.[A-Za-z0-9_\-]{8,4096}\.[A-Za-z0-9_\-]{0,2048}"
    r"|npm_[A-Za-z0-9]{30,40}|SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}|dop_v1_[a-f0-9]{64}"
    r"|y0_[A-Za-z0-9_\-]{30,255}|t1\.[A-Za-z0-9_\-]{30,255}\.[A-Za-z0-9_\-]{30,255}|shp(?:at|ss|ca)_[a-fA-F0-9]{32}"
    r"|pypi-[A-Za-z0-9_\-]{50,255}|key-[0-9a-f]{32}"
    r"|\d{8,10}:AA[A-Za-z0-9_\-]{32,40}"  # Telegram bot token
    r")(?![A-Za-z0-9_\-])"
)
_HOOK_URL = re.compile(
    r"(?i)https?://hooks\.slack\.com/services/[A-Za-z0-9/_\-]{10,200}"
    r"|https?://discord(?:app)?\.com/api/webhooks/[A-Za-z0-9/_\-]{10,200}"
)
_TOKEN_LABEL = re.compile(
    r"(?i)(?:(?<![\w])|(?<=_))(?:api[_ \-]?key|apikey|api[_ \-]?token|access[_ \-]?key(?:[_ \-]?id)?|"
    r"secret[_ \-]?access[_ \-]?key|secret[_ \-]?key|client[_ \-]?secret|secret|auth[_ \-]?token|access[_ \-]?token|"
    r"refresh[_ \-]?token|bot[_ \-]?token|token|токен[а-я]{0,2}|api[- ]?ключ[а-я]{0,2}|апи[- ]?ключ[а-я]{0,2}|"
    r"ключ[а-я]{0,2}[ \t]+(?:api|апи|доступа)|секретн[а-я]{0,3}[ \t]+ключ[а-я]{0,2}|секрет|"
    r"authorization|bearer)(?![a-zа-яё0-9])"
)
_TOKEN_SEP = re.compile(
    r"""["']?[ \t]{0,8}(?:=>|[:=]|,(?=[ \t]*["']))[ \t]{0,8}["']?"""
    r"""(?:(?i:bearer|basic|token|digest)[ \t]{1,4})?"""
)
_TOKEN_VALUE = re.compile(r"([A-Za-z0-9_\-.+/=~]{1," + str(_VALUE_MAX) + r"})(?![A-Za-z0-9_\-+/=~])")
_LONG_RUN = re.compile(r"(?<![A-Za-z0-9_\-+/=.:@~%\\])[A-Za-z0-9_\-+/=]{32,}")
_NOT_SECRET_BEFORE = re.compile(
    r"(?i)(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com"
    r"|sha256:|sha1:|md5:)[ \t]*$"
)
_NOT_A_TOKEN = frozenset(
    ["invalid", "expired", "missing", "wrong", "incorrect", "revoked", "required", "none", "null", "empty", "unknown"]
)


def _luhn(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = int(ch)
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _value_at(text: str, pos: int) -> tuple[int, int] | None:
    """The word starting at pos (opening quote skipped, closing punctuation dropped) as (start, end)."""
    m = _VALUE.match(text, pos)
    if not m:
        return None
    start, end = m.start(1), m.end(1)
    while end > start and text[end - 1] in ".,;:)]»”\"'?":
        end -= 1
    return (start, end) if end - start >= 3 else None


def _looks_like_password(value: str, russian_label: bool, connector: bool) -> bool:
    """Whether a word that follows a password word without a separator is a password."""
    if value.lower() in _NOT_A_PASSWORD or _PLACEHOLDER.match(value) or _ADDRESS.match(value):
        return False
    if _SPECIAL.search(value):
        return True
    letters = [c for c in value if c.isalpha()]
    latin = bool(letters) and all("a" <= c.lower() <= "z" for c in letters)
    if any(c.isupper() for c in value[1:]) and any(c.islower() for c in value):
        return True  # mixed case: QwErty, hunTer
    if latin and russian_label:
        return True  # «новый пароль Qwerty»
    return connector and latin and value[:1].isupper()  # «my password is Qwerty»


def _accept_after_separator(value: str) -> bool:
    """Whether the word after «пароль:» is a password (not a word about one such as «забыл»)."""
    if value.lower() in _NOT_A_PASSWORD or _PLACEHOLDER.match(value):
        return False
    # A Russian word describes the password («забыл», «Такой»).
    return not re.fullmatch(r"[А-ЯЁа-яё][а-яё-]*", value)


def _has(low: str, hints: tuple[str, ...]) -> bool:
    """A quick look before a slower pattern: whether any of the hints occurs in the lowercased text."""
    return any(h in low for h in hints)


_PAIR_HINTS = ("логин", "login", "user", "юзер", "пользоват", "учет", "учёт", "mail", "почт")
_PW_HINTS = ("пар", "пас", "pas", "pw", "pin", "пин")
_CODE_HINTS = ("cv", "csc", "cid", "св", "цв", "код", "code", "цифр")
_CARD_HINTS = (
    "карт",
    "card",
    "visa",
    "виза",
    "мир",
    "master",
    "мастер",
    "maestro",
    "маэстро",
    "amex",
    "cc",
    "pan",
    "кредитк",
)
_TOKEN_HINTS = ("key", "token", "secret", "auth", "bearer", "токен", "ключ", "секрет")


def _passwords(text: str, low: str) -> list[Secret]:
    found: list[Secret] = []
    if not _has(low, _PW_HINTS):
        return found
    pos = 0
    while True:
        m = _PW_LABEL.search(text, pos)
        if not m:
            return found
        pos = m.end()
        russian = bool(_CYRILLIC_LABEL.match(m.group()))
        span = None
        sep = _PW_SEP.match(text, m.end()) or _PW_CONTEXT_SEP.match(text, m.end())
        if sep:
            span = _value_at(text, sep.end())
            connector = not re.search(r"[:=—–-]", sep.group())
            if span:
                value = text[span[0] : span[1]]
                ok = _looks_like_password(value, russian, True) if connector else _accept_after_separator(value)
                span = span if ok else None
        if span is None:
            soft = _PW_CHANGED_TO.match(text, m.end()) or _PW_SOFT_CONTEXT.match(text, m.end())
            direct = soft or _PW_SPACE.match(text, m.end())
            if direct:
                span = _value_at(text, direct.end())
                if span:
                    value = text[span[0] : span[1]]
                    ok = (
                        _SPECIAL.search(value) and not _ADDRESS.match(value)
                        if soft
                        else _looks_like_password(value, russian, False)
                    )
                    span = span if ok and value.lower() not in _NOT_A_PASSWORD else None
        if span is None:
            continue
        start, end = span
        if _has(low[max(0, m.start() - 40) : m.start()], _PAIR_HINTS) and _PAIR_BEFORE.search(
            text, max(0, m.start() - 40), m.start()
        ):
            # «логин/пароль: shop42/Qwe123» or «логин и пароль: shop42 Qwe123»: only the password is secret
            split = _PAIR_SPLIT.search(text, start, end)
            if split and split.end() < end:
                start = split.end()
            else:
                nxt = _PW_SPACE.match(text, end)
                second = _value_at(text, nxt.end()) if nxt else None
                if second:
                    start, end = second
        found.append(Secret(start, end, "password"))
        pos = max(pos, end)


def _context_says(text: str, start: int) -> str | None:
    """'card' or 'id' if a word just before position start names a card or another kind of number."""
    window = text[max(0, start - 48) : start]
    window = re.split(r"[\n.!?;]", window)[-1]
    for word in reversed(_WORDS.findall(window)[-4:]):
        word = word.strip("/_").lower()
        if _CARD_WORD.match(word):
            return "card"
        if _ID_WORD.match(word):
            return "id"
    return None


def _excluded_run(text: str, start: int, end: int) -> bool:
    """Whether the digits at start..end are glued to something that makes them not a card number."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    if before[-1:] and (before[-1].isalnum() or before[-1] in "_+#№@/\\:$€£"):
        return True
    if before[-1:] in (".", ",") and before[:1].isdigit():
        return True
    if before in ("# ", "№ ", "+ ") or before[-1:] == "-" and before[:1].isalnum():
        return True
    if after[:1] and (after[0].isalnum() or after[0] == "_"):
        return True
    return after[:1] in (".", ",", ":", "/", "-") and after[1:2].isdigit()


def _card_parts(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Groups i..j of a run of digit groups that form a Luhn-valid 13-19 digit number: the whole run if it is
    one, else card-shaped parts (a first group of 4+ digits, then groups of 3+), longest first from the left."""
    whole = "".join(text[s:e] for s, e in run)
    if 13 <= len(whole) <= 19 and _luhn(whole):
        return [(0, len(run) - 1)]
    parts: list[tuple[int, int]] = []
    i = 0
    while i < len(run):
        best, digits = None, ""
        for j in range(i, len(run)):
            s, e = run[j]
            if e - s < (4 if j == i else 3):
                break
            digits += text[s:e]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and _luhn(digits):
                best = j
        if best is None:
            i += 1
        else:
            parts.append((i, best))
            i = best + 1
    return parts


def _cards(text: str, low: str) -> list[Secret]:
    found: list[Secret] = []
    runs = []
    for m in _DIGIT_RUN.finditer(text):
        if m.end() - m.start() >= 13:
            runs.append([(g.start(), g.end()) for g in _DIGITS.finditer(text, m.start(), m.end())])
    for run in runs:
        if sum(e - s for s, e in run) < 13:
            continue
        for i, j in _card_parts(text, run):
            start, end = run[i][0], run[j][1]
            if _excluded_run(text, start, end) or _context_says(text, start) == "id":
                continue
            found.append(Secret(start, end, "card"))
            near = _EXPIRY_NEAR.match(text, end)
            if near:
                found.append(Secret(near.start(1), near.end(1), "card_expiry"))
    if _has(low, _CODE_HINTS):
        for m in _CARD_CODE.finditer(text):
            found.append(Secret(m.start(1), m.end(1), "card_code"))
    if not found and not _has(low, _CARD_HINTS):
        return found
    card_ends = [s.end for s in found if s.kind == "card"]  # in order of position
    for m in _EXPIRY_LABEL.finditer(text):
        i = bisect.bisect_right(card_ends, m.start())
        if _CARD_MENTION.search(text, max(0, m.start() - 80), m.start() + 1) or i and m.start() - card_ends[i - 1] < 80:
            found.append(Secret(m.start(1), m.end(1), "card_expiry"))
    return found


def _tokens(text: str, low: str) -> list[Secret]:
    found: list[Secret] = []
    for m in _KNOWN_TOKEN.finditer(text):
        found.append(Secret(m.start(), m.end(), "token"))
    for m in _HOOK_URL.finditer(text):
        found.append(Secret(m.start(), m.end(), "token"))
    for m in _TOKEN_LABEL.finditer(text) if _has(low, _TOKEN_HINTS) else ():
        sep = _TOKEN_SEP.match(text, m.end())
        labelled = sep is not None
        if sep is None:
            sep = _PW_SPACE.match(text, m.end())
            if sep is None:
                continue
        v = _TOKEN_VALUE.match(text, sep.end())
        if not v:
            continue
        value = v.group(1).rstrip(".")
        if value.lower() in _NOT_A_TOKEN or _PLACEHOLDER.match(value):
            continue
        has_digit = any(c.isdigit() for c in value)
        has_alpha = any(c.isalpha() for c in value)
        if labelled:
            ok = len(value) >= 8 and (has_digit or len(value) >= 16) or len(value) >= 6 and has_digit and has_alpha
        else:  # «Bearer abc...», «token abc...»: a long random-looking value only
            ok = len(value) >= 16 and has_digit and has_alpha
        if ok:
            found.append(Secret(v.start(1), v.start(1) + len(value), "token"))
    for m in _LONG_RUN.finditer(text):
        run = m.group()
        if not (any(c.isupper() for c in run) and any(c.islower() for c in run) and any(c.isdigit() for c in run)):
            continue
        if run.startswith("/") or "//" in run or run.count("/") > max(3, len(run) // 12):
            continue
        seps = run.count("-") + run.count("_")
        if seps >= 3 and all(len(p) <= 12 for p in re.split(r"[-_]", run)):
            continue  # a hyphenated name, not a random string
        if _NOT_SECRET_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # an SSH public key or a fingerprint
        found.append(Secret(m.start(), m.end(), "token"))
    return found


def find(text: str, known: Iterable[tuple[str, str]] = ()) -> list[Secret]:
    """Non-overlapping secrets in order of position.

    Every other occurrence of a secret found here, or of a `known` (value, kind) found in another field,
    is a secret too: a value of 8+ characters wherever it appears, a shorter one as a whole word.
    """
    if not text:
        return []
    found: list[Secret] = []
    for pattern in (_PRIVATE_KEY, _PUTTY_KEY) if "-----BEGIN" in text or "PuTTY" in text else ():
        for m in pattern.finditer(text):
            found.append(Secret(m.start(), m.end(), "private_key"))
    low = text.lower()
    found.extend(_passwords(text, low))
    for m in _URL_PASSWORD.finditer(text) if "://" in text else ():
        found.append(Secret(m.start(1), m.end(1), "password"))
    found.extend(_tokens(text, low))
    found.extend(_cards(text, low))
    merged = _merge(found)
    values: dict[str, str] = {}
    for s in merged:
        values.setdefault(text[s.start : s.end], s.kind)
    for value, kind in sorted(known):
        if value:
            values.setdefault(value, kind)
    if values:
        return _merge(found + _repeats(text, values))
    return merged


def _repeats(text: str, values: dict[str, str]) -> list[Secret]:
    """Every occurrence of the values: one of 8+ characters anywhere, a shorter one as a whole word.

    Linear for adversarial input: at most REPEAT_LIMIT values (longest first) in two alternations whose
    first characters the regex engine scans for, and at most 16 values longer than a word (a key block).
    """
    out: list[Secret] = []
    chosen = sorted(values, key=lambda v: (-len(v), v))
    for value in [v for v in chosen if len(v) > _VALUE_MAX][:16]:
        i = text.find(value)
        while i >= 0:
            out.append(Secret(i, i + len(value), values[value]))
            i = text.find(value, i + len(value))
    rest = [v for v in chosen if len(v) <= _VALUE_MAX][:REPEAT_LIMIT]
    longer = [re.escape(v) for v in rest if len(v) >= 8]
    if longer:
        for m in re.finditer("|".join(longer), text):
            out.append(Secret(m.start(), m.end(), values[m.group()]))
    shorter = [re.escape(v) for v in rest if len(v) < 8]
    if shorter:
        pattern = re.compile("(?:" + "|".join(shorter) + r")(?!\w)")
        pos = 0
        while m := pattern.search(text, pos):
            before = text[m.start() - 1] if m.start() else " "
            if before.isalnum() or before == "_":
                pos = m.start() + 1
            else:
                out.append(Secret(m.start(), m.end(), values[m.group()]))
                pos = m.end()
    return out


def _merge(found: list[Secret]) -> list[Secret]:
    """Non-overlapping secrets in order of position (at one position the longest wins)."""
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[Secret] = []
    for s in found:
        if merged and s.start < merged[-1].end:
            continue
        merged.append(s)
    return merged


def mask(text: str, secrets: list[Secret] | None = None) -> str:
    """The text with every secret replaced by a marker naming its kind (labels such as «пароль:» stay)."""
    secrets = find(text) if secrets is None else secrets
    if not secrets:
        return text
    out, pos = [], 0
    for s in secrets:
        out.append(text[pos : s.start])
        out.append(f"[удалено: {KIND_LABELS[s.kind]}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)
