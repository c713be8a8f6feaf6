"""`python -m triage`: topics, route (text and --json), answers, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

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
    proc = run("route", "--provider", "introserv", "--text", "сервер полностью недоступен", "--json",
               data=compiled_data_dir)
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


@pytest.mark.parametrize("answer, kind", [("panel_access=yes", "ticket"), ("panel_access=no", "email"),
                                          ("panel_access=No", "email")])
def test_route_answer_panel_access(compiled_data_dir, answer, kind):
    proc = run("route", "--provider", "spaceweb", "--text", "не работает почта", "--answer", answer, "--json",
               data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["channel"]["kind"] == kind
    assert result["answers"]["panel_access"]["source"] == "explicit"
    if kind == "email":
        assert result["draft"]["mailto"].startswith("mailto:")
        assert any("доступа к панели управления нет" in r for r in result["reasons"])


def test_route_answer_no_text_output(compiled_data_dir):
    proc = run("route", "--provider", "spaceweb", "--text", "не работает почта", "--answer", "panel_access=no",
               data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "Канал: Заявка по электронной почте [email]" in proc.stdout
    assert "mailto:" in proc.stdout


def test_route_detail_and_topic(compiled_data_dir):
    proc = run("route", "--provider", "peterhost", "--text", "сайт не открывается", "--topic", "site_not_working",
               "--detail", "login=client42", "--detail", "error_text=502 Bad Gateway", "--json",
               data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["topic"]["id"] == "site_not_working" and result["topic"]["picked"] is True
    assert "Логин: client42" in result["draft"]["text"]
    assert "502 Bad Gateway" in result["draft"]["text"]


def test_route_never_prints_a_secret(compiled_data_dir):
    proc = run("route", "--provider", "spaceweb", "--text", "не пускает по FTP, пароль: Qwerty123", "--json",
               data=compiled_data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "Qwerty123" not in proc.stdout
    assert json.loads(proc.stdout)["draft"]["secrets"][0]["kind"] == "password"


BAD = {
    "unknown provider": (["route", "--provider", "nosuchhost", "--text", "сайт не работает"], "nosuchhost"),
    "unknown provider (topics)": (["topics", "--provider", "nosuchhost"], "nosuchhost"),
    "missing --text": (["route", "--provider", "spaceweb"], "--text"),
    "missing --provider": (["route", "--text", "сайт не работает"], "--provider"),
    "answer without =": (["route", "--provider", "spaceweb", "--text", "сайт не работает", "--answer", "foo"],
                         "foo"),
    "detail without =": (["route", "--provider", "spaceweb", "--text", "сайт", "--detail", "login"], "login"),
    "unknown answer value": (["route", "--provider", "spaceweb", "--text", "не работает почта", "--answer",
                              "panel_access=maybe"], "maybe"),
    "unknown question": (["route", "--provider", "spaceweb", "--text", "не работает почта", "--answer",
                          "colour=blue"], "colour"),
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
