"""The engine's input boundary (triage.sanitize): any input gives an answer that is valid UTF-8 JSON, in bounded
time, with Russian notices for what was cleaned or cut."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import api, secrets
from triage.sanitize import (
    ANSWER_LIMIT,
    DETAIL_LIMIT,
    FIELDS_LIMIT,
    TEXT_LIMIT,
    clean_answers,
    clean_details,
    clean_text,
)

PROVIDER = "spaceweb"


def _utf8_json(value) -> str:
    out = json.dumps(value, ensure_ascii=False, allow_nan=False)
    out.encode("utf-8")  # raises on a lone surrogate
    return out


# --- clean_text ---------------------------------------------------------------------------------------------


def test_lone_surrogates_are_removed():
    text, notes = clean_text("сайт \ud83d не работает \udc00")
    assert text == "сайт  не работает "
    assert notes and "служебные символы" in notes[0]


def test_control_characters_are_removed_but_tab_and_newline_kept():
    assert clean_text("a\x00b\x07c\td\ne\x1b[31m\x7f\x9b")[0] == "abc\td\ne[31m"


def test_line_separators_become_newlines():
    text, notes = clean_text("one\r\ntwo\rthree\x85four\u2028five\u2029six")
    assert text == "one\ntwo\nthree\nfour\nfive\nsix"
    assert notes == []


def test_clean_text_leaves_ordinary_text_alone():
    sample = "Заказ #123456, сервер 203.0.113.10 — ошибка 502 😀\n\tшаг 2"
    assert clean_text(sample) == (sample, [])


def test_long_text_is_cut_with_a_notice():
    text, notes = clean_text("слово " * 2000)
    assert len(text) <= TEXT_LIMIT and text.endswith("слово")
    assert notes == [f"Описание: сокращено до {TEXT_LIMIT} символов — дальше текст не учитывается."]


def test_a_cut_never_leaves_half_a_card_number():
    head = "а" * (TEXT_LIMIT - 10) + " карта "
    text, _ = clean_text(head + "4111 1111 1111 1111")
    assert text.endswith("карта") and "4111" not in text


def test_details_are_capped_and_named_in_the_notice():
    details, notes = clean_details({"error_text": "x" * (DETAIL_LIMIT + 5), "ip": None, "steps": ["1", None, "2"]})
    assert len(details["error_text"]) <= DETAIL_LIMIT
    assert details["steps"] == "1\n2" and "ip" not in details
    assert any("Точный текст или код ошибки" in n for n in notes)


def test_too_many_fields_are_dropped_with_a_notice():
    details, notes = clean_details({f"f{i}": "v" for i in range(FIELDS_LIMIT + 10)})
    assert len(details) == FIELDS_LIMIT and notes


def test_answers_are_cleaned_and_capped():
    answers, notes = clean_answers({"q": "да " * ANSWER_LIMIT, 1: [float("nan"), "\ud800", {"k": float("inf")}]})
    assert len(answers["q"]) <= ANSWER_LIMIT and notes
    assert answers["1"] == [None, "", {"k": None}]


# --- triage() and handle() ----------------------------------------------------------------------------------


def test_handle_answers_a_lone_surrogate(policies):
    request = json.dumps({"provider": PROVIDER, "text": "не работает сайт \ud800 пароль: Qwerty123"})
    out = api.handle(request, policies)
    out.encode("utf-8")
    reply = json.loads(out)
    assert reply["ok"], reply
    assert "\ud800" not in out and "Qwerty123" not in out
    assert reply["result"]["notices"]


def test_handle_answers_surrogates_everywhere(policies):
    request = (
        '{"provider": "' + PROVIDER + '", "text": "\\udfff", "answers": {"\\ud800": ["\\udbff", NaN, {"a": Infinity}]},'
        ' "details": {"domain": "\\ud800x.ru", "\\udc00": "\\u0000"}, "topic": "\\ud800"}'
    )
    reply = json.loads(api.handle(request, policies))
    assert reply["ok"], reply
    _utf8_json(reply)


def test_handle_unknown_provider_with_a_surrogate_is_an_error_not_a_crash(policies):
    out = api.handle(json.dumps({"provider": "x\ud800"}), policies)
    out.encode("utf-8")
    assert json.loads(out)["ok"] is False


def test_handle_suggest_with_a_megabyte(policies):
    reply = json.loads(
        api.handle(json.dumps({"provider": PROVIDER, "op": "suggest", "text": "сайт " * 200_000}), policies)
    )
    assert reply["ok"]


def test_triage_of_a_megabyte_is_capped(policies):
    result = api.triage(
        policies[PROVIDER],
        "сайт не открывается, ошибка 502. " * 32_000,
        details={"error_text": "502 Bad Gateway " * 10_000},
    )
    assert len(result["input"]["text"]) <= TEXT_LIMIT
    assert len(result["input"]["details"]["error_text"]) <= DETAIL_LIMIT
    assert len(result["notices"]) == 2
    _utf8_json(result)


def test_notices_are_empty_for_ordinary_input(policies):
    assert api.triage(policies[PROVIDER], "сайт не открывается")["notices"] == []


# --- properties ---------------------------------------------------------------------------------------------

#: Any code point, lone surrogates and control characters included.
any_text = st.text(st.characters(blacklist_categories=()), max_size=300)
any_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text)
any_value = st.recursive(
    any_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(any_text, inner, max_size=3)),
    max_leaves=8,
)
SETTINGS = settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    text=st.one_of(any_text, st.sampled_from(["пароль: Qwerty123", "4111 1111 1111 1111", "\ud800", ""])),
    answers=st.one_of(st.none(), st.dictionaries(st.one_of(any_text, st.integers()), any_value, max_size=3)),
    details=st.one_of(st.none(), st.dictionaries(any_text, any_value, max_size=4)),
    topic=st.one_of(st.none(), any_text),
)
def test_triage_never_raises_and_is_utf8_json(policies, text, answers, details, topic):
    result = api.triage(policies[PROVIDER], text, answers, details, topic)
    dumped = _utf8_json(result)
    assert "\ud800" not in dumped
    for note in result["notices"]:
        assert isinstance(note, str) and note


@SETTINGS
@given(
    request=st.one_of(
        any_text,
        st.dictionaries(
            st.sampled_from(["provider", "op", "text", "answers", "details", "topic"]), any_value, max_size=6
        ),
    )
)
def test_handle_always_returns_utf8_json(policies, request):
    if isinstance(request, dict) and "provider" in request and not isinstance(request["provider"], (list, dict)):
        request["provider"] = PROVIDER
    raw = request if isinstance(request, str) else json.dumps(request)
    out = api.handle(raw, policies)
    out.encode("utf-8")
    assert isinstance(json.loads(out)["ok"], bool)


def test_clean_text_result_is_always_utf8():
    sample = "".join(chr(c) for c in range(0, 0x110000, 97))
    text, _ = clean_text(sample, limit=10**6)
    text.encode("utf-8")
    assert secrets.mask(text) is not None
