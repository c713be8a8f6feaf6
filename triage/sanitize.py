"""The engine's input boundary: every string from a customer is cleaned and capped before routing.

- Lone surrogates (from a broken paste or a JS string cut in half) and control characters are removed,
  except tab and newline; ``\\r\\n``, ``\\r``, NEL (``\\x85``), LINE SEPARATOR and PARAGRAPH SEPARATOR become ``\\n``.
- Each string is capped (the limits below; the wizard and the docs state them): the description at
  TEXT_LIMIT characters, each draft field at DETAIL_LIMIT, each answer at ANSWER_LIMIT; at most FIELDS_LIMIT
  draft fields and answers are read. A cut never ends inside a word or a run of digits (half a card number).
- What was changed comes back as Russian notes the caller shows to the customer.

The result is always valid Unicode that encodes to UTF-8, and routing a capped text takes bounded time.
"""

from __future__ import annotations

import re
from typing import Any

from .vocab import field_label

#: Most characters of the description (the customer's own words) the engine reads.
TEXT_LIMIT = 5000
#: Most characters of one draft field (domain, error text, steps ...).
DETAIL_LIMIT = 1000
#: Most characters of one answer to a clarifying question, of a topic id and of a field or question name.
ANSWER_LIMIT = 200
#: Most draft fields, and most answers, read from one request.
FIELDS_LIMIT = 40
#: Nesting depth of an answer value (lists, mappings) kept; deeper parts are dropped.
DEPTH_LIMIT = 4

_LINE_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")
_REMOVED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: The end of a cut text that may be half of something: a partial word, or digits with spaces/dashes.
_PARTIAL_TAIL = re.compile(r"(?:\d[\d \-]{0,40}|\S{1,200})\Z")


def _cut(text: str, limit: int) -> str:
    cut = text[:limit]
    if text[limit : limit + 1].isspace():
        return cut.rstrip()
    tail = _PARTIAL_TAIL.search(cut, max(0, limit - 240))
    if tail and tail.start() > 0:
        cut = cut[: tail.start()]
    return cut.rstrip()


def clean_text(text: Any, limit: int = TEXT_LIMIT, what: str = "Описание") -> tuple[str, list[str]]:
    """The text without lone surrogates and control characters (tab and newline kept), with uniform line
    breaks, cut to `limit` characters; and Russian notes on what was changed (`what` names the field)."""
    if text is None:
        return "", []
    if not isinstance(text, str):
        text = str(text)
    notes: list[str] = []
    text = _LINE_BREAKS.sub("\n", text)
    text, removed = _REMOVED.subn("", text)
    if removed:
        notes.append(f"{what}: убраны служебные символы, которые нельзя напечатать ({removed}).")
    if len(text) > limit:
        text = _cut(text, limit)
        notes.append(f"{what}: сокращено до {limit} символов — дальше текст не учитывается.")
    return text, notes


def _field_what(name: str) -> str:
    return f"Поле «{field_label(name)}»"


def clean_details(details: Any) -> tuple[dict[str, str], list[str]]:
    """Draft fields as strings (a list becomes lines; None is left out), cleaned and capped, with notes."""
    if not isinstance(details, dict):
        return {}, []
    out: dict[str, str] = {}
    notes: list[str] = []
    items = list(details.items())
    if len(items) > FIELDS_LIMIT:
        notes.append(f"Учтены только первые {FIELDS_LIMIT} полей черновика.")
        items = items[:FIELDS_LIMIT]
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value[:FIELDS_LIMIT] if v is not None)
        name, _ = clean_text(key, ANSWER_LIMIT)
        value, value_notes = clean_text(value, DETAIL_LIMIT, _field_what(name))
        out[name] = value
        notes.extend(value_notes)
    return out, notes


def _clean_value(value: Any, depth: int, notes: list[str]) -> Any:
    if isinstance(value, str):
        value, value_notes = clean_text(value, ANSWER_LIMIT, "Ответ на вопрос")
        notes.extend(value_notes)
        return value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if depth >= DEPTH_LIMIT:
        return None
    if isinstance(value, (list, tuple)):
        return [_clean_value(v, depth + 1, notes) for v in value[:FIELDS_LIMIT]]
    if isinstance(value, dict):
        return {
            clean_text(k, ANSWER_LIMIT)[0]: _clean_value(v, depth + 1, notes)
            for k, v in list(value.items())[:FIELDS_LIMIT]
        }
    return clean_text(value, ANSWER_LIMIT)[0]


def clean_answers(answers: Any) -> tuple[dict[str, Any], list[str]]:
    """Answers to clarifying questions with every string cleaned and capped (keys become strings), with notes."""
    if not isinstance(answers, dict):
        return {}, []
    notes: list[str] = []
    items = list(answers.items())
    if len(items) > FIELDS_LIMIT:
        notes.append(f"Учтены только первые {FIELDS_LIMIT} ответов на вопросы.")
        items = items[:FIELDS_LIMIT]
    out = {clean_text(k, ANSWER_LIMIT)[0]: _clean_value(v, 0, notes) for k, v in items}
    return out, list(dict.fromkeys(notes))


def clean_request(
    text: Any, answers: Any, details: Any, topic: Any
) -> tuple[str, dict, dict[str, str], str | None, list[str]]:
    """Everything triage() reads, cleaned: (text, answers, details, topic, notes for the customer)."""
    text, notes = clean_text(text)
    answers, answer_notes = clean_answers(answers)
    details, detail_notes = clean_details(details)
    topic = clean_text(topic, ANSWER_LIMIT)[0] if topic is not None else None
    return text, answers, details, topic, notes + answer_notes + detail_notes


def clean_json(value: Any, depth: int = 0) -> Any:
    """Any JSON-like value with every string cleaned of lone surrogates and control characters (not capped);
    for echoing back a request's own values (e.g. an unknown provider's name in an error)."""
    if isinstance(value, str):
        return _REMOVED.sub("", value)
    if isinstance(value, (list, tuple)) and depth < 32:
        return [clean_json(v, depth + 1) for v in value]
    if isinstance(value, dict) and depth < 32:
        return {clean_json(str(k), depth + 1): clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    return value if value is None or isinstance(value, (bool, int)) else None
