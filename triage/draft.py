"""Composing the draft for the recommended channel: fields, the three blocks, call script or opening line."""

from __future__ import annotations

import ipaddress
import re

from . import secrets as secretlib
from .availability import flatten_parentheses
from .lint import lint
from .policy import Policy
from .render import render_markdown, render_text, mailto
from .vocab import DESCRIPTION_FIELDS, IDENTIFIERS

_DOMAIN = re.compile(r"(?i)^(?!-)(?:[a-zа-яё0-9](?:[a-zа-яё0-9-]{0,61}[a-zа-яё0-9])?\.)+"
                     r"(?:[a-zа-яё]{2,63}|xn--[a-z0-9-]{2,59})\.?$")
_EMAIL = re.compile(r"(?i)^[^@\s]+@[^@\s]+\.[a-zа-яё]{2,}$")
_ORDER = re.compile(r"^[#№]?\s?(\d{3,})$")
_TICKET = re.compile(r"^[#№]?\s?(\d{4,})$")
_INN = re.compile(r"^\d{10}(\d{2})?$")

_FIND_EMAIL = re.compile(r"(?i)(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zа-яё]{2,}")
_FIND_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_FIND_DOMAIN = re.compile(r"(?i)(?<![\w.@/-])(?:[a-zа-яё0-9-]+\.)+(?:ru|рф|su|com|net|org|info|pro|online|"
                          r"site|shop|store|biz|io|me|dev|app|tech|by|kz|ua|eu|de|moscow|москва|рус)(?![\w-])")
_FIND_ORDER = re.compile(r"(?:#|№)\s?(\d{4,})")


def validate_field(name: str, value: str) -> str | None:
    """A Russian message if the value cannot be right for this identification field, else None."""
    v = value.strip()
    if not v:
        return None
    if name == "domain":
        host = re.sub(r"^(?i:https?://)", "", v).split("/")[0]
        if not _DOMAIN.match(host):
            return "Похоже, это не домен: укажите имя вида example.ru (без http:// и пути)."
    elif name == "ip":
        try:
            ipaddress.ip_address(v)
        except ValueError:
            return "Похоже, это не IP-адрес: укажите адрес вида 203.0.113.10 или 2001:db8::1."
    elif name in ("email", "reply_to"):
        if not _EMAIL.match(v):
            return "Похоже, это не адрес электронной почты: укажите адрес вида name@example.ru."
    elif name == "order":
        if not _ORDER.match(v):
            return "Номер заказа — это цифры, например #123456."
    elif name == "ticket":
        if not _TICKET.match(v):
            return "Номер заявки — это цифры из письма с автоответом."
    elif name == "owner":
        digits = re.sub(r"\D", "", v)
        if digits == v and not _INN.match(v):
            return "ИНН организации — 10 цифр (у ИП — 12)."
    return None


def extract_identifiers(text: str) -> dict[str, str]:
    """Identification data the customer already mentioned in the free text."""
    found: dict[str, str] = {}
    emails = _FIND_EMAIL.findall(text)
    if emails:
        found["email"] = emails[0]
    for candidate in _FIND_IPV4.findall(text):
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            continue
        found["ip"] = candidate
        break
    email_domains = {e.split("@", 1)[1].lower() for e in emails}
    for m in _FIND_DOMAIN.finditer(text):
        if m.group().lower() not in email_domains:
            found["domain"] = m.group()
            break
    m = _FIND_ORDER.search(text)
    if m:
        found["order"] = "#" + m.group(1)
    return found


def _clean(details: dict | None) -> dict[str, str]:
    out = {}
    for key, value in (details or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value if v is not None)
        out[str(key)] = str(value)
    return out


#: A subject is one line of at most this many characters (it must also fit a mailto: URL whole).
SUBJECT_LIMIT = 100


def _one_line(subject: str) -> str:
    """The subject on one line (no header breaks in mail), cut at a word to SUBJECT_LIMIT characters."""
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_LIMIT:
        cut = subject[:SUBJECT_LIMIT]
        if " " in cut[SUBJECT_LIMIT // 2:]:
            cut = cut.rsplit(" ", 1)[0]
        subject = cut[:SUBJECT_LIMIT - 1].rstrip(" ,.;:—-") + "…"
    return subject


def _subject(policy: Policy, routing: dict, text: str, details: dict) -> str:
    if details.get("subject", "").strip():
        return _one_line(details["subject"])
    topic = routing["topic"]
    base = policy.topics[topic["id"]].get("subject") or topic["title"] if topic else ""
    if not base:
        first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].strip(" .!?")
        base = first[:80].rstrip() if len(first) > 3 else "Обращение в поддержку"
    target = details.get("domain") or details.get("service") or details.get("ip") or details.get("order")
    if target and target.strip() and target.strip() not in base:
        base = f"{base}: {target.strip()}"
    return _one_line(base)


def _ident_fields(channel: dict) -> tuple[list[str], str]:
    ident = channel.get("identify")
    if ident:
        return list(ident["fields"]), ident["need"]
    return [], "one"


def mask_input(text: str, raw: dict[str, str]) -> tuple[str, dict[str, str], dict[str, list]]:
    """The text and the fields with secrets masked, and the secrets found per field ("text": the text).

    A secret found in any of them is hidden in all of them; the text's and each field's secrets are kept
    apart (a field may itself be called "text").
    """
    text_secrets = secretlib.find(text)
    field_secrets = {name: secretlib.find(value) for name, value in raw.items()}
    known: set[tuple[str, str]] = set()
    for string, items in [(text, text_secrets), *((raw[k], v) for k, v in field_secrets.items())]:
        known.update((string[s.start:s.end], s.kind) for s in items)
    if known:
        text_secrets = secretlib.find(text, known)
        field_secrets = {name: secretlib.find(value, known) for name, value in raw.items()}
    found: dict[str, list] = {"text": text_secrets} if text_secrets else {}
    for name, items in field_secrets.items():
        if items:
            found[name] = found.get(name, []) + items
    return (secretlib.mask(text, text_secrets), {k: secretlib.mask(v, field_secrets[k]) for k, v in raw.items()},
            found)


def compose(policy: Policy, routing: dict, text: str, details: dict | None = None) -> dict:
    """The draft for the routed channel. Customer text is kept verbatim (secrets masked)."""
    # Secrets never leave the engine: every customer string is masked before use.
    masked_text, d, found_secrets = mask_input(text or "", _clean(details))

    extracted = extract_identifiers(masked_text)
    channel = policy.channels[routing["channel"]["id"]]
    kind = channel["kind"]
    ident_fields, need = _ident_fields(channel)
    for name, value in extracted.items():
        if not d.get(name, "").strip():
            d[name] = value

    field_errors = {}
    for name, value in d.items():
        if name in IDENTIFIERS or name == "reply_to":
            message = validate_field(name, value)
            if message:
                field_errors[name] = message

    topic = routing["topic"]
    rtype = topic["type"] if topic else "question"
    subject = _subject(policy, routing, masked_text, d)

    fields: dict[str, str] = {}
    form = policy.form if policy.form.get("channel") == channel["id"] else {}
    if kind == "ticket" and form:
        if routing["fields"]["department"]:
            fields["department"] = routing["fields"]["department"]
        if routing["fields"]["priority"]:
            fields["priority"] = routing["fields"]["priority"]
        elif form.get("priorities"):
            fields["priority"] = "normal" if any(p["id"] == "normal" for p in form["priorities"]) else ""
        if "service" in form or any(d.get(k) for k in ("service", "domain", "ip", "order")):
            service = d.get("service") or d.get("domain") or d.get("ip") or d.get("order") or ""
            fields["service"] = service
    fields = {k: v for k, v in fields.items() if v}

    identification = _identification(policy, channel, ident_fields, need, d)
    authorization = _authorization(policy, channel)
    description = _description(policy, channel, rtype, masked_text, d)

    draft = {
        "kind": kind,
        "channel": {"id": channel["id"], "kind": kind, "title": channel["title"]},
        "subject": subject if kind in ("ticket", "email") else "",
        "fields": fields,
        "field_titles": {
            "department": policy.department_title(fields.get("department")) or "",
            "priority": policy.priority_title(fields.get("priority")) or "",
        },
        "blocks": {
            "identification": identification,
            "authorization": authorization,
            "description": description,
        },
        "values": d,
        "identify": {"fields": ident_fields, "need": need},
        "field_errors": field_errors,
        "secrets": [{"field": name, "kind": s.kind, "label": secretlib.KIND_LABELS[s.kind]}
                    for name, items in found_secrets.items() for s in items],
    }
    draft["warnings"] = lint(policy, routing, draft, masked_text, d, found_secrets)
    draft["text"] = render_text(draft)
    draft["markdown"] = render_markdown(draft)
    if kind == "email":
        draft["mailto"], draft["mailto_truncated"] = mailto(channel.get("address") or "", draft)
    else:
        draft["mailto"], draft["mailto_truncated"] = "", False
    return draft


def _block(title: str, lines: list[str]) -> dict:
    return {"title": title, "lines": lines, "text": "\n".join(lines)}


def _identification(policy: Policy, channel: dict, fields: list[str], need: str, d: dict) -> dict:
    title = policy.request["identification"]["title"]
    lines: list[str] = []
    kind = channel["kind"]
    if kind == "ticket":
        lines.append(f"Заявка отправляется из раздела поддержки ({flatten_parentheses(policy.client_area)}): "
                     "аккаунт определяется автоматически.")
    if kind == "self_service":  # nobody to identify to: only what the customer typed is kept
        lines.append(f"Войдите: {policy.client_area}.")
        fields = []
    shown = list(fields)
    for extra in ("login", "contract", "domain", "ip", "order", "service", "email", "owner", "ticket"):
        if extra not in shown and d.get(extra, "").strip():
            shown.append(extra)
    for name in shown:
        value = d.get(name, "").strip()
        lines.append(f"{IDENTIFIERS[name]}: {value}" if value else f"{IDENTIFIERS[name]}: [укажите]")
    if fields and need == "one" and len(fields) > 1:
        lines.append("(Достаточно одного из: " + ", ".join(IDENTIFIERS[f].lower() for f in fields) + ".)")
    note = (channel.get("identify") or {}).get("note")
    if note and kind in ("phone",):
        lines.append(note)
    if kind == "phone":
        lines.extend(f"— {item}" for item in channel.get("prepare") or [])
    return _block(title, lines)


def _authorization(policy: Policy, channel: dict) -> dict:
    title = policy.request["authorization"]["title"]
    lines: list[str] = []
    if channel.get("owner_confirmation"):
        lines.append(channel["owner_confirmation"])
    elif channel["authorized"]:
        lines.append(channel["authorization"])
    if not channel["authorized"]:
        lines.append(channel["authorization"])
    for item in channel.get("cannot") or []:
        lines.append(f"Через этот канал нельзя: {item[0].lower() + item[1:]}")
    return _block(title, lines or [channel["authorization"]])


def _greeting(channel: dict, d: dict) -> str:
    """The first words of a call or chat: who is asking (the identification they have)."""
    fields, _ = (list((channel.get("identify") or {}).get("fields") or []), None)
    parts = [f"{IDENTIFIERS[f].lower()} {d[f].strip()}" for f in fields or ["login"] if d.get(f, "").strip()]
    who = f" {'; '.join(parts)[0].upper() + '; '.join(parts)[1:]}." if parts else ""
    return f"Здравствуйте!{who}"


def _description(policy: Policy, channel: dict, rtype: str, text: str, d: dict) -> dict:
    title = policy.request["description"]["title"]
    lines: list[str] = []
    body = text.strip()
    kind = channel["kind"]
    if kind == "self_service":
        lines.extend(f"{i}. {step}" for i, step in enumerate(channel.get("how_to") or [], 1))
        lines.append(f"Что нужно: {body}" if body else "Что нужно: [опишите, что хотите настроить]")
    elif kind in ("phone", "chat", "messenger"):
        opening = _greeting(channel, d)
        lines.append(f"{opening} {body}" if body else f"{opening} [опишите ситуацию своими словами]")
        if d.get("ticket", "").strip():
            digits = re.sub(r"\D", "", d["ticket"])
            lines.append(f"Номер заявки: {d['ticket'].strip()}" + (f" (последние 6 цифр: {digits[-6:]})"
                                                                   if kind == "phone" and len(digits) > 6 else ""))
        if kind == "phone":
            lines.extend(f"— {item}" for item in channel.get("include") or [])
    else:
        lines.append(body if body else "[Опишите ситуацию своими словами]")
    labels = DESCRIPTION_FIELDS.get(rtype, {})
    for name, label in labels.items():
        value = d.get(name, "").strip()
        if value:
            sep = "\n" if "\n" in value else " "
            lines.append(f"{label}:{sep}{value}")
    # Fields of another request type that the customer filled in are kept too (nothing is lost), once each.
    done = set(labels)
    for other_type, other in DESCRIPTION_FIELDS.items():
        if other_type == rtype:
            continue
        for name, label in other.items():
            if name not in done and d.get(name, "").strip():
                done.add(name)
                lines.append(f"{label}: {d[name].strip()}")
    if d.get("reply_to", "").strip():
        lines.append(f"Ответ, пожалуйста, продублируйте на адрес: {d['reply_to'].strip()}")
    if kind == "phone" and channel.get("after"):  # how the call ends: e.g. ask for a manual request, note its number
        lines.append("В конце разговора:")
        lines.extend(f"— {item}" for item in channel["after"])
    return _block(title, lines)

