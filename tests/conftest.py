"""Shared fixtures: the provider policies compiled in-process from providers/*.yaml (no build needed)."""

from __future__ import annotations

import functools
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # also works with plain `pytest`, not only `python -m pytest`
    sys.path.insert(0, str(ROOT))

from sitebuild import compile as C  # noqa: E402
from sitebuild import load as P  # noqa: E402
from triage import Policy  # noqa: E402


@functools.lru_cache(maxsize=1)
def compiled_policies() -> dict[str, dict]:
    """{provider id: compiled policy JSON (as a dict)}, compiled once per process from providers/."""
    policies, lexicon, problems, _positions = P.load_all(ROOT, ROOT / "providers")
    if problems:
        raise RuntimeError("providers/*.yaml do not validate:\n" + "\n".join(map(str, problems)))
    return {pid: C.compiled(data, lexicon) for pid, data in sorted(policies.items())}


@pytest.fixture(scope="session")
def policies() -> dict[str, Policy]:
    """{provider id: Policy} for every providers/<id>.yaml (each from a JSON round trip, as the engine reads it)."""
    return {pid: Policy.from_json(C.to_json(data)) for pid, data in compiled_policies().items()}


@pytest.fixture(scope="session")
def compiled_data_dir(tmp_path_factory) -> pathlib.Path:
    """A --data folder with <id>.json for every provider, written from the in-process compile."""
    out = tmp_path_factory.mktemp("data")
    for pid, data in compiled_policies().items():
        (out / f"{pid}.json").write_text(C.to_json(data), encoding="utf-8")
    return out
