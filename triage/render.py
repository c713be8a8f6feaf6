"""Rendering a draft as plain text, Markdown and a length-safe mailto: URL.

Everything here reads `draft["header"]` and `draft["sections"]` (see `triage.draft`); nothing is reworded.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

#: Longest mailto: URL offered, counted in characters as the link stands in the page (an IRI: letters outside
#: ASCII are left as they are, browsers encode them as UTF-8 when they start the mail program). Longer bodies are
#: cut at a line and the customer pastes the rest.
MAILTO_LIMIT = 1800
TRUNCATION_NOTE = "\n\n(Письмо не поместилось в ссылку целиком: вставьте полный текст из буфера обмена.)"


def header_lines(draft: dict) -> list[str]:
    return [f"{h['label']}: {h['value']}" for h in draft.get("header") or []]


def body_text(draft: dict) -> str:
    """The sections as plain text, without the header."""
    parts = []
    for section in draft["sections"]:
        if not section["lines"]:
            continue
        lines = "\n".join(section["lines"])
        parts.append(f"{section['title']}\n{lines}" if section["title"] else lines)
    return "\n\n".join(parts)


def render_text(draft: dict) -> str:
    head = header_lines(draft)
    return ("\n".join(head) + "\n\n" if head else "") + body_text(draft)


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~"})


def md_escape(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def render_markdown(draft: dict) -> str:
    out = []
    for h in draft.get("header") or []:
        out.append(f"**{h['label']}:** {md_escape(h['value'])}  ")
    for section in draft["sections"]:
        if not section["lines"]:
            continue
        out.append("")
        if section["title"]:
            out.append(f"### {section['title']}")
            out.append("")
        for line in section["lines"]:
            for sub in line.split("\n"):
                out.append(md_escape(sub) + "  ")
    return "\n".join(out).strip() + "\n"


#: Characters outside ASCII that stay as they are in the link: letters, digits, marks, punctuation, symbols.
_KEEP = frozenset("LMNPS")


def _encode_char(ch: str) -> str:
    if ch.isascii() or unicodedata.category(ch)[0] not in _KEEP:
        return quote(ch, safe="", errors="surrogatepass") if not ch.isascii() else quote(ch, safe="")
    return ch


def _encode(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\n", "\r\n")
    return "".join(_encode_char(ch) for ch in value)


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
    return base + _encode("\n".join(kept).rstrip("\n") + TRUNCATION_NOTE), True
