"""Load provider YAML files with positions, validate them against the schema and cross-check ids."""

from __future__ import annotations

import bisect
import dataclasses
import errno
import os
import pathlib
import re
import stat

import yaml

from . import extra_checks, schema, yamltraps
from .errors import Interrupted
from .schemalang import TOP, Context, Problem, position

LEXICON_FILE = "_lexicon.yaml"


@dataclasses.dataclass
class Loaded:
    """One validated document: its data (None if unusable), problems and value positions."""

    file: str
    data: dict | None
    problems: list[Problem]
    positions: dict[str, tuple[int, int]]


#: Limits that keep `check` fast and total on any input (shown in the schema reference page).
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20


class _Refused(Exception):
    """A construct the loader refuses outright (aliases, too deep nesting), with its mark."""

    def __init__(self, mark, path: str | None, message: str):
        super().__init__(message)
        self.mark = mark
        self.path = path
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no expansion bombs) and caps nesting depth (no recursion)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            raise _Refused(
                event.start_mark,
                None,
                f"expected the text written out, got the YAML alias *{event.anchor} "
                "(aliases are not allowed in policies: copy the text instead)",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    self.peek_event().start_mark,
                    None,
                    f"expected nesting at most {MAX_DEPTH} levels deep, got deeper nesting",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class Lines:
    """Line and column (1-based) of a character offset, counting only the line breaks editors show.

    PyYAML also breaks lines at U+0085, U+2028 and U+2029; editors do not, so its own line numbers
    drift after such a character. Positions are therefore recomputed from the character index."""

    _BREAK = re.compile(r"\r\n|\n|\r")

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in self._BREAK.finditer(text)]

    def at(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1, index - self.starts[line] + 1


def _fix_marks(root: yaml.Node, lines: Lines) -> None:
    """Rewrite every node's start mark line/column from its index (see Lines)."""
    stack = [root]
    while stack:
        node = stack.pop()
        mark = node.start_mark
        line, col = lines.at(mark.index)
        mark.line, mark.column = line - 1, col - 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


#: libyaml's parser (PyYAML's C extension), when installed: it composes the same nodes about ten times faster.
FAST_LOADER = getattr(yaml, "CSafeLoader", None)

#: Texts the fast path takes: printable characters that both parsers read alike and count alike in the marks'
#: character index. Anything else (control characters, tabs, U+0085, U+2028/U+2029, a BOM anywhere) goes the
#: pure-Python way, whose messages and positions the tests pin.
_FAST_TEXT = re.compile(r"[\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")

#: ...and constructs where libyaml and the pure-Python loader disagree: a tag ("!" starting a word: libyaml
#: resolves a bare "!" otherwise) and a block scalar header followed by "#" without a space ("|#").
_FAST_REFUSED = re.compile(r"(?:^|[\s\[\]{},])!|[|>][-+0-9]*#")


class _Mark:
    """A node's mark as the pure-Python loader's (yaml.Mark): 0-based line and column (see Lines), the character
    index, and the text it points into (libyaml's own marks are read-only and carry no text)."""

    __slots__ = ("index", "line", "column", "buffer", "pointer")
    name = "<unicode string>"

    def __init__(self, index: int, line: int, column: int, buffer: str):
        self.index = self.pointer = index
        self.line, self.column, self.buffer = line, column, buffer


def _compose_fast(text: str, lines: Lines) -> yaml.Node | None | bool:
    """The document's node tree composed by libyaml, or False when the pure-Python path must decide.

    The fast path only ever accepts: whatever the pure-Python loader would refuse or report (a syntax error, an
    alias, nesting deeper than MAX_DEPTH, a character it reads otherwise) goes back to it, so every message and
    position is the one it gives. Marks are made like the pure-Python loader's (see _fix_marks); a plain text's
    end mark points into the text, as yamltraps.comment_cuts reads it. (One difference is left: a block list
    directly under a key has flow_style False here and None there; only flow_style's truth is ever read.)"""
    if FAST_LOADER is None or not _FAST_TEXT.fullmatch(text) or _FAST_REFUSED.search(text):
        return False
    try:
        loader = FAST_LOADER(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except Interrupted:
        raise
    except Exception:  # noqa: BLE001 - any problem at all is the pure-Python path's to report
        return False
    if node is None:
        return None
    buffer = text + "\0"  # what the pure-Python reader's marks point into
    starts, at = lines.starts, bisect.bisect_right
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    seen: set[int] = set()
    stack = [(node, 1, False)]
    while stack:
        item, depth, in_flow = stack.pop()
        if id(item) in seen or depth > MAX_DEPTH:
            return False  # an alias (the very node again) or too deep: refused, with the pure-Python mark
        seen.add(id(item))
        start = item.start_mark.index
        line = at(starts, start) - 1
        item.start_mark = _Mark(start, line, start - starts[line], buffer)
        if item.__class__ is scalar:
            if item.style == "":
                item.style = None  # a plain text: libyaml says "", the pure-Python loader None
                end = item.end_mark
                item.end_mark = _Mark(end.index, end.line, end.column, buffer)
                if in_flow and (not item.value or "?" in item.value or ":" in item.value):
                    # Inside [...] or {...} the pure-Python loader ends a plain text at any '?', reads ':' in a
                    # text otherwise, and marks an empty value ("{? }") elsewhere.
                    return False
            continue
        in_flow = in_flow or bool(item.flow_style)
        depth += 1
        if item.__class__ is mapping:
            for key, value in item.value:
                stack += ((key, depth, in_flow), (value, depth, in_flow))
        else:
            stack += [(child, depth, in_flow) for child in item.value]
    return node


def _compose(text: str, file: str) -> tuple[yaml.Node | None, list[Problem]]:
    lines = Lines(text)
    fast = _compose_fast(text, lines)
    if fast is not False:
        return fast, []

    def problem(index: int | None, message: str) -> list[Problem]:
        line, col = lines.at(index) if index is not None else (1, 1)
        return [Problem(file, line, col, _path_at(text, line) or TOP, message)]

    loader = None
    try:
        loader = _Loader(text)  # the reader checks every character here
        node = loader.get_single_node()
    except _Refused as exc:
        return None, problem(exc.mark.index if exc.mark else None, exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem_text = (exc.problem or "invalid YAML").strip()
        match = re.match(r"expected (.+?), but found (.+)", problem_text)
        if "'\\t'" in problem_text or "\t" in problem_text:
            message = "expected spaces for indentation, got a tab character (YAML syntax)"
        elif match:
            message = f"expected {match.group(1)}, got {match.group(2)} (YAML syntax)"
        else:
            message = f"expected valid YAML, got {problem_text}"
            if exc.context:
                message += f" ({exc.context.strip()})"
        message += yamltraps.syntax_hint(text, mark.line + 1 if mark else 1, problem_text, exc.context)
        return None, problem(mark.index if mark else None, message)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        return None, problem(
            exc.position, f"expected printable text, got the control character U+{exc.character:04X} (delete it)"
        )
    except yaml.YAMLError as exc:
        return None, problem(None, f"expected valid YAML, got {type(exc).__name__}")
    finally:
        if loader is not None:
            loader.dispose()
    if node is not None:
        _fix_marks(node, lines)
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


def _describe_special(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_policy_text(
    path: pathlib.Path, display: str, base: pathlib.Path | None = None
) -> tuple[str | None, list[Problem]]:
    """The text of a policy file, or one positioned problem; never raises, never blocks.

    Only regular files of at most MAX_FILE_BYTES are read. A symbolic link is followed only if its
    target stays inside `base` (the providers folder): nothing outside it is ever read or shown."""

    def refuse(message: str, line: int = 1, col: int = 1) -> tuple[None, list[Problem]]:
        return None, [Problem(display, line, col, TOP, message)]

    base = base if base is not None else path.parent
    try:
        target = path
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                return refuse("expected a policy file, got a symbolic link to a file that does not exist")
            except (RuntimeError, OSError):
                return refuse("expected a policy file, got a symbolic link loop")
            if not target.is_relative_to(base.resolve()):
                return refuse(
                    f"expected a file inside {base.name}/, got a symbolic link that points outside it (not read)"
                )
        try:
            fd = os.open(
                target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
            )
        except FileNotFoundError:
            return refuse("expected a policy file, got a file that does not exist")
        except PermissionError:
            return refuse("expected a readable file, got a file without read permission")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return refuse("expected a policy file, got a symbolic link loop")
            return refuse(f"expected a readable file, got {os.strerror(exc.errno or 0) or type(exc).__name__}")
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                return refuse(f"expected a regular file, got {_describe_special(mode)}")
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            raw = b"".join(chunks)
        finally:
            os.close(fd)
    except OSError as exc:
        return refuse(f"expected a readable file, got {os.strerror(exc.errno or 0) or type(exc).__name__}")
    if len(raw) > MAX_FILE_BYTES:
        return refuse(f"expected a file of at most {MAX_FILE_BYTES // 1024 // 1024} MB, got a larger file")
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        text = raw.decode("utf-8", errors="replace")
        line = good.count("\n") + good.count("\r") - good.count("\r\n") + 1
        line_start = max(raw.rfind(b"\n", 0, exc.start), raw.rfind(b"\r", 0, exc.start)) + 1
        col = len(raw[line_start : exc.start].decode("utf-8")) + 1
        return None, [
            Problem(
                display,
                line,
                col,
                _path_at(text, line) or TOP,
                f"expected UTF-8 text, got the byte 0x{raw[exc.start]:02X} that is not UTF-8 (save the file as UTF-8)",
            )
        ]


def load(path: pathlib.Path, display: str, base: pathlib.Path | None = None) -> Loaded:
    """Parse and validate one policy (or the lexicon) file; never raises, whatever the file holds."""
    try:
        return _load(path, display, base)
    except Interrupted:
        raise  # SIGTERM/SIGHUP stop the check (sitebuild/children.py), they are not a checker bug
    except Exception as exc:  # noqa: BLE001 - `check` is total: a checker bug is still one positioned line
        return Loaded(
            display,
            None,
            [
                Problem(
                    display,
                    1,
                    1,
                    TOP,
                    f"expected a policy the checker can read, got an internal "
                    f"error {type(exc).__name__} (please report it)",
                )
            ],
            {},
        )


def _load(path: pathlib.Path, display: str, base: pathlib.Path | None) -> Loaded:
    text, problems = read_policy_text(path, display, base)
    if text is None:
        return Loaded(display, None, problems, {})
    node, problems = _compose(text, display)
    if problems:
        return Loaded(display, None, problems, {})
    ctx = Context(display)
    if node is None:
        ctx.expected(None, TOP, "a policy mapping", "an empty file")
        return Loaded(display, None, ctx.problems, {})
    is_lexicon = path.name == LEXICON_FILE
    root = schema.LEXICON if is_lexicon else schema.POLICY
    data = root.check(node, "", ctx)
    if data is not None and not is_lexicon:
        _cross_check(data, path.stem, ctx)
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


def _cross_check(data: dict, stem: str, ctx: Context) -> None:
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
            ctx.problems.append(
                Problem(
                    ctx.file, line, col, path, f"expected an id of one of the {collection} ({listing}), got '{value}'"
                )
            )

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
                err(f"{qpath}.infer[{i}].value", f"one of the options ({', '.join(values)})", f"'{inf.get('value')}'")

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
            err(f"{path}.{qid}", f"a question id ({', '.join(questions) or 'no questions declared'})", f"'{qid}'")
            continue
        values = [o["value"] for o in questions[qid].get("options") or [] if o]
        for v in value if isinstance(value, list) else [value]:
            if v is not None and v not in values:  # None: not an id, reported by the schema check
                err(f"{path}.{qid}", f"one of the answers ({', '.join(values)})", f"'{v}'")


def discover(providers_dir: pathlib.Path) -> list[pathlib.Path]:
    """Everything named like a policy, in a stable order (files, links, folders alike: load() sorts
    out what is not a readable file); the lexicon is handled separately."""
    try:
        names = os.listdir(providers_dir)
    except OSError:
        return []
    return [providers_dir / n for n in sorted(names) if n.endswith(".yaml") and not n.startswith("_")]


def load_all(root: pathlib.Path, providers_dir: pathlib.Path) -> tuple[dict, dict, list[Problem], dict]:
    """Validate every policy and the lexicon. Returns (policies by id, lexicon, problems, positions).

    positions also holds "_lexicon_ok": False when the lexicon has problems (routing tests need it)."""
    problems: list[Problem] = []
    policies: dict[str, dict] = {}
    positions: dict[str, dict] = {}

    def display(p: pathlib.Path) -> str:
        return f"{providers_dir.name}/{p.name}" if p.parent == providers_dir else p.as_posix()

    lexicon: dict = {"synonyms": []}
    lex_path = providers_dir / LEXICON_FILE
    if lex_path.exists() or lex_path.is_symlink():
        loaded = load(lex_path, display(lex_path), providers_dir)
        problems += loaded.problems
        if loaded.data:
            lexicon = loaded.data
    files = discover(providers_dir)
    if not files:
        problems.append(
            Problem(display(providers_dir), 1, 1, TOP, "expected at least one providers/<id>.yaml, got none")
        )
    for path in files:
        loaded = load(path, display(path), providers_dir)
        problems += loaded.problems
        if loaded.data is not None:
            policies[loaded.data["provider"]["id"]] = loaded.data
            positions[loaded.data["provider"]["id"]] = {"file": loaded.file, **loaded.positions}
    return policies, lexicon, problems, positions
