"""Composing the draft for the recommended channel: the customer's facts, in the customer's voice.

`compose(policy, routing, text, details)` returns `draft`, a plain-JSON dict. The wizard and the CLI only display
it; labels, field order, the header and the wording all come from here and from the policy's YAML.

Keys of `draft`:

- `kind`: the channel's kind (ticket, email, phone, chat, messenger, self_service);
  `channel`: {id, kind, title}.
- `subject`: one line (<= 100 characters) for ticket and email, "" otherwise.
- `header`: the form fields above the message, in order: [{label, value}] ("Тема", "Отдел", "Приоритет",
  "Услуга"); `draft.text` starts with them as "label: value" lines.
- `form`: the ticket form's machine values {department?, priority?, service?}; `field_titles`: {department,
  priority} titles (kept for older callers).
- `values`: field -> value the draft uses: what the customer typed, plus what was recognised in the text
  (typed values win). `recognised`: field -> value for the recognised ones only.
- `fields`: the field plan, in display order: [{id, label, kind ("text" | "textarea" | "email"), placeholder,
  required, block ("identification" | "description"), value, source ("typed" | "recognised" | ""), hint}].
  `value` is what the field should show (typed or recognised; "" for `text`, which the caller holds);
  `hint` says when a value was recognised; the subject's placeholder is the subject the draft will use.
- `identify`: {fields, need ("one" | "all"), hint}: what the channel asks to identify the customer.
  `hints`: {identification, description}: one sentence for each group of fields.
- `blocks`: {identification, authorization, description}, each {title, lines, text}. All three are non-empty
  for ticket and email. For chat/messenger the description holds the opening message; for phone the blocks
  hold what to prepare, what the agent cannot do and what to say; for self-service only the description.
- `sections`: what `text` is made of, in order: [{id, title, lines}] (a section with an empty title is shown
  without a heading). Ticket/email: the three blocks; chat/messenger: the message; phone: prepare, say, cannot,
  after; self-service: steps.
- `text`: the plain-text draft (header + sections); `markdown`: the same in Markdown.
- `warnings`: [{code, field, severity ("warning" | "error"), message (Russian)}]: what is missing or wrong;
  never text inside the draft. `field_errors`: field -> message for values that cannot be right.
- `secrets`: [{field, kind, label}] found and masked.
- `no_account`: the customer says they have no account yet; `presales`: that, or a question before buying
  («хочу купить», «есть ли у вас»): account data is neither asked for nor warned about.
- `mailto` / `mailto_truncated`: for e-mail channels, a mailto: URL carrying the whole body when it fits
  (`render.MAILTO_LIMIT`), else cut at a line with a note and a `mailto_truncated` warning.
"""

from __future__ import annotations

import functools
import re

from . import facts
from . import secrets as secretlib
from .availability import flatten_parentheses
from .lint import lint
from .policy import Policy
from .render import mailto, render_markdown, render_text
from .text import content_stems
from .vocab import (
    DESCRIPTION_FIELDS,
    DRAFT_LINES,
    EMAIL_FIELDS,
    IDENTIFIERS,
    MULTILINE_FIELDS,
    PLACEHOLDERS,
    field_label,
)

_ORDER = re.compile(r"^[#№]?\s?(\d{3,})$")
_TICKET = re.compile(r"^[#№]?\s?(\d{4,})$")
_INN = re.compile(r"^\d{10}(\d{2})?$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _items(value: str) -> list[str]:
    """The values in a field that may hold several, separated by commas or semicolons."""
    return [v.strip() for v in re.split(r"[,;]\s*|\s+", value.strip()) if v.strip()]


def validate_field(name: str, value: str) -> str | None:
    """A Russian message if the value cannot be right for this identification field, else None."""
    v = value.strip()
    if not v:
        return None
    if name == "domain":
        for item in _items(v):
            host = re.sub(r"^(?i:https?://)", "", item).split("/")[0]
            if not facts.is_domain(host):
                return "Похоже, это не домен: укажите имя вида example.ru (без http:// и пути)."
    elif name == "ip":
        if not all(facts.is_ip(item) for item in _items(v)):
            return "Похоже, это не IP-адрес: укажите адрес вида 203.0.113.10 или 2001:db8::1."
    elif name in ("email", "reply_to"):
        if not all(facts.is_email(item) for item in _items(v)):
            return "Похоже, это не адрес электронной почты: укажите адрес вида name@example.ru."
    elif name == "order":
        if not all(_ORDER.match(item) for item in re.split(r"[,;]\s*", v)):
            return "Номер заказа — это цифры, например #123456."
    elif name == "ticket":
        if not all(_TICKET.match(item) for item in re.split(r"[,;]\s*", v)):
            return "Номер заявки — это цифры из письма с автоответом."
    elif name == "owner":
        digits = re.sub(r"\D", "", v)
        if digits == v and not _INN.match(v):
            return "ИНН организации — 10 цифр (у ИП — 12)."
    return None


def _clean(details: dict | None) -> dict[str, str]:
    out = {}
    for key, value in (details or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value if v is not None)
        out[str(key)] = str(value)
    return out


# While the customer types into one field, the description and the other fields stay the same: what is read from a
# string alone (its secrets, its facts, its words) is kept for the next keystroke (the wizard composes the draft on
# each one). Pure functions of their arguments; small, bounded caches of immutable results.


@functools.lru_cache(maxsize=64)
def _secrets_of(value: str, known: frozenset[tuple[str, str]]) -> tuple[secretlib.Secret, ...]:
    return tuple(secretlib.find(value, known))


def _find_secrets(value: str, known: frozenset[tuple[str, str]] = frozenset()) -> list[secretlib.Secret]:
    return list(_secrets_of(value, known))


@functools.lru_cache(maxsize=16)
def _facts_of(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(facts.recognise(text).items())


def mask_input(text: str, raw: dict[str, str]) -> tuple[str, dict[str, str], dict[str, list]]:
    """The text and the fields with secrets masked, and the secrets found per field ("text": the text).

    A secret found in any of them is hidden in all of them; the text's and each field's secrets are kept
    apart (a field may itself be called "text").
    """
    text_secrets = _find_secrets(text)
    field_secrets = {name: _find_secrets(value) for name, value in raw.items()}
    known: set[tuple[str, str]] = set()
    for string, items in [(text, text_secrets), *((raw[k], v) for k, v in field_secrets.items())]:
        known.update((string[s.start : s.end], s.kind) for s in items)
    if known:
        frozen = frozenset(known)
        text_secrets = _find_secrets(text, frozen)
        field_secrets = {name: _find_secrets(value, frozen) for name, value in raw.items()}
    found: dict[str, list] = {"text": text_secrets} if text_secrets else {}
    for name, items in field_secrets.items():
        if items:
            found[name] = found.get(name, []) + items
    return (secretlib.mask(text, text_secrets), {k: secretlib.mask(v, field_secrets[k]) for k, v in raw.items()}, found)


# --- subject -----------------------------------------------------------------------------------------------

#: A subject is one line of at most this many characters (it must also fit a mailto: URL whole).
SUBJECT_LIMIT = 100

#: Words a topic's subject sample may add to what the customer said without naming another problem.
_CLASS_WORDS = frozenset(
    content_stems("домен домене домена аккаунт аккаунта услуга услуги заявка заявке заявки вопрос проблема запрос")
)
_GREETING = re.compile(
    r"(?i)^\s*(?:(?:здравствуйте|добрый\s+(?:день|вечер)|доброе\s+утро|привет|hello|hi)"
    r"[\s,.!]*)+"
)
_NO_ACCOUNT_CLAUSE = re.compile(r"(?i)\bаккаунт\w*\b.*\bнет\b|\bнет\b.*\bаккаунт")
_POLITE = re.compile(r"(?i)^\s*(?:(?:подскажите|помогите|пожалуйста|скажите|у\s+меня)[\s,.!]+)+")


def _one_line(subject: str) -> str:
    """The subject on one line (no header breaks in mail), cut at a word to SUBJECT_LIMIT characters."""
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_LIMIT:
        cut = subject[:SUBJECT_LIMIT]
        if " " in cut[SUBJECT_LIMIT // 2 :]:
            cut = cut.rsplit(" ", 1)[0]
        subject = cut[: SUBJECT_LIMIT - 1].rstrip(" ,.;:—-") + "…"
    return subject


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _says_little(clause: str) -> bool:
    """A clause that, without its identifiers, times and frequencies, keeps at most one word ("логин shop42")."""
    rest = clause
    for f in facts.find(clause):
        if f.field in IDENTIFIERS or f.field in ("started_at", "frequency"):
            rest = rest.replace(f.value, " ")
    return len(content_stems(rest)) <= 1


def customer_clause(text: str) -> str:
    """The customer's first clause: greeting and pleas dropped, trimmed, capitalised ("" if it says too little)."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0]
    for fact in facts.find(first):  # when and how often belong to the description, not to the subject
        if fact.field in ("started_at", "frequency"):
            first = first.replace(fact.value, " ")
    first = re.sub(r"\s+([,.!?])", r"\1", " ".join(first.split())).replace(", ,", ",")
    first = _POLITE.sub("", _GREETING.sub("", first)).strip(" .!?,;:—-")
    clauses = re.split(r",\s+", first)
    while len(clauses) > 1 and _NO_ACCOUNT_CLAUSE.search(clauses[0]):  # "аккаунта пока нет, хочу …": the want
        clauses.pop(0)
    # "…, логин shop42", "…, началось вчера": such clauses stay in the blocks, not in the subject
    clauses = clauses[:1] + [c for c in clauses[1:] if not _says_little(c)]
    first = _POLITE.sub("", ", ".join(clauses))
    if len(first) > 70 and "," in first[15:]:
        first = first[:15] + first[15:].split(",", 1)[0]
    words = content_stems(first)
    if len(words) < 2 or len(first) > 90:
        return ""
    return _capital(first.strip(" .!?,;:—-"))


@functools.lru_cache(maxsize=32)
def _units_of(lexicon, text: str) -> tuple:
    return tuple(lexicon.units(text))


def _names_only_what_was_said(policy: Policy, sample: str, text: str) -> bool:
    """Whether a topic's subject sample says only what the customer said (same words or synonyms, same negation),
    apart from general words like «домен» or «заявка»: then it names the customer's problem, not another one."""
    lexicon = policy.matcher.lexicon
    said = _units_of(lexicon, text)
    for unit in _units_of(lexicon, sample):
        if unit.stem in _CLASS_WORDS and not unit.neg:
            continue
        if not any(u.neg == unit.neg and (u.stem == unit.stem or u.concepts & unit.concepts) for u in said):
            return False
    return True


def _first(value: str) -> str:
    return re.split(r",\s*", value.strip(), maxsplit=1)[0] if value else ""


def subject_for(policy: Policy, routing: dict, text: str, values: dict[str, str], typed: dict[str, str]) -> str:
    """The topic's name made specific with the customer's facts; the customer's words when no topic fits."""
    if typed.get("subject", "").strip():
        return _one_line(typed["subject"])
    topic = routing["topic"]
    base = ""
    if topic:
        spec = policy.topics[topic["id"]]
        sample = spec.get("subject") or ""
        if sample and _names_only_what_was_said(policy, sample, text):
            base = sample
    if not base:
        base = customer_clause(text)
    if not base and topic:
        base = _capital(re.sub(r"(?i)^почему\s+", "", topic["title"]).rstrip(" ?"))
    if not base:
        base = "Обращение в поддержку"
    target = _first(values.get("domain", "")) or _first(values.get("ip", ""))
    if not target:  # a sample made for a domain or a server that the customer did not name
        base = re.sub(r"(?i)\s+(?:на|для|у)\s+(?:домене|сервере|сайте)$", "", base)
    lowered = base.lower()
    if target and target.lower() not in lowered:
        tail = re.search(r"(?i)\b(?:домене|домена|сервере|сервера|сайте|сайта)$", base)
        base = f"{base} {target}" if tail else f"{base}: {target}"
    elif not target and values.get("ticket", "").strip():
        number = _first(values["ticket"])
        if re.sub(r"\D", "", number) not in re.sub(r"\D", "", lowered):
            base = f"{base} {number}" if re.search(r"(?i)\bзаявк[аеи]$", base) else f"{base}: заявка {number}"
    code = facts.error_code(values.get("error_text", ""))
    if code and code not in base:
        base = f"{base}, {code}" if ": " in base else f"{base}: {code}"
    return _one_line(base)


# --- templates ----------------------------------------------------------------------------------------------


def fill(template: str, values: dict[str, str]) -> str | None:
    """A template with every {name} replaced by its value; None when a named value is empty."""
    missing = False

    def sub(m: re.Match) -> str:
        nonlocal missing
        value = (values.get(m.group(1)) or "").strip()
        if not value:
            missing = True
        return value

    out = _PLACEHOLDER.sub(sub, template)
    return None if missing else out


def _line_template(policy: Policy, channel: dict, field: str) -> str:
    own = ((channel.get("draft") or {}).get("lines") or {}).get(field)
    shared = ((policy.raw.get("drafts") or {}).get("lines") or {}).get(field)
    return own or shared or DRAFT_LINES.get(field) or f"{field_label(field)}: {{{field}}}"


def _lines(templates: list[str] | None, values: dict[str, str]) -> list[str]:
    return [line for t in templates or [] if (line := fill(t, values))]


# --- the draft ------------------------------------------------------------------------------------------------

#: How each identifier reads inside "Мои данные: …" at the start of a chat or a call.
WHO_PARTS = {
    "login": "логин {login}",
    "contract": "договор {contract}",
    "domain": "домен {domain}",
    "ip": "сервер {ip}",
    "order": "заказ {order}",
    "invoice": "счёт {invoice}",
    "service": "услуга {service}",
    "email": "e-mail {email}",
    "owner": "владелец {owner}",
    "ticket": "заявка {ticket}",
}

_ACCOUNT_ADVICE = re.compile(r"(?i)логин|договор|аккаунт|владел|ИНН|кабинет|панел")


def compose(policy: Policy, routing: dict, text: str, details: dict | None = None) -> dict:
    """The draft for the routed channel. Customer text is kept verbatim (secrets masked)."""
    # Secrets never leave the engine: every customer string is masked before use.
    masked_text, typed, found_secrets = mask_input(text or "", _clean(details))
    recognised = {k: v for k, v in _facts_of(masked_text) if not typed.get(k, "").strip()}
    d: dict[str, str] = {**typed, **recognised}
    sources = {k: ("typed" if typed.get(k, "").strip() else "recognised") for k, v in d.items() if v.strip()}

    channel = policy.channels[routing["channel"]["id"]]
    kind = channel["kind"]
    ident = channel.get("identify") or {}
    ident_fields, need = list(ident.get("fields") or []), ident.get("need", "one")
    # Presales or no account yet: said in the text, unless the customer typed their account's data.
    has_account_data = any(typed.get(f, "").strip() for f in ("login", "contract", "owner", "order"))
    no_account = facts.no_account(masked_text) and not has_account_data
    presales = facts.presales(masked_text) and not has_account_data
    topic = routing["topic"]
    # A customer without an account asks a question, whatever the topic: no steps or error text to ask for.
    rtype = topic["type"] if topic and not presales else "question"
    critical = bool(topic and policy.topics[topic["id"]].get("critical")) and not presales

    field_errors = {}
    for name, value in d.items():
        if name in IDENTIFIERS or name == "reply_to":
            message = validate_field(name, value)
            if message:
                field_errors[name] = message

    written = kind in ("ticket", "email")
    subject = subject_for(policy, routing, masked_text, d, typed) if written else ""
    values = {
        **d,
        "text": masked_text.strip(),
        "provider": policy.name,
        "client_area": flatten_parentheses(policy.client_area),
        "channel": channel["title"],
        "subject": subject,
    }

    form: dict[str, str] = {}
    ticket_form = policy.form if policy.form.get("channel") == channel["id"] else {}
    if kind == "ticket" and ticket_form:
        if routing["fields"]["department"]:
            form["department"] = routing["fields"]["department"]
        if routing["fields"]["priority"]:
            form["priority"] = routing["fields"]["priority"]
        elif ticket_form.get("priorities"):
            form["priority"] = "normal" if any(p["id"] == "normal" for p in ticket_form["priorities"]) else ""
        if "service" in ticket_form or any(d.get(k, "").strip() for k in ("service", "domain", "ip", "order")):
            form["service"] = next(
                (d[k].strip() for k in ("service", "domain", "ip", "order") if d.get(k, "").strip()), ""
            )
    form = {k: v for k, v in form.items() if v}
    field_titles = {
        "department": policy.department_title(form.get("department")) or "",
        "priority": policy.priority_title(form.get("priority")) or "",
    }
    header = []
    if subject:
        header.append({"label": "Тема", "value": subject})
    if form.get("department"):
        header.append({"label": "Отдел", "value": field_titles["department"] or form["department"]})
    if form.get("priority"):
        header.append({"label": "Приоритет", "value": field_titles["priority"] or form["priority"]})
    if form.get("service"):
        header.append({"label": "Услуга", "value": form["service"]})

    ctx = _Context(
        policy,
        channel,
        kind,
        values,
        typed,
        masked_text,
        no_account,
        presales,
        critical,
        rtype,
        ident_fields,
        topic["title"] if topic else "",
    )
    blocks, sections = ctx.build()

    draft = {
        "kind": kind,
        "channel": {"id": channel["id"], "kind": kind, "title": channel["title"]},
        "subject": subject,
        "header": header,
        "form": form,
        "field_titles": field_titles,
        "blocks": blocks,
        "sections": sections,
        "values": d,
        "recognised": recognised,
        "fields": _field_plan(kind, rtype, ident_fields, need, d, sources, presales, written, subject),
        "identify": {
            "fields": [] if presales else ident_fields,
            "need": need,
            "hint": _identify_hint(policy, kind, ident_fields, need, presales),
        },
        "hints": {
            "identification": _identify_hint(policy, kind, ident_fields, need, presales),
            "description": _describe_hint(kind, rtype),
        },
        "no_account": no_account,
        "presales": presales,
        "field_errors": field_errors,
        "secrets": [
            {"field": name, "kind": s.kind, "label": secretlib.KIND_LABELS[s.kind]}
            for name, items in found_secrets.items()
            for s in items
        ],
    }
    draft["warnings"] = lint(policy, routing, draft, masked_text, d, found_secrets, rtype)
    draft["text"] = render_text(draft)
    draft["markdown"] = render_markdown(draft)
    if kind == "email":
        draft["mailto"], draft["mailto_truncated"] = mailto(channel.get("address") or "", draft)
    else:
        draft["mailto"], draft["mailto_truncated"] = "", False
    if draft["mailto_truncated"]:
        draft["warnings"].append(
            {
                "code": "mailto_truncated",
                "field": "text",
                "severity": "warning",
                "message": "Письмо длинное: ссылка на почтовую программу передаст только начало текста. "
                "Скопируйте черновик целиком и вставьте его в письмо.",
            }
        )
    return draft


def _block(title: str, lines: list[str]) -> dict:
    return {"title": title, "lines": lines, "text": "\n".join(lines)}


class _Context:
    """What one draft is composed from; `build()` gives the blocks and the sections of the text."""

    def __init__(
        self,
        policy: Policy,
        channel: dict,
        kind: str,
        values: dict,
        typed: dict,
        text: str,
        no_account: bool,
        presales: bool,
        critical: bool,
        rtype: str,
        ident_fields: list[str],
        topic_title: str,
    ):
        self.topic_title, self.presales = topic_title, presales
        self.policy, self.channel, self.kind, self.values, self.typed = policy, channel, kind, values, typed
        self.text, self.no_account, self.critical, self.rtype = text.strip(), no_account, critical, rtype
        self.ident_fields = ident_fields
        self.own = channel.get("draft") or {}

    def line(self, field: str) -> str | None:
        template = _line_template(self.policy, self.channel, field)
        if "\n" in (self.values.get(field) or "").strip():  # several lines: they start under the label
            template = template.replace(": {" + field + "}", ":\n{" + field + "}")
        return fill(template, self.values)

    def has(self, field: str) -> bool:
        return bool((self.values.get(field) or "").strip())

    # -- identification

    def identifiers(self) -> list[str]:
        """Identification fields with a value: the channel's first, then any other the customer gave."""
        shown = [f for f in self.ident_fields if self.has(f)]
        # An e-mail found in the text may be any mailbox («сменить e-mail на …»): it identifies only when typed
        # in its field or asked for by the channel.
        shown += [f for f in IDENTIFIERS if f not in shown and self.has(f) and (f != "email" or f in self.typed)]
        return shown

    def identification(self) -> list[str]:
        if self.presales:
            lines = ["Аккаунта пока нет." if self.no_account else "Вопрос общий, не по конкретному аккаунту."]
            contact = next((self.values[f].strip() for f in ("reply_to", "email") if self.has(f)), "")
            if contact:
                lines.append(f"Ответить мне можно на адрес {contact}.")
            lines += [
                ln
                for f in self.identifiers()
                if f not in ("email", "login", "contract", "owner") and (ln := self.line(f))
            ]
            return lines
        lines = _lines(self.own.get("identification"), self.values)
        lines += [ln for f in self.identifiers() if (ln := self.line(f))]
        if not lines and self.kind == "ticket":
            lines.append("Заявка отправлена из моего аккаунта.")
        if not lines and self.kind == "email":
            lines.append(f"Я клиент {self.policy.name}.")
        return lines

    # -- authorization

    def authorization(self) -> list[str]:
        if self.presales:
            return ["Вопрос общий: действий с аккаунтом и конфиденциальных данных не прошу."]
        lines = _lines(self.own.get("authorization"), self.values)
        if not lines:
            if self.kind == "ticket" and self.channel["authorized"]:
                lines = [
                    f"Права владельца подтверждены входом в аккаунт ({flatten_parentheses(self.policy.client_area)})."
                ]
            else:
                lines = ["Если для решения нужно подтвердить права владельца аккаунта, подскажите, как это сделать."]
        if self.critical:  # the full procedure: the writer's lines replace the usual ones
            own = _lines(self.own.get("critical"), self.values)
            if own:
                return own
            lines.append("Я владелец аккаунта. Прошу выполнить это действие после проверки моих прав.")
            if self.channel.get("owner_confirmation"):
                lines.append(
                    "Порядок подтверждения прав для этого способа связи: " + self.channel["owner_confirmation"]
                )
        return lines

    # -- description

    def detail_lines(self, typed_only: bool = False) -> list[str]:
        """Labelled lines for the filled description fields (the request type's first), nothing twice."""
        order = list(DESCRIPTION_FIELDS.get(self.rtype, {}))
        for fields in DESCRIPTION_FIELDS.values():
            order += [f for f in fields if f not in order]
        out = []
        for name in order:
            value = (self.values.get(name) or "").strip()
            if not value:
                continue
            if name not in self.typed and (typed_only or value in self.text):
                continue  # recognised in the text: it is there already
            if ln := self.line(name):
                out.append(ln)
        if self.has("reply_to") and (ln := self.line("reply_to")):
            out.append(ln)
        return out

    def description(self) -> list[str]:
        body = self.text or (f"{self.topic_title.rstrip('?.')}." if self.topic_title else "")
        lines = [body] if body else []
        lines += self.detail_lines()
        if not lines:
            lines.append("Прошу помочь.")
        return lines

    def who(self) -> str:
        """Who is writing or calling, in one sentence (for the first words of a chat or call)."""
        if self.presales:
            return "Аккаунта у меня пока нет." if self.no_account else ""
        parts = [
            fill(WHO_PARTS[f], self.values)
            for f in self.identifiers()
            if f in WHO_PARTS and _first(self.values[f]) not in self.text
        ]
        return f"Мои данные: {', '.join(p for p in parts if p)}." if any(parts) else ""

    def opening(self) -> str:
        template = self.own.get("opening")
        if template:
            custom = fill(template, {**self.values, "who": self.who()})
            if custom:
                return " ".join(custom.split())
        parts = ["Здравствуйте!"]
        if self.who():
            parts.append(self.who())
        if self.text:
            parts.append(self.text)
        return " ".join(parts)

    # -- assembly

    def build(self) -> tuple[dict, list[dict]]:
        req = self.policy.request
        titles = {k: req[k]["title"] for k in ("identification", "authorization", "description")}
        kind = self.kind
        if kind in ("ticket", "email"):
            blocks = {
                "identification": _block(titles["identification"], self.identification()),
                "authorization": _block(titles["authorization"], self.authorization()),
                "description": _block(titles["description"], self.description()),
            }
            sections = [{"id": k, "title": b["title"], "lines": b["lines"]} for k, b in blocks.items()]
            return blocks, sections
        if kind in ("chat", "messenger"):
            message = [self.opening(), *self.detail_lines()]
            who = [self.who()] if self.who() else []
            blocks = {
                "identification": _block(titles["identification"], who),
                "authorization": _block(titles["authorization"], []),
                "description": _block(titles["description"], message),
            }
            return blocks, [{"id": "message", "title": "", "lines": message}]
        if kind == "phone":
            return self.call_script(titles)
        # self-service: the steps, and what the customer wants done (their own words and fields)
        steps = [f"{i}. {step}" for i, step in enumerate(self.channel.get("how_to") or [], 1)]
        need = ([f"Что нужно: {self.text}"] if self.text else []) + self.detail_lines(typed_only=True)
        need += [ln for f in IDENTIFIERS if f in self.typed and self.has(f) and (ln := self.line(f))]
        lines = steps + need
        blocks = {
            "identification": _block(titles["identification"], []),
            "authorization": _block(titles["authorization"], []),
            "description": _block(titles["description"], lines),
        }
        return blocks, [{"id": "steps", "title": "Что сделать", "lines": lines}]

    def call_script(self, titles: dict) -> tuple[dict, list[dict]]:
        prepare = [
            f"— {item}"
            for item in self.channel.get("prepare") or []
            if not (self.presales and _ACCOUNT_ADVICE.search(item))
        ]
        known = [ln for f in self.identifiers() if (ln := self.line(f))]
        if self.has("ticket"):
            digits = re.sub(r"\D", "", _first(self.values["ticket"]))
            if len(digits) > 6:
                known.append(f"Последние 6 цифр номера заявки: {digits[-6:]}")
        prepare += [f"— {ln}" for ln in known if f"— {ln}" not in prepare]
        say = [self.opening(), *self.detail_lines()]
        mention = [
            f"— {item}"
            for item in self.channel.get("include") or []
            if not (self.presales and _ACCOUNT_ADVICE.search(item))
        ]
        cannot = [f"— {item}" for item in self.channel.get("cannot") or []]
        after = [f"— {item}" for item in self.channel.get("after") or []]
        blocks = {
            "identification": _block("Что подготовить", prepare),
            "authorization": _block("Что сотрудник не может сделать по телефону", cannot),
            "description": _block("Что сказать", say + mention),
        }
        sections = [
            {"id": "prepare", "title": "Что подготовить", "lines": prepare},
            {"id": "say", "title": "Что сказать первым", "lines": say},
            {"id": "mention", "title": "Что упомянуть", "lines": mention},
            {"id": "cannot", "title": "Что сотрудник не может сделать по телефону", "lines": cannot},
            {"id": "after", "title": "В конце разговора", "lines": after},
        ]
        return blocks, [s for s in sections if s["lines"]]


# --- field plan and hints --------------------------------------------------------------------------------------


def _field_plan(
    kind: str,
    rtype: str,
    ident_fields: list[str],
    need: str,
    d: dict,
    sources: dict,
    no_account: bool,
    written: bool,
    subject: str,
) -> list[dict]:
    """The fields the wizard shows, in order, with their labels, values and where the values came from."""
    filled = {k for k, v in d.items() if str(v).strip()}
    ask = [] if kind == "self_service" or no_account else list(ident_fields)
    ident = ask + [f for f in IDENTIFIERS if f not in ask and f in filled]
    if kind == "ticket" and not ask and not no_account and "domain" not in ident:
        ident.insert(0, "domain")  # the account is known: a domain is what narrows the problem (optional)
    describe: list[str] = []
    if written or "subject" in filled:
        describe.append("subject")
    describe.append("text")
    if written:  # a call, a chat and a memo need only what their script uses
        describe += list(DESCRIPTION_FIELDS.get(rtype, {}))
    for fields in DESCRIPTION_FIELDS.values():
        describe += [f for f in fields if f not in describe and f in filled]
    if written or "reply_to" in filled:
        describe.append("reply_to")

    def entry(name: str, block: str) -> dict:
        source = sources.get(name, "")
        if name in ("text", "subject"):
            source = ""
        hint = "Нашли в описании — проверьте и исправьте, если нужно." if source == "recognised" else ""
        return {
            "id": name,
            "label": field_label(name),
            "kind": "textarea" if name in MULTILINE_FIELDS else "email" if name in EMAIL_FIELDS else "text",
            "placeholder": subject if name == "subject" else PLACEHOLDERS.get(name, ""),
            "required": (block == "identification" and name in ask and need == "all") or name == "text",
            "block": block,
            "value": "" if name == "text" else d.get(name, ""),
            "source": source,
            "hint": hint,
        }

    return [entry(n, "identification") for n in ident] + [entry(n, "description") for n in describe]


def _identify_hint(policy: Policy, kind: str, fields: list[str], need: str, no_account: bool) -> str:
    if no_account:
        return "Аккаунта нет — данные аккаунта не нужны; оставьте e-mail, если ответ нужен на другой адрес."
    if kind == "self_service":
        return ""
    if len(fields) > 1 and need == "one":
        return "Достаточно одного из полей — по нему сотрудник найдёт ваш аккаунт."
    if fields:
        return "Укажите эти данные — по ним сотрудник найдёт ваш аккаунт."
    if kind == "ticket":
        return (
            f"Заявка из раздела поддержки ({flatten_parentheses(policy.client_area)}) уже привязана к аккаунту: "
            "укажите только домен, сервер или услугу, о которых речь."
        )
    return ""


def _describe_hint(kind: str, rtype: str) -> str:
    if kind == "self_service":
        return "Опишите, что хотите настроить: текст попадёт в памятку."
    if kind == "phone":
        return "Коротко опишите ситуацию: с этого вы начнёте разговор."
    if kind in ("chat", "messenger"):
        return "Коротко: кто вы, что случилось и главный факт — это первое сообщение."
    if rtype == "problem":
        return "Чем точнее шаги, текст ошибки и время с часовым поясом, тем быстрее решат проблему."
    return "Пустые поля в черновик не попадают."
