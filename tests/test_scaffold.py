"""`python build.py new <id>`: the skeleton passes `check` once its TODOs are filled, and refuses bad ids."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

from sitebuild import check as checker
from sitebuild.project import Project

ROOT = pathlib.Path(__file__).resolve().parents[1]


def build_py(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def new(tmp_path: pathlib.Path, pid: str) -> subprocess.CompletedProcess:
    return build_py("new", pid, "--providers", str(tmp_path / "providers"), cwd=tmp_path)


def fill_todos(text: str) -> str:
    """What a writer does: every "TODO: ..." becomes a text (a URL where a URL is asked for)."""
    text = re.sub(r'url: "TODO[^"]*"', "url: https://hoster.example.ru/help/support", text)
    return re.sub(r'"TODO[^"]*"', '"Сайт не открывается после переноса на новый сервер"', text)


def uncomment_examples(text: str) -> str:
    """Every optional example ('# key: ...') uncommented; explanations ('## ...') and line 1 stay."""
    first, rest = text.split("\n", 1)
    return first + "\n" + re.sub(r"(?m)^(\s*)# (?!#)", r"\1", rest)


def check_lines(tmp_path: pathlib.Path) -> list[str]:
    return [str(p) for p in checker.check(Project(ROOT, tmp_path / "providers")).problems]


def test_new_writes_a_skeleton_that_fails_check_only_on_its_placeholders(tmp_path):
    proc = new(tmp_path, "my_hoster")
    assert proc.returncode == 0, proc.stderr
    assert "providers/my_hoster.yaml" in proc.stdout and "TODO" in proc.stdout
    text = (tmp_path / "providers" / "my_hoster.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/policy.schema.json\n")
    assert "  id: my_hoster\n" in text
    lines = check_lines(tmp_path)
    assert lines
    assert all("placeholder" in line or "TODO" in line for line in lines), lines


def test_skeleton_passes_check_once_its_todos_are_filled(tmp_path):
    assert new(tmp_path, "my_hoster").returncode == 0
    path = tmp_path / "providers" / "my_hoster.yaml"
    path.write_text(fill_todos(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert check_lines(tmp_path) == []


def test_every_commented_example_is_valid_too(tmp_path):
    assert new(tmp_path, "my_hoster").returncode == 0
    path = tmp_path / "providers" / "my_hoster.yaml"
    text = uncomment_examples(fill_todos(path.read_text(encoding="utf-8")))
    for key in ("hours:", "out_of_scope:", "status:", "auto_close:", "priorities:", "request:", "notes:", "at:"):
        assert key in text
    path.write_text(text, encoding="utf-8")
    assert check_lines(tmp_path) == []


def test_new_refuses_an_existing_provider_and_leaves_it_alone(tmp_path):
    providers = tmp_path / "providers"
    providers.mkdir()
    (providers / "spaceweb.yaml").write_text("# мой файл\n", encoding="utf-8")
    proc = new(tmp_path, "spaceweb")
    assert proc.returncode == 2
    assert proc.stderr == (
        "build.py new: провайдер «spaceweb» уже есть: providers/spaceweb.yaml. "
        "Выберите другое имя или правьте этот файл.\n"
    )
    assert (providers / "spaceweb.yaml").read_text(encoding="utf-8") == "# мой файл\n"


def test_new_refuses_a_bad_id(tmp_path):
    for bad in ("My-Host", "1host", "_lexicon", "хостер", "a/b"):
        proc = new(tmp_path, bad)
        assert proc.returncode == 2, bad
        assert proc.stderr.startswith(f"build.py new: имя «{bad}» не подходит: нужны строчные латинские буквы")
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "providers").exists() or list((tmp_path / "providers").iterdir()) == []


def test_new_without_an_id_says_how(tmp_path):
    proc = build_py("new", "--providers", str(tmp_path / "providers"), cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("build.py new: укажите имя провайдера: python build.py new <id>")
