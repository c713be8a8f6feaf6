"""Runs inside Pyodide (under Node) at build time: bytecode stdlib subset and a bytecode wheel.

Exercises the engine the way the browser does on the built-in sample (register it, route every sample
request), then writes /build/out/python_stdlib.zip with the .pyc of every stdlib module that was imported
(plus the packages Pyodide needs to install wheels), and /build/out/<wheel> with .pyc beside nothing else.
"""

import importlib.util
import io
import json
import os
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

STDLIB_ZIP = "/lib/python314.zip"
#: Docstrings and asserts are dropped (-OO): smaller downloads; nothing here reads docstrings.
OPTIMIZE = 2
#: Kept although not seen in sys.modules here: zip member names may need cp437. Everything else
#: the engine and wheel installation use is recorded by exercising them above (the wheel is
#: installed with unpackArchive before this script runs); the browser tests run on this subset.
#: (importlib.metadata, email and tarfile serve loadPackage and non-wheel archives: not used here.)
ALWAYS = ("encodings.cp437",)

import triage.api as api  # noqa: E402  (installed from the wheel by compile.mjs)

# Every engine module, so whatever they import at the top is kept even if no sample reaches it
# (the command line is not used in the browser).
for name in sorted(os.listdir(SITE_PACKAGES + "/triage")):  # noqa: F821  (set by compile.mjs)
    if name.endswith(".py") and name not in ("cli.py", "__main__.py"):
        __import__("triage." + name[:-3])

# The built-in sample (sitebuild/browser_assets/samples/), exercised as the browser does; the imports
# made on the way (lazy ones included) are what the subset keeps. A sample the engine fails on would
# leave its code paths out: that stops the build.
for name in sorted(os.listdir("/build/data")):
    if name.endswith(".json") and name != "index.json":
        with open(f"/build/data/{name}", encoding="utf-8") as f:
            api.register_policy(f.read())
with open("/build/samples.json", encoding="utf-8") as f:
    samples = json.load(f)
failed = []
for request in samples:
    for op in ("suggest", "triage"):
        answer = json.loads(api.handle(json.dumps({**request, "op": op})))
        if not answer["ok"]:
            failed.append(f"{op} {request['text'][:60]!r}: {answer['error']}")
for pid in sorted({r["provider"] for r in samples}):
    answer = json.loads(api.handle(json.dumps({"op": "topics", "provider": pid})))
    if not answer["ok"]:
        failed.append(f"topics {pid}: {answer['error']}")
if failed:
    raise RuntimeError("the engine failed on the built-in sample:\n" + "\n".join(failed[:10]))


def flat_lines(code):
    """The code with a location table that gives every instruction its function's first line.
    Line and column tables are ~40% of stdlib bytecode (and of its brotli size); a traceback
    through the stdlib then names the function, not the line. Entries: code 13 ("line only",
    signed varint delta 0) for up to 8 code units each (CPython 3.11+ location table format)."""
    units = len(code.co_code) // 2
    table = bytearray()
    while units > 0:
        n = min(units, 8)
        table += bytes((0x80 | (13 << 3) | (n - 1), 0))
        units -= n
    consts = tuple(flat_lines(c) if isinstance(c, type(code)) else c for c in code.co_consts)
    return code.replace(co_linetable=bytes(table), co_consts=consts)


def pyc(source: bytes, filename: str, lines: bool = True) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=OPTIMIZE)
    if not lines:
        code = flat_lines(code)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


used = set(sys.modules)


def wanted(module: str) -> bool:
    """A used module, a package of a used module, or anything under an ALWAYS prefix."""
    if module in used:
        return True
    return any(module == p or module.startswith(p + ".") for p in ALWAYS)


src = zipfile.ZipFile(STDLIB_ZIP)
names = set(src.namelist())
kept = 0
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:  # stored: br/gz of the whole file compress across modules
    for info in src.infolist():
        path = info.filename
        if not path.endswith(".py"):
            continue  # data files: none is needed by the engine or package loading
        module = path[:-3].replace("/", ".")
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        if not wanted(module):
            continue
        zi = zipfile.ZipInfo(path + "c", date_time=info.date_time)
        zi.compress_type = zipfile.ZIP_STORED
        dst.writestr(zi, pyc(src.read(info), f"{STDLIB_ZIP}/{path}", lines=False))  # the engine keeps its lines
        kept += 1
with open("/build/out/python_stdlib.zip", "wb") as f:
    f.write(out.getvalue())

# The engine's own wheel, bytecode only (same layout, RECORD rewritten without hashes for .pyc).
wheel_out = io.BytesIO()
pkg_dir = os.path.join(SITE_PACKAGES, "triage")  # noqa: F821  (set by compile.mjs)
with zipfile.ZipFile(wheel_out, "w", zipfile.ZIP_STORED) as dst:  # br/gz compress across files
    record = []
    for name in sorted(os.listdir(pkg_dir)):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(pkg_dir, name), "rb") as f:
            data = pyc(f.read(), f"{pkg_dir}/{name}")
        arc = f"triage/{name}c"
        zi = zipfile.ZipInfo(arc, date_time=(1980, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_STORED
        dst.writestr(zi, data)
        record.append(f"{arc},,")
    dist = [d for d in os.listdir(SITE_PACKAGES) if d.startswith("triage-") and d.endswith(".dist-info")][0]  # noqa: F821
    for meta in ("METADATA", "WHEEL"):
        with open(os.path.join(SITE_PACKAGES, dist, meta), "rb") as f:  # noqa: F821
            zi = zipfile.ZipInfo(f"{dist}/{meta}", date_time=(1980, 1, 1, 0, 0, 0))
            dst.writestr(zi, f.read())
        record.append(f"{dist}/{meta},,")
    record.append(f"{dist}/RECORD,,")
    dst.writestr(zipfile.ZipInfo(f"{dist}/RECORD", date_time=(1980, 1, 1, 0, 0, 0)), "\n".join(record) + "\n")
with open(f"/build/out/{WHEEL_NAME}", "wb") as f:  # noqa: F821
    f.write(wheel_out.getvalue())

json.dumps({"stdlib_modules": kept, "stdlib_bytes": len(out.getvalue()), "wheel_bytes": len(wheel_out.getvalue())})
