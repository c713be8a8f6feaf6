"""Channel status, hours and out-of-scope work: what is open now and what support does not do.

Standard library only (runs in CPython and Pyodide). A policy without `hours` on its channels routes
the same at any hour; a call without `now` never filters by hours.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

#: Channel statuses (machine id -> Russian meaning for writers).
CHANNEL_STATUSES = {
    "official": "официальный канал: принимает обращения",
    "advisory": "только консультации: сотрудник советует, но не выполняет действий по обращению",
    "not_processed": "обращения не принимаются (страница прямо говорит, что их не обрабатывают)",
}

#: Short status labels for customers (pages, wizard).
STATUS_LABELS = {
    "official": "принимает обращения",
    "advisory": "только консультации",
    "not_processed": "не принимаются",
}

#: Days of the week: machine id -> short Russian name (the order is Python's weekday()).
DAYS = {"mon": "пн", "tue": "вт", "wed": "ср", "thu": "чт", "fri": "пт", "sat": "сб", "sun": "вс"}
DAY_NAMES = {
    "mon": "понедельник",
    "tue": "вторник",
    "wed": "среда",
    "thu": "четверг",
    "fri": "пятница",
    "sat": "суббота",
    "sun": "воскресенье",
}
_DAY_ORDER = list(DAYS)

#: Labels of the three blocks when a policy's page gives none (the draft falls back to these).
DEFAULT_BLOCKS = {
    "identification": {"title": "Данные аккаунта", "text": "Укажите, кто вы и о какой услуге речь."},
    "authorization": {"title": "Подтверждение прав", "text": "Как подтверждаются права владельца."},
    "description": {"title": "Описание", "text": "Что произошло или что нужно сделать."},
}

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def minutes(text: str) -> int:
    """'09:30' -> 570; '24:00' -> 1440."""
    m = _TIME.match(text)
    if not m:
        raise ValueError(f"not a time: {text!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def offset(text: str) -> datetime.timezone:
    """'+03:00' -> UTC+3."""
    m = _OFFSET.match(text)
    if not m:
        raise ValueError(f"not a UTC offset: {text!r}")
    delta = datetime.timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return datetime.timezone(delta if m.group(1) == "+" else -delta)


def is_offset(zone: str) -> bool:
    """'+03:00' is a fixed UTC offset; 'Europe/Kyiv' is a named zone (compiled to `tz_offsets`)."""
    return bool(_OFFSET.match(zone))


def offset_text(minutes_east: int) -> str:
    """180 -> '+03:00'; -210 -> '-03:30'."""
    sign = "-" if minutes_east < 0 else "+"
    return f"{sign}{abs(minutes_east) // 60:02d}:{abs(minutes_east) % 60:02d}"


def zone_at(hours: dict, now: datetime.datetime) -> datetime.timezone:
    """The page's time zone at the instant `now`. A named zone (`Europe/Kyiv`) arrives compiled as
    `tz_offsets`: [[UTC epoch seconds from which it holds, minutes east of UTC], ...] (sitebuild.compile),
    so the engine needs no time-zone database (Pyodide ships none); a fixed offset is used as it is."""
    table = hours.get("tz_offsets")
    if table:
        at = now.timestamp()
        current = table[0][1]
        for since, minutes_east in table:  # a few dozen rows: DST changes over the compiled years
            if since > at:
                break
            current = minutes_east
        return datetime.timezone(datetime.timedelta(minutes=current))
    return offset(hours.get("timezone") or "+00:00")


def parse_now(value: Any) -> datetime.datetime | None:
    """An aware datetime from a datetime or an ISO 8601 string with offset; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        now = value
    elif isinstance(value, str):
        now = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    else:
        raise ValueError(f"expected an ISO 8601 date and time, got {type(value).__name__}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("expected a date and time with a UTC offset, e.g. 2026-12-01T19:30+02:00")
    return now.replace(second=0, microsecond=0)  # minutes are enough; keeps the route cache warm


def normalize_policy(raw: dict) -> dict:
    """A copy with defaults for the optional keys the engine reads (the input is left as it is)."""
    out = dict(raw)
    request = raw.get("request") or {}
    out["request"] = {key: request.get(key) or dict(block) for key, block in DEFAULT_BLOCKS.items()}
    out["channels"] = [{"authorized": None, "status": "official", **c} for c in raw.get("channels") or []]
    return out


# --- hours -------------------------------------------------------------------------------------------


def _window_open(window: dict, local: datetime.datetime) -> bool:
    start, end = minutes(window["from"]), minutes(window["to"])
    now_min = local.hour * 60 + local.minute
    today = _DAY_ORDER[local.weekday()]
    yesterday = _DAY_ORDER[(local.weekday() - 1) % 7]
    days = window["days"]
    if start < end:
        return today in days and start <= now_min < end
    # Over midnight (18:00-09:00): the evening belongs to the listed day, the early hours to the next.
    return (today in days and now_min >= start) or (yesterday in days and now_min < end)


def _in_scope(window: dict, topic_id: str | None) -> bool:
    scope = window.get("topics")
    return not scope or (topic_id is not None and topic_id in scope)


def open_window(channel: dict, topic_id: str | None, now: datetime.datetime | None) -> dict | None | bool:
    """The window open now for this topic; True: no hours or no clock given; None: closed now."""
    hours = channel.get("hours")
    if not hours or now is None:
        return True
    local = now.astimezone(zone_at(hours, now))
    for window in hours["windows"]:
        if _in_scope(window, topic_id) and _window_open(window, local):
            return window
    return None


def next_opening(channel: dict, topic_id: str | None, now: datetime.datetime) -> str | None:
    """When the channel opens next for this topic, in its own time zone ('пн 09:00'), within a week:
    the earliest window start after `now` (a named zone's DST change on the way counts)."""
    hours = channel.get("hours")
    if not hours:
        return None
    today = now.astimezone(zone_at(hours, now)).date()
    best: datetime.datetime | None = None
    for ahead in range(8):
        day = today + datetime.timedelta(days=ahead)
        for w in hours["windows"]:
            if not _in_scope(w, topic_id) or _DAY_ORDER[day.weekday()] not in w["days"]:
                continue
            naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=minutes(w["from"]))
            start = naive.replace(tzinfo=zone_at(hours, now))
            start = naive.replace(tzinfo=zone_at(hours, start))  # the offset that holds on that day
            if start > now and (best is None or start < best):
                best = start
        if best is not None:
            break
    if best is None:
        return None
    return f"{DAYS[_DAY_ORDER[best.weekday()]]} {best:%H:%M}"


def day_span(days: list[str]) -> str:
    """['mon', 'tue', 'wed', 'thu', 'fri'] -> 'пн–пт'; all seven -> 'ежедневно'."""
    idx = sorted(_DAY_ORDER.index(d) for d in days)
    if idx == list(range(7)):
        return "ежедневно"
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for run in runs:
        first, last = DAYS[_DAY_ORDER[run[0]]], DAYS[_DAY_ORDER[run[-1]]]
        parts.append(first if len(run) == 1 else f"{first}, {last}" if len(run) == 2 else f"{first}–{last}")
    return ", ".join(parts)


def window_text(window: dict) -> str:
    """One window for customers: 'пн–пт 09:00–18:00'."""
    if window["from"] in ("0:00", "00:00") and window["to"] == "24:00":
        span = "круглосуточно"
    else:
        span = f"{window['from']}–{window['to']}"
    return f"{day_span(window['days'])} {span}"


def hours_lines(channel: dict, topic_titles: dict[str, str] | None = None) -> list[str]:
    """Every window of a channel as a line for customers (with its scope and response time)."""
    hours = channel.get("hours")
    if not hours:
        return []
    lines = []
    for w in hours["windows"]:
        line = window_text(w)
        if w.get("scope"):
            line += f": {w['scope']}"
        elif w.get("topics") and topic_titles:
            line += ": только " + ", ".join(f"«{topic_titles.get(t, t)}»" for t in w["topics"])
        if w.get("response_time"):
            line += f" (ответ: {w['response_time']})"
        lines.append(line)
    return lines


def zone_text(channel: dict) -> str:
    """The zone for customers: 'UTC+03:00', or a named zone with its offsets: 'Europe/Kyiv, UTC+02:00/+03:00'."""
    hours = channel.get("hours")
    if not hours or not hours.get("timezone"):
        return ""
    table = hours.get("tz_offsets")
    if not table:
        zone = hours["timezone"]
        return f"UTC{zone}" if is_offset(zone) else zone
    offsets = sorted({m for _, m in table[-4:]})  # the offsets of the last compiled years (winter/summer)
    return f"{hours['timezone']}, UTC" + "/".join(offset_text(m) for m in offsets)


# --- the engine hook ------------------------------------------------------------------------------------


def accepts(channel: dict) -> bool:
    return channel.get("status", "official") != "not_processed"


def adjust(policy, topic: dict | None, outcome: dict, now: datetime.datetime | None) -> dict:
    """Never recommend a channel that does not accept requests; prefer one open now. Says why."""
    channels = policy.channels
    topic_id = topic["id"] if topic else None
    current = channels[outcome["channel"]]
    order = [outcome["channel"], *((topic or {}).get("also") or []), policy.routing["default_channel"]]
    order += [cid for cid, c in channels.items() if c["kind"] != "self_service"]
    usable = [cid for i, cid in enumerate(order) if cid in channels and cid not in order[:i] and accepts(channels[cid])]
    info = {"switched_from": None, "why": None, "opens": None}
    if not accepts(current) and usable:
        outcome["reasons"].append(f"«{current['title']}»: обращения через этот канал не принимаются.")
        info["switched_from"] = {"id": current["id"], "title": current["title"]}
        outcome["channel"] = usable[0]
        current = channels[usable[0]]
    if now is not None and open_window(current, topic_id, now) is None:
        opens = next_opening(current, topic_id, now)
        alternative = next(
            (cid for cid in usable if cid != current["id"] and open_window(channels[cid], topic_id, now) is not None),
            None,
        )
        titles = {tid: t["title"] for tid, t in policy.topics.items()}
        zone = f" по времени {zone_text(current)}" if zone_text(current) else ""
        closed = (
            f"Сейчас «{current['title']}» не работает для этого вопроса. "
            f"Часы работы{zone}: {'; '.join(hours_lines(current, titles))}."
        )
        if alternative is not None:
            alt = channels[alternative]
            why = f"{closed} Сейчас открыт канал «{alt['title']}»" + (
                f"; «{current['title']}» откроется {opens}." if opens else "."
            )
            info["switched_from"] = info["switched_from"] or {"id": current["id"], "title": current["title"]}
            outcome["channel"] = alternative
        else:
            why = (
                closed
                + (f" Ближайшее время: {opens}." if opens else "")
                + " Другого канала, открытого сейчас, страница не называет."
            )
        info["why"], info["opens"] = why, opens
        outcome["reasons"].append(why)
    return info


def channel_state(channel: dict, topic_id: str | None, now: datetime.datetime | None) -> dict:
    """Status, hours and whether the channel is open now (None: no clock given or no hours known)."""
    window = open_window(channel, topic_id, now)
    known = now is not None and bool(channel.get("hours"))
    state = {
        "status": channel.get("status", "official"),
        "status_label": STATUS_LABELS[channel.get("status", "official")],
        "hours": hours_lines(channel),
        "timezone": zone_text(channel),
        "open_now": (window is not None) if known else None,
        "auto_close": channel.get("auto_close"),
    }
    if known and isinstance(window, dict) and window.get("response_time"):
        state["response_time_now"] = window["response_time"]
    return state


def annotate(policy, result: dict, topic: dict | None, now: datetime.datetime | None, info: dict) -> dict:
    """Adds status/hours to the channel and alternatives, drops alternatives that take no requests."""
    topic_id = topic["id"] if topic else None
    result["channel"].update(channel_state(policy.channels[result["channel"]["id"]], topic_id, now))
    alternatives = []
    for alt in result["alternatives"]:
        channel = policy.channels[alt["id"]]
        if accepts(channel):
            alternatives.append({**alt, **channel_state(channel, topic_id, now)})
    result["alternatives"] = alternatives
    result["open_now"] = result["channel"]["open_now"]
    form = policy.form
    if result["fields"]["priority"] is None and form.get("channel") == result["channel"]["id"]:
        default = next((p for p in form.get("priorities") or [] if p.get("default")), None)
        if default is not None:
            result["fields"]["priority"], result["fields"]["priority_title"] = default["id"], default["title"]
    level = next((p for p in form.get("priorities") or [] if p["id"] == result["fields"]["priority"]), None)
    result["fields"]["priority_use_for"] = (level or {}).get("use_for")
    result["availability"] = {"at": now.isoformat() if now is not None else None, **info}
    scope = (topic or {}).get("out_of_scope")
    item = next((o for o in policy.raw.get("out_of_scope") or [] if o["id"] == scope), None)
    result["out_of_scope"] = (
        {
            "id": item["id"],
            "title": item["title"],
            "text": item["text"],
            "instead": item["instead"],
            "url": item.get("url"),
        }
        if item
        else None
    )
    if item:
        result["reasons"].insert(0, f"{item['text']} {item['instead']}")
    if result["channel"]["status"] == "advisory":
        result["reasons"].append(
            f"«{result['channel']['title']}» — только консультации: действий по обращению "
            "сотрудник через этот канал не выполняет."
        )
    return result


def flatten_parentheses(text: str) -> str:
    """'личный кабинет (биллинг)' -> 'личный кабинет, биллинг': safe to print inside parentheses."""
    flat = re.sub(r"\s*\(([^()]*)\)", r", \1", text)
    return flat.strip(" ,")
