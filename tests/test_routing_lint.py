"""Writers' guard (sitebuild/routing_lint.py): positioned warnings that do not fail `build.py check`."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

from sitebuild import routing_lint

ROOT = pathlib.Path(__file__).resolve().parents[1]
GOOD = ROOT / "tests" / "data" / "policies" / "good"


def _providers(tmp_path: pathlib.Path, policy_text: str, name: str = "full", lexicon: str | None = None):
    providers = tmp_path / "providers"
    providers.mkdir()
    (providers / f"{name}.yaml").write_text(policy_text, encoding="utf-8")
    if lexicon is not None:
        (providers / "_lexicon.yaml").write_text(lexicon, encoding="utf-8")
    return providers


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_topic_without_tests_is_a_positioned_warning(tmp_path):
    text = (GOOD / "full.yaml").read_text(encoding="utf-8")
    providers = _providers(tmp_path, text)
    found = [str(w) for w in routing_lint.warnings(ROOT, providers)]
    line = _line_of(text, "  - id: invoice")
    assert found == [
        f"providers/full.yaml:{line}:9: topics[id=invoice]: warning: the topic has no tests: add at "
        "least one `tests` entry (a customer's phrase and the channel you expect) so that a change "
        "elsewhere cannot reroute it unnoticed"
    ]


def test_topics_whose_examples_route_to_each_other(tmp_path):
    text = (GOOD / "full.yaml").read_text(encoding="utf-8")
    # Each topic gets an example that is really the other topic's situation.
    text = text.replace("      - сайт недоступен\n", "      - сайт недоступен\n      - нужен счёт на оплату сайта\n")
    text = text.replace(
        "      - нужен счёт на оплату\n", "      - нужен счёт на оплату\n      - сайт не открывается совсем\n"
    )
    providers = _providers(tmp_path, text)
    found = [str(w) for w in routing_lint.warnings(ROOT, providers) if "overlap" in str(w)]
    assert len(found) == 1, found
    match = re.match(
        r"providers/full\.yaml:(\d+):9: topics\[id=site_down\]\.examples\[(\d)\]: warning: "
        r"example '(.+?)' "
        r"routes to topic invoice, and invoice's example '.+?' \(topics\[id=invoice\]\.examples\[\d\]\) "
        r"routes to site_down: the two topics overlap \(both recommend channel ticket",
        found[0],
    )
    assert match, found[0]
    assert int(match.group(1)) == _line_of(text, f"      - {match.group(3)}")


def test_lexicon_cue_that_loses_a_meaningful_function_word(tmp_path):
    lexicon = (
        "synonyms:\n  - id: buy\n    words: [купить, заказать]\n"
        "intents:\n  - id: question\n    title: Вопрос\n    phrases: [сколько стоит, хочу купить]\n"
        "    concepts: [buy, sell]\n"
    )
    providers = _providers(tmp_path, (GOOD / "minimal.yaml").read_text(encoding="utf-8"), "minimal", lexicon)
    found = [str(w) for w in routing_lint.warnings(ROOT, providers) if "_lexicon" in str(w)]
    assert found == [
        "providers/_lexicon.yaml:7:30: intents[id=question].phrases[1]: warning: cue 'хочу купить' loses 'хочу' "
        "(a function word the engine does not match) and fires on 'куп' alone; write a cue whose own words carry "
        "the meaning, or use `tokens` for function words",
        "providers/_lexicon.yaml:8:21: intents[id=question].concepts[1]: warning: concept 'sell' is not a synonym "
        "group id",
    ]


def test_build_py_check_prints_warnings_and_still_passes(tmp_path):
    providers = _providers(tmp_path, (GOOD / "minimal.yaml").read_text(encoding="utf-8"), "minimal")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--providers", str(providers)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("providers/minimal.yaml:") and ": topics[id=site_down]: warning: " in lines[0]
    assert lines[-1] == "1 routing warning(s) (the check still passes)"


def test_the_providers_topics_do_not_overlap_across_channels():
    """The shipped policies: no two topics of different channels whose examples route to each other, no cue that
    loses its meaning."""
    found = [
        str(w)
        for w in routing_lint.warnings(ROOT, ROOT / "providers")
        if "no tests" not in str(w) and "only the topic shown differs" not in str(w)
    ]
    assert found == []
