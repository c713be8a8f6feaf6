"""Pre-compressed copies (.br, .gz) beside the site's compressible files, as static servers serve them.

nginx's gzip_static/brotli_static (see docs/writers/hosting.md) and bench/server.py send `<file>.br` or
`<file>.gz` when the browser accepts it, so nothing is compressed per request. Results are cached in
build/cache/compress/ by content hash: the Pyodide runtime is compressed once per machine.
"""

from __future__ import annotations

import gzip
import hashlib
import pathlib

try:
    import brotli
except ImportError:  # gzip alone still works; brotli saves ~20% on the runtime
    brotli = None

SUFFIXES = {".wasm", ".mjs", ".js", ".css", ".html", ".json", ".zip", ".whl", ".svg", ".xml", ".txt", ".map", ".bin"}
MIN_SIZE = 1024


def _cached(cache: pathlib.Path, data: bytes, kind: str, make) -> bytes:
    key = hashlib.sha256(data).hexdigest()
    path = cache / f"{key}.{kind}"
    if path.exists():
        return path.read_bytes()
    out = make(data)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(out)
    tmp.replace(path)
    return out


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _brotli(data: bytes, snapshot: bool = False) -> bytes:
    # Maximum quality pays on the runtime files (downloaded by every first visitor); pages are many
    # and small, and the 30 MB memory snapshot changes with every engine change: quality 9 is ~30x
    # faster there for a few percent.
    best = 200_000 < len(data) < 16_000_000 and not snapshot
    return brotli.compress(data, quality=11 if best else 9, lgwin=24)


def precompress(site: pathlib.Path, cache: pathlib.Path) -> dict[str, int]:
    """Write .gz (and .br) next to every compressible file that gets smaller; returns counts."""
    counts = {"gz": 0, "br": 0}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES or path.stat().st_size < MIN_SIZE:
            continue
        data = path.read_bytes()
        # The memory snapshot (.bin) changes with every engine change: quality 9 keeps builds quick.
        snapshot = path.suffix == ".bin"
        encoders = [("gz", _gzip)] + ([("br", lambda d, s=snapshot: _brotli(d, s))] if brotli else [])
        for kind, make in encoders:
            out = _cached(cache, data, kind, make)
            if len(out) < len(data) * 0.95:
                path.with_name(path.name + "." + kind).write_bytes(out)
                counts[kind] += 1
    return counts
