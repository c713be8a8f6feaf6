"""Finding secrets in what the customer typed (passwords, keys, tokens, card numbers) and masking them."""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple


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
}

_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\Z)",
                          re.S)
_PASSWORD = re.compile(
    r"(?i)(?:парол[а-яё]*|password|passwd|pass|pwd|пасс)"
    r"(?:\s+(?:от|для|к|на)\s+[^\s:=]{1,40}(?:\s+[^\s:=]{1,40})?)?"
    r"(?:\s*[:=—–-]+\s*|\s+(?=\S*[\d!@#$%^&*]))"
    r"(?P<value>[^\s,;]{3,})")
_TOKEN = re.compile(
    r"(?:\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{20,}"
    r"|sk-[A-Za-z0-9_\-]{20,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16})"
    r"|(?i:bearer|token|api[_ -]?key|токен|ключ api|secret)\s*[:=]?\s*(?P<value>[A-Za-z0-9_\-.]{16,}))")
_LONG_RANDOM = re.compile(r"(?<![\w/.@-])(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{32,}(?![\w/.@-])")
_CARD = re.compile(r"(?<![\d.])(?:\d[ -]?){12,18}\d(?![\d.])")


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


def find(text: str, known: Iterable[tuple[str, str]] = ()) -> list[Secret]:
    """Non-overlapping secrets in order of position.

    Every other occurrence of a secret found here, or of a `known` (value, kind) found in another field,
    is a secret too: a value of 8+ characters wherever it appears, a shorter one as a whole word.
    """
    if not text:
        return []
    found: list[Secret] = []
    for m in _PRIVATE_KEY.finditer(text):
        found.append(Secret(m.start(), m.end(), "private_key"))
    for m in _PASSWORD.finditer(text):
        found.append(Secret(m.start("value"), m.end("value"), "password"))
    for m in _TOKEN.finditer(text):
        if m.group("value"):
            found.append(Secret(m.start("value"), m.end("value"), "token"))
        else:
            found.append(Secret(m.start(), m.end(), "token"))
    for m in _LONG_RANDOM.finditer(text):
        found.append(Secret(m.start(), m.end(), "token"))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits) and len(set(digits)) > 2:
            found.append(Secret(m.start(), m.end(), "card"))
    values = {text[s.start:s.end]: s.kind for s in _merge(found)}
    for value, kind in sorted(known):
        values.setdefault(value, kind)
    for value, kind in values.items():
        pattern = re.escape(value) if len(value) >= 8 else r"(?<!\w)" + re.escape(value) + r"(?!\w)"
        for m in re.finditer(pattern, text):
            found.append(Secret(m.start(), m.end(), kind))
    return _merge(found)


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
    """The text with every secret replaced by a marker naming its kind."""
    secrets = find(text) if secrets is None else secrets
    if not secrets:
        return text
    out, pos = [], 0
    for s in secrets:
        out.append(text[pos:s.start])
        out.append(f"[удалено: {KIND_LABELS[s.kind]}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)
