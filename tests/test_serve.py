"""`python build.py serve`: serves the site on 127.0.0.1 and regenerates pages when a policy changes."""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from sitebuild.project import SOURCES

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def copy_project(dest: pathlib.Path, shared_cache: bool = True) -> None:
    """The sources, with the installed npm packages and (unless told) the bytecode cache shared, not copied."""
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (dest / "build").mkdir()
    if shared_cache:
        (ROOT / "build" / "cache").mkdir(parents=True, exist_ok=True)
        (dest / "build" / "cache").symlink_to(ROOT / "build" / "cache", target_is_directory=True)


def start_serve(project: pathlib.Path, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return proc, port


def test_serve_rebuilds_when_a_policy_changes(tmp_path):
    copy_project(tmp_path)
    proc, port = start_serve(tmp_path)
    url = f"http://127.0.0.1:{port}/providers/landvps/"
    try:
        assert _wait_for(lambda: (_get(url) or "").find("LandVPS") >= 0, 90), "site was not served"
        policy = tmp_path / "providers" / "landvps.yaml"
        text = policy.read_text(encoding="utf-8")
        marker = "LandVPS Проверка перезагрузки"
        assert "\n  name: LandVPS\n" in text
        policy.write_text(text.replace("\n  name: LandVPS\n", f"\n  name: {marker}\n", 1), encoding="utf-8")
        assert _wait_for(lambda: marker in (_get(url) or ""), 60), "page was not regenerated"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=20)


def descendants(pid: int) -> set[int]:
    """Every process below pid (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_its_mkdocs_child_on_a_signal(tmp_path, sig):
    copy_project(tmp_path)
    proc, port = start_serve(tmp_path)
    kids: set[int] = set()
    try:
        assert _wait_for(lambda: _get(f"http://127.0.0.1:{port}/") is not None, 90), "site was not served"
        kids = descendants(proc.pid)
        assert kids, "serve has no child process (mkdocs serve)"
        os.kill(proc.pid, sig)  # serve's own process only, as a service manager or Ctrl+C in a script would
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 128 + sig, err
        assert "Traceback" not in err
        assert _wait_for(lambda: not any(alive(pid) for pid in kids), 10), "a child of serve survived it"
    finally:
        for pid in kids | {proc.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=20)


def _stop(proc: subprocess.Popen) -> str:
    os.killpg(proc.pid, signal.SIGTERM)
    return proc.communicate(timeout=20)[1]


def test_successive_policy_edits_show_up_without_the_browser_stage(tmp_path):
    """Each saved edit is on the served page within a bounded time (generous here: the 2 s target is
    measured by bench/build_bench.py), and the wizard's assets are not made again for a text edit."""
    copy_project(tmp_path)
    proc, port = start_serve(tmp_path)
    url = f"http://127.0.0.1:{port}/providers/landvps/"
    policy = tmp_path / "providers" / "landvps.yaml"
    wizard = tmp_path / "docs" / "assets" / "wizard"
    try:
        assert _wait_for(lambda: "LandVPS" in (_get(url) or ""), 90), "site was not served"
        # On a checkout without cached bytecode serve starts plain and Node runs in the background first.
        wizard_url = f"http://127.0.0.1:{port}/wizard/"
        assert _wait_for(lambda: "bytecodeWheel" in (_get(wizard_url) or ""), 300), "bytecode never in use"
        text = policy.read_text(encoding="utf-8")
        assert "\n  name: LandVPS\n" in text
        assets = {p.name: p.stat().st_mtime_ns for p in wizard.iterdir()}
        for n in range(3):
            marker = f"LandVPS правка {n}"
            policy.write_text(text.replace("\n  name: LandVPS\n", f"\n  name: {marker}\n", 1), encoding="utf-8")
            assert _wait_for(lambda marker=marker: marker in (_get(url) or ""), 20), f"edit {n} was not shown"
        assert {p.name: p.stat().st_mtime_ns for p in wizard.iterdir()} == assets
    finally:
        _stop(proc)


#: Stands in for node on a checkout without cached bytecode: waits for the test's signal, then writes
#: what compile.mjs writes (argv: compile.mjs, pyodide dir, wheel, data, samples, out dir, ...).
SLOW_NODE = """#!/bin/sh
while [ ! -e "$FAKE_NODE_GO" ]; do sleep 0.2; done
mkdir -p "$6"
printf 'stdlib' > "$6/python_stdlib.zip"
cp "$3" "$6/$(basename "$3")"
printf 'snapshot' > "$6/snapshot.bin"
echo '{"stdlib_modules": 0}'
"""


def test_serve_starts_plain_and_switches_to_bytecode_made_in_the_background(tmp_path):
    """A fresh checkout (no cached bytecode) is served at once with the plain start-up; when Node is done
    the wizard page names the bytecode files."""
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project, shared_cache=False)
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "node").write_text(SLOW_NODE, encoding="utf-8")
    (fake_bin / "node").chmod(0o755)
    go = tmp_path / "go"
    proc, port = start_serve(project, {"PATH": f"{fake_bin}:{os.environ['PATH']}", "FAKE_NODE_GO": str(go)})
    url = f"http://127.0.0.1:{port}/wizard/"
    try:
        assert _wait_for(lambda: "data-triage" in (_get(url) or ""), 90), "site was not served"
        assert "bytecodeWheel" not in _get(url)
        go.touch()
        assert _wait_for(lambda: "bytecodeWheel" in (_get(url) or ""), 60), "the bytecode never reached the page"
    finally:
        err = _stop(proc)
    assert "Traceback" not in err
