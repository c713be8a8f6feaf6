"""Generated files under docs/: pages, the engine's data, the browser assets, the search worker.

Every generated path is listed in docs/.generated (all git-ignored); anything else in docs/ is
hand-written. Files are written only when they change, and ones no longer generated are removed.
"""

from __future__ import annotations

import pathlib

from . import browser_assets, pages, searchru
from .check import Checked
from .data import data_files
from .project import Project, write_if_changed

#: Generated paths inside docs/ (all git-ignored); anything else in docs/ is hand-written.
MANIFEST = ".generated"


def install(target_docs: pathlib.Path, files: dict[str, str | bytes]) -> None:
    """Write generated files (only those that changed) and remove ones no longer generated."""
    manifest = target_docs / MANIFEST
    old = set(manifest.read_text(encoding="utf-8").split()) if manifest.exists() else set()
    for rel, content in files.items():
        write_if_changed(target_docs / rel, content)
    for rel in sorted(old - set(files)):
        stale = target_docs / rel
        if stale.is_file():
            stale.unlink()
    write_if_changed(manifest, "\n".join(sorted(files)) + "\n")


def generate(
    project: Project, checked: Checked, target_docs: pathlib.Path, assets: browser_assets.Assets | None = None
) -> dict[str, str | bytes]:
    """Write every generated file into target_docs; returns them (path -> content) for reuse.

    assets: the browser-assets stage's output, if the caller has it (`serve` keeps it between policy
    edits: it depends on the engine and the runtime only); by default the stage runs (cached)."""
    files_assets, paths = assets if assets is not None else browser_assets.build(project)
    files: dict[str, str | bytes] = dict(pages.render_pages(project.templates, checked.policies, project.root, paths))
    for name, text in data_files(checked.compiled).items():
        files[f"data/{name}"] = text
    files.update(files_assets)
    # The search wrapper writes itself; record it in the manifest with the rest.
    rel = searchru.write_search_worker(target_docs)
    files[rel] = (target_docs / rel).read_bytes()
    install(target_docs, files)
    return files
