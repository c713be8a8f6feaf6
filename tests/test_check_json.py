"""`build.py check --format json`: the same problems as the text report, as one JSON document on stdout."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "policies" / "bad"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<path>.+?): (?P<message>.+)$")


def check_json(providers: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--format", "json", "--providers", str(providers)],
        cwd=providers.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_problems_as_json_match_the_text_report(tmp_path):
    providers = tmp_path / "providers"
    providers.mkdir()
    shutil.copyfile(BAD / "several_problems.yaml", providers / "several_problems.yaml")
    proc = check_json(providers)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert doc["ok"] is False and doc["providers"] == []
    *lines, _summary = (BAD / "several_problems.expected").read_text(encoding="utf-8").splitlines()
    want = []
    for line in lines:
        m = LINE.match(line)
        assert m, line
        want.append(
            {
                "file": m["file"],
                "line": int(m["line"]),
                "column": int(m["column"]),
                "path": m["path"],
                "message": m["message"],
            }
        )
    assert len(want) >= 2
    assert doc["problems"] == want


def test_valid_policies_as_json(tmp_path):
    shutil.copytree(ROOT / "providers", tmp_path / "providers")
    proc = check_json(tmp_path / "providers")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    ids = sorted(p.stem for p in (ROOT / "providers").glob("*.yaml") if not p.name.startswith("_"))
    assert doc == {"ok": True, "providers": ids, "problems": []}
