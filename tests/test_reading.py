"""How the engine reads a customer's words before routing (issue 11): one row per case.

`same`: the text reads as another text (the same stems with the same negations). `negated` / `plain`: these
stems are / are not negated. `intent`: the intent read from the text (or `not_intent`: an intent it must not read).
"""

from __future__ import annotations

import pytest

from triage.match import raw_units

CASES = [
    # Keyboard layout: Russian typed with the Latin layout on.
    {"id": "layout-net-dostupa", "text": "ytn ljcnegf r gfytkb", "same": "нет доступа к панели"},
    {"id": "layout-comma-is-a-letter", "text": "gjxnf yt hf,jnftn", "same": "почта не работает"},
    {"id": "layout-known-latin-stays", "text": "server down", "same": "server down"},
    # «не» glued to the verb; words that only begin with «не» stay whole.
    {"id": "glued-ne-mogu", "text": "немогу зайти в панель", "same": "не могу зайти в панель"},
    {"id": "glued-ne-rabotaet", "text": "почта неработает", "same": "почта не работает"},
    {"id": "nesko-is-no-negation", "text": "несколько сайтов", "plain": ["несколько"]},
    {"id": "nedelyu-is-no-negation", "text": "уже неделю", "plain": ["неделю"]},
    # One typo in a word of 5+ letters: the known word form one edit away.
    {"id": "typo-dropped-letter", "text": "верните деьги", "same": "верните деньги"},
    {"id": "typo-swapped-letters", "text": "сервер не отвеачет", "same": "сервер не отвечает"},
    # English negations and function words.
    {"id": "en-nothing-is-down", "text": "nothing is down", "negated": ["down"]},
    {"id": "en-doesnt", "text": "the site doesn't load", "negated": ["load"]},
    # Clause-final «нет»: the few words before it, and «или нет» negates nothing.
    {
        "id": "net-scope",
        "text": "сайт грузится очень долго а нагрузки на сервер нет",
        "plain": ["сайт"],
        "negated": ["нагрузки"],
    },
    {"id": "ili-net", "text": "ответили уже или нет", "plain": ["ответили"]},
    # Intent cues.
    {
        "id": "intent-question-without-mark",
        "provider": "introserv",
        "text": "какие ос доступны для выделенных серверов",
        "intent": "question",
    },
    {
        "id": "intent-translit-question",
        "provider": "introserv",
        "text": "mozhno li u vas postavit windows na dedik",
        "intent": "question",
    },
    {"id": "intent-request-number", "provider": "spaceweb", "text": "чё там по заявке 4471002", "intent": "status"},
    {
        "id": "intent-number-far-from-request",
        "provider": "introserv",
        "text": "сервер недоступен, ping пишет Request timed out, заказ #123456",
        "not_intent": "status",
    },
    {
        "id": "intent-hardware-is-no-problem",
        "provider": "introserv",
        "text": "какие процессоры стоят в ваших серверах?",
        "intent": "question",
    },
    {
        "id": "intent-complaint-exact-form",
        "provider": "spaceweb",
        "text": "жалуюсь на ответ по заявке 6612100, сотрудник не разобрался",
        "intent": "complaint",
    },
    {
        "id": "intent-third-person-is-no-complaint",
        "provider": "spaceweb",
        "text": "контент-менеджер жалуется, что страницы сайта открываются очень долго",
        "not_intent": "complaint",
    },
]


def _keys(policy, text: str) -> list[str]:
    return [u.key for u in policy.matcher.lexicon.units(text)]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reading(policies, case):
    policy = policies[case.get("provider", "spaceweb")]
    units = policy.matcher.lexicon.units(case["text"])
    if "same" in case:
        assert _keys(policy, case["text"]) == _keys(policy, case["same"]), (case["text"], case["same"])
    for word in case.get("negated", []):
        stem = raw_units(word)[0][1]
        assert any(u.stem == stem and u.neg for u in units), (word, [u.key for u in units])
    for word in case.get("plain", []):
        stem = raw_units(word)[0][1]
        assert any(u.stem == stem and not u.neg for u in units), (word, [u.key for u in units])
    if "intent" in case or "not_intent" in case:
        got = policy.signals.intent(units, case["text"])
        if "intent" in case:
            assert got["id"] == case["intent"], got
        else:
            assert got["id"] != case["not_intent"], got
