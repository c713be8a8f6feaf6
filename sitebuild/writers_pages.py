"""Page helpers for the writers' keys: channel status, hours, authorization, inline code in descriptions."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from triage import availability

from . import compile as compiler


def code_spans(text: str) -> Markup:
    """Schema descriptions: `x` becomes <code>x</code>; the rest is escaped for HTML and Markdown."""
    out = []
    for i, part in enumerate(re.split(r"`([^`]+)`", text or "")):
        if i % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            out.append(str(escape(re.sub(r"([\\*_{}\[\]|#+!~])", r"\\\1", part))))
    return Markup("".join(out))


def hours_lines(channel: dict, topics: list | None = None) -> list[str]:
    titles = {t["id"]: t["title"] for t in topics or []}
    return availability.hours_lines(channel, titles)


def zone(channel: dict) -> str:
    """The channel's time zone for customers; a named zone with its winter/summer offsets (as the engine
    gets them from sitebuild.compile)."""
    return availability.zone_text(compiler.with_zone_tables([channel])[0])


def register(env) -> None:
    """Filters the page templates use for these keys."""
    env.filters["hours_lines"] = hours_lines
    env.filters["zone"] = zone
    env.filters["status_label"] = lambda s: availability.STATUS_LABELS[s or "official"]
    env.filters["code_spans"] = code_spans
