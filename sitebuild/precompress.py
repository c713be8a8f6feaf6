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
#: gzip -9 saves under 3%: the file is compressed already, brotli will not reach the 5% worth serving.
INCOMPRESSIBLE = 0.97


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


def _brotli(data: bytes, quality: int) -> bytes:
    return brotli.compress(data, quality=quality, lgwin=24)


def brotli_quality(rel: pathlib.PurePath, size: int) -> int:
    """Maximum quality pays on the runtime and engine files under assets/ (downloaded by every first
    visitor of the wizard, and made again only with a new Pyodide or engine); pages and the search
    index change with every policy edit, and the 30 MB memory snapshot with every engine change:
    quality 9 is ~15-30x faster there for a few percent (the search index: 0.6 s -> 0.04 s, +7 KB)."""
    if rel.suffix == ".bin":  # the memory snapshot: made again with every engine change
        return 9
    return 11 if 200_000 < size < 16_000_000 and rel.parts[:1] == ("assets",) else 9


def _brotli_kind(quality: int, size: int) -> str:
    """The cache's name for an encoding: "br" for what earlier builds cached under it (quality 11 from
    200 KB to 16 MB, 9 otherwise), so existing caches stay valid; "br9" for the files of that size now
    kept at quality 9 (outside assets/)."""
    return "br9" if quality == 9 and 200_000 < size < 16_000_000 else "br"


def precompress(site: pathlib.Path, cache: pathlib.Path) -> dict[str, int]:
    """Write .gz (and .br) next to every compressible file that gets smaller; returns counts."""
    counts = {"gz": 0, "br": 0}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES or path.stat().st_size < MIN_SIZE:
            continue
        data = path.read_bytes()
        quality = brotli_quality(path.relative_to(site), len(data))
        encoders = [("gz", _gzip)]
        if brotli:
            encoders.append((_brotli_kind(quality, len(data)), lambda d, q=quality: _brotli(d, q)))
        for kind, make in encoders:
            out = _cached(cache, data, kind, make)
            if len(out) < len(data) * 0.95:
                suffix = kind.rstrip("0123456789")
                path.with_name(path.name + "." + suffix).write_bytes(out)
                counts[suffix] += 1
            elif len(out) >= len(data) * INCOMPRESSIBLE:
                break  # already compressed (the runtime's stdlib zip): brotli would spend ~10 s for nothing
    return counts
