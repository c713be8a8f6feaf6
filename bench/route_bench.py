#!/usr/bin/env python3
"""Benchmark triage() in CPython over the public scenarios and the paraphrase set (not a test).

    .venv/bin/python bench/route_bench.py             a small table
    .venv/bin/python bench/route_bench.py --json      the same numbers as JSON
    .venv/bin/python bench/route_bench.py --repeat 50 --out /tmp/route_bench.json

Warm calls: one warm-up pass over every input, then --repeat passes; every call is timed on its own and the
median and 95th percentile per call are reported (per provider and overall). Cold call: a fresh Policy from
the compiled JSON with the stemmer's cache cleared, then its first triage() call, which builds the topic
matcher and the question matcher; the JSON parse is reported separately.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import sys
import time

import yaml  # the benchmark reads the YAML scenario files; the engine itself does not

from triage import Policy, api, triage
from triage import text as textlib

ROOT = pathlib.Path(__file__).resolve().parents[1]

DATA = ROOT / "tests" / "data"


def compiled_policies(data_dir: pathlib.Path | None) -> dict[str, str]:
    """{provider id: compiled JSON text}: from a --data folder, or compiled in-process from providers/."""
    if data_dir is not None:
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted(data_dir.glob("*.json")) if p.stem != "index"}
    from sitebuild import compile as C
    from sitebuild import load_and_compile

    compiled, problems = load_and_compile(ROOT / "providers")
    if problems:
        raise SystemExit("providers/*.yaml do not validate:\n" + "\n".join(map(str, problems)))
    return {pid: C.to_json(data) for pid, data in compiled.items()}


def inputs() -> list[tuple[str, str, str, dict]]:
    """(set, provider, text, answers) for every row of the public scenarios and the paraphrases."""
    rows = []
    for name, label in (("scenarios_public.yaml", "public"), ("paraphrases.yaml", "paraphrases")):
        for row in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            answers = {
                k: "yes" if v is True else "no" if v is False else str(v) for k, v in (row.get("answers") or {}).items()
            }
            rows.append((label, row["provider"], row["text"], answers))
    return rows


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def cold(compiled_json: str, text: str) -> tuple[float, float]:
    """(JSON parse ms, first-call ms including matcher construction) with a cold stemmer cache."""
    textlib.stem.cache_clear()
    t0 = time.perf_counter_ns()
    policy = Policy.from_json(compiled_json)
    t1 = time.perf_counter_ns()
    triage(policy, text)
    t2 = time.perf_counter_ns()
    return (t1 - t0) / 1e6, (t2 - t1) / 1e6


def run(repeat: int, data_dir: pathlib.Path | None) -> dict:
    compiled = compiled_policies(data_dir)
    rows = [r for r in inputs() if r[1] in compiled]
    first_text = {pid: next(text for _, p, text, _ in rows if p == pid) for pid in compiled}

    cold_results = {pid: cold(compiled[pid], first_text[pid]) for pid in compiled}

    policies = {pid: Policy.from_json(js) for pid, js in compiled.items()}
    for _, pid, text, answers in rows:  # warm-up: matchers built, caches filled
        triage(policies[pid], text, answers)
    timings: dict[str, list[float]] = {pid: [] for pid in compiled}
    by_set: dict[str, list[float]] = {}
    clock = time.perf_counter_ns
    for _ in range(repeat):
        for label, pid, text, answers in rows:
            api._ROUTES.clear()  # measure routing itself, not the wizard's per-text route cache
            t0 = clock()
            triage(policies[pid], text, answers)
            ms = (clock() - t0) / 1e6
            timings[pid].append(ms)
            by_set.setdefault(label, []).append(ms)
    everything = [ms for values in timings.values() for ms in values]

    def stats(values: list[float]) -> dict:
        return {
            "calls": len(values),
            "median_ms": round(statistics.median(values), 3),
            "p95_ms": round(percentile(values, 95), 3),
            "max_ms": round(max(values), 3),
        }

    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": platform.machine(),
        "inputs": len(rows),
        "inputs_by_set": {label: sum(1 for r in rows if r[0] == label) for label in ("public", "paraphrases")},
        "repeat": repeat,
        "warm": {
            "all": stats(everything),
            **{pid: stats(v) for pid, v in timings.items()},
            **{f"set:{label}": stats(v) for label, v in by_set.items()},
        },
        "cold": {
            pid: {"load_ms": round(load, 3), "first_call_ms": round(first, 3), "total_ms": round(load + first, 3)}
            for pid, (load, first) in cold_results.items()
        },
    }


def table(report: dict) -> str:
    lines = [
        f"triage() benchmark: {report['python']} ({report['machine']}), {report['inputs']} inputs "
        f"({report['inputs_by_set']['public']} public + {report['inputs_by_set']['paraphrases']} paraphrases)"
        f" x {report['repeat']} repetitions after 1 warm-up pass",
        "",
    ]
    head = (
        f"{'':16} {'calls':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}   {'cold: load ms':>13} "
        f"{'first call ms':>14}"
    )
    lines += [head, "-" * len(head)]
    for key, s in report["warm"].items():
        c = report["cold"].get(key)
        cold_cols = f"   {c['load_ms']:>13.2f} {c['first_call_ms']:>14.2f}" if c else ""
        lines.append(
            f"{key:16} {s['calls']:>6} {s['median_ms']:>10.3f} {s['p95_ms']:>8.3f} {s['max_ms']:>8.3f}" + cold_cols
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over all inputs (default 20)")
    parser.add_argument("--data", type=pathlib.Path, help="compiled policies folder (default: compile providers/)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        help="also write the JSON report to this file (not bench/results.json: bench/run.py's)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.out and args.out.resolve() == (ROOT / "bench" / "results.json").resolve():
        parser.error("bench/results.json is bench/run.py's record (the site shows it); write elsewhere")
    report = run(args.repeat, args.data)
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
