"""`build.py serve`: build once, then run `mkdocs serve` (live reload) and regenerate docs/ whenever a
policy, template or the build's code changes. The mkdocs child runs in its own process group and is
stopped with it on Ctrl+C (SIGINT), SIGTERM or SIGHUP."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time

from . import children
from .check import check, report
from .data import write_json_schemas
from .generate import generate
from .project import Project
from .site import build_command, build_lock

WATCHED = ("providers", "templates", "sitebuild", "triage")


def _snapshot(project: Project) -> dict:
    state = {}
    for name in WATCHED:
        base = project.root / name if name != "providers" else project.providers
        for path in base.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                with contextlib.suppress(FileNotFoundError):  # removed while we look
                    state[str(path)] = path.stat().st_mtime_ns
    return state


def _watch(project: Project, stop: threading.Event) -> None:
    last = _snapshot(project)
    while not stop.wait(0.5):
        now = _snapshot(project)
        if now == last:
            continue
        last = now
        checked = check(project)
        if checked.problems:
            report(checked.problems)
            print("docs not regenerated: fix the problems above", file=sys.stderr)
            continue
        with build_lock(project):  # a `build.py` in the same checkout would clear our staging
            generate(project, checked, project.docs)
            write_json_schemas(project)
        print(f"regenerated docs at {time.strftime('%H:%M:%S')}", file=sys.stderr)


def serve_command(project: Project, addr: str) -> int:
    if build_command(project) != 0:
        print("fix the problems above; serving stopped", file=sys.stderr)
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(project, stop), daemon=True)
    watcher.start()
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
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
