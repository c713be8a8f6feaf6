"""`build.py` (the default command): check, generate into a staging copy of docs/, `mkdocs build
--strict` there, pre-compress, and only then install the generated docs and swap the site in.

The site is a symlink (`site` -> `build/site-<n>`) replaced in one rename, so there is never a moment
without a complete site/; older versions are removed after the swap. Staging directories live in
build/stage-* and any left by a killed build are removed when the next build starts. One build at a
time per checkout (build/.lock).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pathlib
import re
import shutil
import sys
import tempfile
import threading

from . import background, browser_assets, children, precompress
from .browser_assets import bytecode, runtime
from .check import check, report
from .data import write_json_schemas
from .errors import MkdocsError
from .generate import generate, install
from .project import Project, file_lock

STAGE_PREFIX = "stage-"
#: Old site versions renamed for the background job to remove (left by a killed job: the next build does).
TRASH_PREFIX = ".trash-"


def build_lock(project: Project):
    """Hold build/.lock (exclusive): a second build in the same checkout waits for the first."""
    return file_lock(project.build / ".lock", "another build is running in this checkout; waiting for it")


def remove_stale_stages(project: Project) -> None:
    """Staging left by a killed build (we hold the lock, so none of them is in use)."""
    node_busy = bytecode.node_running(project.root)  # `serve` makes the bytecode in the background
    for path in project.build.glob(TRASH_PREFIX + "*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in project.build.glob(STAGE_PREFIX + "*"):
        if node_busy and path.name.startswith(STAGE_PREFIX + "node-"):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def with_bytecode_cache(theme, root: pathlib.Path) -> None:
    """Let the theme's Jinja environments keep their compiled templates in build/cache/jinja: compiling
    Material's templates is ~0.2 s of every build. theme: a mkdocs Theme, or the class (mkdocs serve)."""
    from .pages import jinja_cache

    get_env = theme.get_env

    def cached_env(*args):
        env = get_env(*args)
        env.bytecode_cache = jinja_cache(root)
        return env

    theme.get_env = cached_env


def mkdocs_build(project: Project, docs_dir: pathlib.Path, site_dir: pathlib.Path) -> None:
    from mkdocs.commands import build as mk_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # Outside its CLI MkDocs only counts its warnings; show them, or a failed build never says why.
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("mkdocs %(levelname)s: %(message)s"))
    logging.getLogger("mkdocs").addHandler(shown)
    try:
        config = load_config(
            str(project.root / "mkdocs.yml"), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True
        )
        with_bytecode_cache(config.theme, project.root)
        mk_build.build(config)
    except MkDocsException as exc:  # strict mode turns warnings into Abort
        raise MkdocsError(f"mkdocs build failed: {exc}; site/ and docs/ were left as they were") from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(shown)


def versions_dir(project: Project, site: pathlib.Path) -> pathlib.Path:
    """Where the site's versions live: build/ for a site in the checkout, else beside the site."""
    return project.build if site.parent == project.root else site.parent


def swap_in(
    new_site: pathlib.Path, site: pathlib.Path, versions: pathlib.Path, discard: list[pathlib.Path] | None = None
) -> pathlib.Path:
    """Make `site` a symlink to new_site (moved to versions/<name>-<n>) in one rename; remove older versions
    (discard: a list to put them in instead, renamed to versions/.trash-*, for the caller to remove)."""
    pattern = re.compile(rf"{re.escape(site.name)}-(\d+)")
    versions.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in versions.iterdir() if (m := pattern.fullmatch(p.name))]
    target = versions / f"{site.name}-{max(numbers, default=0) + 1}"
    shutil.move(new_site, target)
    link = site.with_name(f".{site.name}.new-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, site.parent), target_is_directory=True)
    if site.is_dir() and not site.is_symlink():
        # A site/ directory from before versioned builds: a directory cannot be replaced by a
        # symlink in one rename, so this once (the first build after the update) it moves aside first.
        site.rename(versions / f"{site.name}-0")
    os.replace(link, site)
    for path in versions.iterdir():
        if pattern.fullmatch(path.name) and path != target:
            if discard is None:
                shutil.rmtree(path, ignore_errors=True)
            else:  # removing 50 MB can take a tenth of a second: the background job does it
                trash = versions / f"{TRASH_PREFIX}{path.name}-{os.getpid()}"
                path.rename(trash)
                discard.append(trash)
    legacy = site.with_name(site.name + ".old")  # from the old two-rename swap
    if legacy.is_dir() and not legacy.is_symlink():
        shutil.rmtree(legacy, ignore_errors=True)
    return target


class AssetsThread:
    """The browser assets; made in a worker thread when Node must run, so that the main thread checks the
    policies meanwhile.

    node=True: browser_assets.build() (runs Node when the bytecode is not cached: the thread waits for
    its child). node=False: the cached bytecode, or else the plain start-up (`plain` is then True) for
    the background job to replace. Leaving the block with an exception (Ctrl+C, SIGTERM) kills Node
    and waits for the thread to clean up its staging."""

    def __init__(self, project: Project, node: bool) -> None:
        self.project = project
        self.node = node
        self.plain = False
        self.result: browser_assets.Assets | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="browser-assets", daemon=True)

    def _run(self) -> None:
        try:
            if self.node:
                self.result = browser_assets.build(self.project)
            else:
                self.result = browser_assets.cached(self.project)
                if self.result is None:
                    bytecode.node_path()  # the background job would fail without it: say so now
                    self.result, self.plain = browser_assets.plain(self.project), True
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by wait()
            self._error = exc

    def __enter__(self) -> AssetsThread:
        if not self.node:
            self._run()  # from the cache (~0.05 s) or the plain start-up: a thread would only contend for the GIL
        else:
            try:
                self.result = browser_assets.cached(self.project)
            except BaseException as exc:  # noqa: BLE001 - raised by wait(), after check has reported
                self._error = exc
            if self.result is None and self._error is None:
                self._thread.start()  # Node waits for its child: the main thread checks the policies meanwhile
        return self

    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        children.kill_all()
        if self._thread.ident is not None:
            self._thread.join()

    def wait(self) -> browser_assets.Assets:
        if self._thread.ident is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self.result

    def __exit__(self, exc_type, *_):
        if exc_type is not None:
            self.stop()
        return False


def link_or_copy(src: str, dst: str) -> None:
    """The staging copy of docs/ is hard links (30 MB of assets not copied): the build only reads it and
    replaces files in it by renames (write_if_changed); MkDocs copies what it publishes into the site."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@dataclasses.dataclass
class Built:
    target: pathlib.Path  # the new version the site link points to (build/site-<n>)
    providers: int
    pending: int  # files served with fast compression: their final encodings are still to be made
    plain: bool  # the wizard has the plain start-up: its bytecode is still to be made
    trash: list[pathlib.Path]  # previous versions, renamed, still to be removed (keep_old)


def build_site(
    project: Project, site: pathlib.Path, *, release: bool = False, node: bool = True, keep_old: bool = False
) -> Built | None:
    """Check, generate into a staging copy, build the site there, and only then swap it in; None when
    check found problems (reported). release: make the final .br/.gz now (else fast ones); node: run
    Node when the bytecode is not cached (else the plain start-up, for the background job to replace);
    keep_old: leave the previous versions (renamed, in Built.trash) for the caller to remove."""
    cache = project.cache / "compress"
    with build_lock(project):
        remove_stale_stages(project)
        # The browser assets depend on the engine only: when Node must make them, it runs while check does.
        with AssetsThread(project, node) as assets:
            checked = check(project)
            if checked.problems:
                assets.stop()
                report(checked.problems)
                return None
            if assets.running():  # Node is making the bytecode: compress the runtime meanwhile
                precompress.warm(runtime.runtime_files(project.root), cache, release=release)
            assets.wait()
        with tempfile.TemporaryDirectory(prefix=STAGE_PREFIX, dir=project.build) as stage_name:
            stage = pathlib.Path(stage_name)
            stage_docs = stage / "docs"
            # The manifest comes along so that generate() removes pages no longer generated (a deleted
            # provider) from the staging copy too; MkDocs skips dot files, so it is not published.
            shutil.copytree(
                project.docs, stage_docs, ignore=shutil.ignore_patterns("*.tmp"), copy_function=link_or_copy
            )
            files = generate(project, checked, stage_docs, assets.result)
            stage_site = stage / "site"
            mkdocs_build(project, stage_docs, stage_site)
            counts = precompress.precompress(stage_site, cache, release=release)
            # Success: install the generated docs, then swap the site in.
            install(project.docs, files)
            write_json_schemas(project)
            trash: list[pathlib.Path] = []
            target = swap_in(stage_site, site, versions_dir(project, site), trash if keep_old else None)
    return Built(target, len(checked.policies), counts["pending"], assets.plain, trash)


def build_command(project: Project, site_dir: str = "site", release: bool = False) -> int:
    """`build.py`: build_site(), and leave what is slow and does not depend on the policies to a background
    job (sitebuild/background.py); release (`--release`): wait for all of it (deploys)."""
    site = pathlib.Path(site_dir) if pathlib.Path(site_dir).is_absolute() else project.root / site_dir
    in_background = background.enabled() and not release
    built = build_site(project, site, release=release, node=not in_background, keep_old=in_background)
    if built is None:
        return 1
    later_work = built.plain or built.pending > 0
    job = (later_work or built.trash) and background.start(
        project, built.target, site, node=built.plain, upgrade=built.pending > 0, remove=built.trash
    )
    if not job:
        for path in built.trash:
            shutil.rmtree(path, ignore_errors=True)
    if job and later_work:
        later = ["maximum compression of .br/.gz"] if built.pending else []
        if built.plain:
            later.insert(0, "the wizard's bytecode (it starts without it until the site is rebuilt)")
        print(
            f"in the background: {' and '.join(later)} (log: build/{background.LOG}); "
            "`python build.py --release` waits for them instead",
            file=sys.stderr,
        )
    shown = site.relative_to(project.root) if site.is_relative_to(project.root) else site
    print(f"ok: built {built.providers} providers into {shown}")
    return 0
