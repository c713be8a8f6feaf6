"""The build of the help center, one module per stage (see ARCHITECTURE.md):

    load        providers/*.yaml -> validated policies with positions       (sitebuild/load.py)
    check       + every topic's routing tests run through the engine        (sitebuild/check.py)
    compile     policies + lexicon -> the engine's JSON (build/data/)        (sitebuild/compile.py, data.py)
    pages       Jinja2 templates -> generated Markdown in docs/              (sitebuild/pages.py, generate.py)
    browser     Node + Pyodide: runtime copy, wheel, bytecode, snapshot      (sitebuild/browser_assets/)
    site        mkdocs build --strict in a stage, swapped in atomically      (sitebuild/site.py)
    serve       mkdocs serve + regenerate on policy changes                  (sitebuild/serve.py)

`load_and_compile` is the one entry point for everything outside the build (tests, bench, CLI).
"""

from __future__ import annotations

import dataclasses
import pathlib

from .errors import BuildError

__all__ = ["BuildError", "load_and_compile"]


def load_and_compile(providers_dir: str | pathlib.Path, *, run_tests: bool = False) -> tuple[dict, list]:
    """Validate providers_dir/*.yaml (and its _lexicon.yaml) and compile them for the engine.

    Returns ({provider id: compiled policy, the engine's input as a dict}, problems); the dict is
    empty when there is any problem. run_tests: also run every topic's routing `tests` through the
    engine (what `build.py check` does); their failures are problems too.
    """
    loaded = load_checked(providers_dir, run_tests=run_tests)
    return loaded.compiled, loaded.problems


@dataclasses.dataclass
class Loaded:
    """Everything one reading of the policies gives: what `check` reports and what the engine takes."""

    policies: dict  # provider id -> validated policy (valid files only)
    lexicon: dict
    positions: dict  # provider id -> {key path: (line, column)}
    compiled: dict  # provider id -> the engine's input; empty when there is any problem
    problems: list


def load_checked(providers_dir: str | pathlib.Path, *, run_tests: bool = False, cache=None) -> Loaded:
    """load_and_compile, keeping what was read (the check stage also derives the writers' warnings from it).

    cache: a `checkcache.Cache` that keeps the routing tests' results of unchanged policies (`check`)."""
    from . import compile as compiler
    from . import load

    providers_dir = pathlib.Path(providers_dir)
    policies, lexicon, problems, positions = load.load_all(providers_dir.parent, providers_dir)
    if run_tests:
        from .check import routing_tests

        problems = problems + routing_tests(policies, lexicon, positions, problems, cache)
    compiled = {}
    if not problems:
        compiled = {
            pid: compiler.compiled(data, lexicon, model=True, cache=cache) for pid, data in sorted(policies.items())
        }
    return Loaded(policies, lexicon, positions, compiled, sorted(problems))
