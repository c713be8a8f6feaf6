"""Copy the self-hosted Pyodide runtime (npm package `pyodide`, pinned in package.json) into the site."""

from __future__ import annotations

import json
import pathlib

from ..errors import RuntimeMissing

#: Only what the browser needs at run time: no README, source maps, typings or consoles.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def package_dir(root: pathlib.Path) -> pathlib.Path:
    return root / "node_modules" / "pyodide"


def version(root: pathlib.Path) -> str:
    """The installed Pyodide version; package.json pins it (the one place it is written)."""
    meta = package_dir(root) / "package.json"
    if not meta.exists():
        raise RuntimeMissing("node_modules/pyodide is missing: run `npm ci` (bash scripts/dev.sh setup does)")
    installed = json.loads(meta.read_text(encoding="utf-8"))["version"]
    pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    if installed != pinned:
        raise RuntimeMissing(f"node_modules has pyodide {installed} but package.json pins {pinned}: run `npm ci`")
    return installed


def trimmed_lock(data: bytes) -> bytes:
    """pyodide-lock.json without its package list: loadPyodide() always fetches the lock file, but
    the engine is standard library only and never loads a package (its wheel is unpacked directly),
    so the ~360 entries (119 kB, 25 kB compressed, on every first visit) are never read."""
    lock = json.loads(data)
    return json.dumps({"info": lock["info"], "packages": {}}, separators=(",", ":")).encode()


def runtime_files(root: pathlib.Path) -> dict[str, bytes]:
    """Site-relative path -> bytes of each runtime file, under a versioned folder."""
    ver = version(root)
    base = package_dir(root)
    files = {}
    for name in RUNTIME_FILES:
        data = (base / name).read_bytes()
        files[f"assets/pyodide/{ver}/{name}"] = trimmed_lock(data) if name == "pyodide-lock.json" else data
    return files
