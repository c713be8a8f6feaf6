"""triage/ must run in the browser (Pyodide) from its wheel: standard library only, no browser-only imports."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "triage"
MODULES = sorted(
    "triage" if p.stem == "__init__" else f"triage.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__main__"
)  # __main__ runs the CLI (and exits) when imported

PROBE = r"""
import importlib, json, sys
before = set(sys.modules)
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
print(json.dumps({"new": sorted(set(sys.modules) - before), "all": sorted(sys.modules)}))
"""


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def test_every_module_of_triage_is_probed():
    assert {
        "triage",
        "triage.api",
        "triage.cli",
        "triage.draft",
        "triage.lint",
        "triage.match",
        "triage.policy",
        "triage.render",
        "triage.route",
        "triage.secrets",
        "triage.text",
        "triage.vocab",
    } <= set(MODULES)


def test_importing_triage_loads_only_the_standard_library():
    # -S: no site-packages on the path at all; -I: isolated (no user site, no PYTHON* variables); the
    # package is found through the working directory only.
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", "import sys; sys.path.insert(0, '.');" + PROBE, json.dumps(MODULES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    allowed = set(sys.stdlib_module_names) | {"triage", "__main__"}  # __main__: the probe itself
    foreign = sorted({name for name in loaded["all"] if _top(name) not in allowed})
    assert not foreign, f"importing triage loaded modules outside the standard library: {foreign}"
    assert {_top(n) for n in loaded["new"]} >= {"triage"}


def test_importing_triage_with_the_venv_on_the_path_loads_nothing_else():
    """The same in the project's interpreter (site-packages available): nothing from it may be pulled in."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(MODULES)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    new = json.loads(proc.stdout)["new"]
    allowed = set(sys.stdlib_module_names) | {"triage"}
    foreign = sorted({n for n in new if _top(n) not in allowed})
    assert not foreign, f"importing triage loaded: {foreign}"


def test_sources_have_no_browser_only_imports():
    bad = re.compile(r"^\s*(?:import|from)\s+(?:js|pyodide|pyodide_js|micropip)\b|\bpyodide\b", re.M)
    hits = [
        f"{p.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}: {m.group().strip()}"
        for p in sorted(PACKAGE.glob("*.py"))
        for text in [p.read_text(encoding="utf-8")]
        for m in bad.finditer(text)
    ]
    assert not hits, "browser-only imports in triage/: " + "; ".join(hits)


#: The one exception: the CLI, run in a checkout, compiles stale policies with the build's own code
#: (imported inside a function, so importing triage.cli never loads it).
LAZY_BUILD_IMPORT = re.compile(r"^[ ]{4,}(?:import sitebuild\b|from sitebuild[\w.]*\s+import)", re.M)


def test_sources_import_only_the_standard_library():
    """Static check as well (catches imports inside functions that the import probe does not run)."""
    imports = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w., ]+))", re.M)
    foreign = []
    for path in sorted(PACKAGE.glob("*.py")):
        for m in imports.finditer(path.read_text(encoding="utf-8")):
            names = [m.group(1)] if m.group(1) else [n.strip().split(" ")[0] for n in m.group(2).split(",")]
            lazy_build = path.name == "cli.py" and LAZY_BUILD_IMPORT.match(m.group().lstrip("\n"))
            for name in names:
                if name.startswith(".") or _top(name) in sys.stdlib_module_names or _top(name) == "triage":
                    continue
                if lazy_build and _top(name) == "sitebuild":
                    continue
                foreign.append(f"{path.name}: {name}")
    assert not foreign, foreign
