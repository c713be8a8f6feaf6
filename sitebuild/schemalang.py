"""A tiny closed-schema language: validates YAML nodes with positions, emits JSON Schema and docs."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
import urllib.parse
import zoneinfo
from typing import Any

import yaml

from . import yamltraps

# ---------------------------------------------------------------------------
# Errors

#: The key path of a problem about a whole file or its top level (every problem names a key path).
TOP = "<top>"


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, positioned at a YAML node (1-based line and column)."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class Context:
    """Collects problems and node positions while one document is validated."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.positions: dict[str, tuple[int, int]] = {}
        self.refs: list[tuple[str, str, str, yaml.Node]] = []  # (collection, value, path, node)

    def error(self, node: yaml.Node | None, path: str, message: str) -> None:
        line, col = position(node)
        self.problems.append(Problem(self.file, line, col, path or TOP, message))

    def expected(self, node: yaml.Node | None, path: str, what: str, got: str) -> None:
        self.error(node, path, f"expected {what}, got {got}")


def position(node: yaml.Node | None) -> tuple[int, int]:
    if node is None:
        return (1, 1)
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
    "tag:yaml.org,2002:str": "text",
}


def describe_node(node: yaml.Node) -> str:
    """How a node reads to a writer, for the 'got ...' half of a message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = _TAG_NAMES.get(node.tag, _short(node.tag))
    value = _short(node.value)
    if kind == "text":
        return f"{value!r}" if node.value.strip() else "empty text"
    if kind == "null":
        return "nothing" if node.value in ("", "~") else f"null ({value!r})"
    if kind == "boolean":
        meaning = "true" if node.value.lower() in ("yes", "true", "on", "y") else "false"
        return f'boolean {meaning} (YAML reads unquoted {value} as {meaning}; write "{value}" in quotes)'
    if kind in ("number", "date"):
        return f"{kind} {value} ({yamltraps.number_hint(value)})"
    return f"{kind} {value}"


def _short(value: str, limit: int = 40) -> str:
    """A writer's value as shown in a message: on one line, without control characters, at most limit long."""
    if not value.isprintable():
        value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# Types


class Type:
    """Base of all schema types."""

    #: How the type reads in 'expected ...' messages and in docs.
    what = "a value"

    def check(self, node: yaml.Node, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def doc_type(self) -> str:
        """Short Russian name of the type for the writers' reference."""
        raise NotImplementedError


#: Longest text of a field (characters): several paragraphs, one line, or an id/address.
MAX_TEXT = 2000
MAX_LINE = 200
MAX_ID = 64


class Text(Type):
    """A non-empty string; YAML 1.1 booleans, numbers and nulls are refused, not coerced.

    Every text has a length limit (MAX_TEXT, or MAX_LINE for one-line texts): it keeps pages readable
    and `check` and the engine fast whatever a file holds."""

    def __init__(
        self,
        pattern: str | None = None,
        what: str = "text",
        doc: str = "текст",
        multiline: bool = True,
        max_length: int | None = None,
    ):
        self.pattern = re.compile(pattern) if pattern else None
        self.what = what
        self.doc = doc
        self.multiline = multiline
        self.max_length = max_length or (MAX_TEXT if multiline else MAX_LINE)

    def check(self, node, path, ctx):
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            got = describe_node(node)
            if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
                got += " (an unquoted ': ' inside text starts a mapping; put the text in quotes)"
            ctx.expected(node, path, self.what, got)
            return None
        value = node.value
        if not value.strip():
            ctx.expected(node, path, self.what, "empty text")
            return None
        if value != value.strip():
            value = value.strip()
        if not self.multiline and "\n" in value:
            ctx.expected(node, path, f"{self.what} on one line", "several lines")
            return None
        if len(value) > self.max_length:
            ctx.expected(node, path, f"{self.what} of at most {self.max_length} characters", f"{len(value)} characters")
            return None
        if self.pattern and not self.pattern.fullmatch(value):
            ctx.expected(node, path, self.what, repr(_short(value)))
            return None
        return value

    def json_schema(self):
        out: dict = {"type": "string", "minLength": 1}
        if self.pattern:
            out["pattern"] = "^(?:" + self.pattern.pattern + ")$"
        if self.max_length:
            out["maxLength"] = self.max_length
        return out

    def doc_type(self):
        return f"{self.doc}, до {self.max_length} симв."


SLUG = r"[a-z][a-z0-9_]*"


def Id(what: str = "an id of lowercase Latin letters, digits and _") -> Text:
    return Text(SLUG, what=what, doc="идентификатор (`a-z`, `0-9`, `_`)", multiline=False, max_length=MAX_ID)


class Url(Text):
    """An absolute http(s) URL with a host, parsed; characters that could break out of Markdown or HTML
    (spaces, quotes, brackets, parentheses, backslash, `|`) are refused, not escaped."""

    SCHEMES = ("http", "https")
    UNSAFE = re.compile(r"[\s<>\"'`\\\[\](){}|^]")

    def __init__(self):
        super().__init__(
            r"https?://[^\s<>\"'`\\\[\](){}|^]+",
            what="an http(s) URL",
            multiline=False,
            doc="URL (`http://` или `https://`)",
            max_length=500,
        )

    def check(self, node, path, ctx):
        value = super().check(node, path, ctx)
        if value is None:
            return None
        try:
            parts = urllib.parse.urlsplit(value)
            ok = parts.scheme in self.SCHEMES and bool(parts.hostname) and (parts.port or 0) >= 0
        except ValueError:  # a bad port or IPv6 literal
            ok = False
        if not ok or self.UNSAFE.search(value):
            ctx.expected(node, path, self.what, repr(_short(value)))
            return None
        return value


class TimeZone(Text):
    """A UTC offset in quotes ("+03:00") or an IANA time zone name (Europe/Kyiv), which must exist in the
    time-zone database of the machine that builds (Python's zoneinfo); a named zone follows its daylight
    saving time, compiled into a table of offsets for the engine (sitebuild.compile.zone_offsets)."""

    OFFSET = r"[+-](?:0\d|1[0-4]):[0-5]\d"
    NAME = r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){1,2}"

    def __init__(self):
        super().__init__(
            f"{self.OFFSET}|{self.NAME}",
            what='a UTC offset in quotes ("+03:00") or a time zone name (Europe/Kyiv)',
            doc='смещение от UTC `"+03:00"` или пояс `Europe/Kyiv`',
            multiline=False,
            max_length=64,
        )

    def check(self, node, path, ctx):
        value = super().check(node, path, ctx)
        if value is None or re.fullmatch(self.OFFSET, value):
            return value
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            ctx.expected(node, path, self.what, f"'{_short(value)}' (no such time zone)")
            return None
        return value


class Ref(Text):
    """An id that must name an item of a collection elsewhere in the same document."""

    def __init__(self, collection: str, doc: str):
        super().__init__(SLUG, what=f"an id of one of the {collection}", doc=doc, multiline=False, max_length=MAX_ID)
        self.collection = collection

    def check(self, node, path, ctx):
        value = super().check(node, path, ctx)
        if value is not None:
            ctx.refs.append((self.collection, value, path, node))
        return value


class Enum(Type):
    """One of a closed set of machine values."""

    def __init__(self, values: dict[str, str]):
        self.values = values  # value -> Russian meaning
        self.what = "one of " + ", ".join(values)

    def check(self, node, path, ctx):
        if (
            not isinstance(node, yaml.ScalarNode)
            or node.tag != "tag:yaml.org,2002:str"
            or node.value not in self.values
        ):
            ctx.expected(node, path, self.what, describe_node(node))
            return None
        return node.value

    def json_schema(self):
        return {"enum": list(self.values), "markdownEnumDescriptions": list(self.values.values())}

    def doc_type(self):
        return "одно из: " + ", ".join(f"`{v}` ({d})" for v, d in self.values.items())


class Bool(Type):
    """Strictly `true` or `false`: `yes`/`no`/`on`/`off` are refused as ambiguous."""

    what = "true or false"

    def check(self, node, path, ctx):
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag == "tag:yaml.org,2002:bool"
            and node.value in ("true", "false")
        ):
            return node.value == "true"
        got = f"{_short(node.value)!r}" if isinstance(node, yaml.ScalarNode) else describe_node(node)
        ctx.expected(node, path, self.what, got)
        return None

    def json_schema(self):
        return {"type": "boolean"}

    def doc_type(self):
        return "`true` или `false`"


class Date(Type):
    """A calendar date written as YYYY-MM-DD."""

    what = "a date YYYY-MM-DD"

    def check(self, node, path, ctx):
        if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node.value):
            try:
                return datetime.date.fromisoformat(node.value).isoformat()
            except ValueError:
                ctx.expected(node, path, self.what, f"{node.value} (there is no such day)")
                return None
        ctx.expected(node, path, self.what, describe_node(node))
        return None

    def json_schema(self):
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

    def doc_type(self):
        return "дата `ГГГГ-ММ-ДД`"


class List(Type):
    """A list of items of one type."""

    def __init__(self, item: Type, min_items: int = 0, unique_ids: bool = False):
        self.item = item
        self.min_items = min_items
        self.unique_ids = unique_ids
        self.what = "a list"

    def check(self, node, path, ctx):
        if not isinstance(node, yaml.SequenceNode):
            ctx.expected(node, path, "a list", describe_node(node) + yamltraps.list_hint(node))
            return None
        if len(node.value) < self.min_items:
            ctx.expected(
                node,
                path,
                f"a list of at least {self.min_items} item(s)",
                "an empty list" if not node.value else f"{len(node.value)} item(s)",
            )
        out = []
        seen: dict[str, yaml.Node] = {}
        for index, child in enumerate(node.value):
            label = f"{path}[{index}]"
            if self.unique_ids and isinstance(child, yaml.MappingNode):
                ident = _id_of(child)
                if ident is not None:
                    label = f"{path}[id={_short(ident.value)}]"
                    if ident.value in seen:
                        line, _ = position(seen[ident.value])
                        ctx.expected(
                            ident, f"{label}.id", "an id not used before in this list", f"a duplicate of line {line}"
                        )
                    else:
                        seen[ident.value] = ident
            value = self.item.check(child, label, ctx)
            ctx.positions[label] = position(child)
            out.append(value)
        return out

    def json_schema(self):
        out = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return out

    def doc_type(self):
        return f"список ({self.item.doc_type()})"


def _id_of(node: yaml.MappingNode) -> yaml.ScalarNode | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "id" and isinstance(value, yaml.ScalarNode):
            return value
    return None


class Map(Type):
    """A mapping whose keys are ids and whose values share one type (open keys, checked by refs)."""

    def __init__(self, key: Type, value: Type, min_items: int = 1):
        self.key = key
        self.value = value
        self.min_items = min_items
        self.what = "a mapping"

    def check(self, node, path, ctx):
        if not isinstance(node, yaml.MappingNode):
            ctx.expected(node, path, "a mapping", describe_node(node))
            return None
        if len(node.value) < self.min_items:
            ctx.expected(node, path, f"a mapping of at least {self.min_items} key(s)", "an empty mapping")
        out = {}
        for key_node, value_node in node.value:
            key = self.key.check(key_node, path, ctx)
            if key is None:
                continue
            if key in out:
                ctx.expected(key_node, f"{path}.{key}", "each key once", "a duplicate key")
                continue
            ctx.positions[f"{path}.{key}"] = position(value_node)
            out[key] = self.value.check(value_node, f"{path}.{key}", ctx)
        return out

    def json_schema(self):
        out = {"type": "object", "additionalProperties": self.value.json_schema()}
        if self.min_items:
            out["minProperties"] = self.min_items
        return out

    def doc_type(self):
        return f"словарь: ключ — {self.key.doc_type()}, значение — {self.value.doc_type()}"


class OneOrMany(Type):
    """A single value or a list of such values; always normalized to a list."""

    def __init__(self, item: Type):
        self.item = item
        self.what = f"{item.what} or a list of them"

    def check(self, node, path, ctx):
        if isinstance(node, yaml.SequenceNode):
            return List(self.item, min_items=1).check(node, path, ctx)
        value = self.item.check(node, path, ctx)
        return None if value is None else [value]

    def json_schema(self):
        one = self.item.json_schema()
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}]}

    def doc_type(self):
        return f"{self.item.doc_type()} или список таких значений"


@dataclasses.dataclass
class Field:
    """One key of a closed object: its type, whether it is required, and what it means."""

    name: str
    type: Type
    description: str
    required: bool = True


class Obj(Type):
    """A closed mapping: only the declared keys, each at most once, the required ones present."""

    def __init__(self, title: str, description: str, fields: list[Field]):
        self.title = title
        self.description = description
        self.fields = {f.name: f for f in fields}
        self.what = "a mapping"

    def check(self, node, path, ctx):
        if not isinstance(node, yaml.MappingNode):
            ctx.expected(node, path, f"a mapping ({self.title})", describe_node(node))
            return None
        out: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                ctx.expected(key_node, path or TOP, "a key", describe_node(key_node))
                continue
            key = key_node.value
            field = self.fields.get(key)
            if field is None:
                key = _short(key)
                child_path = f"{path}.{key}" if path else key
                close = difflib.get_close_matches(key, list(self.fields), n=1, cutoff=0.75)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                hint = hint or yamltraps.unknown_key_hint(node, value_node)
                ctx.expected(
                    key_node, child_path, "one of the keys " + ", ".join(self.fields), f"unknown key '{key}'{hint}"
                )
                continue
            child_path = f"{path}.{key}" if path else key
            if key in seen:
                line, _ = position(seen[key])
                ctx.expected(key_node, child_path, "each key once", f"a second '{key}' (first on line {line})")
                continue
            seen[key] = key_node
            ctx.positions[child_path] = position(value_node)
            value = field.type.check(value_node, child_path, ctx)
            if value is not None:
                out[key] = value
        for name, field in self.fields.items():
            if field.required and name not in seen:
                ctx.expected(node, f"{path}.{name}" if path else name, f"the required key '{name}'", "nothing")
        return out

    def json_schema(self):
        props = {}
        for f in self.fields.values():
            schema = dict(f.type.json_schema())
            schema["description"] = f.description
            schema["markdownDescription"] = f.description
            props[f.name] = schema
        out = {
            "type": "object",
            "title": self.title,
            "description": self.description,
            "additionalProperties": False,
            "properties": props,
        }
        required = [f.name for f in self.fields.values() if f.required]
        if required:
            out["required"] = required
        return out

    def doc_type(self):
        return f"объект «{self.title}»"


def walk_objects(root: Type) -> list[Obj]:
    """Every object type reachable from root, in first-seen order (for the reference page)."""
    seen: list[Obj] = []

    def visit(t: Type) -> None:
        if isinstance(t, Obj):
            if t in seen:
                return
            seen.append(t)
            for f in t.fields.values():
                visit(f.type)
        elif isinstance(t, (List, OneOrMany)):
            visit(t.item)
        elif isinstance(t, Map):
            visit(t.value)

    visit(root)
    return seen
