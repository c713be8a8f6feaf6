"""The writers' keys: priority levels, channel status, hours, out-of-scope work, optional blocks, notes, sources.

The engine is run with a fixed clock (`now`), never the machine's.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import shutil
import subprocess
import sys

import pytest

from sitebuild import check as checker
from sitebuild import compile as compiler
from sitebuild import pages as render
from sitebuild.data import data_files
from sitebuild.project import Project
from triage import Policy, availability
from triage.api import triage

ROOT = pathlib.Path(__file__).resolve().parents[1]

GOOD = ROOT / "tests" / "data" / "policies" / "good"
#: The writers-only note in good/full.yaml: it must never reach a page or the compiled data.
FULL_NOTE = "ЗАМЕТКА-ДЛЯ-АВТОРОВ-full-7f3a9c"
MSK = datetime.timezone(datetime.timedelta(hours=3))


def checked_fixtures(tmp_path: pathlib.Path, *names: str) -> checker.Checked:
    providers = tmp_path / "providers"
    providers.mkdir()
    for name in names:
        shutil.copyfile(GOOD / f"{name}.yaml", providers / f"{name}.yaml")
    result = checker.check(Project(ROOT, providers))
    assert result.problems == []
    return result


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Policy:
    checked = checked_fixtures(tmp_path_factory.mktemp("full"), "full")
    return Policy.from_json(compiler.to_json(checked.compiled["full"]))


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A fixed clock in Moscow time in the week of Monday 2026-11-30 (day 0 = Monday)."""
    return datetime.datetime(2026, 11, 30, hour, minute, tzinfo=MSK) + datetime.timedelta(days=day)


# --- notes and sources ----------------------------------------------------------------------------


def test_writers_notes_reach_no_page_and_no_compiled_data(tmp_path):
    checked = checked_fixtures(tmp_path, "full", "minimal")
    assert FULL_NOTE in (GOOD / "full.yaml").read_text(encoding="utf-8")
    pages = render.render_pages(ROOT / "templates", checked.policies, ROOT)
    data = data_files(checked.compiled)
    leaks = [name for name, text in {**pages, **data}.items() if FULL_NOTE in text]
    assert leaks == []
    source_note = "Копия страницы без скриншотов."  # provider.sources[].note: writers only as well
    assert [name for name, text in {**pages, **data}.items() if source_note in text] == []


def _seeded_project(tmp_path: pathlib.Path, seed_files: list[str]) -> list[str]:
    """<tmp>/project/providers/minimal.yaml beside <tmp>/shared/seeds/ holding seed_files; check's lines."""
    providers = tmp_path / "project" / "providers"
    providers.mkdir(parents=True)
    shutil.copyfile(GOOD / "minimal.yaml", providers / "minimal.yaml")
    seeds = tmp_path / "shared" / "seeds"
    seeds.mkdir(parents=True)
    for name in seed_files:
        (seeds / name).write_text("копия страницы\n", encoding="utf-8")
    return [str(p) for p in checker.check(Project(ROOT, providers)).problems]


def test_source_file_must_exist_when_the_seeds_folder_is_there(tmp_path):
    assert _seeded_project(tmp_path, ["other.txt"]) == [
        "providers/minimal.yaml:8:13: provider.sources[0].file: expected a file in ../shared/seeds/, "
        "got '000_minimal.txt' (no such file there)"
    ]


def test_source_file_present_in_the_seeds_folder_passes(tmp_path):
    assert _seeded_project(tmp_path, ["000_minimal.txt"]) == []


# --- priority levels ------------------------------------------------------------------------------


def test_draft_prints_the_level_label_never_its_id(full):
    result = triage(full, "сайт не открывается", {"critical": "yes"})
    assert result["fields"]["priority"] == "high"
    assert result["fields"]["priority_title"] == "Высокий"
    assert result["fields"]["priority_use_for"] == "Сайт полностью недоступен."
    assert "Приоритет: Высокий" in result["draft"]["text"]
    assert "high" not in result["draft"]["text"]


def test_default_level_is_used_when_the_topic_sets_none(full):
    result = triage(full, "нужен счёт на оплату")
    assert result["topic"]["id"] == "invoice"
    assert (result["fields"]["priority"], result["fields"]["priority_title"]) == ("normal", "Обычный")
    assert "Приоритет: Обычный" in result["draft"]["text"]


# --- status ---------------------------------------------------------------------------------------


def test_a_channel_that_takes_no_requests_is_never_recommended_nor_offered(full):
    for text in ("сайт не открывается", "нужен счёт на оплату", "непонятный вопрос", "чат"):
        result = triage(full, text)
        offered = [result["channel"]["id"]] + [a["id"] for a in result["alternatives"]]
        assert "chat" not in offered


def test_engine_steps_away_from_a_not_processed_channel_even_if_a_topic_names_it(full):
    raw = json.loads(compiler.to_json({"format": 1, "policy": full.raw, "lexicon": []}))
    raw["policy"]["topics"][0]["channel"] = "chat"  # the checker refuses this; the engine must not rely on it
    result = triage(Policy(raw), "сайт не открывается")
    assert result["channel"]["id"] != "chat"
    assert result["availability"]["switched_from"] == {"id": "chat", "title": "Чат на сайте"}
    assert any("не принимаются" in r for r in result["reasons"])


def test_advisory_channel_says_it_only_advises(full):
    raw = json.loads(compiler.to_json({"format": 1, "policy": full.raw, "lexicon": []}))
    next(c for c in raw["policy"]["channels"] if c["id"] == "email")["status"] = "advisory"
    result = triage(Policy(raw), "сайт не открывается", {"panel_access": "no"})
    assert (result["channel"]["id"], result["channel"]["status"]) == ("email", "advisory")
    assert result["channel"]["status_label"] == "только консультации"
    assert any("только консультации" in r for r in result["reasons"])


def test_engine_leaves_its_input_as_it_is(tmp_path):
    checked = checked_fixtures(tmp_path, "minimal")
    before = compiler.to_json(checked.compiled["minimal"])
    triage(Policy(checked.compiled["minimal"]), "сайт не открывается")
    assert compiler.to_json(checked.compiled["minimal"]) == before


def test_result_carries_the_status(full):
    result = triage(full, "сайт не открывается")
    assert (result["channel"]["status"], result["channel"]["status_label"]) == ("official", "принимает обращения")


# --- hours ----------------------------------------------------------------------------------------


def test_open_channel_is_recommended_and_says_so(full):
    result = triage(full, "сайт не открывается", now=at(0, 10))
    assert result["channel"]["id"] == "ticket"
    assert result["open_now"] is True
    assert result["channel"]["response_time_now"] == "в течение часа"
    assert result["availability"]["switched_from"] is None


def test_closed_channel_falls_back_to_an_open_one_and_says_why(full):
    result = triage(full, "сайт не открывается", now=at(6, 20))  # Sunday 20:00
    assert result["channel"]["id"] == "email"
    assert result["availability"]["switched_from"]["id"] == "ticket"
    assert result["availability"]["opens"] == "пн 09:00"
    assert any("не работает" in r and "пн 09:00" in r for r in result["reasons"])
    ticket = next(a for a in result["alternatives"] if a["id"] == "ticket")
    assert ticket["open_now"] is False


def test_weekend_window_only_serves_its_topics(full):
    assert triage(full, "сайт не открывается", now=at(5, 12))["channel"]["id"] == "ticket"  # Saturday, in scope
    invoice = triage(full, "нужен счёт на оплату", now=at(5, 12))
    assert invoice["channel"]["id"] == "email"
    assert invoice["availability"]["switched_from"]["id"] == "ticket"


def test_clock_in_another_zone_is_converted(full):
    kyiv = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert triage(full, "нужен счёт на оплату", now=kyiv)["channel"]["id"] == "ticket"  # 17:30 Moscow
    late = datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC)  # 19:30 Moscow
    assert triage(full, "нужен счёт на оплату", now=late)["channel"]["id"] == "email"


@pytest.fixture(scope="module")
def kyiv(tmp_path_factory) -> Policy:
    """good/full.yaml with the ticket's hours in the named zone Europe/Kyiv (UTC+2 in winter, +3 in summer)."""
    tmp = tmp_path_factory.mktemp("kyiv")
    providers = tmp / "providers"
    providers.mkdir()
    text = (GOOD / "full.yaml").read_text(encoding="utf-8")
    assert text.count('timezone: "+03:00"') == 1
    (providers / "full.yaml").write_text(text.replace('timezone: "+03:00"', "timezone: Europe/Kyiv"), encoding="utf-8")
    checked = checker.check(Project(ROOT, providers))
    assert checked.problems == []
    return Policy.from_json(compiler.to_json(checked.compiled["full"]))


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_named_zone_follows_daylight_saving_time(kyiv):
    # 06:30 UTC is 09:30 in Kyiv in summer (UTC+3, open) and 08:30 in winter (UTC+2, closed).
    assert triage(kyiv, "нужен счёт на оплату", now=utc(2026, 7, 1, 6, 30))["channel"]["id"] == "ticket"
    winter = triage(kyiv, "нужен счёт на оплату", now=utc(2026, 12, 1, 6, 30))
    assert winter["channel"]["id"] == "email"
    assert winter["availability"]["opens"] == "вт 09:00"  # Tuesday 1 December, 09:00 Kyiv time


def test_next_opening_counts_a_dst_change_on_the_way(kyiv):
    # Sunday 29 March 2026: Kyiv moves to UTC+3 at 01:00 UTC; Monday opens at 09:00 local = 06:00 UTC.
    result = triage(kyiv, "нужен счёт на оплату", now=utc(2026, 3, 29, 20, 0))
    assert result["availability"]["opens"] == "пн 09:00"
    assert triage(kyiv, "нужен счёт на оплату", now=utc(2026, 3, 30, 6, 0))["channel"]["id"] == "ticket"
    assert triage(kyiv, "нужен счёт на оплату", now=utc(2026, 3, 30, 5, 59))["channel"]["id"] == "email"


def test_named_zone_is_shown_with_its_offsets(kyiv):
    ticket = kyiv.channels["ticket"]
    assert availability.zone_text(ticket) == "Europe/Kyiv, UTC+02:00/+03:00"
    assert availability.zone_text({"hours": {"timezone": "+03:00", "windows": []}}) == "UTC+03:00"


def test_named_zone_table_is_exact():
    table = dict(compiler.zone_offsets("Europe/Kyiv"))
    assert table[int(utc(2026, 3, 29, 1, 0).timestamp())] == 180
    assert table[int(utc(2026, 10, 25, 1, 0).timestamp())] == 120
    assert set(compiler.zone_offsets("Europe/Moscow")) == {(int(utc(2020, 1, 1).timestamp()), 180)}


def test_now_as_iso_text_and_without_offset(full):
    assert triage(full, "нужен счёт на оплату", now="2026-12-01T19:30+03:00")["channel"]["id"] == "email"
    with pytest.raises(ValueError, match="UTC offset"):
        triage(full, "нужен счёт на оплату", now="2026-12-01T19:30")


def test_without_a_clock_hours_are_not_applied(full):
    result = triage(full, "нужен счёт на оплату")
    assert result["channel"]["id"] == "ticket"
    assert result["open_now"] is None and result["availability"]["at"] is None


def test_policies_without_windows_route_the_same_at_any_hour(policies):
    clocks = [None, at(0, 3), at(2, 12), at(5, 23, 45), at(6, 8)]
    for pid, policy in policies.items():
        for topic in policy.topics.values():
            text = topic["examples"][0]
            outcomes = {
                (r["channel"]["id"], r["fields"]["priority"])
                for r in (triage(policy, text, now=clock) for clock in clocks)
            }
            assert len(outcomes) == 1, (pid, text, outcomes)


# --- out of scope, optional blocks ----------------------------------------------------------------


def test_topic_pointing_out_of_scope_says_where_to_go(full):
    result = triage(full, "установите скрипт форума")
    assert result["out_of_scope"] == {
        "id": "scripts",
        "title": "Установка скриптов и обучение",
        "text": "Поддержка не устанавливает скрипты и не обучает работе с ними.",
        "instead": "Обратитесь к разработчику сайта.",
        "url": "https://full.example.ru/help/scripts",
    }
    assert result["reasons"][0].startswith("Поддержка не устанавливает скрипты")
    assert triage(full, "сайт не открывается")["out_of_scope"] is None


def test_policy_without_blocks_gets_default_block_titles(tmp_path):
    checked = checked_fixtures(tmp_path, "minimal")
    policy = Policy.from_json(compiler.to_json(checked.compiled["minimal"]))
    draft = triage(policy, "сайт не открывается")["draft"]
    assert [b["title"] for b in draft["blocks"].values()] == ["Данные аккаунта", "Подтверждение прав", "Описание"]


def test_client_area_with_parentheses_is_not_doubled(policies):
    from triage.availability import flatten_parentheses

    assert flatten_parentheses("(личный кабинет (BILLmanager))") == "(личный кабинет, BILLmanager)"
    for text in ("не работает сайт", "удалите мои данные, прошу подтвердить права", "забыл пароль от кабинета"):
        draft = triage(policies["landvps"], text)["draft"]["text"]
        assert "((" not in draft and "))" not in draft


def test_schema_reference_shows_code_not_backticks():
    page = (
        render.environment(ROOT / "templates")
        .get_template("schema.md.j2")
        .render(objects=render.schema_objects(), limits=render.limits())
    )
    assert "\\`" not in page
    assert "<code>providers/&lt;id&gt;.yaml</code>" in page


# --- the command line -----------------------------------------------------------------------------


def _cli(data: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "triage", "--data", str(data), "route", "--provider", "full", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_cli_at_routes_by_the_given_clock(tmp_path):
    checked = checked_fixtures(tmp_path, "full")
    data = tmp_path / "data"
    data.mkdir()
    (data / "full.json").write_text(compiler.to_json(checked.compiled["full"]), encoding="utf-8")
    evening = _cli(data, "--text", "нужен счёт на оплату", "--at", "2026-12-01T19:30+03:00", "--json")
    assert evening.returncode == 0, evening.stderr
    assert json.loads(evening.stdout)["channel"]["id"] == "email"
    morning = _cli(data, "--text", "нужен счёт на оплату", "--at", "2026-12-01T10:00+03:00", "--json")
    assert json.loads(morning.stdout)["channel"]["id"] == "ticket"
    bad = _cli(data, "--text", "нужен счёт", "--at", "завтра")
    assert bad.returncode == 2 and bad.stderr.startswith("python -m triage: error: --at:")
    assert "Traceback" not in bad.stderr
