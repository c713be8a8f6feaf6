"""`build.py serve`: check, generate docs/, run `mkdocs serve` (live reload), and regenerate docs/ whenever
a policy, template or the build's code changes. The mkdocs child runs in its own process group and is
stopped with it on Ctrl+C (SIGINT), SIGTERM or SIGHUP.

A preview in about a second: a policy edit regenerates only the pages and the engine's data; the
browser assets (Pyodide runtime, wheel, bytecode, snapshot) depend on the engine and the runtime only,
so they are kept from the start-up and made again only when triage/ or the stage's code changes. When
their bytecode is not cached yet (a fresh checkout), serving starts at once with the plain start-up (the
wizard loads the runtime and the source wheel) while Node makes the bytecode in the background; the
pages switch to it when it is ready. Unlike `build.py`, serve builds no site/ (mkdocs serve builds its
own) and pre-compresses nothing.
"""

from __future__ import annotations

import contextlib
import pathlib
import subprocess
import sys
import threading
import time

from . import browser_assets, children
from .check import Checked, check, report
from .data import write_json_schemas
from .errors import BuildError
from .generate import generate
from .project import Project
from .site import build_lock, remove_stale_stages

WATCHED = ("providers", "templates", "sitebuild", "triage")
#: Changes here can change the browser assets (the engine's wheel, the Node-side scripts, the sample).
ENGINE = ("triage", "sitebuild/browser_assets")
#: How often the watched folders are looked at (a stat of a few hundred files).
POLL_S = 0.2


def _snapshot(project: Project) -> dict:
    state = {}
    for name in WATCHED:
        base = project.root / name if name != "providers" else project.providers
        for path in base.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                with contextlib.suppress(FileNotFoundError):  # removed while we look
                    state[str(path)] = path.stat().st_mtime_ns
    return state


def _touches_engine(project: Project, changed: set[str]) -> bool:
    roots = [project.root / name for name in ENGINE]
    return any(pathlib.Path(p).is_relative_to(root) for p in changed for root in roots)


class Preview:
    """The browser assets in use and the background stage that replaces plain ones with bytecode."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.assets: browser_assets.Assets | None = None
        self.ready = threading.Event()  # set when the background stage has new assets
        self._lock = threading.Lock()
        self._generation = 0

    def refresh(self) -> None:
        """Take the cached bytecode assets, or the plain ones and make the bytecode in the background."""
        with self._lock:
            self._generation += 1
            generation = self._generation
        full = browser_assets.cached(self.project)
        if full is not None:
            self.assets = full
            return
        self.assets = browser_assets.plain(self.project)
        print("the wizard starts without bytecode until Node has made it (in the background)", file=sys.stderr)
        threading.Thread(target=self._background, args=(generation,), daemon=True).start()

    def _background(self, generation: int) -> None:
        started = time.monotonic()
        try:
            full = browser_assets.build(self.project)
        except BuildError as exc:
            print(f"build.py serve: {exc}\nthe wizard keeps starting without bytecode", file=sys.stderr)
            return
        with self._lock:
            if generation != self._generation:  # the engine changed meanwhile: a newer run takes over
                return
            self.assets = full
        print(f"bytecode ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
        self.ready.set()


def regenerate(project: Project, preview: Preview, checked: Checked | None = None) -> bool:
    """Check, then write the generated docs with the assets in use; False (reported) on problems."""
    checked = checked or check(project)
    if checked.problems:
        report(checked.problems)
        print("docs not regenerated: fix the problems above", file=sys.stderr)
        return False
    with build_lock(project):  # a `build.py` in the same checkout would clear our staging
        generate(project, checked, project.docs, preview.assets)
        write_json_schemas(project)
    return True


def _watch(project: Project, preview: Preview, stop: threading.Event) -> None:
    last = _snapshot(project)
    while not stop.wait(POLL_S):
        now = _snapshot(project)
        background_done = preview.ready.is_set()
        if now == last and not background_done:
            continue
        changed = {p for p in now.keys() | last.keys() if now.get(p) != last.get(p)}
        last = now
        preview.ready.clear()
        started = time.monotonic()
        try:
            if _touches_engine(project, changed):
                preview.refresh()
            if regenerate(project, preview):
                print(
                    f"regenerated docs at {time.strftime('%H:%M:%S')} in {time.monotonic() - started:.1f} s",
                    file=sys.stderr,
                )
        except BuildError as exc:  # e.g. node_modules removed meanwhile: say so and keep serving
            print(f"build.py serve: {exc}", file=sys.stderr)


def serve_command(project: Project, addr: str) -> int:
    with build_lock(project):
        remove_stale_stages(project)
    checked = check(project)
    preview = Preview(project)
    if not checked.problems:
        preview.refresh()
    if not regenerate(project, preview, checked):
        print("fix the problems above; serving stopped", file=sys.stderr)
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(project, preview, stop), daemon=True)
    watcher.start()
    cmd = [
        sys.executable,
        "-m",
        "sitebuild.serve",  # mkdocs serve, its templates' bytecode cached (see the end of this file)
        "serve",
        "--dev-addr",
        addr,
        "--livereload",
        "-f",
        str(project.root / "mkdocs.yml"),
    ]
    print(f"serving on http://{addr}/ (Ctrl+C to stop)", flush=True)
    try:
        with children.Child(cmd, cwd=project.root, stdin=subprocess.DEVNULL) as server:
            return server.wait()
    finally:
        stop.set()


def mkdocs_main() -> None:
    """`python -m sitebuild.serve ARGS`: `mkdocs ARGS` with Jinja's compiled templates kept in
    build/cache/jinja, so that each rebuild after an edit does not compile Material's templates again."""
    from mkdocs import __main__ as mkdocs_cli
    from mkdocs import theme

    from .project import ROOT
    from .site import with_bytecode_cache

    with_bytecode_cache(theme.Theme, ROOT)
    sys.argv[0] = "mkdocs"
    mkdocs_cli.cli()


if __name__ == "__main__":
    mkdocs_main()
