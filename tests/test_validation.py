"""The policy checker: one fixture per defect, the exact lines `build.py check` prints for it.

tests/data/policies/bad/<defect>.yaml is a small policy that is valid except for that one defect
(several_problems.yaml has several on purpose); <defect>.expected holds the exact stderr of
`python build.py check --providers <dir>` when the fixture is alone in a folder named `providers`.
tests/data/policies/good/*.yaml are valid: minimal.yaml has only the required keys, full.yaml has
every key of the schema.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from sitebuild import schema as policy_schema
from sitebuild.check import Checked, check, report
from sitebuild.load import load
from sitebuild.project import Project
from sitebuild.schemalang import List, Map, Obj, OneOrMany, walk_objects

ROOT = pathlib.Path(__file__).resolve().parents[1]

DATA = ROOT / "tests" / "data" / "policies"
BAD = DATA / "bad"
GOOD = DATA / "good"

#: The defects the brief asks for (each must have its own fixture).
REQUIRED_DEFECTS = {
    "unknown_top_level_key",
    "unknown_channel_key",
    "missing_required_key",
    "no_in_text_field",
    "yes_in_boolean_field",
    "number_in_text_field",
    "unquoted_colon_in_list_item",
    "wrong_enum_kind",
    "duplicate_channel_id",
    "duplicate_mapping_key",
    "topic_unknown_channel",
    "routing_unknown_question",
    "routing_unknown_answer",
    "routing_unquoted_no",
    "empty_criterion_text",
    "empty_examples",
    "bad_date",
    "bad_url",
    "provider_id_mismatch",
    "email_without_address",
    "form_channel_not_ticket",
    "department_not_declared",
    "bad_indentation",
    "tab_character",
    "empty_file",
    "routing_test_fails",
    "several_problems",
}

BAD_NAMES = sorted(p.stem for p in BAD.glob("*.yaml"))
GOOD_NAMES = sorted(p.stem for p in GOOD.glob("*.yaml"))


def isolate(fixture: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    """Copy one fixture alone into <tmp>/providers (the folder name shows up in messages)."""
    providers = tmp_path / "providers"
    providers.mkdir()
    shutil.copyfile(fixture, providers / fixture.name)
    return providers


def check_in_process(providers: pathlib.Path, capsys) -> tuple[Checked, list[str]]:
    """check(), then the report exactly as check_command prints it (stderr lines)."""
    capsys.readouterr()
    result = check(Project(ROOT, providers))
    if result.problems:
        report(result.problems)
    captured = capsys.readouterr()
    assert captured.out == ""
    return result, captured.err.splitlines()


def run_build_py(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def expected_lines(name: str) -> list[str]:
    return (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()


# --- the fixtures themselves ----------------------------------------------------------------------


def test_every_required_defect_has_a_fixture():
    assert set(BAD_NAMES) >= REQUIRED_DEFECTS, sorted(REQUIRED_DEFECTS - set(BAD_NAMES))


def test_every_bad_fixture_has_its_expected_output_and_nothing_else():
    assert {p.stem for p in BAD.glob("*.expected")} == set(BAD_NAMES)
    assert {p.suffix for p in BAD.iterdir()} == {".yaml", ".expected"}


@pytest.mark.parametrize("name", BAD_NAMES)
def test_expected_output_is_well_formed(name):
    """Lines name this fixture as providers/<file>, and the summary counts them (1 file)."""
    lines = expected_lines(name)
    *problems, summary = lines
    assert problems, "a bad fixture must produce at least one problem"
    assert summary == f"{len(problems)} problem(s) in 1 file(s)"
    pattern = re.compile(rf"providers/{re.escape(name)}\.yaml:(\d+):(\d+): .+: expected .+, got .+")
    positions = []
    for line in problems:
        match = pattern.fullmatch(line)
        assert match, line
        positions.append((int(match.group(1)), int(match.group(2))))
    assert positions == sorted(positions), "problems must be sorted by position"
    if name != "several_problems":
        assert len(problems) == 1, "one defect per fixture"


@pytest.mark.parametrize("name", BAD_NAMES)
def test_fixture_provider_id_is_its_file_name(name):
    text = (BAD / f"{name}.yaml").read_bytes().decode("utf-8", errors="replace")
    if not text.strip():
        return  # empty_file
    match = re.search(r"^(?:- )?provider:\n(?:[ \t].*\n)*?  +id: (\S+)$", text, re.M)
    assert match, "provider.id not found"
    mismatch = any(": provider.id: expected" in line for line in expected_lines(name))
    assert (match.group(1) != name) == mismatch


def test_several_problems_reports_all_of_them_sorted():
    *problems, _summary = expected_lines("several_problems")
    assert len(problems) >= 5
    # Cross-reference problems (found after the whole file is read) are interleaved by position.
    paths = [line.split(": ", 2)[1] for line in problems]
    assert paths[0] == "provider.id"
    assert paths[-1] == "respone_time"


# --- the checker on the fixtures ------------------------------------------------------------------


@pytest.mark.parametrize("name", BAD_NAMES)
def test_check_reports_exactly_the_expected_lines(name, tmp_path, capsys):
    providers = isolate(BAD / f"{name}.yaml", tmp_path)
    result, lines = check_in_process(providers, capsys)
    assert lines == expected_lines(name)
    assert result.policies == {} and result.compiled == {}


@pytest.mark.parametrize("name", BAD_NAMES)
def test_build_py_check_prints_them_and_exits_1(name, tmp_path):
    providers = isolate(BAD / f"{name}.yaml", tmp_path)
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == expected_lines(name)


def test_problems_of_several_files_are_all_reported(tmp_path):
    """All bad fixtures in one folder: every file's lines, file by file, and one summary.

    routing_test_fails is among them: a file's routing tests run even when other files have schema
    problems."""
    providers = tmp_path / "providers"
    providers.mkdir()
    names = list(BAD_NAMES)
    for name in names:
        shutil.copyfile(BAD / f"{name}.yaml", providers / f"{name}.yaml")
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    assert proc.returncode == 1
    *got, summary = proc.stderr.splitlines()
    want = [line for name in names for line in expected_lines(name)[:-1]]
    assert got == sorted(want, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2])))
    assert summary == f"{len(want)} problem(s) in {len(names)} file(s)"


# --- things named like a policy that are not one (check is total) --------------------------------


def _directory(path: pathlib.Path) -> None:
    path.mkdir()


def _fifo(path: pathlib.Path) -> None:
    os.mkfifo(path)


def _dangling_symlink(path: pathlib.Path) -> None:
    path.symlink_to(path.parent / "missing.txt")


def _symlink_loop(path: pathlib.Path) -> None:
    path.symlink_to(path.name)


def _symlink_to_dev_zero(path: pathlib.Path) -> None:
    path.symlink_to("/dev/zero")


def _symlink_to_etc_passwd(path: pathlib.Path) -> None:
    path.symlink_to("/etc/passwd")


def _symlink_out_of_providers(path: pathlib.Path) -> None:
    outside = path.parent.parent / "outside.yaml"
    outside.write_text("secret: do not print me\n", encoding="utf-8")
    path.symlink_to(outside)


def _file_over_1_mb(path: pathlib.Path) -> None:
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8").replace("id: minimal", "id: policy")
    path.write_text(text + "# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")


NOT_A_POLICY = {
    _directory: "expected a regular file, got a directory",
    _fifo: "expected a regular file, got a named pipe (FIFO)",
    _dangling_symlink: "expected a policy file, got a symbolic link to a file that does not exist",
    _symlink_loop: "expected a policy file, got a symbolic link loop",
    _symlink_to_dev_zero: "expected a file inside providers/, got a symbolic link that points outside it (not read)",
    _symlink_to_etc_passwd: "expected a file inside providers/, got a symbolic link that points outside it (not read)",
    _symlink_out_of_providers: (
        "expected a file inside providers/, got a symbolic link that points outside it (not read)"
    ),
    _file_over_1_mb: "expected a file of at most 1 MB, got a larger file",
}


@pytest.mark.parametrize("make", list(NOT_A_POLICY), ids=lambda f: f.__name__.strip("_"))
def test_what_is_not_a_readable_policy_file_is_one_positioned_problem(make, tmp_path):
    """Directories, FIFOs, dangling links, link loops, devices, links out of providers/, huge files:
    one line each, exit 1, no traceback, no hang, and nothing from another file is printed."""
    providers = tmp_path / "providers"
    providers.mkdir()
    make(providers / "policy.yaml")
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"providers/policy.yaml:1:1: <top>: {NOT_A_POLICY[make]}",
        "1 problem(s) in 1 file(s)",
    ]
    assert "root:" not in proc.stderr and "secret" not in proc.stderr


def test_a_symlink_inside_providers_is_read(tmp_path, capsys):
    providers = tmp_path / "providers"
    providers.mkdir()
    (providers / "drafts").mkdir()
    shutil.copyfile(GOOD / "minimal.yaml", providers / "drafts" / "minimal.txt")
    (providers / "minimal.yaml").symlink_to(providers / "drafts" / "minimal.txt")
    result, lines = check_in_process(providers, capsys)
    assert lines == [] and list(result.policies) == ["minimal"]


def _alias_bomb(count: int) -> str:
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8").replace("id: minimal", "id: policy")
    text = text.replace(
        "      - сайт не открывается\n",
        "      - &big " + "сайт не открывается " * 400 + "\n" + "      - *big\n" * count,
    )
    return text


def _first_alias_line() -> int:
    return _alias_bomb(1).splitlines().index("      - *big") + 1


def test_alias_bomb_is_refused_at_the_first_alias(tmp_path):
    """20,000 aliases of an 8 KB example made the engine run for minutes; 50,000 printed 300,006 lines."""
    providers = tmp_path / "providers"
    providers.mkdir()
    (providers / "policy.yaml").write_text(_alias_bomb(50_000), encoding="utf-8")
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"providers/policy.yaml:{_first_alias_line()}:9: topics.examples: expected the text written out, got the YAML "
        "alias *big (aliases are not allowed in policies: copy the text instead)",
        "1 problem(s) in 1 file(s)",
    ]


def test_output_is_capped_with_a_count_of_the_rest(tmp_path):
    providers = tmp_path / "providers"
    providers.mkdir()
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8").replace("id: minimal", "id: policy")
    text += "".join(f"unknown_{i}: x\n" for i in range(250))
    (providers / "policy.yaml").write_text(text, encoding="utf-8")
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    lines = proc.stderr.splitlines()
    assert len(lines) == 102
    assert all(line.startswith("providers/policy.yaml:") for line in lines[:100])
    assert lines[100:] == ["… и ещё 150", "250 problem(s) in 1 file(s)"]


def test_routing_tests_run_next_to_another_files_schema_problem(tmp_path):
    providers = tmp_path / "providers"
    providers.mkdir()
    for name in ("routing_test_fails", "wrong_enum_kind"):
        shutil.copyfile(BAD / f"{name}.yaml", providers / f"{name}.yaml")
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    assert proc.stderr.splitlines() == [
        *expected_lines("routing_test_fails")[:-1],
        *expected_lines("wrong_enum_kind")[:-1],
        "2 problem(s) in 2 file(s)",
    ]


# --- valid policies -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_good_policy_has_no_problems(name, tmp_path, capsys):
    providers = isolate(GOOD / f"{name}.yaml", tmp_path)
    result, lines = check_in_process(providers, capsys)
    assert lines == []
    assert list(result.policies) == [name]
    proc = run_build_py("check", "--providers", str(providers), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # Routing warnings (sitebuild/routing_lint.py, e.g. a topic without tests) are advice, not problems.
    *warnings, summary = proc.stderr.splitlines() or [""]
    assert all(": warning: " in line for line in warnings)
    assert summary == (f"{len(warnings)} routing warning(s) (the check still passes)" if warnings else "")
    assert proc.stdout == "ok: 1 provider policies valid, routing tests pass\n"


def test_good_policies_together_and_with_the_shared_lexicon(tmp_path, capsys):
    providers = tmp_path / "providers"
    providers.mkdir()
    for name in GOOD_NAMES:
        shutil.copyfile(GOOD / f"{name}.yaml", providers / f"{name}.yaml")
    shutil.copyfile(ROOT / "providers" / "_lexicon.yaml", providers / "_lexicon.yaml")
    result, lines = check_in_process(providers, capsys)
    assert lines == []
    assert sorted(result.policies) == GOOD_NAMES


def test_project_policies_have_no_problems(capsys):
    result, lines = check_in_process(ROOT / "providers", capsys)
    assert lines == []
    assert len(result.policies) == len(list((ROOT / "providers").glob("[!_]*.yaml")))


def _keys_used(type_, value, used: set) -> None:
    """Record (object, key) for every key present in value, walking the schema alongside it."""
    if isinstance(type_, Obj) and isinstance(value, dict):
        for key, sub in value.items():
            used.add((id(type_), key))
            _keys_used(type_.fields[key].type, sub, used)
    elif isinstance(type_, (List, OneOrMany)) and isinstance(value, list):
        for item in value:
            _keys_used(type_.item, item, used)
    elif isinstance(type_, Map) and isinstance(value, dict):
        for sub in value.values():
            _keys_used(type_.value, sub, used)


def keys_used_by(path: pathlib.Path) -> set:
    """(object type id, key) pairs that the valid policy at path uses."""
    loaded = load(path, f"providers/{path.name}")
    assert loaded.problems == [] and loaded.data is not None
    used: set = set()
    _keys_used(policy_schema.POLICY, loaded.data, used)
    return used


def schema_keys_missing_from(path: pathlib.Path) -> list[str]:
    """«Object.key» for every key of the policy schema that the valid policy at path does not use."""
    used = keys_used_by(path)
    return [
        f"{obj.title}.{name}"
        for obj in walk_objects(policy_schema.POLICY)
        for name in obj.fields
        if (id(obj), name) not in used
    ]


def test_full_policy_uses_every_key_of_the_schema():
    assert schema_keys_missing_from(GOOD / "full.yaml") == []


#: Optional keys of which one is required (a source names its page by `url` or by `file`).
ONE_OF_REQUIRED = {"Источник.file"}


def test_minimal_policy_uses_only_required_keys():
    used = keys_used_by(GOOD / "minimal.yaml")
    optional = [
        f"{obj.title}.{name}"
        for obj in walk_objects(policy_schema.POLICY)
        for name, field in obj.fields.items()
        if not field.required and (id(obj), name) in used
    ]
    assert sorted(set(optional) - ONE_OF_REQUIRED) == []


# --- the writers' guide ---------------------------------------------------------------------------


def guide_table_messages() -> list[str]:
    """The messages in the first column of the table under «Что значат ошибки»."""
    text = (ROOT / "docs" / "writers" / "index.md").read_text(encoding="utf-8")
    section = text.split("## Что значат ошибки", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(.+?)` \|", section, re.M)


def test_guide_table_messages_are_what_the_checker_prints():
    """Every message the guide explains comes out of some fixture ('...' and numbers vary)."""
    messages = guide_table_messages()
    assert len(messages) >= 8
    printed = [line for name in BAD_NAMES for line in expected_lines(name)]
    printed += [f"providers/policy.yaml:1:1: <top>: {message}" for message in NOT_A_POLICY.values()]
    for message in messages:
        pattern = re.escape(message).replace(re.escape("..."), ".+?")
        pattern = re.sub(r"\d+", r"\\d+", pattern)
        assert any(re.search(pattern, line) for line in printed), message
