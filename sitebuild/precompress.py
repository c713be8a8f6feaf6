"""Pre-compressed copies (.br, .gz) beside the site's compressible files, as static servers serve them.

nginx's gzip_static/brotli_static (see docs/writers/hosting.md) and bench/server.py send `<file>.br` or
`<file>.gz` when the browser accepts it, so nothing is compressed per request.

Every file has a *final* encoding (gzip -9; brotli 11 for the runtime and engine files under assets/,
brotli 9 elsewhere) and a *fast* one (gzip -4, brotli 3, ~10% larger: the whole site in under a second
of CPU on a fresh clone instead of ~35 s, of which ~20 s are brotli 11 on the 9.6 MB Pyodide wasm).
Results are cached in build/cache/compress/ by content hash, so a file is compressed once per machine:

- `precompress()` (the default `build.py`) takes the final encoding from the cache when it is there,
  else writes the fast one and counts the file as pending;
- `upgrade()` (the build's background job, sitebuild/background.py: niced, one at a time per cache as
  it holds build/cache/compress/.lock) makes the final encodings into the cache and swaps each into
  the site it was started for with one rename, as long as that site is the current one (after a newer
  build it stops at the next file; that build took what was cached already);
- `precompress(release=True)` (`build.py --release`: deploys, bench/run.py's byte figures) makes the
  final encodings at once, after waiting for a running upgrade of the same cache.

A concurrent build or server never sees a half-written file: cache entries and site copies are written
under a temporary name and renamed into place; a site copy is a hard link to its cache entry (no cache
entry is ever changed in place), or a copy when the cache is on another file system.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import gzip
import hashlib
import os
import pathlib
import shutil
import threading

try:
    import brotli
except ImportError:  # gzip alone still works; brotli saves ~20% on the runtime
    brotli = None

from .project import file_lock

SUFFIXES = {".wasm", ".mjs", ".js", ".css", ".html", ".json", ".zip", ".whl", ".svg", ".xml", ".txt", ".map", ".bin"}
MIN_SIZE = 1024
#: An encoding is written only when it saves at least 5%.
WORTH = 0.95
#: gzip saves under 3%: the file is compressed already, brotli will not reach the 5% worth serving.
INCOMPRESSIBLE = 0.97
#: Held (exclusive) by the one compressor making final encodings for a cache.
LOCK = ".lock"


@dataclasses.dataclass(frozen=True)
class Encoding:
    suffix: str  # the copy's suffix: "gz" or "br"
    level: int  # gzip level or brotli quality
    kind: str  # the cache's name for it (build/cache/compress/<sha256>.<kind>)

    def encode(self, data: bytes) -> bytes:  # zlib and brotli release the GIL: threads run in parallel
        if self.suffix == "gz":
            return gzip.compress(data, compresslevel=self.level, mtime=0)
        return brotli.compress(data, quality=self.level, lgwin=24)


GZIP_FINAL = Encoding("gz", 9, "gz")
GZIP_FAST = Encoding("gz", 4, "gz4")
BROTLI_FAST = Encoding("br", 3, "br3")


def brotli_quality(rel: pathlib.PurePath, size: int) -> int:
    """Maximum quality pays on the runtime and engine files under assets/ (downloaded by every first
    visitor of the wizard, and made again only with a new Pyodide or engine); pages and the search
    index change with every policy edit, and the 30 MB memory snapshot with every engine change:
    quality 9 is ~15-30x faster there for a few percent (the search index: 0.6 s -> 0.04 s, +7 KB)."""
    if rel.suffix == ".bin":  # the memory snapshot: made again with every engine change
        return 9
    return 11 if 200_000 < size < 16_000_000 and rel.parts[:1] == ("assets",) else 9


def _brotli_kind(quality: int, size: int) -> str:
    """The cache's name for a final brotli encoding: "br" for what earlier builds cached under it
    (quality 11 from 200 KB to 16 MB, 9 otherwise), so existing caches stay valid; "br9" for the files
    of that size kept at quality 9 (outside assets/)."""
    return "br9" if quality == 9 and 200_000 < size < 16_000_000 else "br"


def final_encodings(rel: pathlib.PurePath, size: int) -> list[Encoding]:
    """What a file is served with in the end: gzip first (it tells whether brotli is worth trying)."""
    out = [GZIP_FINAL]
    if brotli:
        quality = brotli_quality(rel, size)
        out.append(Encoding("br", quality, _brotli_kind(quality, size)))
    return out


def fast_encoding(final: Encoding) -> Encoding:
    return GZIP_FAST if final.suffix == "gz" else BROTLI_FAST


def _entry(cache: pathlib.Path, key: str, enc: Encoding) -> pathlib.Path:
    return cache / f"{key}.{enc.kind}"


def _tmp_name(path: pathlib.Path) -> pathlib.Path:
    """A temporary name beside path, private to this process and thread."""
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")


def _cached(cache: pathlib.Path, key: str, data: bytes, enc: Encoding) -> pathlib.Path:
    """The cache entry of data in enc, made (and renamed into place) when missing."""
    path = _entry(cache, key, enc)
    if not path.exists():
        out = enc.encode(data)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = _tmp_name(path)
        tmp.write_bytes(out)
        tmp.replace(path)
    return path


def _place(entry: pathlib.Path, target: pathlib.Path) -> None:
    """Put the cache entry at target in one rename (a hard link: the cache never changes a file in
    place; a copy when the cache is on another file system)."""
    tmp = _tmp_name(target)
    try:
        os.link(entry, tmp)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(entry, tmp)
    os.replace(tmp, target)


def _same_file(a: pathlib.Path, b: pathlib.Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _files(site: pathlib.Path) -> list[pathlib.Path]:
    return [
        path
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.is_symlink() and _compressible(path, path.stat().st_size)
    ]


def _chosen(key: str, rel: pathlib.PurePath, size: int, cache: pathlib.Path, release: bool):
    """[(final encoding, the one to write now)]: the final one if cached (or release), else the fast one."""
    out = []
    for final in final_encodings(rel, size):
        cached = release or _entry(cache, key, final).exists()
        out.append((final, final if cached else fast_encoding(final)))
    return out


def _ready(cache: pathlib.Path, key: str, size: int, chosen) -> bool:
    """Whether every encoding _encodings() will want is cached (nothing to compress)."""
    for _, enc in chosen:
        entry = _entry(cache, key, enc)
        if not entry.exists():
            return False
        if entry.stat().st_size >= size * INCOMPRESSIBLE:
            return True  # _encodings() stops there
    return True


def _encodings(data: bytes, rel: pathlib.PurePath, cache: pathlib.Path, release: bool, key: str | None = None):
    """([(encoding, its cache entry) worth serving], whether a final encoding is still to be made)."""
    key = key or hashlib.sha256(data).hexdigest()
    out, pending = [], False
    for final, enc in _chosen(key, rel, len(data), cache, release):
        pending |= enc != final
        entry = _cached(cache, key, data, enc)
        size = entry.stat().st_size
        if size < len(data) * WORTH:
            out.append((enc, entry))
        elif size >= len(data) * INCOMPRESSIBLE:
            break  # already compressed (the runtime's stdlib zip): brotli 11 would spend ~10 s for nothing
    return out, pending


def _retried(make):
    """make(), again when a fast cache entry vanished under it: a background upgrade removes one once the
    final encoding is in the cache, which the next attempt then takes."""
    for attempt in range(3):
        try:
            return make()
        except FileNotFoundError:
            if attempt == 2:
                raise


def _encode_file(path: pathlib.Path, data: bytes, key: str, site: pathlib.Path, cache: pathlib.Path, release: bool):
    """Write path's .gz/.br; returns (suffixes written, whether a final encoding is still to be made)."""

    def make():
        encodings, pending = _encodings(data, path.relative_to(site), cache, release, key)
        for enc, entry in encodings:
            _place(entry, path.with_name(f"{path.name}.{enc.suffix}"))
        return [enc.suffix for enc, _ in encodings], pending

    return _retried(make)


def warm(files: dict[str, bytes], cache: pathlib.Path, *, release: bool = False) -> None:
    """Put the encodings precompress() will want for files (site path -> bytes) into the cache ahead of it
    (the build does it for the Pyodide runtime while Node runs): the fast ones, or the final ones (release)."""
    todo = [(pathlib.PurePath(rel), data) for rel, data in files.items()]
    todo = [(rel, data) for rel, data in todo if _compressible(rel, len(data))]
    with concurrent.futures.ThreadPoolExecutor(workers()) as pool:
        list(pool.map(lambda item: _retried(lambda: _encodings(item[1], item[0], cache, release)), todo))


def _compressible(rel: pathlib.PurePath, size: int) -> bool:
    return rel.suffix in SUFFIXES and size >= MIN_SIZE


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


#: Encode in worker threads only when there is at least this much to encode: for a few pages (a policy
#: edit) threads cost more than they save, on a busy machine especially.
POOL_MIN_BYTES = 1_000_000


def precompress(site: pathlib.Path, cache: pathlib.Path, *, release: bool = False) -> dict[str, int]:
    """Write .gz (and .br) next to every compressible file of site that gets smaller; returns counts
    ({"gz": n, "br": n, "pending": files still without their final encodings}). release: make the
    final encodings now (waiting for a background compressor of the same cache first: it may be
    making them)."""
    counts = {"gz": 0, "br": 0, "pending": 0}
    files = sorted(_files(site), key=lambda p: -p.stat().st_size)  # the largest first: they take longest
    with contextlib.ExitStack() as stack:
        if release:
            stack.enter_context(file_lock(cache / LOCK, "waiting for the background compressor"))
        cached, to_encode = [], []
        for path in files:
            data = path.read_bytes()
            key = hashlib.sha256(data).hexdigest()
            chosen = _chosen(key, path.relative_to(site), len(data), cache, release)
            ready = _ready(cache, key, len(data), chosen)
            (cached if ready else to_encode).append((path, data, key))
        results = [_encode_file(path, data, key, site, cache, release) for path, data, key in cached]
        if sum(len(data) for _, data, _ in to_encode) >= POOL_MIN_BYTES:
            with concurrent.futures.ThreadPoolExecutor(workers()) as pool:  # zlib and brotli release the GIL
                results += pool.map(lambda job: _encode_file(*job, site, cache, release), to_encode)
        else:
            results += [_encode_file(path, data, key, site, cache, release) for path, data, key in to_encode]
        for written, pending in results:
            for suffix in written:
                counts[suffix] += 1
            counts["pending"] += pending
    return counts


def current(site_dir: pathlib.Path, link: pathlib.Path | None) -> bool:
    """True while site_dir exists and `link` (the site symlink, if any) still points to it."""
    if not site_dir.is_dir():
        return False
    return link is None or _same_file(link, site_dir)


def upgrade(site_dir: pathlib.Path, cache: pathlib.Path, link: pathlib.Path | None = None) -> int:
    """Give every file of site_dir its final encodings (from the cache, or made into it), each swapped in
    with one rename; one file at a time, the smallest first, while site_dir is current. Holds the
    cache's lock (one upgrade at a time per cache). Returns how many copies were replaced."""
    replaced = 0
    with file_lock(cache / LOCK):
        if not current(site_dir, link):
            return 0
        for path in sorted(_files(site_dir), key=lambda p: p.stat().st_size):
            if not current(site_dir, link):
                break
            try:
                data = path.read_bytes()
            except FileNotFoundError:  # removed with its site by a newer build
                break
            key = hashlib.sha256(data).hexdigest()
            for final in final_encodings(path.relative_to(site_dir), len(data)):
                entry = _cached(cache, key, data, final)
                _entry(cache, key, fast_encoding(final)).unlink(missing_ok=True)  # superseded
                target = path.with_name(f"{path.name}.{final.suffix}")
                size = entry.stat().st_size
                if not current(site_dir, link):
                    break
                if size < len(data) * WORTH:
                    if not _same_file(entry, target):
                        with contextlib.suppress(FileNotFoundError):
                            _place(entry, target)
                            replaced += 1
                else:
                    target.unlink(missing_ok=True)  # the fast copy was worth it, the final one is not
                    if size >= len(data) * INCOMPRESSIBLE:
                        break
    return replaced
