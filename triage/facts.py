"""Facts the customer already wrote: identifiers, error texts, when it started, how often; the no-account signal.

One regular expression per kind of fact, in this module only (the draft, the lint and the field checks all use
these). A recognised value is always a substring of what the customer typed: nothing is invented, reformatted or
completed. The caller passes text whose secrets are already masked (``triage.secrets``), so a recognised value
never carries a secret.

`recognise(text)` returns ``{field: value}`` for the draft's fields (`vocab.IDENTIFIERS` and the description
fields); several distinct findings of one kind are joined with ", " (each of them is still the customer's own
text). `no_account(text)` says whether the customer says they have no account yet or asks before buying.
"""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple

__all__ = [
    "Fact",
    "FACT_FIELDS",
    "PATTERNS",
    "find",
    "no_account",
    "presales",
    "recognise",
    "error_code",
    "is_domain",
    "is_ip",
    "is_email",
]

# --- building blocks ---------------------------------------------------------------------------------

#: Top-level domains recognised in free text (a bare "word.word" is too often a file name or a typo).
_TLDS = (
    "ru|рф|su|com|net|org|info|pro|online|site|shop|store|biz|io|me|dev|app|tech|by|kz|ua|uz|am|ge|az|kg|"
    "eu|de|uk|us|fr|nl|pl|cz|lv|lt|ee|fi|co|cc|tv|ai|xyz|club|cloud|host|hosting|space|website|world|"
    "moscow|москва|рус|бел|укр|xn--[a-z0-9-]{2,59}"
)
_LABEL = r"[a-zа-яё0-9](?:[a-zа-яё0-9-]{0,61}[a-zа-яё0-9])?"
_STATUS_PHRASES = (
    r"(?:bad gateway|gateway time-?out|not found|forbidden|internal server error|service unavailable|"
    r"unauthorized|bad request|too many requests|payload too large|method not allowed)"
)
#: An HTTP-like status code (not an SMTP reply) with its phrase if given: "502", "HTTP 404 Not Found".
_CODE = r"(?:http\s*)?[1-5]\d\d\b(?![ -][245]\.\d)(?:[ \t]+" + _STATUS_PHRASES + r"\b)?"
_NUMBER_SIGN = r"(?:номер(?:ом)?\s?)?:?\s?"

_MONTH = r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
_DATE = r"(?:[0-2]?\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./](?:\d{4}|\d{2}))?(?![\d.])"
_DAY = r"(?:вчера|сегодня|позавчера|yesterday|today|" + _DATE + r"|\d{1,2}\s+" + _MONTH + ")"
_CLOCK = (
    r"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?![\d.:])|\d{1,2}\s?(?:am|pm)\b"
    r"|\d{1,2}\s+(?:час(?:а|ов)?\s+)?(?:утра|вечера|ночи)\b)"
)
_ZONE = (
    r"(?:\s*(?:по\s+)?(?:мск|msk|utc|gmt|cet|cest|eet|eest|москве|московскому(?: времени)?"
    r"|(?:utc|gmt)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[+-]\d{1,2}(?::\d{2})?)(?!\w))?"
)
_PREP = r"(?:с|со|since|from|начиная с|около|примерно с|примерно в|в|at)\s+"
_ON_DAY = r"(?:" + _DAY + r"(?:,?\s+(?:в|с|около|at|since)\s+|\s+))?"
#: A clock time, maybe with its day and zone: "с 10:30 МСК", "вчера в 23:15", "с 8 утра", "since 3am", "с 9.30"
#: (a dotted time only after a preposition: "версия 10.15" is no time).
_AT_CLOCK = (
    r"(?:(?:"
    + _PREP
    + r")?"
    + _ON_DAY
    + _CLOCK
    + "|"
    + _PREP
    + _ON_DAY
    + r"(?:[01]?\d|2[0-3])\.[0-5]\d(?![\d.:]))"
    + _ZONE
)
#: A day with the part of it: "вчера вечером", "since yesterday".
_AT_DAY = (
    r"(?:(?:с|со|since)\s+)?(?:вчера|сегодня|позавчера|yesterday|today)"
    r"(?:\s+(?:утром|вечером|ночью|днём|днем|после обеда|morning|evening|night))?(?!\w)"
)
#: "с утра", "с понедельника", "с 12 ноября".
_SINCE = (
    r"(?:с|со|since)\s+(?:утра|вечера|ночи|обеда|понедельника|вторника|среды|четверга|пятницы|субботы|"
    r"воскресенья|выходных|вчерашнего дня|прошлой недели|прошлого месяца|" + _DATE + "|"
    r"\d{1,2}\s+" + _MONTH + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?!\w)"
)

#: The value is group "v" when the pattern has one, else the whole match.
PATTERNS: dict[str, re.Pattern] = {
    "email": re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@(?:" + _LABEL + r"\.)+(?:" + _TLDS + r"|[a-z]{2,24})(?![\w-])"),
    "urls": re.compile(r"(?i)\bhttps?://[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]"),
    "ip": re.compile(
        r"(?i)(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|(?:[0-9a-f]{1,4}:){1,7}:?(?:[0-9a-f]{1,4}:?){0,7})"
        r"(?![\w:]|\.\w)"
    ),
    "domain": re.compile(r"(?i)(?<![\w.@/-])(?:" + _LABEL + r"\.)+(?:" + _TLDS + r")(?![\w-]|\.[a-zа-яё0-9])"),
    "login": re.compile(
        r"(?i)\b(?:логин(?:ом|а|у)?|login|учётн\w+ запис\w+|учетн\w+ запис\w+|пользовател[ья])"
        r"(?:\s+(?:в|от)\s+(?:панели|кабинете|аккаунте|личном кабинете))?\s*[:—–-]?\s*[«\"']?"
        r"(?P<v>[a-z0-9][a-z0-9._-]{1,62}[a-z0-9])(?![\w@.-]*@)"
    ),
    "contract": re.compile(r"(?i)\bдоговор(?:а|у|ом|е)?\s*(?:№|#|номер)?\s?:?\s?(?P<v>\d[\d/-]*\d)"),
    "ticket": re.compile(
        r"(?i)\b(?:заявк[аеиуой]|заявками?|тикет(?:а|у|ом|е)?|обращени[еюяи]|ticket)"
        r"\s*" + _NUMBER_SIGN + r"(?P<v>[#№]?\s?\d{3,})\b"
    ),
    "invoice": re.compile(
        r"(?i)\b(?:сч[её]т(?:а|у|ом|е)?(?:[ -]фактур[аеыу])?|invoice)\s*"
        + _NUMBER_SIGN
        + r"(?P<v>[#№]?\s?\d[\d/-]{2,}\d)\b"
    ),
    "order": re.compile(
        r"(?i)(?:\b(?:заказ(?:а|у|ом|е)?|order|услуг[аеи])\s*"
        + _NUMBER_SIGN
        + r"(?P<v>[#№]?\s?\d{3,})\b|(?<![\w#№])(?P<w>[#№]\s?\d{4,})\b)"
    ),
    "error_text": re.compile(
        r"(?i)(?P<smtp>\b[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b(?:[ \t]+[a-z][^\n.,;«»\"]{0,60}[a-z])?)"
        r"|(?P<http>\b(?:http[ /]?\d?\.?\d?\s+)?[45]\d\d[ \t]+" + _STATUS_PHRASES + r"\b)"
        r"|(?P<coded>\b(?:ошибк[аиуое]й?|error|код(?:ом)?(?: ошибки)?|статус|status|отказ)\s*:?\s*" + _CODE + ")"
        r"|\b(?:отвечает|выдаёт|выдает|возвращает|отдаёт|отдает|падает с)\s*:?\s*(?P<v>" + _CODE + ")"
        r"|(?P<named>\b(?:out of memory|(?:connection|request|operation) (?:refused|timed out|reset)|timed out|"
        r"permission denied|access denied|"
        r"no space left on device|too many connections|segmentation fault|fatal error:?[^\n.;«»\"]{0,60}|"
        r"(?:relay|mailbox) (?:access denied|unavailable|full)|user unknown|"
        r"err_[a-z_]+|ssl_error_[a-z_]+|nxdomain|servfail|(?:php )?(?:fatal|parse) error)\b)"
        r"|(?P<quoted>«[^«»\n]{3,200}»|\"[^\"\n]{3,200}\"|“[^“”\n]{3,200}”)"
    ),
    "started_at": re.compile(r"(?i)(?<![\w:.])(?:" + _AT_CLOCK + "|" + _AT_DAY + "|" + _SINCE + ")"),
    "frequency": re.compile(
        r"(?i)\b(?:кажд(?:ый|ую|ое|ые)\s+(?:\d+\s+)?[а-яё]+|ежедневно|ежечасно|еженедельно|периодически|постоянно|"
        r"время от времени|иногда|регулярно|то и дело|несколько раз\s+(?:в|за)\s+[а-яё]+|"
        r"(?:раз|\d+\s+раза?|два раза|три раза)\s+в\s+(?:\d+\s+)?[а-яё]+|"
        r"every\s+(?:\d+\s+)?\w+|sometimes|all the time|constantly|intermittently|randomly)\b"
    ),
}

#: The order in which kinds claim text: a span taken by an earlier kind is not read again by a later one
#: ("заявка 731902" is a ticket, not an order; the domain of an e-mail is not a separate domain).
FACT_ORDER = (
    "email",
    "urls",
    "ip",
    "error_text",
    "started_at",
    "contract",
    "ticket",
    "invoice",
    "order",
    "login",
    "domain",
    "frequency",
)

#: Fields that facts fill (identification first, then the description).
FACT_FIELDS = FACT_ORDER


class Fact(NamedTuple):
    """One recognised fact: the field it fills, the customer's own substring and where it sits."""

    field: str
    value: str
    start: int
    end: int


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_domain(value: str) -> bool:
    m = PATTERNS["domain"].fullmatch(value.strip().rstrip("."))
    return m is not None


def is_email(value: str) -> bool:
    return PATTERNS["email"].fullmatch(value.strip()) is not None


def _value_span(m: re.Match) -> tuple[int, int]:
    for group in ("v", "w"):
        if group in m.re.groupindex and m.group(group) is not None:
            return m.start(group), m.end(group)
    return m.start(), m.end()


def find(text: str) -> list[Fact]:
    """Every fact in the text, in FACT_ORDER precedence, without overlaps; then by position."""
    if not text:
        return []
    taken: list[tuple[int, int]] = []
    out: list[Fact] = []
    for field in FACT_ORDER:
        for m in PATTERNS[field].finditer(text):
            start, end = _value_span(m)
            value = text[start:end].strip()
            if not value or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if field == "ip" and not is_ip(value):
                continue
            if field == "urls":
                host = re.sub(r"(?i)^https?://", "", value).split("/")[0].split(":")[0]
                taken.append((m.start(), m.end()))
                out.append(Fact(field, value, start, end))
                if is_domain(host) or is_ip(host):  # the URL's host is the domain or server too
                    h = start + value.find(host)
                    out.append(Fact("ip" if is_ip(host) else "domain", host, h, h + len(host)))
                continue
            taken.append((m.start(), m.end()))
            out.append(Fact(field, value, start, end))
    out.sort(key=lambda f: (f.start, f.field))
    return out


def recognise(text: str) -> dict[str, str]:
    """Field -> the customer's value(s) for it; distinct findings of one field joined with ", "."""
    values: dict[str, list[str]] = {}
    for fact in find(text):
        seen = values.setdefault(fact.field, [])
        if fact.value.lower() not in (v.lower() for v in seen):
            seen.append(fact.value)
    return {field: ", ".join(vals) for field, vals in values.items()}


_SMTP_CODE = re.compile(r"\b[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b")
_STATUS_CODE = re.compile(r"\b[1-5]\d\d\b")


def error_code(error_text: str) -> str:
    """The short code in an error text (an SMTP reply code with its status, or an HTTP status), or ""."""
    m = _SMTP_CODE.search(error_text) or _STATUS_CODE.search(error_text)
    return m.group() if m else ""


# --- the no-account / presales signal ---------------------------------------------------------------------

#: Ways to say "I have no account yet". To be unified with the routing's intent signal.
_NO_ACCOUNT = re.compile(
    r"(?i)(?:\bаккаунт(?:а)?\s+(?:[а-яё]+\s+){0,3}(?:пока\s+|ещ[её]\s+)?нет\b|\bнет\s+(?:у\s+меня\s+)?(?:пока\s+|ещ[её]\s+)?"
    r"(?:аккаунта|учётной записи|учетной записи|личного кабинета)\b|\bне\s+(?:являюсь|являемся)\s+(?:вашим\s+)?клиент|"
    r"\b(?:пока|ещ[её])\s+не\s+(?:ваш\s+)?клиент|\bdon'?t\s+have\s+an\s+account\b|\bno\s+account\s+yet\b)"
)

#: Questions asked before buying (presales): the customer may or may not have an account.
_PRESALES = re.compile(
    r"(?i)(?:\bхочу\s+(?:у\s+вас\s+)?(?:купить|заказать|арендовать|приобрести|стать\s+(?:вашим\s+)?клиентом|"
    r"перейти\s+к\s+вам)|\bпланиру(?:ю|ем)\s+(?:купить|заказать|арендовать|перейти\s+к\s+вам|переехать\s+к\s+вам)|"
    r"\bесть\s+ли\s+у\s+вас\b|\bсколько\s+стоит\b|\bdo\s+you\s+(?:offer|have)\b)"
)


def no_account(text: str) -> bool:
    """Whether the customer says they have no account yet («аккаунта у меня пока нет»)."""
    return bool(text) and _NO_ACCOUNT.search(text) is not None


def presales(text: str) -> bool:
    """Whether the customer has no account yet or asks before buying («хочу купить», «есть ли у вас»)."""
    return no_account(text) or (bool(text) and _PRESALES.search(text) is not None)
