"""`build.py check`: validate every policy and run its routing tests; report problems as text or JSON."""

from __future__ import annotations

import dataclasses
import json
import sys

from triage import Policy
from triage.api import triage

from . import Loaded, checkcache, load_checked, routing_lint
from .checkcache import Cache
from .errors import Interrupted
from .load import LEXICON_FILE
from .project import Project
from .schemalang import TOP, Problem


@dataclasses.dataclass
class Checked:
    """Validated policies (empty when there are problems), their compiled form, and all problems."""

    policies: dict
    compiled: dict
    problems: list
    loaded: Loaded | None = None  # what was read, for the writers' warnings (check_command)


def run_policy_tests(policies: dict, lexicon: dict, positions: dict, cache: Cache | None = None) -> list[Problem]:
    """Run every topic's `tests` through the engine; disagreements become positioned problems.

    cache: where the disagreements of an unchanged policy are kept (they carry no positions)."""
    problems: list[Problem] = []
    for pid, data in policies.items():
        name = checkcache.key("routing-tests", data, lexicon)
        found = cache.get(name) if cache is not None else None
        if not (isinstance(found, list) and all(_is_mismatch(m) for m in found)):
            found = policy_test_mismatches(data, lexicon, cache)
            if cache is not None:
                cache.put(name, found)
        pos = positions.get(pid, {})
        for path, key, message in found:
            line, col = pos.get(f"{path}.expect.{key}", pos.get(path, (1, 1)))
            problems.append(
                Problem(pos.get("file", f"providers/{pid}.yaml"), line, col, f"{path}.expect.{key}", message)
            )
    return problems


def _is_mismatch(row) -> bool:
    return isinstance(row, list) and len(row) == 3 and all(isinstance(x, str) for x in row)


def policy_test_mismatches(data: dict, lexicon: dict, cache: Cache | None = None) -> list[list[str]]:
    """[topic test path, expect key, message] for every expectation the engine does not meet: the engine as
    customers get it, learned model included."""
    from . import compile as compiler

    engine = Policy(compiler.compiled(data, lexicon, model=True, cache=cache))
    out: list[list[str]] = []
    for topic in data["topics"]:
        for i, test in enumerate(topic.get("tests") or []):
            path = f"topics[id={topic['id']}].tests[{i}]"
            result = triage(engine, test["text"], test.get("answers") or {}, now=test.get("at"))
            expect = test["expect"]
            got_channel = result["channel"]
            routed = result["topic"]["id"] if result["topic"] else "none"
            mismatches = []
            if "channel" in expect and got_channel["id"] != expect["channel"]:
                mismatches.append(
                    ("channel", f"channel {expect['channel']}", f"channel {got_channel['id']} (topic {routed})")
                )
            if "kind" in expect and got_channel["kind"] not in expect["kind"]:
                mismatches.append(
                    ("kind", f"kind {' or '.join(expect['kind'])}", f"kind {got_channel['kind']} (topic {routed})")
                )
            for key in ("department", "priority"):
                if key in expect and result["draft"]["form"].get(key) != expect[key]:
                    got = result["draft"]["form"].get(key) or "none"
                    mismatches.append((key, f"{key} {expect[key]}", f"{key} {got} (topic {routed})"))
            for key, want, got in mismatches:
                out.append([path, key, f"expected the engine to route {test['text']!r} to {want}, got {got}"])
    return out


#: At most this many problem lines are printed; the rest are counted in «… и ещё N».
MAX_REPORTED = 100


def routing_tests(
    policies: dict, lexicon: dict, positions: dict, problems: list[Problem], cache: Cache | None = None
) -> list[Problem]:
    """Run the routing tests of every file that validated, even when another file has problems.

    They need the shared lexicon: with a broken lexicon they are not run (its problems say why).
    A failure inside the engine becomes one positioned problem for that file, never a traceback."""
    if any(p.file.endswith("/" + LEXICON_FILE) or p.file == LEXICON_FILE for p in problems):
        return []
    out: list[Problem] = []
    for pid, data in policies.items():
        try:
            out += run_policy_tests({pid: data}, lexicon, positions, cache)
        except Interrupted:
            raise  # SIGTERM/SIGHUP stop the check; they are not the engine's failure
        except Exception as exc:  # noqa: BLE001 - `check` is total
            out.append(
                Problem(
                    positions.get(pid, {}).get("file", f"providers/{pid}.yaml"),
                    1,
                    1,
                    TOP,
                    f"expected the routing tests to run, got an internal error {type(exc).__name__} (please report it)",
                )
            )
    return out


def capped_lines(problems: list[Problem], limit: int = MAX_REPORTED) -> list[str]:
    """The report's lines: at most `limit` problems, «… и ещё N» for the rest, then the summary."""
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… и ещё {len(problems) - limit}")
    files = len({p.file for p in problems})
    lines.append(f"{len(problems)} problem(s) in {files} file(s)")
    return lines


def check(project: Project) -> Checked:
    cache = checkcache.for_project(project.cache)
    loaded = load_checked(project.providers, run_tests=True, cache=cache)
    cache.trim()
    compiled = loaded.compiled
    return Checked({pid: c["policy"] for pid, c in compiled.items()}, compiled, loaded.problems, loaded)


def as_json(problems: list[Problem]) -> list[dict]:
    return [
        {"file": p.file, "line": p.line, "column": p.column, "path": p.path, "message": p.message} for p in problems
    ]


def report(problems: list[Problem]) -> None:
    """Problems on stderr: one `file:line:col: path: message` per line (capped), then a count."""
    for line in capped_lines(problems):
        print(line, file=sys.stderr)


def check_command(project: Project, fmt: str = "text") -> int:
    result = check(project)
    if fmt == "json":
        # Machine-readable output goes to stdout in both cases, so a tool reads one stream.
        doc = {"ok": not result.problems, "providers": sorted(result.policies), "problems": as_json(result.problems)}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 1 if result.problems else 0
    if result.problems:
        report(result.problems)
        return 1
    loaded = result.loaded
    # Advice for writers, from the policies already read; it never fails the check (and the build skips it).
    cache = checkcache.for_project(project.cache)
    routing_lint.print_warnings(
        routing_lint.warnings_for(
            project.providers,
            loaded.policies,
            loaded.lexicon,
            loaded.positions,
            cache,
            jobs=routing_lint.available_cpus(),
        )
    )
    cache.trim()
    print(f"ok: {len(result.policies)} provider policies valid, routing tests pass")
    return 0
