"""Bytecode for the browser: the stdlib subset the engine needs and the engine itself, compiled by
Pyodide's own CPython under Node (the host's Python bytecode is rejected by Pyodide 3.14).

Start-up cost of the wizard is dominated by compiling stdlib modules from source on every visit; a
zip of .pyc for just the modules in use loads in well under half the time (see bench/run.py).
Outputs are cached in build/cache/ by a hash of everything that affects them.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import subprocess
import tempfile

from .. import children
from ..errors import BytecodeError, NodeMissing
from . import runtime

HERE = pathlib.Path(__file__).resolve().parent / "pyodide"


#: Providers whose topics exercise the engine (all share one schema: more adds no new code paths).
SAMPLE_PROVIDERS = 8
#: Node compiles and snapshots in 1-2 minutes on a busy machine.
NODE_TIMEOUT_S = 300


def samples(policies: dict) -> list[dict]:
    """Requests that exercise every code path the browser uses: each topic's examples and tests,
    with every identification and description field filled in."""
    details = {"login": "user1", "contract": "12345", "domain": "example.ru", "ip": "2001:db8::1",
               "order": "#123456", "service": "VPS-1", "email": "owner@example.ru", "owner": "7701234567",
               "ticket": "1234567", "steps": "1. Открыл сайт", "error_text": "502 Bad Gateway",
               "started_at": "сегодня 10:00 МСК", "reply_to": "buh@example.ru", "want": "акт"}
    out = []
    for pid, data in sorted(policies.items())[:SAMPLE_PROVIDERS]:
        for topic in data["topics"]:
            out.append({"provider": pid, "text": topic["examples"][0] + " пароль: Qwerty123",
                        "answers": {}, "details": details})
            for test in topic.get("tests") or []:
                out.append({"provider": pid, "text": test["text"], "answers": test.get("answers") or {}})
        out.append({"provider": pid, "text": "", "answers": {}})
    return out


def _digest(root: pathlib.Path, wheel_bytes: bytes, data_files: dict[str, str], sample_list: list) -> str:
    h = hashlib.sha256()
    h.update(runtime.version(root).encode())
    for path in sorted(HERE.iterdir()):
        h.update(path.name.encode() + path.read_bytes())
    h.update(wheel_bytes)
    for name in sorted(data_files):
        h.update(name.encode() + data_files[name].encode())
    h.update(json.dumps(sample_list, sort_keys=True).encode())
    return h.hexdigest()[:16]


def compile_assets(root: pathlib.Path, wheel_name: str, wheel_bytes: bytes, data_files: dict[str, str],
                   policies: dict) -> dict[str, bytes]:
    """{"stdlib": the trimmed .pyc stdlib zip, "wheel": the .pyc-only wheel, "snapshot": a Pyodide memory
    snapshot made with exactly that stdlib and wheel} (bytes)."""
    sample_list = samples(policies)
    used = {s["provider"] for s in sample_list}
    data_files = {name: text for name, text in data_files.items() if name.removesuffix(".json") in used}
    key = _digest(root, wheel_bytes, data_files, sample_list)
    cache = root / "build" / "cache" / f"bytecode-{key}"
    if not (cache / "python_stdlib.zip").exists():
        node = shutil.which("node")
        if not node:
            raise NodeMissing("node is not installed (the build runs Pyodide under Node): "
                              "bash scripts/dev.sh setup installs it")
        # Under build/ as stage-*: even a build killed with SIGKILL leaves nothing the next one keeps.
        (root / "build").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="stage-node-", dir=root / "build") as tmp:
            tmp_path = pathlib.Path(tmp)
            (tmp_path / "data").mkdir()
            for name, text in data_files.items():
                (tmp_path / "data" / name).write_text(text, encoding="utf-8")
            (tmp_path / wheel_name).write_bytes(wheel_bytes)
            (tmp_path / "samples.json").write_text(json.dumps(sample_list, ensure_ascii=False), encoding="utf-8")
            out = tmp_path / "out"
            try:
                proc = children.run([node, str(HERE / "compile.mjs"), str(runtime.package_dir(root)),
                                     str(tmp_path / wheel_name), str(tmp_path / "data"),
                                     str(tmp_path / "samples.json"), str(out), str(HERE / "stdlib_pyc.py"),
                                     str(HERE / "snapshot_prep.py")], timeout=NODE_TIMEOUT_S)
            except subprocess.TimeoutExpired as exc:
                raise BytecodeError(f"compiling bytecode in Pyodide took over {NODE_TIMEOUT_S} s; stopped") from exc
            if proc.returncode != 0:
                # Node prints the (minified, megabyte-long) source line of a crash: keep readable lines.
                lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines() if len(ln) < 400]
                tail = [ln for ln in lines if not ln.lstrip().startswith("at ")][-12:]
                raise BytecodeError("compiling bytecode in Pyodide failed:\n" + "\n".join(tail))
            tmp_cache = cache.with_name(cache.name + ".tmp")
            shutil.rmtree(tmp_cache, ignore_errors=True)
            shutil.copytree(out, tmp_cache)
            (tmp_cache / "report.json").write_text(proc.stdout.strip().splitlines()[-1], encoding="utf-8")
            shutil.rmtree(cache, ignore_errors=True)
            tmp_cache.rename(cache)
    return {"stdlib": (cache / "python_stdlib.zip").read_bytes(), "wheel": (cache / wheel_name).read_bytes(),
            "snapshot": (cache / "snapshot.bin").read_bytes()}


def content_name(stem: str, data: bytes, suffix: str) -> str:
    """A file name that changes whenever the content does (safe to cache for a year)."""
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
