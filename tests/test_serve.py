"""`python build.py serve`: serves the site on 127.0.0.1 and regenerates pages when a policy changes."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = ["build.py", "mkdocs.yml", "package.json", "sitebuild", "triage", "templates", "overrides", "providers",
           "docs"]


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


def test_serve_rebuilds_when_a_policy_changes(tmp_path):
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/providers/landvps/"
    proc = subprocess.Popen([sys.executable, "build.py", "serve", "--addr", f"127.0.0.1:{port}"], cwd=tmp_path,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
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
        proc.wait(timeout=20)
