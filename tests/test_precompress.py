"""Pre-compressed copies (sitebuild/precompress.py) and the build's background job (sitebuild/background.py):
fast encodings first, the final ones from the cache or made in the background and swapped in whole,
`--release` waits for them, and no job outlives the build's callers."""

from __future__ import annotations

import gzip
import hashlib
import os
import pathlib
import random
import shutil
import subprocess
import sys
import threading
import time

import brotli
import pytest

from sitebuild import background, precompress

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _text(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = ["хостинг", "почта", "сервер", "домен", "тикет", "support", "панель", "оплата"]
    return " ".join(rng.choice(words) + str(rng.randrange(50)) for _ in range(n)).encode()


@pytest.fixture
def site(tmp_path) -> pathlib.Path:
    """A small site: a page, a 300 KB runtime-like file under assets/ (final: brotli 11), an incompressible file."""
    root = tmp_path / "build" / "site-1"
    (root / "assets" / "runtime").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<html>" + _text(800, 1) + b"</html>")
    (root / "assets" / "runtime" / "engine.wasm").write_bytes(_text(40_000, 2)[:300_000])
    (root / "assets" / "runtime" / "packed.zip").write_bytes(random.Random(3).randbytes(50_000))
    (root / "tiny.js").write_bytes(b"let x = 1;\n")  # under MIN_SIZE: no copies
    return root


def _decoded(path: pathlib.Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else brotli.decompress(data)


def _final_br(path: pathlib.Path, site: pathlib.Path) -> bytes:
    data = path.read_bytes()
    return brotli.compress(data, quality=precompress.brotli_quality(path.relative_to(site), len(data)), lgwin=24)


def test_fast_build_writes_valid_copies_and_counts_what_is_pending(site, tmp_path):
    cache = tmp_path / "cache"
    counts = precompress.precompress(site, cache)
    assert counts == {"gz": 2, "br": 2, "pending": 3}
    for name in ("index.html", "assets/runtime/engine.wasm"):
        for suffix in ("gz", "br"):
            copy = site / f"{name}.{suffix}"
            assert _decoded(copy) == (site / name).read_bytes(), copy
    assert not list(site.glob("assets/runtime/packed.zip.*")) and not list(site.glob("tiny.js.*"))
    wasm = site / "assets" / "runtime" / "engine.wasm.br"
    assert wasm.read_bytes() != _final_br(site / "assets" / "runtime" / "engine.wasm", site)  # fast, not final
    assert {p.suffix for p in cache.iterdir()} == {".gz4", ".br3"}


def test_release_writes_the_final_encodings_and_later_builds_take_them_from_the_cache(site, tmp_path):
    cache = tmp_path / "cache"
    counts = precompress.precompress(site, cache, release=True)
    assert counts["pending"] == 0
    wasm = site / "assets" / "runtime" / "engine.wasm"
    assert (site / "assets/runtime/engine.wasm.br").read_bytes() == brotli.compress(
        wasm.read_bytes(), quality=11, lgwin=24
    )
    assert (site / "index.html.gz").read_bytes() == gzip.compress((site / "index.html").read_bytes(), 9, mtime=0)
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    assert precompress.precompress(again, cache)["pending"] == 0  # a default build: finals from the cache
    wasm_br = "assets/runtime/engine.wasm.br"
    assert (again / wasm_br).read_bytes() == (site / wasm_br).read_bytes()


def test_upgrade_swaps_each_final_copy_in_whole_while_readers_read(site, tmp_path):
    cache = tmp_path / "cache"
    precompress.precompress(site, cache)
    link = tmp_path / "site"
    link.symlink_to(site, target_is_directory=True)
    copies = sorted(site.rglob("*.br")) + sorted(site.rglob("*.gz"))
    originals = {c: (c.parent / c.stem).read_bytes() for c in copies}
    bad: list[str] = []
    stop = threading.Event()

    def read() -> None:  # a server reading the copies while they are replaced: never a partial file
        while not stop.is_set():
            for copy in copies:
                try:
                    if _decoded(copy) != originals[copy]:
                        bad.append(copy.name)
                except Exception as exc:  # noqa: BLE001 - any failure to decode is the bug
                    bad.append(f"{copy.name}: {exc!r}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        replaced = precompress.upgrade(site, cache, link)
    finally:
        stop.set()
        reader.join()
    assert not bad
    assert replaced == 4
    for copy in site.rglob("*.br"):
        assert copy.read_bytes() == _final_br(copy.parent / copy.stem, site)
    assert not [p for p in cache.iterdir() if p.suffix in (".gz4", ".br3")]  # superseded fast entries go
    assert not [p for p in site.rglob("*.tmp")]


def test_upgrade_of_a_site_that_is_no_longer_current_changes_nothing(site, tmp_path):
    cache = tmp_path / "cache"
    precompress.precompress(site, cache)
    newer = tmp_path / "build" / "site-2"
    newer.mkdir()
    link = tmp_path / "site"
    link.symlink_to(newer, target_is_directory=True)
    before = {p: p.read_bytes() for p in site.rglob("*.br")}
    assert precompress.upgrade(site, cache, link) == 0
    assert {p: p.read_bytes() for p in site.rglob("*.br")} == before


# --- the build and its background job ---------------------------------------------------------------


def _project(tmp_path: pathlib.Path) -> pathlib.Path:
    """A built copy of the project (background off) with its own compression cache in which every
    file of the site has its final encodings (seeded with fast ones under the final names, so that
    the test does not spend a minute on brotli 11); the bytecode cache is the checkout's."""
    from tests.test_build import copy_sources, run

    project = tmp_path / "project"
    project.mkdir()
    copy_sources(project)
    (project / "build" / "cache").unlink()
    cache = project / "build" / "cache"
    cache.mkdir()
    for entry in (ROOT / "build" / "cache").glob("bytecode-*"):
        (cache / entry.name).symlink_to(entry, target_is_directory=True)
    proc = run(project, "build.py")
    assert proc.returncode == 0, proc.stderr
    site = (project / "site").resolve()
    for path in precompress._files(site):
        data = path.read_bytes()
        key = hashlib.sha256(data).hexdigest()
        for final in precompress.final_encodings(path.relative_to(site), len(data)):
            fast = precompress._entry(cache / "compress", key, precompress.fast_encoding(final))
            if fast.exists():
                shutil.copyfile(fast, precompress._entry(cache / "compress", key, final))
    return project


def _edit(project: pathlib.Path, marker: str) -> None:
    policy = project / "providers" / "landvps.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("\n  name: LandVPS\n", f"\n  name: LandVPS {marker}\n", 1), encoding="utf-8")


def _jobs(project: pathlib.Path) -> list[str]:
    """Command lines of running background jobs of this project."""
    out = []
    for cmdline in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"sitebuild.background" in args and any(str(project).encode() in a for a in args):
            out.append(b" ".join(args).decode(errors="replace"))
    return out


def _gone(project: pathlib.Path, timeout: float = 10) -> bool:
    end = time.monotonic() + timeout
    while _jobs(project):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> pathlib.Path:
    return _project(tmp_path_factory.mktemp("bg"))


def _build(seeded: pathlib.Path, tmp_path: pathlib.Path, *args: str, edit: str = "", also=None, **env: str):
    """A copy of the seeded project (with `edit` in a policy, and whatever `also(project)` changes), built with
    `build.py ARGS` and background jobs enabled."""
    project = tmp_path / "p"
    shutil.copytree(seeded, project, symlinks=True)
    if edit:
        _edit(project, edit)
    if also:
        also(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", background.ENV: "1", **env}
    proc = subprocess.run(
        [sys.executable, "build.py", *args], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return project, proc


def _wait_for_jobs(project: pathlib.Path, timeout: float) -> None:
    """Every background job of the project has ended: its lock is released, then its process exits."""
    waiter = threading.Thread(target=background.wait, args=(project / "build",), daemon=True)
    waiter.start()
    waiter.join(timeout=timeout)
    assert not waiter.is_alive(), f"the background job did not end within {timeout} s"
    assert _gone(project), _jobs(project)  # the lock goes with the job's last step: its exit follows


def test_a_build_leaves_the_final_encodings_to_a_job_that_ends(seeded, tmp_path):
    project, proc = _build(seeded, tmp_path, edit="фоновое сжатие")
    assert "in the background: maximum compression of .br/.gz" in proc.stderr
    assert "bytecode" not in proc.stderr  # cached: the site has it from the start
    page = project / "site" / "providers" / "landvps" / "index.html"
    assert "фоновое сжатие" in page.read_text(encoding="utf-8")
    assert _decoded(page.with_name("index.html.br")) == page.read_bytes()  # fast, and valid from the start
    _wait_for_jobs(project, 120)
    assert page.with_name("index.html.br").read_bytes() == _final_br(page, project / "site")
    assert (project / "build" / "background.log").read_text(encoding="utf-8") == ""
    # The previous version was renamed at once (the swap) and removed by the job.
    left = sorted(p.name for p in (project / "build").iterdir() if p.name.startswith(("site-", ".trash-")))
    assert left == [os.readlink(project / "site").split("/")[-1]]


def test_release_waits_for_the_final_encodings_and_starts_no_job(seeded, tmp_path):
    project, proc = _build(seeded, tmp_path, "--release", edit="выпуск")
    assert "in the background" not in proc.stderr and _jobs(project) == []
    site = (project / "site").resolve()
    page = site / "providers" / "landvps" / "index.html"  # changed by the edit: not in the seeded cache
    assert "выпуск" in page.read_text(encoding="utf-8")
    assert page.with_name("index.html.br").read_bytes() == _final_br(page, site)
    assert page.with_name("index.html.gz").read_bytes() == gzip.compress(page.read_bytes(), 9, mtime=0)


FAKE_NODE = """#!/bin/sh
# Stands in for node (compile.mjs ARGS; $6 is the output folder): copies the checkout's cached
# bytecode, snapshot and report, as a real run would make them, after a moment.
sleep 1
mkdir -p "$6" && cp "$REAL_BYTECODE"/* "$6"/ && cat "$REAL_BYTECODE/report.json" && echo
"""


def test_a_fresh_clone_builds_plain_at_once_and_the_job_rebuilds_it_with_the_bytecode(seeded, tmp_path):
    """Without cached bytecode (here: a changed Pyodide-side script) the build does not wait for Node:
    the wizard gets the plain start-up, and the background job runs Node and rebuilds the site."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "node").write_text(FAKE_NODE, encoding="utf-8")
    (fake_bin / "node").chmod(0o755)
    real = sorted((ROOT / "build" / "cache").glob("bytecode-*/snapshot.bin"))
    assert real, "the checkout has no cached bytecode (run python build.py once)"

    def new_bytecode_key(project: pathlib.Path) -> None:  # a changed Pyodide-side script
        with (project / "sitebuild" / "browser_assets" / "pyodide" / "snapshot_prep.py").open("a") as f:
            f.write("# changed: the bytecode cache key changes\n")

    project, proc = _build(
        seeded,
        tmp_path,
        also=new_bytecode_key,
        PATH=f"{fake_bin}:{os.environ['PATH']}",
        REAL_BYTECODE=str(real[0].parent),
    )
    assert "in the background: the wizard's bytecode" in proc.stderr
    wizard = project / "site" / "wizard" / "index.html"
    assert "snapshot." not in wizard.read_text(encoding="utf-8")  # the plain start-up, served at once
    _wait_for_jobs(project, 240)
    log = (project / "build" / "background.log").read_text(encoding="utf-8")
    assert "rebuilt" in log and "stopped" not in log, log
    html = wizard.read_text(encoding="utf-8")
    assert "snapshot." in html and "bytecode" in html  # rebuilt with the bytecode
    assert not [p for p in (project / "build").iterdir() if p.name.startswith("stage-")]


def test_a_build_meeting_an_upgrade_takes_the_final_encoding_when_the_fast_one_vanishes(site, tmp_path, monkeypatch):
    """The background upgrade removes a fast entry once the final one is cached; a build that chose the
    fast one just before finds it gone and takes the final one instead of failing."""
    cache = tmp_path / "cache"
    precompress.precompress(site, cache)  # fast entries cached
    page = site / "index.html"
    key = hashlib.sha256(page.read_bytes()).hexdigest()
    finals = precompress.final_encodings(pathlib.PurePath("index.html"), page.stat().st_size)
    real_place = precompress._place
    raced = []

    def racing_place(entry, target):  # the upgrade runs between the build's choice and its link
        if not raced and entry.name == f"{key}.gz4":  # the page's fast gzip, about to be linked
            raced.append(entry.name)
            precompress.upgrade(site, cache)
        real_place(entry, target)

    monkeypatch.setattr(precompress, "_place", racing_place)
    again = tmp_path / "again"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    (again / "index.html").write_bytes(page.read_bytes())
    shutil.rmtree(site / "assets")  # the upgrade above then has only the page to do
    counts = precompress.precompress(again, cache)
    assert raced
    assert (again / "index.html.gz").read_bytes() == precompress._entry(cache, key, finals[0]).read_bytes()
    assert counts["gz"] >= 1
