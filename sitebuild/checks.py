"""`check` stays total and readable: routing tests per valid file, and a capped report."""

from __future__ import annotations

from collections.abc import Callable

from .policy import LEXICON_FILE
from .schemalang import TOP, Problem

#: At most this many problem lines are printed; the rest are counted in «… и ещё N».
MAX_REPORTED = 100


def routing_tests(policies: dict, lexicon: dict, positions: dict, problems: list[Problem],
                  run: Callable[[dict, dict, dict], list[Problem]]) -> list[Problem]:
    """Run the routing tests of every file that validated, even when another file has problems.

    They need the shared lexicon: with a broken lexicon they are not run (its problems say why).
    A failure inside the engine becomes one positioned problem for that file, never a traceback."""
    if any(p.file.endswith("/" + LEXICON_FILE) or p.file == LEXICON_FILE for p in problems):
        return []
    out: list[Problem] = []
    for pid, data in policies.items():
        try:
            out += run({pid: data}, lexicon, positions)
        except Exception as exc:  # noqa: BLE001 - `check` is total
            out.append(Problem(positions.get(pid, {}).get("file", f"providers/{pid}.yaml"), 1, 1, TOP,
                               f"expected the routing tests to run, got an internal error {type(exc).__name__} "
                               "(please report it)"))
    return out


def capped_lines(problems: list[Problem], limit: int = MAX_REPORTED) -> list[str]:
    """The report's lines: at most `limit` problems, «… и ещё N» for the rest, then the summary."""
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… и ещё {len(problems) - limit}")
    files = len({p.file for p in problems})
    lines.append(f"{len(problems)} problem(s) in {files} file(s)")
    return lines
