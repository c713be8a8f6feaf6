"""Checks a draft the way a support agent would and says what to fix; never repeats a secret."""

from __future__ import annotations

import re

from .policy import Policy
from .secrets import KIND_LABELS
from .vocab import field_label

_QUOTED = re.compile(r"[\"'«“].{3,}?[\"'»”]")
_ERROR_HINT = re.compile(r"(?i)(\b[1-5]\d\d\b|error|ошибк|exception|failed|denied|refused|timeout|warning)")
_TIME = re.compile(
    r"(?i)(\b\d{1,2}[:.]\d{2}\b|сегодня|вчера|позавчера|утром|вечером|ночью|днем|днём|"
    r"с \d|\b\d{1,2}[./]\d{1,2}\b|\bчас(?:а|у|ов|ами?|ах)?\b|минут|"
    r"январ|феврал|март|апрел|ма[яй]\b|июн|июл|август|сентябр|октябр|ноябр|декабр|недел|"
    r"дн[яеи]\b|\bдень|\bдня\b)"
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_TIMEZONE = re.compile(
    r"(?i)(мск|msk|utc|gmt|cet|cest|eet|по москве|московск|часов(ой|ому) пояс|"
    r"(?<!\d)[+-]\d{1,2}(:?\d{2})?\b)"
)  # (?<!\d): "10-15 секунд" is no zone
#: Greetings are not times: "Добрый день" says nothing about when the problem started.
_GREETING = re.compile(r"(?i)\b(?:добр(?:ый|ого)|хорошего)\s+(?:день|дня)\b")
_STEPS = re.compile(
    r"(?m)(^\s*\d+[.)]|^\s*[-*•]|сначала|потом|затем|после этого|нажима|нажал|захож|зашел|зашёл|"
    r"открыва|открыл|ввожу|ввел|ввёл|->|→)"
)
_SEVERAL = re.compile(
    r"(?i)(\bа также\b|\bещё\b|\bеще\b|\bкроме того\b|\bи ещё\b|\bтакже\b|\bвторой вопрос\b|"
    r"\bи второе\b|\b2\)|\bво-вторых\b)"
)


def _w(code: str, field: str, message: str, severity: str = "warning") -> dict:
    return {"code": code, "field": field, "severity": severity, "message": message}


def _lower_first(s: str) -> str:
    """ "Логин аккаунта" -> "логин аккаунта", but "IP-адрес" stays."""
    return s[:1].lower() + s[1:] if len(s) > 1 and not s[1].isupper() else s


def lint(
    policy: Policy, routing: dict, draft: dict, text: str, d: dict, found_secrets: dict, rtype: str | None = None
) -> list[dict]:
    """Warnings for the customer: each names the field to fix and how."""
    out: list[dict] = []
    kind = draft["kind"]
    written = kind in ("ticket", "email")
    topic = routing["topic"]
    if rtype is None:
        rtype = topic["type"] if topic else "question"

    for name, items in found_secrets.items():
        labels = sorted({i.kind for i in items})
        what = ", ".join(KIND_LABELS[k] for k in labels)
        out.append(
            _w(
                "secret",
                name,
                f"В поле «{field_label(name)}» похоже есть секрет ({what}). Мы убрали его из черновика: "
                "не отправляйте пароли, ключи, токены и номера карт в поддержку. "
                "Если секрет уже мог попасть к посторонним, смените его.",
                "error",
            )
        )

    if not text.strip():
        out.append(_w("no_text", "text", "Опишите ситуацию своими словами: без описания поддержка не сможет помочь."))
    everything = "\n".join([text, *d.values()])

    if written and rtype == "problem":
        if not d.get("error_text", "").strip() and not _QUOTED.search(text) and not _ERROR_HINT.search(text):
            out.append(
                _w(
                    "no_error_text",
                    "error_text",
                    "Если появляется ошибка, скопируйте её точный текст или код (текстом, не только скриншотом).",
                )
            )
        started = d.get("started_at", "")
        if not started.strip() and not _TIME.search(_GREETING.sub(" ", text)):
            out.append(_w("no_time", "started_at", "Укажите, когда началась проблема: дату, время и часовой пояс."))
        elif _CLOCK.search(started or text) and not _TIMEZONE.search(everything):
            out.append(
                _w(
                    "no_timezone",
                    "started_at",
                    "Укажите часовой пояс рядом со временем (например, МСК или UTC+3): "
                    "поддержка может работать в другом поясе.",
                )
            )
        if not d.get("steps", "").strip() and not _STEPS.search(text):
            out.append(
                _w(
                    "no_steps",
                    "steps",
                    "Опишите по шагам, какие действия к какому результату приводят: "
                    "так поддержка сможет воспроизвести проблему.",
                )
            )

    if written and rtype == "administrative" and not (d.get("want", "").strip() or len(text.split()) >= 6):
        out.append(
            _w("no_want", "want", "Уточните, какую информацию нужно получить или изменить и какую процедуру выполнить.")
        )

    # One problem - one request: two strong, different topics, or explicit "and also".
    ranked = [c for c in routing.get("candidates", []) if c["score"] >= 0.45]
    distinct = {c["channel"]["id"] + c["id"] for c in ranked[:2]}
    if text.strip() and (_SEVERAL.search(text) and len(distinct) >= 2 or _several_lines(text)):
        out.append(
            _w(
                "several_problems",
                "text",
                "Похоже, в обращении несколько разных вопросов. Одна проблема — одна заявка: "
                "так каждую решат быстрее и ничего не потеряется.",
            )
        )

    if written:
        subject = draft.get("subject", "")
        words = re.findall(r"[\wё-]+", subject.lower())
        if subject.strip(" !?.").lower() in _VAGUE_SUBJECTS or len(words) < 2 or re.search(r"[!?]{2,}", subject):
            out.append(
                _w(
                    "vague_subject",
                    "subject",
                    "Тема слишком общая. Кратко и ясно опишите суть, например «Недоступен сервер по SSH», "
                    "а не «Помогите».",
                )
            )

    ident = draft.get("identify") or {}
    fields = ident.get("fields") or []
    if fields and kind != "self_service" and not draft.get("presales"):
        filled = [f for f in fields if d.get(f, "").strip()]
        missing = [f for f in fields if f not in filled]
        if (ident.get("need") == "one" and not filled) or (ident.get("need") == "all" and missing):
            target = missing[0] if missing else fields[0]
            names = ", ".join(_lower_first(field_label(f)) for f in (missing or fields))
            note = "одно из: " if ident.get("need") == "one" else ""
            why = (
                "так сотрудник сразу поймёт, о какой услуге речь"
                if kind == "ticket"
                else "иначе поддержка не сможет найти ваш аккаунт"
            )
            out.append(_w("no_identification", target, f"Укажите {note}{names}: {why}."))

    if kind in ("chat", "messenger"):
        message = next((s["lines"][0] for s in draft.get("sections") or [] if s["lines"]), "")
        if len(message) > OPENING_LIMIT:
            out.append(
                _w(
                    "long_opening",
                    "text",
                    f"Первое сообщение длиннее {OPENING_LIMIT} знаков. В чате лучше начать коротко: кто вы, "
                    "что случилось и главный факт, а подробности отправить следующими сообщениями.",
                )
            )

    for name, message in draft.get("field_errors", {}).items():
        out.append(_w("invalid_field", name, message))
    return out


#: The first message of a chat or messenger conversation should fit in this many characters.
OPENING_LIMIT = 400

_VAGUE_SUBJECTS = {
    "помогите",
    "помощь",
    "проблема",
    "вопрос",
    "срочно",
    "не работает",
    "ошибка",
    "help",
    "беда",
    "sos",
    "обращение в поддержку",
    "тикет",
    "заявка",
}


def _several_lines(text: str) -> bool:
    numbered = re.findall(r"(?m)^\s*(?:\d+[.)]|во-первых|во-вторых)", text)
    return len(numbered) >= 2 and "шаг" not in text.lower()
