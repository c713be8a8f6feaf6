"""Shared fixtures: the provider policies compiled in-process from providers/*.yaml (no build needed)."""

from __future__ import annotations

import functools
import os
import pathlib

import pytest

from sitebuild import compile as C
from sitebuild import load_and_compile
from sitebuild.errors import PolicyProblems
from triage import Policy

ROOT = pathlib.Path(__file__).resolve().parents[1]

# Builds run by tests write the fast .br/.gz and start no background compressor (none outlives the suite);
# tests/test_precompress.py turns it on where it tests it.
os.environ.setdefault("SITEBUILD_BACKGROUND", "0")


@functools.lru_cache(maxsize=1)
def compiled_policies() -> dict[str, dict]:
    """{provider id: compiled policy JSON (as a dict)}, compiled once per process from providers/."""
    compiled, problems = load_and_compile(ROOT / "providers")
    if problems:
        raise PolicyProblems(problems)
    return compiled


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
