"""Render the help section's generated Markdown pages from validated policies with Jinja2."""

from __future__ import annotations

import functools
import json
import pathlib
import re

import jinja2
from markupsafe import Markup, escape

from triage.availability import flatten_parentheses
from triage.policy import reach, reachable_alternatives
from triage.render import md_escape
from triage.vocab import CHANNEL_KINDS, DESCRIPTION_FIELDS, IDENTIFIERS, KIND_SHORT, PRIORITIES, REQUEST_TYPES

from . import schema as policy_schema
from . import writers_pages
from .browser_assets import runtime, wheel
from .schemalang import Obj, walk_objects
from .summary import summarize

#: Line breaks a policy text may hold (PyYAML keeps U+0085, U+2028 and U+2029 in scalars).
_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\x85\u2028\u2029])[ \t]*")


def md_text(value: str) -> Markup:
    """A policy text for any place in a generated Markdown page: paragraph, list item, table cell,
    heading, link text, admonition.

    Markdown specials are escaped by the one escaper of the project (triage.render.md_escape, also
    used for the draft); on top of it, what Python-Markdown would not unescape becomes an HTML
    entity (`&`, `<`; a backslash before `~` would show), and every line break becomes `<br>`, so a
    two-line text can neither end a table row nor start a list, heading or code block. The result is
    safe HTML text (no tag, no raw `&`); quotes are left as they are: it is never an attribute value
    (raw HTML blocks use the `html` filter, URLs the `href` filter)."""
    text = md_escape(value.replace("&", "&amp;")).replace("\\<", "&lt;").replace("\\~", "~")
    return Markup(_BREAKS.sub("<br>", text))


def ctx_text(value, md: bool) -> Markup:
    """Policy text inside an HTML fragment: HTML-escaped; in a Markdown paragraph (md=True) also Markdown-escaped,
    so that `[x](javascript:...)` stays text."""
    text = "" if value is None else str(value)
    return md_text(text) if md else Markup(escape(text))


def _finalize(value):
    """Every value printed by a Markdown template goes through md_text (autoescape then leaves it)."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (str, int, float)):
        return md_text(str(value))
    return value


def href(value: str) -> Markup:
    """A URL (checked by the schema: http(s), no quotes, brackets or spaces) as an attribute value."""
    return Markup(escape(value))


class SourceKeyedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates in a folder, keyed by a template's name and source rather than its path,
    so that copies of the project (tests, bench) share the entries instead of adding their own."""

    def __init__(self, folder: pathlib.Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def get_bucket(self, environment, name, filename, source):
        checksum = self.get_source_checksum(source)
        bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(f"{name}\0{checksum}"), checksum)
        self.load_bytecode(bucket)
        return bucket


def jinja_cache(root: pathlib.Path) -> SourceKeyedBytecodeCache:
    """The build's cache of compiled templates (ours and the theme's): build/cache/jinja."""
    return SourceKeyedBytecodeCache(root / "build" / "cache" / "jinja")


def environment(templates: pathlib.Path, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The templates' environment; bytecode_cache: a folder for Jinja's compiled templates (keyed by their
    source: compiling them is most of a page render's time, ~0.1 s of every build)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["kind_short"] = lambda k: KIND_SHORT[k]
    env.filters["kind_long"] = lambda k: CHANNEL_KINDS[k]
    env.filters["ident"] = lambda k: IDENTIFIERS[k]
    # Inside raw HTML blocks Markdown is not processed, so values there are only HTML-escaped.
    env.filters["html"] = lambda v: Markup(escape("" if v is None else str(v)))
    env.filters["json_script"] = json_script
    env.filters["href"] = href
    env.filters["md"] = md_text  # for values joined by a filter (join bypasses finalize)
    env.filters["ctx_text"] = ctx_text
    writers_pages.register(env)
    env.filters["lower_first"] = lower_first
    env.globals.update(reach=reach, reachable_alternatives=reachable_alternatives)
    env.globals.update(
        KIND_SHORT=KIND_SHORT,
        CHANNEL_KINDS=CHANNEL_KINDS,
        PRIORITIES=PRIORITIES,
        REQUEST_TYPES=REQUEST_TYPES,
        DESCRIPTION_FIELDS=DESCRIPTION_FIELDS,
    )
    return env


def lower_first(label: str) -> str:
    """A label in mid-sentence: «Номер договора» -> «номер договора»; «IP-адрес», «E-mail» keep capitals."""
    if len(label) > 1 and (label[1].isupper() or label[0] == "E"):
        return label
    return label[:1].lower() + label[1:]


def _norm(item: str) -> str:
    return re.sub(r"\s+", " ", str(item)).strip().rstrip(".;:,").casefold()


class ListLedger:
    """The list items already printed on one page: a later list repeats none of them, it links back."""

    def __init__(self):
        self.seen: dict[str, tuple[str, str]] = {}

    def take(self, items, anchor: str, title: str) -> dict:
        """items not printed yet (to print now), and where the others were printed: [(anchor, title)]."""
        fresh, refs = [], []
        for item in items or []:
            key = _norm(item)
            if key in self.seen:
                if self.seen[key] not in refs:
                    refs.append(self.seen[key])
            else:
                self.seen[key] = (anchor, title)
                fresh.append(item)
        return {"items": fresh, "refs": refs}


def _header(template: str, sources: list[str]) -> str:
    # A Markdown link reference definition renders to nothing, so the page's H1 stays its first
    # element (MkDocs takes the title from it) while line 1 still says where the file came from.
    names = ", ".join(sources)
    return (
        f'[//]: # "GENERATED by build.py from {names} with templates/{template}; '
        'do not edit: edit the sources and run python build.py"\n\n'
    )


def schema_objects() -> list[dict]:
    """The schema as plain data for the reference page."""
    out = []
    for obj in walk_objects(policy_schema.POLICY) + [policy_schema.LEXICON]:
        fields = []
        for f in obj.fields.values():
            fields.append(
                {
                    "name": f.name,
                    "type": writers_pages.code_spans(f.type.doc_type()),
                    "required": f.required,
                    "description": writers_pages.code_spans(f.description),
                    "object": f.type.title
                    if isinstance(f.type, Obj)
                    else getattr(getattr(f.type, "item", None), "title", None),
                }
            )
        out.append({"title": obj.title, "description": writers_pages.code_spans(obj.description), "fields": fields})
    return out


def limits() -> dict:
    """The checker's limits, for the schema reference page (the numbers come from the code)."""
    from . import check, load, schemalang

    return {
        "file_mb": load.MAX_FILE_BYTES // 1024 // 1024,
        "depth": load.MAX_DEPTH,
        "text": schemalang.MAX_TEXT,
        "line": schemalang.MAX_LINE,
        "id": schemalang.MAX_ID,
        "url": schemalang.Url().max_length,
        "reported": check.MAX_REPORTED,
    }


def with_defaults(type_, value):
    """Fill every optional key the writer left out (None, or [] for lists) so templates stay simple."""
    from .schemalang import List, OneOrMany

    if isinstance(type_, Obj) and isinstance(value, dict):
        out = {}
        for name, field in type_.fields.items():
            if name in value:
                out[name] = with_defaults(field.type, value[name])
            else:
                out[name] = [] if isinstance(field.type, (List, OneOrMany)) else None
        return out
    if isinstance(type_, (List, OneOrMany)) and isinstance(value, list):
        return [with_defaults(type_.item, v) for v in value]
    return value


def json_script(value) -> Markup:
    """JSON for a <script type="application/json"> element: nothing in it can close or comment the tag
    (`<`, `>`, `&` are \\u escapes; U+2028/U+2029 too, for older JavaScript parsers)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def wizard_config(root: pathlib.Path, providers: list[dict], assets: dict | None = None) -> dict:
    """What the wizard's JavaScript needs; every path is relative to the site root.

    assets (from the build): {"bytecodeWheel", "stdlib"} — the engine and the stdlib subset as
    Pyodide bytecode; the worker falls back to the plain wheel and stdlib if they fail to load.
    """
    return {
        "runtime": f"assets/pyodide/{runtime.version(root)}/",
        "wheel": f"assets/wizard/{wheel.wheel_name()}",
        **(assets or {}),
        "data": "data/",
        "timeoutMs": 90000,
        "providers": [
            {
                "id": p["provider"]["id"],
                "name": p["provider"]["name"],
                "page": f"providers/{p['provider']['id']}/",
                "clientArea": flatten_parentheses(p["provider"]["client_area"]),  # the wizard adds ( )
                "questions": [
                    {
                        "id": q["id"],
                        "text": q["text"],
                        "help": q["help"] or "",
                        "options": [{"value": o["value"], "label": o["label"]} for o in q["options"]],
                        "default": q["default"],
                    }
                    for q in p["questions"]
                ],
                "topics": [{"id": t["id"], "title": t["title"]} for t in p["topics"]],
            }
            for p in providers
        ],
        # Field labels, order and hints come with every engine answer (draft.fields), not from here.
        "labels": {"kinds": KIND_SHORT},
    }


@functools.lru_cache(maxsize=4)
def _environment(templates: pathlib.Path, root: pathlib.Path) -> jinja2.Environment:
    """One environment per templates folder and process (`serve` renders again on every edit; Jinja
    reloads a template whose file changed)."""
    return environment(templates, jinja_cache(root))


def render_pages(
    templates: pathlib.Path, policies: dict[str, dict], root: pathlib.Path | None = None, assets: dict | None = None
) -> dict[str, str]:
    """All generated pages: path relative to docs_dir -> Markdown text (root: the project, for the wizard)."""
    env = _environment(templates, root or templates.parent)
    policies = {k: with_defaults(policy_schema.POLICY, v) for k, v in policies.items()}
    providers = [policies[k] for k in sorted(policies, key=lambda k: policies[k]["provider"]["name"].lower())]
    files = {f"providers/{p['provider']['id']}.yaml" for p in providers}
    all_sources = ", ".join(sorted(files)) if len(files) <= 6 else "providers/*.yaml"
    pages: dict[str, str] = {}

    def page(path: str, template: str, sources: list[str], **context) -> None:
        pages[path] = _header(template, sources) + env.get_template(template).render(**context)

    summaries = {p["provider"]["id"]: summarize(p) for p in providers}
    page("index.md", "index.md.j2", [all_sources], providers=providers, summaries=summaries)
    page(
        "wizard.md",
        "wizard.md.j2",
        [all_sources],
        providers=providers,
        config=wizard_config(root or templates.parent, providers, assets),
    )
    page("providers/index.md", "providers_index.md.j2", [all_sources], providers=providers)
    page(
        "compare.md",
        "compare.md.j2",
        [all_sources],
        providers=providers,
        kinds=list(CHANNEL_KINDS),
        summaries=summaries,
    )
    for p in providers:
        pid = p["provider"]["id"]
        page(
            f"providers/{pid}.md",
            "provider.md.j2",
            [f"providers/{pid}.yaml"],
            p=p,
            channels={c["id"]: c for c in p["channels"]},
            summary=summaries[pid],
            ledger=ListLedger(),
        )
    page("writers/schema.md", "schema.md.j2", ["sitebuild/schema.py"], objects=schema_objects(), limits=limits())
    results_file = (root or templates.parent) / "bench" / "results.json"
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else None
    page(
        "writers/performance.md",
        "performance.md.j2",
        ["bench/results.json"] if results else ["sitebuild/pages.py"],
        results=results,
    )
    return pages
