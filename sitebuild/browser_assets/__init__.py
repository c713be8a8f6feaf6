"""The browser-assets stage: the engine for the wizard, made with Node and Pyodide.

Reads node_modules/pyodide (pinned in package.json; `npm ci`) and triage/; writes under docs/assets/:
the Pyodide runtime copy, the triage wheel, the stdlib subset and the engine as Pyodide bytecode, and a
memory snapshot. The bytecode and snapshot come from a Node process (pyodide/compile.mjs) that
exercises the engine on a built-in sample (samples/), cached in build/cache/bytecode-<hash>/ by the
runtime version, the engine and that sample only: editing a policy never runs Node. The build needs
`node`.

`plain()` is the start-up without Node (runtime and source wheel: the wizard starts in its plain mode),
which `build.py serve` shows while `build()` runs in the background on a fresh checkout.
"""

from __future__ import annotations

import pathlib
import tempfile

from ..project import Project
from . import bytecode, runtime, sparse, wheel

Assets = tuple[dict[str, bytes], dict[str, str]]


def _source_wheel() -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        whl = wheel.build_wheel(pathlib.Path(tmp))
        return whl.name, whl.read_bytes()


def _plain(project: Project) -> tuple[dict[str, bytes], str, bytes]:
    files: dict[str, bytes] = dict(runtime.runtime_files(project.root))
    name, source_wheel = _source_wheel()
    files[f"assets/wizard/{name}"] = source_wheel
    return files, name, source_wheel


def plain(project: Project) -> Assets:
    """The runtime and the source wheel, no bytecode or snapshot (no Node): the wizard starts plain."""
    files, _, _ = _plain(project)
    return files, {}


def _with_bytecode(files: dict[str, bytes], name: str, compiled: dict[str, bytes]) -> Assets:
    files = dict(files)
    stdlib = bytecode.content_name("python_stdlib", compiled["stdlib"], ".zip")
    pyc_wheel = bytecode.content_name(f"triage-{name.split('-')[1]}-bytecode", compiled["wheel"], ".whl")
    sparse_snapshot = sparse.deflate(compiled["snapshot"])  # zero pages left out (sparse.py says why)
    snapshot = bytecode.content_name("snapshot", sparse_snapshot, ".bin")
    files[f"assets/wizard/{stdlib}"] = compiled["stdlib"]
    files[f"assets/wizard/{pyc_wheel}"] = compiled["wheel"]
    files[f"assets/wizard/{snapshot}"] = sparse_snapshot
    return files, {
        "bytecodeWheel": f"assets/wizard/{pyc_wheel}",
        "stdlib": f"assets/wizard/{stdlib}",
        "snapshot": f"assets/wizard/{snapshot}",
    }


def cached(project: Project) -> Assets | None:
    """Everything build() returns if the bytecode is in the cache already, else None (never runs Node)."""
    files, name, source_wheel = _plain(project)
    compiled = bytecode.cached(project.root, name, source_wheel)
    return None if compiled is None else _with_bytecode(files, name, compiled)


def build(project: Project) -> Assets:
    """Returns (files under docs/, path -> bytes; the paths the wizard's config names)."""
    files, name, source_wheel = _plain(project)
    return _with_bytecode(files, name, bytecode.compile_assets(project.root, name, source_wheel))


def cache_key(project: Project) -> str:
    """The bytecode cache key for the engine and runtime as they are now (tests, bench)."""
    _, source_wheel = _source_wheel()
    return bytecode.cache_dir(project.root, source_wheel)[0].name.removeprefix("bytecode-")
