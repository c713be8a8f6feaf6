"""Content-addressed cache of what `check` derives slowly from a policy (build/cache/check/).

The routing tests and the writers' overlap warning route texts through an engine built from the policy
(the overlap warning once per topic example, leaving that example out). Their results are a pure function
of the validated policy, the shared lexicon and the code of `triage/` and `sitebuild/` (check routes without
a clock, `now=None`, and the engine reads nothing else; keep it so: a model trained in compile must be
seeded), so they are stored under a hash of exactly those: an unchanged provider costs nothing the next
time, and any change to the policy's data, the lexicon or that code (a learned model trained in `compile`
included) gives a new key.

What is stored carries no positions (line:column): those come from the reading of this run, so an edit
that only moves a policy's text reuses the stored result and still reports the right lines.
A missing, unreadable or malformed entry is computed again; the cache never changes what `check` reports.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

#: Format of the stored entries; bump it when what is stored changes shape.
VERSION = 1
#: When the folder holds more entries than this, the least recently used are removed down to half.
MAX_ENTRIES = 4096


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """sha256 of the engine and the build's code: every file under triage/ and every .py under sitebuild/
    (so whatever compile and the engine come to read, a model included, is covered), and the Python version."""
    h = hashlib.sha256(f"{VERSION}\0{sys.version}\0".encode())
    files = [p for p in (ROOT / "triage").rglob("*") if p.is_file()]
    files += list((ROOT / "sitebuild").rglob("*.py"))
    for path in sorted(files):
        rel = path.relative_to(ROOT).as_posix()
        if "__pycache__" in rel or rel.endswith((".pyc", ".tmp")):
            continue
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _default(value):
    # YAML may give dates and times (an unquoted `at:`); their repr is exact and stable.
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta | datetime.tzinfo):
        return {"$" + type(value).__name__: repr(value)}
    raise TypeError(f"cannot hash {type(value).__name__}")


def key(kind: str, *parts) -> str:
    """The entry name for `kind` (what is computed) from its inputs, in their order (dict order included:
    the engine may depend on it)."""
    text = json.dumps([kind, *parts], ensure_ascii=False, default=_default, separators=(",", ":"))
    return hashlib.sha256((code_hash() + "\0" + text).encode()).hexdigest()


class Cache:
    """build/cache/check/<key>.json; `Cache(None)` stores nothing (tests, the public API)."""

    def __init__(self, folder: pathlib.Path | None):
        self.folder = folder
        self.written = 0

    def get(self, name: str):
        if self.folder is None:
            return None
        path = self.folder / f"{name}.json"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # recently used: kept when the folder is trimmed
        except (OSError, ValueError):
            return None
        return doc.get("value") if isinstance(doc, dict) and doc.get("version") == VERSION else None

    def put(self, name: str, value) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": VERSION, "value": value}, out, ensure_ascii=False)
            os.replace(tmp, self.folder / f"{name}.json")
            self.written += 1
        except OSError:
            return  # a read-only or full disk: the result is simply not kept

    def trim(self) -> None:
        """Remove the least recently used entries when there are more than MAX_ENTRIES (only after writing)."""
        if self.folder is None or not self.written:
            return
        try:
            entries = [(e.stat().st_mtime, e.path) for e in os.scandir(self.folder) if e.name.endswith(".json")]
            if len(entries) <= MAX_ENTRIES:
                return
            for _, path in sorted(entries)[: len(entries) - MAX_ENTRIES // 2]:
                os.unlink(path)
        except OSError:
            return


def for_project(build_cache: pathlib.Path) -> Cache:
    return Cache(build_cache / "check")
