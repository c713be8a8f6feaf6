"""The browser-assets stage: the engine for the wizard, made with Node and Pyodide.

Reads node_modules/pyodide (pinned in package.json; `npm ci`), triage/ and the compiled policies;
writes under docs/assets/: the Pyodide runtime copy, the triage wheel, the stdlib subset and the
engine as Pyodide bytecode, and a memory snapshot. The bytecode and snapshot come from a Node
process (pyodide/compile.mjs), cached in build/cache/bytecode-<hash>/. The build needs `node`.
"""

from __future__ import annotations

import pathlib
import tempfile

from ..project import Project
from . import bytecode, runtime, sparse, wheel


def build(project: Project, policies: dict, data_files: dict[str, str]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Returns (files under docs/, path -> bytes; the paths the wizard's config names)."""
    files: dict[str, bytes] = dict(runtime.runtime_files(project.root))
    with tempfile.TemporaryDirectory() as tmp:
        whl = wheel.build_wheel(pathlib.Path(tmp))
        source_wheel = whl.read_bytes()
    files[f"assets/wizard/{whl.name}"] = source_wheel
    compiled = bytecode.compile_assets(project.root, whl.name, source_wheel, data_files, policies)
    stdlib = bytecode.content_name("python_stdlib", compiled["stdlib"], ".zip")
    pyc_wheel = bytecode.content_name(f"triage-{whl.name.split('-')[1]}-bytecode", compiled["wheel"], ".whl")
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
