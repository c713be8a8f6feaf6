"""Rendering a draft as plain text, Markdown and a length-safe mailto: URL."""

from __future__ import annotations

from urllib.parse import quote

#: Many mail clients and browsers cut longer mailto: URLs; the rest is left to paste.
MAILTO_LIMIT = 1800
TRUNCATION_NOTE = "\n\n[Черновик не поместился в ссылку целиком: вставьте полный текст из буфера обмена.]"

_HEADINGS = {
    "phone": ("Что подготовить", "Что сотрудник не может сделать по телефону", "Что сказать"),
    "chat": ("Данные аккаунта", "Ограничения чата", "Первое сообщение"),
    "messenger": ("Данные аккаунта", "Ограничения канала", "Первое сообщение"),
    "self_service": ("Где", "Что учесть", "Что сделать"),
}


def _headings(draft: dict) -> tuple[str, str, str]:
    b = draft["blocks"]
    return _HEADINGS.get(draft["kind"], (b["identification"]["title"], b["authorization"]["title"],
                                         b["description"]["title"]))


def header_lines(draft: dict) -> list[str]:
    lines = []
    if draft.get("subject"):
        lines.append(f"Тема: {draft['subject']}")
    f, t = draft.get("fields", {}), draft.get("field_titles", {})
    if f.get("department"):
        lines.append(f"Отдел: {t.get('department') or f['department']}")
    if f.get("priority"):
        lines.append(f"Приоритет: {t.get('priority') or f['priority']}")
    if f.get("service"):
        lines.append(f"Услуга: {f['service']}")
    return lines


def body_text(draft: dict) -> str:
    """The three blocks as plain text, without the subject and form fields."""
    parts = []
    for (key, block), heading in zip(draft["blocks"].items(), _headings(draft)):
        parts.append(f"{heading}\n" + "\n".join(block["lines"]))
    return "\n\n".join(parts)


def render_text(draft: dict) -> str:
    head = header_lines(draft)
    return ("\n".join(head) + "\n\n" if head else "") + body_text(draft)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~"})


def md_escape(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def render_markdown(draft: dict) -> str:
    out = []
    for line in header_lines(draft):
        name, _, value = line.partition(": ")
        out.append(f"**{name}:** {md_escape(value)}  ")
    for (key, block), heading in zip(draft["blocks"].items(), _headings(draft)):
        out.append("")
        out.append(f"### {heading}")
        out.append("")
        for line in block["lines"]:
            for sub in line.split("\n"):
                out.append(f"> {md_escape(sub)}" if key == "description" else md_escape(sub) + "  ")
    return "\n".join(out).strip() + "\n"


def _encode(value: str) -> str:
    return quote(value.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")


def mailto(address: str, draft: dict) -> tuple[str, bool]:
    """A mailto: URL with subject and body; the body is cut at a line to stay under MAILTO_LIMIT."""
    head = [line for line in header_lines(draft) if not line.startswith("Тема: ")]
    body = ("\n".join(head) + "\n\n" if head else "") + body_text(draft)
    base = f"mailto:{quote(address, safe='@')}?subject={_encode(draft.get('subject', ''))}&body="
    url = base + _encode(body)
    if len(url) <= MAILTO_LIMIT:
        return url, False
    budget = MAILTO_LIMIT - len(base) - len(_encode(TRUNCATION_NOTE))
    lines = body.split("\n")
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = len(_encode(line + "\n"))
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    if not kept:  # one huge line: cut by characters
        cut = ""
        for ch in body:
            if len(_encode(cut + ch)) > budget:
                break
            cut += ch
        kept = [cut]
    return base + _encode("\n".join(kept) + TRUNCATION_NOTE), True
