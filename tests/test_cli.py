"""`python -m triage`: topics, route (text and --json), answers, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from triage.sanitize import TEXT_LIMIT, clean_text

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(*args: str, data: pathlib.Path | None) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh interpreter, from the project root, against a --data folder."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "triage", *(["--data", str(data)] if data else []), *args]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_topics_lists_the_providers_topics(compiled_data_dir, policies):
    proc = run("topics", "--provider", "spaceweb", data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == list(policies["spaceweb"].topics)
    assert "mail_not_working\tticket\tНе работает почта" in lines
    kinds = {line.split("\t")[1] for line in lines}
    assert kinds == {"ticket", "email", "phone", "chat", "messenger"}


def test_topics_json(compiled_data_dir):
    proc = run("topics", "--provider", "spaceweb", "--json", data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    items = json.loads(proc.stdout)
    assert items[0]["id"] == "mail_not_working" and items[0]["channel"]["kind"] == "ticket"
    assert all(item["examples"] for item in items)


def test_route_json_full_outage(compiled_data_dir):
    """The done-when case: INTROSERV, full outage -> ticket, technical, high, with the three blocks."""
    proc = run(
        "route", "--provider", "introserv", "--text", "сервер полностью недоступен", "--json", data=compiled_data_dir
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    result = json.loads(proc.stdout)
    draft = result["draft"]
    assert result["channel"]["kind"] == "ticket" and draft["kind"] == "ticket"
    assert draft["form"]["department"] == "technical"
    assert draft["form"]["priority"] == "high"
    assert list(draft["blocks"]) == ["identification", "authorization", "description"]
    assert all(block["lines"] for block in draft["blocks"].values())
    assert "сервер полностью недоступен" in draft["blocks"]["description"]["text"]
    assert "[" not in draft["text"]  # what is missing is a warning, not a placeholder
    assert any(w["code"] == "no_identification" and w["field"] == "ip" for w in draft["warnings"])


def test_route_text_output(compiled_data_dir):
    proc = run("route", "--provider", "introserv", "--text", "сервер полностью недоступен", data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Провайдер: INTROSERV" in out
    assert "Канал: Тикет поддержки [ticket]" in out
    assert "Отдел: Технические проблемы" in out and "Приоритет: Высокий" in out
    assert "Что исправить:" in out


@pytest.mark.parametrize(
    "answer, kind", [("panel_access=yes", "ticket"), ("panel_access=no", "email"), ("panel_access=No", "email")]
)
def test_route_answer_panel_access(compiled_data_dir, answer, kind):
    proc = run(
        "route",
        "--provider",
        "spaceweb",
        "--text",
        "не работает почта",
        "--answer",
        answer,
        "--json",
        data=compiled_data_dir,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["channel"]["kind"] == kind
    assert result["answers"]["panel_access"]["source"] == "explicit"
    if kind == "email":
        assert result["draft"]["mailto"].startswith("mailto:")
        assert any("доступа к панели управления нет" in r for r in result["reasons"])


def test_route_answer_no_text_output(compiled_data_dir):
    proc = run(
        "route",
        "--provider",
        "spaceweb",
        "--text",
        "не работает почта",
        "--answer",
        "panel_access=no",
        data=compiled_data_dir,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Канал: Заявка по электронной почте [email]" in proc.stdout
    assert "mailto:" in proc.stdout


def test_route_detail_and_topic(compiled_data_dir):
    proc = run(
        "route",
        "--provider",
        "peterhost",
        "--text",
        "сайт не открывается",
        "--topic",
        "site_not_working",
        "--detail",
        "login=client42",
        "--detail",
        "error_text=502 Bad Gateway",
        "--json",
        data=compiled_data_dir,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["topic"]["id"] == "site_not_working" and result["topic"]["picked"] is True
    assert "Логин: client42" in result["draft"]["text"]
    assert "502 Bad Gateway" in result["draft"]["text"]


def test_route_never_prints_a_secret(compiled_data_dir):
    proc = run(
        "route",
        "--provider",
        "spaceweb",
        "--text",
        "не пускает по FTP, пароль: Qwerty123",
        "--json",
        data=compiled_data_dir,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Qwerty123" not in proc.stdout
    assert json.loads(proc.stdout)["draft"]["secrets"][0]["kind"] == "password"


BAD = {
    "unknown provider": (["route", "--provider", "nosuchhost", "--text", "сайт не работает"], "nosuchhost"),
    "unknown provider (topics)": (["topics", "--provider", "nosuchhost"], "nosuchhost"),
    "missing --text": (["route", "--provider", "spaceweb"], "--text"),
    "missing --provider": (["route", "--text", "сайт не работает"], "--provider"),
    "answer without =": (["route", "--provider", "spaceweb", "--text", "сайт не работает", "--answer", "foo"], "foo"),
    "detail without =": (["route", "--provider", "spaceweb", "--text", "сайт", "--detail", "login"], "login"),
    "unknown answer value": (
        ["route", "--provider", "spaceweb", "--text", "не работает почта", "--answer", "panel_access=maybe"],
        "maybe",
    ),
    "unknown question": (
        ["route", "--provider", "spaceweb", "--text", "не работает почта", "--answer", "colour=blue"],
        "colour",
    ),
    "unknown topic": (["route", "--provider", "spaceweb", "--text", "почта", "--topic", "nope"], "nope"),
    "no command": ([], ""),
    "unknown option": (["route", "--provider", "spaceweb", "--text", "x", "--frobnicate"], "--frobnicate"),
}


@pytest.mark.parametrize("args, mention", list(BAD.values()), ids=list(BAD))
def test_bad_arguments_one_line_exit_2(compiled_data_dir, args, mention):
    proc = run(*args, data=compiled_data_dir)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"expected exactly one line on stderr, got {proc.stderr!r}"
    assert lines[0].startswith("python -m triage: error: ")
    assert mention in lines[0]
    assert "Traceback" not in proc.stderr


def test_data_folder_without_policies(tmp_path):
    proc = run("topics", "--provider", "spaceweb", data=tmp_path)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and "build.py compile" in proc.stderr


def test_data_folder_with_a_broken_policy(tmp_path):
    (tmp_path / "spaceweb.json").write_text('{"format": 999}', encoding="utf-8")
    proc = run("topics", "--provider", "spaceweb", data=tmp_path)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and "not a compiled policy" in proc.stderr


# --- compiled data is never stale, and never compiled by a child process --------------------------


@pytest.fixture
def checkout(tmp_path, monkeypatch) -> pathlib.Path:
    """A directory that looks like a checkout (build.py, providers/) with no compiled data; the CLI
    runs in-process there and may not start any process (it compiles in-process)."""
    shutil.copytree(ROOT / "providers", tmp_path / "providers")
    shutil.copy2(ROOT / "build.py", tmp_path / "build.py")
    monkeypatch.chdir(tmp_path)

    def no_child(*args, **kwargs):
        raise AssertionError(f"the CLI started a process: {args[0] if args else kwargs}")

    monkeypatch.setattr(subprocess, "run", no_child)
    monkeypatch.setattr(subprocess, "Popen", no_child)
    return tmp_path


def cli(*args: str) -> int:
    from triage import cli as triage_cli

    return triage_cli.main(list(args))


def older(path: pathlib.Path, than: pathlib.Path) -> None:
    """Give path an mtime two seconds before than's (file systems with coarse timestamps)."""
    stamp = than.stat().st_mtime_ns - 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_missing_data_is_compiled_in_process(checkout, capsys):
    assert cli("route", "--provider", "landvps", "--text", "сайт не работает", "--json") == 0
    assert json.loads(capsys.readouterr().out)["provider"]["id"] == "landvps"
    data = checkout / "build" / "data"
    assert sorted(p.stem for p in data.glob("*.json")) == sorted(
        [p.stem for p in (checkout / "providers").glob("*.yaml") if not p.name.startswith("_")] + ["index"]
    )


def test_data_older_than_a_policy_is_recompiled(checkout, capsys):
    assert cli("topics", "--provider", "landvps") == 0
    policy = checkout / "providers" / "landvps.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "\n  name: LandVPS\n" in text
    policy.write_text(text.replace("\n  name: LandVPS\n", "\n  name: LandVPS Правка\n", 1), encoding="utf-8")
    older(checkout / "build" / "data" / "landvps.json", policy)
    capsys.readouterr()
    assert cli("route", "--provider", "landvps", "--text", "сайт не работает") == 0
    assert "Провайдер: LandVPS Правка" in capsys.readouterr().out


def test_data_older_than_the_lexicon_is_recompiled(checkout):
    assert cli("topics", "--provider", "landvps") == 0
    compiled = checkout / "build" / "data" / "landvps.json"
    lexicon = checkout / "providers" / "_lexicon.yaml"
    older(compiled, lexicon)
    assert cli("topics", "--provider", "landvps") == 0
    assert compiled.stat().st_mtime_ns >= lexicon.stat().st_mtime_ns


def test_a_broken_policy_is_reported_not_answered_from_old_data(checkout, capsys):
    assert cli("topics", "--provider", "landvps") == 0
    policy = checkout / "providers" / "landvps.yaml"
    line = len(policy.read_text(encoding="utf-8").splitlines()) + 1
    with policy.open("a", encoding="utf-8") as f:
        f.write("respone_time: soon\n")
    older(checkout / "build" / "data" / "landvps.json", policy)
    capsys.readouterr()
    assert cli("route", "--provider", "landvps", "--text", "сайт не работает") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"providers/landvps.yaml:{line}:1: respone_time: expected one of the keys" in err
    assert "Traceback" not in err


def test_unknown_provider_lists_the_known_ones_without_compiling(checkout, capsys):
    assert cli("route", "--provider", "nosuchhost", "--text", "сайт не работает") == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "python -m triage: error: unknown provider 'nosuchhost'; known: introserv, landvps, peterhost, spaceweb"
    ]
    assert not (checkout / "build").exists()


# --- input: stdin, a file, bytes that are not UTF-8, control characters -----------------------------


def run_bytes(*args: str | bytes, data: pathlib.Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """Like run(), with raw bytes in and out (stdout is decoded strictly by the caller)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "triage", "--data", str(data), *args]
    return subprocess.run(argv, cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=60)


def routed_text(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    return json.loads(proc.stdout.decode("utf-8"))["input"]["text"]  # strict: valid UTF-8 JSON


def test_text_from_stdin(compiled_data_dir):
    proc = run_bytes(
        "route",
        "--provider",
        "spaceweb",
        "--text",
        "-",
        "--json",
        data=compiled_data_dir,
        stdin="не работает почта, письма не уходят\n".encode(),
    )
    assert routed_text(proc).strip() == "не работает почта, письма не уходят"
    assert proc.stderr == b""


def test_text_from_a_file_longer_than_a_command_line(compiled_data_dir, tmp_path):
    text = "не работает почта. " + "письма не уходят, ошибка 550. " * 8000  # ~250 KB: over ARG_MAX per argument
    path = tmp_path / "situation.txt"
    path.write_text(text, encoding="utf-8")
    proc = run_bytes("route", "--provider", "spaceweb", "--text-file", str(path), "--json", data=compiled_data_dir)
    # The whole file is read; the engine keeps its first TEXT_LIMIT characters and says so on stderr.
    assert routed_text(proc) == clean_text(text)[0] and text.startswith(routed_text(proc))
    assert f"сокращено до {TEXT_LIMIT} символов" in proc.stderr.decode()
    assert json.loads(proc.stdout)["channel"]["kind"] == "ticket"


def test_missing_text_file_is_a_one_line_error(compiled_data_dir, tmp_path):
    proc = run_bytes(
        "route", "--provider", "spaceweb", "--text-file", str(tmp_path / "nope.txt"), data=compiled_data_dir
    )
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().startswith("python -m triage: error: --text-file: cannot read ")
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize("how", ["stdin", "file", "argument"])
def test_invalid_utf8_is_replaced_and_reported(compiled_data_dir, tmp_path, how):
    raw = b"\xd0\xbd\xd0\xb5 \xff\xfe \xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd0\xb5\xd1\x82 \xd0"
    if how == "stdin":
        proc = run_bytes("route", "--provider", "spaceweb", "--text", "-", "--json", data=compiled_data_dir, stdin=raw)
    elif how == "file":
        (tmp_path / "t.txt").write_bytes(raw)
        proc = run_bytes(
            "route", "--provider", "spaceweb", "--text-file", str(tmp_path / "t.txt"), "--json", data=compiled_data_dir
        )
    else:
        proc = run_bytes("route", "--provider", "spaceweb", "--text", raw, "--json", data=compiled_data_dir)
    assert routed_text(proc) == "не \ufffd\ufffd работает \ufffd"
    assert b"invalid UTF-8" in proc.stderr and b"replaced with U+FFFD" in proc.stderr


def test_lone_surrogates_and_control_characters_are_removed(compiled_data_dir, capsys):
    from triage import cli as triage_cli

    code = triage_cli.main(
        [
            "--data",
            str(compiled_data_dir),
            "route",
            "--provider",
            "spaceweb",
            "--text",
            "не\ud800 работает\x07 почта\x1b",
            "--detail",
            "login=us\udfffer\x00",
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    result = json.loads(out.encode("utf-8"))  # strict: a lone surrogate cannot be encoded
    assert result["input"]["text"] == "не работает почта"
    assert result["input"]["details"]["login"] == "user"
    assert "removed" in err
