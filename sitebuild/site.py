"""`build.py` (the default command): check, generate into a staging copy of docs/, `mkdocs build
--strict` there, pre-compress, and only then install the generated docs and swap the site in.

The site is a symlink (`site` -> `build/site-<n>`) replaced in one rename, so there is never a moment
without a complete site/; older versions are removed after the swap. Staging directories live in
build/stage-* and any left by a killed build are removed when the next build starts. One build at a
time per checkout (build/.lock).
"""

from __future__ import annotations

import logging
import os
import pathlib
import re
import shutil
import sys
import tempfile

from . import precompress
from .browser_assets import bytecode
from .check import check, report
from .data import write_json_schemas
from .errors import MkdocsError
from .generate import generate, install
from .project import Project, file_lock

STAGE_PREFIX = "stage-"


def build_lock(project: Project):
    """Hold build/.lock (exclusive): a second build in the same checkout waits for the first."""
    return file_lock(project.build / ".lock", "another build is running in this checkout; waiting for it")


def remove_stale_stages(project: Project) -> None:
    """Staging left by a killed build (we hold the lock, so none of them is in use)."""
    node_busy = bytecode.node_running(project.root)  # `serve` makes the bytecode in the background
    for path in project.build.glob(STAGE_PREFIX + "*"):
        if node_busy and path.name.startswith(STAGE_PREFIX + "node-"):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


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
        mk_build.build(config)
    except MkDocsException as exc:  # strict mode turns warnings into Abort
        raise MkdocsError(f"mkdocs build failed: {exc}; site/ and docs/ were left as they were") from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(shown)


def versions_dir(project: Project, site: pathlib.Path) -> pathlib.Path:
    """Where the site's versions live: build/ for a site in the checkout, else beside the site."""
    return project.build if site.parent == project.root else site.parent


def swap_in(new_site: pathlib.Path, site: pathlib.Path, versions: pathlib.Path) -> pathlib.Path:
    """Make `site` a symlink to new_site (moved to versions/<name>-<n>) in one rename; remove older versions."""
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
            shutil.rmtree(path, ignore_errors=True)
    legacy = site.with_name(site.name + ".old")  # from the old two-rename swap
    if legacy.is_dir() and not legacy.is_symlink():
        shutil.rmtree(legacy, ignore_errors=True)
    return target


def build_command(project: Project, site_dir: str = "site") -> int:
    """Check, generate into a staging copy, build the site there, and only then swap it in."""
    site = pathlib.Path(site_dir) if pathlib.Path(site_dir).is_absolute() else project.root / site_dir
    with build_lock(project):
        remove_stale_stages(project)
        checked = check(project)
        if checked.problems:
            report(checked.problems)
            return 1
        with tempfile.TemporaryDirectory(prefix=STAGE_PREFIX, dir=project.build) as stage_name:
            stage = pathlib.Path(stage_name)
            stage_docs = stage / "docs"
            # The manifest comes along so that generate() removes pages no longer generated (a deleted
            # provider) from the staging copy too; MkDocs skips dot files, so it is not published.
            shutil.copytree(project.docs, stage_docs, ignore=shutil.ignore_patterns("*.tmp"))
            files = generate(project, checked, stage_docs)
            stage_site = stage / "site"
            mkdocs_build(project, stage_docs, stage_site)
            precompress.precompress(stage_site, project.cache / "compress")
            # Success: install the generated docs, then swap the site in.
            install(project.docs, files)
            write_json_schemas(project)
            swap_in(stage_site, site, versions_dir(project, site))
    shown = site.relative_to(project.root) if site.is_relative_to(project.root) else site
    print(f"ok: built {len(checked.policies)} providers into {shown}")
    return 0
