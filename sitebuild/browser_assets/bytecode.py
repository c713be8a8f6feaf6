"""Bytecode for the browser: the stdlib subset the engine needs and the engine itself, compiled by
Pyodide's own CPython under Node (the host's Python bytecode is rejected by Pyodide 3.14).

Start-up cost of the wizard is dominated by compiling stdlib modules from source on every visit; a
zip of .pyc for just the modules in use loads in well under half the time (see bench/run.py).
The engine is exercised on a built-in sample (samples/), never on the providers' policies, so the
outputs - cached in build/cache/ by a hash of everything that affects them - survive every policy edit.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading

from .. import children
from ..errors import BytecodeError, NodeMissing
from ..project import file_lock
from . import runtime

HERE = pathlib.Path(__file__).resolve().parent / "pyodide"


#: The built-in sample (a policy using every key of the schema, and a fixed lexicon) the engine is
#: exercised with. Never the providers' policies: a writer's edit must not cost a Node run.
SAMPLES = pathlib.Path(__file__).resolve().parent / "samples"
#: Node compiles and snapshots in 1-2 minutes on a busy machine.
NODE_TIMEOUT_S = 300
#: Held while Node runs (build/.node.lock).
NODE_LOCK = ".node.lock"
#: The customer's clock in requests: inside and outside the sample's hours, and none (any hour).
CLOCKS = (None, "2026-12-01T10:30+03:00", "2026-12-06T20:00+03:00", "2026-12-05T12:00+02:00")
#: Texts beyond the sample's own: other languages and scripts, negation, secrets, facts, noise, the cap.
EXTRA_TEXTS = (
    "my site is down since morning, error 502 on https://sample.example.ru/shop",
    "sait ne otkryvaetsya, pochta ne rabotaet",
    "сайт не то чтобы не работает, но не открывается админка; не срочно",
    "пароль: Qwerty123, токен eyJhbGciOiJub25lIn0.eyJzdWIiOiJzYW1wbGUifQ.c2lnbmF0dXJl, карта 4111 1111 1111 1111",
    "мой IP 2001:db8::1 и 192.0.2.10, договор 12345, заказ #123456, почта owner@example.ru",
    "нужен счёт на оплату и акт сверки за ноябрь, ИНН 7701234567",
    "кто-то взломал сайт, на главной чужой текст!!! СРОЧНО",
    "хочу купить хостинг, аккаунта пока нет",
    "\u0000\u200b\ud800 ☃ 👍 " + "очень длинный текст " * 600,
)
DETAILS = {
    "login": "user1",
    "contract": "12345",
    "domain": "example.ru",
    "ip": "2001:db8::1",
    "order": "#123456",
    "service": "VPS-1",
    "email": "owner@example.ru",
    "owner": "7701234567",
    "ticket": "1234567",
    "steps": "1. Открыл сайт",
    "error_text": "502 Bad Gateway",
    "started_at": "сегодня 10:00 МСК",
    "reply_to": "buh@example.ru",
    "want": "акт",
}


def _sample_inputs_key() -> str:
    """A hash of what the compiled sample depends on: the sample's files and the code that reads and
    compiles it (sitebuild/, triage/). Hashing them takes milliseconds; reading the YAML ~0.1 s."""
    h = hashlib.sha256()
    base = pathlib.Path(__file__).resolve().parents[2]
    for folder in (base / "sitebuild", base / "triage"):  # sitebuild/ holds the sample (SAMPLES) too
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def sample_data(cache: pathlib.Path | None = None) -> dict[str, str]:
    """The built-in sample compiled for the engine: data file name -> JSON text; kept in
    cache/sample-<key>.json when a cache folder is given (every build needs it for the bytecode key)."""
    stored = cache / f"sample-{_sample_inputs_key()}.json" if cache is not None else None
    if stored is not None and stored.exists():
        with contextlib.suppress(OSError, ValueError):
            return json.loads(stored.read_text(encoding="utf-8"))
    from .. import load_and_compile
    from ..data import data_files

    compiled, problems = load_and_compile(SAMPLES)
    if problems:
        raise BytecodeError(
            "the built-in sample policy (sitebuild/browser_assets/samples/) does not pass check; "
            "migrate it with the schema:\n" + "\n".join(str(p) for p in problems[:12])
        )
    data = data_files(compiled)
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        tmp = stored.with_name(f"{stored.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(stored)
        for old in stored.parent.glob("sample-*.json"):  # made from other sources: not needed again
            if old != stored:
                old.unlink(missing_ok=True)
    return data


def samples(data: dict[str, str]) -> list[dict]:
    """Requests that exercise every code path the browser uses, all on the built-in sample: each topic's
    examples (with every field filled in) and tests, every question's answers, each topic chosen by
    hand, several clocks, and texts in other languages, with secrets, facts, noise and over the cap."""
    out = []
    for name in sorted(data):
        if name == "index.json":
            continue
        policy = json.loads(data[name])["policy"]
        pid = policy["provider"]["id"]
        answers = [{}] + [{q["id"]: o["value"]} for q in policy.get("questions") or [] for o in q["options"]]
        for i, topic in enumerate(policy["topics"]):
            clock = CLOCKS[i % len(CLOCKS)]
            for example in topic["examples"]:
                out.append(
                    {
                        "provider": pid,
                        "text": example + " пароль: Qwerty123",
                        "answers": {},
                        "details": DETAILS,
                        "now": clock,
                    }
                )
            for test in topic.get("tests") or []:
                out.append(
                    {"provider": pid, "text": test["text"], "answers": test.get("answers") or {}, "now": test.get("at")}
                )
            out.append({"provider": pid, "text": "", "answers": {}, "topic": topic["id"], "details": DETAILS})
        for i, text in enumerate(EXTRA_TEXTS):
            out.append(
                {"provider": pid, "text": text, "answers": answers[i % len(answers)], "now": CLOCKS[i % len(CLOCKS)]}
            )
        out += [
            {"provider": pid, "text": "сайт не открывается", "answers": a, "now": c}
            for a in answers
            for c in CLOCKS[:2]
        ]
        out.append({"provider": pid, "text": "", "answers": {}})
    return out


def cache_key(root: pathlib.Path, wheel_bytes: bytes, data: dict[str, str], sample_list: list) -> str:
    """What the bytecode and the snapshot depend on: the Pyodide version, the Node-side scripts, the
    engine (its wheel) and the built-in sample. Nothing a writer edits in providers/."""
    h = hashlib.sha256()
    h.update(runtime.version(root).encode())
    for path in sorted(HERE.iterdir()):
        h.update(path.name.encode() + path.read_bytes())
    h.update(wheel_bytes)
    for name in sorted(data):
        h.update(name.encode() + data[name].encode())
    h.update(json.dumps(sample_list, sort_keys=True).encode())
    return h.hexdigest()[:16]


def cache_dir(root: pathlib.Path, wheel_bytes: bytes) -> tuple[pathlib.Path, dict[str, str], list]:
    """(build/cache/bytecode-<key>, the sample data, the sample requests)."""
    data = sample_data(root / "build" / "cache")
    sample_list = samples(data)
    return root / "build" / "cache" / f"bytecode-{cache_key(root, wheel_bytes, data, sample_list)}", data, sample_list


def cached(root: pathlib.Path, wheel_name: str, wheel_bytes: bytes) -> dict[str, bytes] | None:
    """The outputs of compile_assets if they are in the cache already, else None (no Node run)."""
    cache, _, _ = cache_dir(root, wheel_bytes)
    return _read(cache, wheel_name) if (cache / "python_stdlib.zip").exists() else None


def _read(cache: pathlib.Path, wheel_name: str) -> dict[str, bytes]:
    return {
        "stdlib": (cache / "python_stdlib.zip").read_bytes(),
        "wheel": (cache / wheel_name).read_bytes(),
        "snapshot": (cache / "snapshot.bin").read_bytes(),
    }


def compile_assets(root: pathlib.Path, wheel_name: str, wheel_bytes: bytes) -> dict[str, bytes]:
    """{"stdlib": the trimmed .pyc stdlib zip, "wheel": the .pyc-only wheel, "snapshot": a Pyodide memory
    snapshot made with exactly that stdlib and wheel} (bytes)."""
    cache, data, sample_list = cache_dir(root, wheel_bytes)
    if not (cache / "python_stdlib.zip").exists():
        with node_lock(root):  # one Node run per checkout: a second build (or serve) waits and reuses it
            if not (cache / "python_stdlib.zip").exists():
                _run_node(root, cache, wheel_name, wheel_bytes, data, sample_list)
    return _read(cache, wheel_name)


def node_lock(root: pathlib.Path):
    """Hold build/.node.lock while Node makes the bytecode."""
    return file_lock(root / "build" / NODE_LOCK, "another build is making the bytecode here; waiting for it")


def node_running(root: pathlib.Path) -> bool:
    """True while some process of this checkout runs Node (its build/stage-node-* is in use)."""
    path = root / "build" / NODE_LOCK
    if not path.exists():
        return False
    with open(path) as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
        return False


def node_path() -> str:
    """The `node` to run, or NodeMissing (also said before leaving the bytecode to a background job)."""
    node = shutil.which("node")
    if not node:
        raise NodeMissing(
            "node is not installed (the build runs Pyodide under Node): bash scripts/dev.sh setup installs it"
        )
    return node


def _run_node(
    root: pathlib.Path,
    cache: pathlib.Path,
    wheel_name: str,
    wheel_bytes: bytes,
    data: dict[str, str],
    sample_list: list,
) -> None:
    node = node_path()
    # Under build/ as stage-*: even a build killed with SIGKILL leaves nothing the next one keeps (a build
    # removes stage-* when it starts, except stage-node-* while another process holds build/.node.lock).
    with tempfile.TemporaryDirectory(prefix="stage-node-", dir=root / "build") as tmp:
        tmp_path = pathlib.Path(tmp)
        (tmp_path / "data").mkdir()
        for name, text in data.items():
            (tmp_path / "data" / name).write_text(text, encoding="utf-8")
        (tmp_path / wheel_name).write_bytes(wheel_bytes)
        (tmp_path / "samples.json").write_text(json.dumps(sample_list), encoding="utf-8")  # \ud800 stays escaped
        out = tmp_path / "out"
        try:
            proc = children.run(
                [
                    node,
                    str(HERE / "compile.mjs"),
                    str(runtime.package_dir(root)),
                    str(tmp_path / wheel_name),
                    str(tmp_path / "data"),
                    str(tmp_path / "samples.json"),
                    str(out),
                    str(HERE / "stdlib_pyc.py"),
                    str(HERE / "snapshot_prep.py"),
                ],
                timeout=NODE_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            raise BytecodeError(f"compiling bytecode in Pyodide took over {NODE_TIMEOUT_S} s; stopped") from exc
        if proc.returncode != 0:
            # Node prints the (minified, megabyte-long) source line of a crash: keep readable lines.
            lines = [ln for ln in (proc.stderr or proc.stdout).strip().splitlines() if len(ln) < 400]
            tail = [ln for ln in lines if not ln.lstrip().startswith("at ")][-12:]
            raise BytecodeError("compiling bytecode in Pyodide failed:\n" + "\n".join(tail))
        # A name of our own: another checkout sharing this cache may be installing the same key.
        tmp_cache = cache.with_name(f"{cache.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(tmp_cache, ignore_errors=True)
        shutil.copytree(out, tmp_cache)
        (tmp_cache / "report.json").write_text(proc.stdout.strip().splitlines()[-1], encoding="utf-8")
        try:
            tmp_cache.rename(cache)
        except OSError:  # installed meanwhile by another build (same key, same content), or half there
            if not (cache / "python_stdlib.zip").exists():
                shutil.rmtree(cache, ignore_errors=True)
                tmp_cache.rename(cache)
            shutil.rmtree(tmp_cache, ignore_errors=True)


def content_name(stem: str, data: bytes, suffix: str) -> str:
    """A file name that changes whenever the content does (safe to cache for a year)."""
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
