"""Where things are in a checkout (every stage takes a Project rather than guessing paths)."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import pathlib
import sys

#: What a build reads, relative to the project root: a copy of these builds the same site (tests, bench).
SOURCES = (
    "build.py",
    "mkdocs.yml",
    "package.json",
    "sitebuild",
    "triage",
    "templates",
    "overrides",
    "providers",
    "docs",
)

ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclasses.dataclass
class Project:
    root: pathlib.Path
    providers: pathlib.Path

    @classmethod
    def here(cls, providers: str = "providers") -> Project:
        p = pathlib.Path(providers)
        return cls(ROOT, p if p.is_absolute() else (pathlib.Path.cwd() / p))

    @property
    def docs(self) -> pathlib.Path:
        return self.root / "docs"

    @property
    def templates(self) -> pathlib.Path:
        return self.root / "templates"

    @property
    def build(self) -> pathlib.Path:
        """build/: caches, compiled data, staging and the site's versions (all git-ignored)."""
        return self.root / "build"

    @property
    def data(self) -> pathlib.Path:
        return self.build / "data"

    @property
    def cache(self) -> pathlib.Path:
        return self.build / "cache"


def write_if_changed(path: pathlib.Path, content: str | bytes) -> bool:
    """Write atomically (temp file + rename), and only when the bytes differ; True if written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


@contextlib.contextmanager
def file_lock(path: pathlib.Path, busy: str | None = None):
    """Hold an exclusive lock on path (created with its folder); when another process holds it, say `busy`
    on stderr (if given) and wait for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if busy:
                print(busy, file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield
