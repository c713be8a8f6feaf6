"""Load provider YAML files with positions, validate them against the schema and cross-check ids."""

from __future__ import annotations

import dataclasses
import pathlib
import re

import yaml

from . import extra_checks, schema, yamltraps
from .schemalang import Context, Problem, position

LEXICON_FILE = "_lexicon.yaml"


@dataclasses.dataclass
class Loaded:
    """One validated document: its data (None if unusable), problems and value positions."""

    file: str
    data: dict | None
    problems: list[Problem]
    positions: dict[str, tuple[int, int]]


def _compose(text: str, file: str) -> tuple[yaml.Node | None, list[Problem]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "invalid YAML").strip()
        match = re.match(r"expected (.+?), but found (.+)", problem)
        if "'\\t'" in problem or "\t" in problem:
            message = "expected spaces for indentation, got a tab character (YAML syntax)"
        elif match:
            message = f"expected {match.group(1)}, got {match.group(2)} (YAML syntax)"
        else:
            message = f"expected valid YAML, got {problem}"
            if exc.context:
                message += f" ({exc.context.strip()})"
        message += yamltraps.syntax_hint(text, line, problem, exc.context)
        return None, [Problem(file, line, col, _path_at(text, line) or "(YAML syntax)", message)]
    except yaml.YAMLError as exc:  # reader errors: bad encoding or control characters
        return None, [Problem(file, 1, 1, "(YAML syntax)", f"expected readable UTF-8 YAML, got {exc}")]
    return node, []


def _path_at(text: str, line: int) -> str:
    """Best-effort key path of the block that contains a line (for syntax errors)."""
    keys: list[tuple[int, str]] = []
    for raw in text.splitlines()[:line]:
        match = re.match(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s*:", raw)
        if not match:
            continue
        indent = len(match.group(1))  # the key's column: "- id:" and the keys under it are siblings
        while keys and keys[-1][0] >= indent:
            keys.pop()
        keys.append((indent, match.group(2)))
    return ".".join(k for _, k in keys)


def load(path: pathlib.Path, display: str) -> Loaded:
    """Parse and validate one policy (or the lexicon) file; never raises for bad content."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Loaded(display, None, [Problem(display, 1, 1, "(file)",
                                              f"expected UTF-8 text, got undecodable byte at {exc.start}")], {})
    node, problems = _compose(text, display)
    if problems:
        return Loaded(display, None, problems, {})
    ctx = Context(display)
    if node is None:
        ctx.expected(None, "(top level)", "a policy mapping", "an empty file")
        return Loaded(display, None, ctx.problems, {})
    is_lexicon = path.name == LEXICON_FILE
    root = schema.LEXICON if is_lexicon else schema.POLICY
    data = root.check(node, "", ctx)
    if data is not None and not is_lexicon:
        _cross_check(data, node, path.stem, ctx)
        extra_checks.check(data, node, path, ctx)
    ctx.problems.sort(key=lambda p: (p.line, p.column, p.path))
    return Loaded(display, data if not ctx.problems else None, _dedupe(ctx.problems), ctx.positions)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _cross_check(data: dict, root: yaml.Node, stem: str, ctx: Context) -> None:
    """Checks that need the whole document: references, ids against file name, rule consistency."""

    def at(path: str) -> tuple[int, int]:
        return ctx.positions.get(path, (1, 1))

    def err(path: str, what: str, got: str) -> None:
        line, col = at(path)
        ctx.problems.append(Problem(ctx.file, line, col, path, f"expected {what}, got {got}"))

    prov = data.get("provider") or {}
    if prov.get("id") and prov["id"] != stem:
        err("provider.id", f"'{stem}' (the file name)", f"'{prov['id']}'")

    channels = {c["id"]: c for c in data.get("channels") or [] if c and c.get("id")}
    topics = {t["id"]: t for t in data.get("topics") or [] if t and t.get("id")}
    questions = {q["id"]: q for q in data.get("questions") or [] if q and q.get("id")}
    form = data.get("form") or {}
    departments = {d["id"] for d in form.get("departments") or [] if d and d.get("id")}
    collections = {"channels": channels, "topics": topics, **extra_checks.collections(data)}

    for collection, value, path, node in ctx.refs:
        known = collections[collection]
        if value not in known:
            listing = ", ".join(known) or "none"
            line, col = position(node)
            ctx.problems.append(Problem(ctx.file, line, col, path,
                                        f"expected an id of one of the {collection} ({listing}), got '{value}'"))

    for cid, ch in channels.items():
        base = f"channels[id={cid}]"
        # Present but invalid keys were reported already; positions record every key written.
        written = {key for key in ("address", "address_note") if f"{base}.{key}" in ctx.positions}
        if ch.get("kind") in ("email", "phone") and not written:
            err(base, "'address' or 'address_note' for an e-mail or phone channel", "neither")

    if form.get("channel") in channels and channels[form["channel"]].get("kind") != "ticket":
        err("form.channel", "a channel of kind ticket", f"kind {channels[form['channel']].get('kind')}")

    def check_department(path: str, value: str | None) -> None:
        if value is None:
            return
        if not departments:
            err(path, "a department declared in form.departments (none are)", f"'{value}'")
        elif value not in departments:
            err(path, f"one of the form's departments ({', '.join(sorted(departments))})", f"'{value}'")

    for tid, t in topics.items():
        check_department(f"topics[id={tid}].department", t.get("department"))
        for i, test in enumerate(t.get("tests") or []):
            if not test:
                continue
            tpath = f"topics[id={tid}].tests[{i}]"
            expect = test.get("expect") or {}
            if expect and not ({"channel", "kind"} & set(expect)):
                err(f"{tpath}.expect", "'channel' or 'kind'", "neither")
            check_department(f"{tpath}.expect.department", expect.get("department"))
            _check_answers(test.get("answers") or {}, f"{tpath}.answers", questions, err)

    for qid, q in questions.items():
        values = [o["value"] for o in q.get("options") or [] if o and o.get("value")]
        qpath = f"questions[id={qid}]"
        if len(set(values)) != len(values):
            err(f"{qpath}.options", "distinct option values", ", ".join(values))
        if q.get("default") is not None and q["default"] not in values:
            err(f"{qpath}.default", f"one of the options ({', '.join(values)})", f"'{q['default']}'")
        for i, inf in enumerate(q.get("infer") or []):
            if inf and inf.get("value") not in values:
                err(f"{qpath}.infer[{i}].value", f"one of the options ({', '.join(values)})",
                    f"'{inf.get('value')}'")

    for i, r in enumerate((data.get("routing") or {}).get("rules") or []):
        if not r:
            continue
        rpath = f"routing.rules[{i}]"
        if not ({"channel", "priority", "department"} & set(r)):
            err(rpath, "at least one of 'channel', 'priority', 'department'", "none")
        check_department(f"{rpath}.department", r.get("department"))
        _check_answers(r.get("when") or {}, f"{rpath}.when", questions, err)


def _check_answers(answers: dict, path: str, questions: dict, err) -> None:
    for qid, value in answers.items():
        if qid not in questions:
            err(f"{path}.{qid}", f"a question id ({', '.join(questions) or 'no questions declared'})",
                f"'{qid}'")
            continue
        values = [o["value"] for o in questions[qid].get("options") or [] if o]
        for v in value if isinstance(value, list) else [value]:
            if v is not None and v not in values:  # None: not an id, reported by the schema check
                err(f"{path}.{qid}", f"one of the answers ({', '.join(values)})", f"'{v}'")


def discover(providers_dir: pathlib.Path) -> list[pathlib.Path]:
    """Policy files in a stable order; the lexicon is handled separately."""
    return sorted(p for p in providers_dir.glob("*.yaml") if not p.name.startswith("_"))


def load_all(root: pathlib.Path, providers_dir: pathlib.Path) -> tuple[dict, dict, list[Problem], dict]:
    """Validate every policy and the lexicon. Returns (policies by id, lexicon, problems, positions)."""
    problems: list[Problem] = []
    policies: dict[str, dict] = {}
    positions: dict[str, dict] = {}

    def display(p: pathlib.Path) -> str:
        return f"{providers_dir.name}/{p.name}" if p.parent == providers_dir else p.as_posix()

    lexicon: dict = {"synonyms": []}
    lex_path = providers_dir / LEXICON_FILE
    if lex_path.exists():
        loaded = load(lex_path, display(lex_path))
        problems += loaded.problems
        if loaded.data:
            lexicon = loaded.data
    files = discover(providers_dir)
    if not files:
        problems.append(Problem(display(providers_dir), 1, 1, "(providers)",
                                "expected at least one providers/<id>.yaml, got none"))
    for path in files:
        loaded = load(path, display(path))
        problems += loaded.problems
        if loaded.data is not None:
            policies[loaded.data["provider"]["id"]] = loaded.data
            positions[loaded.data["provider"]["id"]] = {"file": loaded.file, **loaded.positions}
    return policies, lexicon, problems, positions
