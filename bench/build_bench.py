#!/usr/bin/env python3
"""Benchmark the writers' preview (issue 12): how long a policy edit takes to show, beside a bare
`mkdocs build` of the same pages, measured alternately in the same run.

    python bench/build_bench.py            3 rounds, and a fresh checkout's first build
    python bench/build_bench.py --quick    1 round each, no fresh first build (kept from the last run)

Figures (seconds, median of the rounds; wall clock, with the CPU time of the processes beside it,
since this machine is shared and wall clock moves a lot):

    bare_mkdocs_s          python -m mkdocs build of the generated docs/ (the floor)
    text_edit_build_s      python build.py after a text edit in a policy         target <= 2 x floor
    serve_edit_s           build.py serve: save -> the edit is on the served page target <= 2 s
                           (serve_edit_cpu_s: the CPU serve and mkdocs used meanwhile, polling included)
    fresh_build_s          python build.py in a fresh checkout (nothing in build/) target <= 10 x floor
    fresh_background_s     then until its background job has ended (the wizard's bytecode made by Node and
                           the site rebuilt with it, brotli 11 on the runtime; niced; sitebuild/background.py)
    fresh_warm_build_s     the same with the content-addressed caches (build/cache) of another checkout

The default build leaves what does not depend on the policies to a background job; every floor is
measured after the jobs of the previous build have ended, so that they never slow the floor down.

Results go into bench/results.json under "preview" (the rest of the file is left as it is); the
performance page shows them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import pathlib
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from sitebuild import background

ROOT = pathlib.Path(__file__).resolve().parents[1]
PARTS = ["build.py", "sitebuild", "triage", "templates", "overrides", "docs", "providers", "mkdocs.yml", "package.json"]
POLICY = "landvps.yaml"
NAME_LINE = "\n  name: LandVPS\n"
TARGETS = {
    "text_edit_build_s": ("bare_mkdocs_s", 2),
    "fresh_build_s": ("fresh_bare_mkdocs_s", 10),
    "fresh_warm_build_s": ("fresh_warm_bare_mkdocs_s", 10),
}
ABSOLUTE = {"serve_edit_s": 2}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def copy_project(dest: pathlib.Path, cache: pathlib.Path | None) -> None:
    """The tracked sources as a clone has them (docs/ without its generated files), node_modules linked
    (`npm ci` is setup, not build), and build/cache linked to `cache` when given (else build/ is empty)."""
    generated = (
        set((ROOT / "docs" / ".generated").read_text(encoding="utf-8").split())
        if (ROOT / "docs" / ".generated").exists()
        else set()
    )
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.tmp")
    for part in PARTS:
        src = ROOT / part
        if part == "docs":
            for path in sorted(src.rglob("*")):
                rel = path.relative_to(src).as_posix()
                if path.is_file() and rel not in generated and rel != ".generated" and not rel.endswith(".tmp"):
                    (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, dest / "docs" / rel)
        elif src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy2(src, dest / part)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (dest / "build").mkdir()
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (dest / "build" / "cache").symlink_to(cache, target_is_directory=True)


def timed(args: list[str], cwd: pathlib.Path) -> tuple[float, float]:
    """(wall s, CPU s of the process and its children) of one command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{proc.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build(project: pathlib.Path) -> tuple[float, float]:
    return timed([sys.executable, "build.py"], project)


def settle(project: pathlib.Path) -> float:
    """Wait for the background jobs of the project's last build (sitebuild/background.py); seconds waited."""
    start = time.perf_counter()
    background.wait(project / "build")
    return round(time.perf_counter() - start, 2)


def bare_mkdocs(project: pathlib.Path) -> tuple[float, float]:
    """mkdocs build of the same docs/ (generated pages and assets in place), into a throw-away folder."""
    out = project / "build" / "bare-site"
    shutil.rmtree(out, ignore_errors=True)
    result = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], project)
    shutil.rmtree(out, ignore_errors=True)
    return result


def edit(project: pathlib.Path, marker: str) -> None:
    path = project / "providers" / POLICY
    text = (ROOT / "providers" / POLICY).read_text(encoding="utf-8")
    assert NAME_LINE in text, f"{POLICY} no longer has the line {NAME_LINE.strip()!r}"
    path.write_text(text.replace(NAME_LINE, f"\n  name: LandVPS {marker}\n", 1), encoding="utf-8")


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by pid and every process below it (from /proc; Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, list[str]] = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            stats[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            total += (int(stats[p][11]) + int(stats[p][12])) / tick  # utime, stime
        todo += [c for c, f in stats.items() if int(f[1]) == p]
    return total


def serve_latencies(project: pathlib.Path, rounds: int) -> tuple[list[float], list[float]]:
    """(seconds from saving a policy to the served page showing the edit, CPU seconds serve and its
    mkdocs child used meanwhile), once per round."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/providers/{POLICY.removesuffix('.yaml')}/"
    out, cpu = [], []
    try:
        deadline = time.monotonic() + 300
        while "LandVPS" not in _get(url):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("build.py serve did not come up")
            time.sleep(0.2)
        time.sleep(2)  # let the start-up settle (mkdocs' first build, the watcher's first look)
        for i in range(rounds):
            marker = f"serve-{i}-{time.time_ns()}"
            cpu_before = tree_cpu(proc.pid)
            start = time.perf_counter()
            edit(project, marker)
            while marker not in _get(url):
                if time.perf_counter() - start > 120:
                    raise SystemExit("build.py serve did not show the edit in 120 s")
                time.sleep(0.05)
            out.append(time.perf_counter() - start)
            cpu.append(tree_cpu(proc.pid) - cpu_before)
            time.sleep(1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    return out, cpu


def med(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def run(rounds: int, fresh: bool) -> dict:
    figures: dict[str, list] = {k: [] for k in ("bare_mkdocs", "text_edit_build")}
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
        tmp_path = pathlib.Path(tmp)
        shared = ROOT / "build" / "cache"  # the checkout's caches: the edit figures are about warm ones
        project = tmp_path / "warm"
        project.mkdir()
        copy_project(project, shared)
        build(project)  # the checkout's first build here: caches warm, docs/ generated
        for i in range(rounds):  # alternate the figure and its floor
            settle(project)
            figures["bare_mkdocs"].append(bare_mkdocs(project))
            edit(project, f"build-{i}-{time.time_ns()}")
            figures["text_edit_build"].append(build(project))
        settle(project)
        serve, serve_cpu = serve_latencies(project, max(3, rounds * 2))
        results = {
            "rounds": rounds,
            "bare_mkdocs_s": med([w for w, _ in figures["bare_mkdocs"]]),
            "bare_mkdocs_cpu_s": med([c for _, c in figures["bare_mkdocs"]]),
            "text_edit_build_s": med([w for w, _ in figures["text_edit_build"]]),
            "text_edit_build_cpu_s": med([c for _, c in figures["text_edit_build"]]),
            "serve_edit_s": med(serve),
            "serve_edit_max_s": round(max(serve), 2),
            "serve_edit_cpu_s": med(serve_cpu),
        }
        if fresh:
            for name, cache in (("fresh", tmp_path / "empty-cache"), ("fresh_warm", shared)):
                clone = tmp_path / name
                clone.mkdir()
                copy_project(clone, cache)
                wall, cpu = build(clone)
                waited = settle(clone)
                bare_wall, bare_cpu = bare_mkdocs(clone)
                results.update(
                    {
                        f"{name}_build_s": round(wall, 2),
                        f"{name}_build_cpu_s": round(cpu, 2),
                        f"{name}_background_s": waited,
                        f"{name}_bare_mkdocs_s": round(bare_wall, 2),
                        f"{name}_bare_mkdocs_cpu_s": round(bare_cpu, 2),
                    }
                )
    return results


def judge(r: dict) -> list[dict]:
    checks = []
    for figure, (floor, limit) in TARGETS.items():
        for kind, suffix in (("wall", "_s"), ("cpu", "_cpu_s")):
            f, fl = figure.removesuffix("_s") + suffix, floor.removesuffix("_s") + suffix
            if r.get(f) and r.get(fl):
                ratio = r[f] / r[fl]
                checks.append(
                    {
                        "check": f"{figure}/{floor}",
                        "kind": kind,
                        "value": round(ratio, 2),
                        "limit": limit,
                        "ok": ratio <= limit,
                    }
                )
    for figure, limit in ABSOLUTE.items():
        checks.append({"check": figure, "kind": "wall", "value": r[figure], "limit": limit, "ok": r[figure] <= limit})
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round, no fresh first build")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    old = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    results = run(1 if args.quick else 3, fresh=not args.quick)
    for key, value in (old.get("preview") or {}).items():  # a quick run keeps the last fresh figures
        if key.startswith("fresh") and key not in results:
            results[key] = value
    results["checks"] = judge(results)
    results["load_avg"] = [round(x, 1) for x in os.getloadavg()]
    results["cpus"] = os.cpu_count()
    results["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    old["preview"] = results
    args.out.write_text(json.dumps(old, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        if key != "checks":
            print(f"{key}: {value}")
    for c in results["checks"]:
        print(f"{c['check']} ({c['kind']}): {c['value']} <= {c['limit']}: {'ok' if c['ok'] else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
