"""The check cache (sitebuild/checkcache.py): an unchanged policy costs nothing, and the cache never changes what
`check` reports (positions come from this run's reading; any change of data, lexicon or code is a new key)."""

from __future__ import annotations

import pathlib
import signal

import pytest

from sitebuild import check as check_module
from sitebuild import checkcache, load, routing_lint
from sitebuild.check import check
from sitebuild.errors import Interrupted
from sitebuild.project import Project

ROOT = pathlib.Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "data" / "policies" / "good"


def _overlapping(text: str) -> str:
    """full.yaml with two topics whose examples route to each other, and a routing test that fails."""
    text = text.replace("      - сайт недоступен\n", "      - сайт недоступен\n      - нужен счёт на оплату сайта\n")
    text = text.replace(
        "      - нужен счёт на оплату\n", "      - нужен счёт на оплату\n      - сайт не открывается совсем\n"
    )
    return text.replace(
        '{text: "установите скрипт форума", expect: {channel: ticket}}',
        '{text: "установите скрипт форума", expect: {channel: email}}',
    )


def _project(tmp_path: pathlib.Path, text: str) -> Project:
    providers = tmp_path / "providers"
    providers.mkdir(exist_ok=True)
    (providers / "full.yaml").write_text(text, encoding="utf-8")
    return Project(tmp_path, providers)


def _report(project: Project) -> list[str]:
    checked = check(project)
    loaded = checked.loaded
    cache = checkcache.for_project(project.cache)
    found = routing_lint.warnings_for(project.providers, loaded.policies, loaded.lexicon, loaded.positions, cache)
    return [str(p) for p in checked.problems] + [str(w) for w in found]


def _entries(project: Project) -> dict[str, float]:
    folder = project.cache / "check"
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.json")} if folder.exists() else {}


def test_a_warm_check_reports_the_same_and_computes_nothing(tmp_path, monkeypatch):
    project = _project(tmp_path, _overlapping((GOOD / "full.yaml").read_text(encoding="utf-8")))
    cold = _report(project)
    assert any("overlap" in line for line in cold) and any("expect.channel" in line for line in cold), cold
    assert len(_entries(project)) == 3  # the routing tests, the leave-one-out and the learned model of the policy

    def boom(*_args):
        raise AssertionError("recomputed an unchanged policy")

    monkeypatch.setattr(routing_lint, "landing", boom)
    monkeypatch.setattr("sitebuild.check.policy_test_mismatches", boom)
    monkeypatch.setattr("sitebuild.compile.learned_model", boom)
    monkeypatch.setattr("sitebuild.compile._MODELS", {})  # not from this process's memory: from the cache
    assert _report(project) == cold
    # Without a cache (the public API, the tests' helpers) the same is computed afresh.
    monkeypatch.undo()
    assert [str(w) for w in routing_lint.warnings(project.root, project.providers)] == [
        line for line in cold if "warning:" in line
    ]


def test_moved_text_reuses_the_entries_and_reports_the_new_lines(tmp_path):
    text = _overlapping((GOOD / "full.yaml").read_text(encoding="utf-8"))
    project = _project(tmp_path, text)
    before = _report(project)
    entries = _entries(project)
    # Two comment lines after the schema line: the same data, every position two lines further down.
    first, rest = text.split("\n", 1)
    _project(tmp_path, first + "\n# one\n# two\n" + rest)
    after = _report(project)
    assert set(_entries(project)) == set(entries)  # no new entry: nothing was recomputed

    def shifted(line: str) -> str:
        file, number, rest = line.split(":", 2)
        return f"{file}:{int(number) + 2}:{rest}"

    assert after == [shifted(line) for line in before]


def test_data_lexicon_and_code_changes_are_new_keys(tmp_path, monkeypatch):
    data = {"topics": [{"id": "a", "examples": ["x", "y"]}]}
    lexicon = {"synonyms": [{"id": "g", "words": ["a", "b"]}]}
    base = checkcache.key("leave-one-out", data, lexicon)
    assert checkcache.key("leave-one-out", data, lexicon) == base
    assert checkcache.key("routing-tests", data, lexicon) != base
    assert checkcache.key("leave-one-out", {"topics": [{"id": "a", "examples": ["y", "x"]}]}, lexicon) != base
    assert checkcache.key("leave-one-out", data, {"synonyms": [{"id": "g", "words": ["a"]}]}) != base
    assert checkcache.key("leave-one-out", {"b": 1, "a": 2}, {}) != checkcache.key(
        "leave-one-out", {"a": 2, "b": 1}, {}
    )
    monkeypatch.setattr(checkcache, "code_hash", lambda: "another engine")
    assert checkcache.key("leave-one-out", data, lexicon) != base


def test_a_damaged_entry_is_computed_again(tmp_path):
    project = _project(tmp_path, _overlapping((GOOD / "full.yaml").read_text(encoding="utf-8")))
    cold = _report(project)
    damages = [
        "{not json",
        '{"version": 1, "value": 7}',
        '{"version": 1, "value": {"site_down": [[0, "x", 5]]}}',
        '{"version": 1, "value": [["a", "b"], 3]}',
        '{"version": 1, "value": {"site_down": "abc"}}',
    ]
    for damage in damages:
        for path in (project.cache / "check").glob("*.json"):
            path.write_text(damage, encoding="utf-8")
        assert _report(project) == cold, damage


def test_the_cache_is_trimmed_to_the_recently_used(tmp_path):
    cache = checkcache.Cache(tmp_path / "check")
    for n in range(checkcache.MAX_ENTRIES + 1):
        (tmp_path / "check").mkdir(exist_ok=True)
        (tmp_path / "check" / f"{n:05d}.json").write_text("{}", encoding="utf-8")
    cache.put("fresh", [])
    cache.trim()
    left = sorted(p.name for p in (tmp_path / "check").glob("*.json"))
    assert len(left) == checkcache.MAX_ENTRIES // 2 and "fresh.json" in left


def test_forked_workers_find_what_one_process_finds(tmp_path, monkeypatch):
    project = _project(tmp_path, _overlapping((GOOD / "full.yaml").read_text(encoding="utf-8")))
    (project.providers / "minimal.yaml").write_text((GOOD / "minimal.yaml").read_text(encoding="utf-8"), "utf-8")
    checked = check(project)
    loaded = checked.loaded
    args = (project.providers, loaded.policies, loaded.lexicon, loaded.positions)
    alone = routing_lint.warnings_for(*args)
    monkeypatch.setattr(routing_lint, "PARALLEL_FROM", 1)
    assert routing_lint.warnings_for(*args, jobs=2) == alone
    assert any("overlap" in str(w) for w in alone)


def test_a_stop_signal_stops_the_check_rather_than_becoming_a_problem(tmp_path, monkeypatch):
    def stopped(*_args):
        raise Interrupted(signal.SIGTERM)

    project = _project(tmp_path, (GOOD / "full.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr(check_module, "run_policy_tests", stopped)
    with pytest.raises(Interrupted):
        check(project)
    monkeypatch.undo()
    monkeypatch.setattr(load, "_load", stopped)
    with pytest.raises(Interrupted):
        check(project)
