#!/usr/bin/env python3
"""Benchmark `python build.py check` (issue 12: under 1 s for 4 providers, under 10 s for 400).

    python bench/check_bench.py                 4, 40 and 400 providers (the first check of 400 takes minutes)
    python bench/check_bench.py --sizes 4 40    only those
    python bench/check_bench.py --baseline REV  also time `check` of commit REV (its code, the same policies)

Each size is a copy of the code (build.py, sitebuild/, triage/) with that many policies, copies of the real ones
under distinct ids (bench/run.py's synthetic_providers, as for build_s). Figures, wall clock in seconds:

    check_s.{N}            check with nothing changed since the last check (build/cache/check/ holds the
                           routing tests' and the overlap warning's results)      target 4: <= 1 s, 400: <= 10 s
    check.edit_s.{N}       check after a text edit in one policy: that policy's routing tests and leave-one-out
                           overlap warning are computed again, the others come from the cache
    check.cold_s.{N}       the first check of the copy (empty build/cache/): every policy computed
    check.baseline_s.{N}   (--baseline) `check` of REV on the same copy (no cache there, or whatever REV has)
    check.*_cpu_s.{N}      the CPU time of the same (the check and its worker processes): this machine is shared,
                           and its wall clock moves a lot between runs

Python writes its bytecode cache as on a writer's machine (PYTHONDONTWRITEBYTECODE is dropped), and the cold
figure is the first run after it. Results are merged into bench/results.json under "check_s" and "check" (the
rest of the file is left as it is).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from run import synthetic_providers  # bench/run.py, beside this script

ROOT = pathlib.Path(__file__).resolve().parents[1]
CODE = ["build.py", "sitebuild", "triage"]
LIMITS = {"4": 1.0, "400": 10.0}
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_MKDOCS_2_WARNING": "1"}


def copy_code(dest: pathlib.Path, rev: str | None = None) -> None:
    """What `check` runs: this checkout's code, or commit `rev`'s (git archive)."""
    dest.mkdir(parents=True)
    if rev is None:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.tmp")
        for part in CODE:
            src = ROOT / part
            if src.is_dir():
                shutil.copytree(src, dest / part, ignore=ignore)
            else:
                shutil.copy2(src, dest / part)
        return
    archive = subprocess.run(["git", "archive", rev, *CODE], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def check_seconds(project: pathlib.Path) -> tuple[float, float]:
    """(wall s, CPU s of the check and its worker processes) of one `build.py check`, which must pass."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "build.py", "check"], cwd=project, env=ENV, capture_output=True, text=True, encoding="utf-8"
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build.py check failed in {project}:\n{proc.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def med(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return round(statistics.median(w for w, _ in runs), 2), round(statistics.median(c for _, c in runs), 2)


def edit(project: pathlib.Path, marker: str) -> None:
    """A text edit in the first policy: its provider's name changes (its data, so its cache keys, change)."""
    path = sorted(p for p in (project / "providers").glob("*.yaml") if not p.name.startswith("_"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("  name: "))
    lines[i] = lines[i].split(" (")[0] + f" ({marker})"
    path.write_text("\n".join(lines), encoding="utf-8")


def measure(count: int, rounds: int, baseline: str | None, tmp: pathlib.Path) -> dict:
    project = tmp / f"check-{count}"
    copy_code(project)
    synthetic_providers(project / "providers", count)
    out: dict[str, float] = {}
    out["cold_s"], out["cold_cpu_s"] = med([check_seconds(project)])
    out["warm_s"], out["warm_cpu_s"] = med([check_seconds(project) for _ in range(rounds)])
    edits = []
    for i in range(rounds):
        edit(project, f"bench {i} {time.time_ns()}")
        edits.append(check_seconds(project))
    out["edit_s"], out["edit_cpu_s"] = med(edits)
    if baseline:
        old = tmp / f"baseline-{count}"
        copy_code(old, baseline)
        shutil.copytree(project / "providers", old / "providers")
        out["baseline_s"], out["baseline_cpu_s"] = med([check_seconds(old)])
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[4, 40, 400])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the warm and edit figures (median)")
    parser.add_argument("--baseline", help="a commit whose `check` is timed on the same copies (e.g. the base)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = {}
    with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
        for count in args.sizes:
            figures[str(count)] = measure(count, args.rounds, args.baseline, pathlib.Path(tmp))
            print(f"{count} providers: {figures[str(count)]}", flush=True)
    old = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    check_s = dict(old.get("check_s") or {})
    detail = dict(old.get("check") or {})
    keys = ("warm_cpu_s", "edit_s", "edit_cpu_s", "cold_s", "cold_cpu_s", "baseline_s", "baseline_cpu_s")
    for key in keys:
        detail[key] = dict(detail.get(key) or {})
    for n, f in figures.items():
        check_s[n] = f["warm_s"]
        for key in keys:
            if key in f:
                detail[key][n] = f[key]
    detail["checks"] = [
        {"check": f"check_s {n} providers", "value": check_s[n], "limit": limit, "ok": check_s[n] <= limit}
        for n, limit in LIMITS.items()
        if n in check_s
    ]
    if args.baseline:
        detail["baseline"] = args.baseline
    detail["load_avg"] = [round(x, 1) for x in os.getloadavg()]
    detail["cpus"] = os.cpu_count()
    detail["date"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    detail["elapsed_s"] = round(time.perf_counter() - started, 1)
    old["check_s"], old["check"] = check_s, detail
    args.out.write_text(json.dumps(old, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"check_s": check_s, "check": detail}, ensure_ascii=False, indent=2))
    for c in detail["checks"]:
        print(f"{c['check']}: {c['value']} <= {c['limit']}: {'ok' if c['ok'] else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
