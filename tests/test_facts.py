"""Facts recognised in the customer's text, and what every draft must never contain."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import facts, triage
from triage.render import MAILTO_LIMIT

PROVIDERS = ["introserv", "landvps", "peterhost", "spaceweb"]
SETTINGS = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

# --- examples: one per fact kind -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("не уходят письма на домене bakery-demo.ru", "domain", "bakery-demo.ru"),
        ("сайт пример.рф не открывается", "domain", "пример.рф"),
        ("страница https://shop42.ru/cart?x=1 пустая", "urls", "https://shop42.ru/cart?x=1"),
        ("сервер 203.0.113.10 недоступен", "ip", "203.0.113.10"),
        ("адрес 2001:db8::1 не пингуется", "ip", "2001:db8::1"),
        ("пишите на admin@example.com", "email", "admin@example.com"),
        ("логин shop42, не могу войти", "login", "shop42"),
        ("договор 778899/20", "contract", "778899/20"),
        ("заявка 3345012 висит", "ticket", "3345012"),
        ("по заявке 731902 мне так и не помогли", "ticket", "731902"),
        ("тикет #45821 закрыли", "ticket", "#45821"),
        ("заказ #123456 не активирован", "order", "#123456"),
        ("счёт 2024-015 не оплачен", "invoice", "2024-015"),
        ("отказ 554 5.7.1, письмо не ушло", "error_text", "554 5.7.1"),
        ("выдаёт 502 Bad Gateway", "error_text", "502 Bad Gateway"),
        ("ошибка 500 на главной", "error_text", "ошибка 500"),
        ("в логе out of memory", "error_text", "out of memory"),
        ("пишет «Доступ запрещён» при входе", "error_text", "«Доступ запрещён»"),
        ("с 10:30 МСК не работает", "started_at", "с 10:30 МСК"),
        ("с 8 утра не открывается", "started_at", "с 8 утра"),
        ("с 22:15 CET сервер недоступен", "started_at", "с 22:15 CET"),
        ("вчера вечером всё сломалось", "started_at", "вчера вечером"),
        ("down since 3am", "started_at", "since 3am"),
        ("падает каждый день", "frequency", "каждый день"),
        ("периодически пропадает связь", "frequency", "периодически"),
        ("отваливается раз в час", "frequency", "раз в час"),
    ],
)
def test_each_fact_kind_is_recognised(text, field, value):
    assert facts.recognise(text).get(field) == value


@pytest.mark.parametrize(
    "text, field",
    [
        ("версия PHP 10.15", "started_at"),  # a version is no clock time
        ("уже 3 дня не работает", "started_at"),  # a duration is no start time
        ("файл wp-config.php пустой", "domain"),  # a file name is no domain
        ("оплатил 500 рублей", "error_text"),  # an amount is no status code
        ("счёт на 500 рублей", "invoice"),
        ("554 5.7.1", "started_at"),  # an SMTP status is no time
        ("логин Иванов", "login"),  # a login is Latin letters and digits
    ],
)
def test_no_fact_is_invented(text, field):
    assert field not in facts.recognise(text)


def test_a_recognised_value_is_always_the_customers_own_text():
    text = "с 12:00 МСК не уходят письма с ящика на домене bakery-demo.ru, отказ 554 5.7.1, логин bakery01"
    for fact in facts.find(text):
        assert text[fact.start : fact.end] == fact.value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("аккаунта у меня пока нет, хочу купить VPS", True),
        ("аккаунта нет, подскажите тариф", True),
        ("нет аккаунта, но хочу заказать хостинг", True),
        ("не могу войти в аккаунт", False),
        ("у меня нет доступа к панели", False),
    ],
)
def test_no_account_signal(text, expected):
    assert facts.no_account(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("есть ли у вас серверы с GPU?", True),
        ("хочу купить VPS", True),
        ("сайт не работает", False),
    ],
)
def test_presales_signal(text, expected):
    assert facts.presales(text) is expected


# --- property: a fact in the text reaches draft.values ----------------------------------------------

_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=12).filter(lambda s: s[0].isalpha())
domains = st.tuples(_LABEL, st.sampled_from(["ru", "com", "net", "рф", "org", "online"])).map(".".join)
ipv4s = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
ipv6s = st.tuples(st.integers(1, 0xFFFF), st.integers(0, 0xFFFF), st.integers(1, 0xFFFF)).map(
    lambda t: f"2001:{t[0]:x}:{t[1]:x}::{t[2]:x}"
)
emails = st.tuples(_LABEL, domains).map("@".join)
numbers = st.integers(1000, 99999999).map(str)

FRAMES = {
    "domain": (domains, ["сайт {} не открывается", "почта на домене {} не работает", "{}: ошибка 502"]),
    "ip": (st.one_of(ipv4s, ipv6s), ["сервер {} недоступен", "не пингуется {}", "IP {}, ssh не пускает"]),
    "email": (emails, ["не приходят письма на {}", "мой адрес {}", "ящик {} переполнен"]),
    "ticket": (numbers, ["по заявке {} не ответили", "заявка {} висит", "тикет #{} закрыли"]),
    "order": (numbers, ["заказ {} не активирован", "заказ №{} оплачен"]),
    "contract": (numbers, ["договор {}", "по договору № {} вопрос"]),
}


@SETTINGS
@given(
    provider=st.sampled_from(PROVIDERS),
    data=st.data(),
    field=st.sampled_from(sorted(FRAMES)),
    before=st.sampled_from(["", "Здравствуйте! ", "срочно: "]),
    after=st.sampled_from(["", ".", ", помогите"]),
)
def test_every_fact_in_the_text_reaches_the_values(policies, provider, data, field, before, after):
    values_of, frames = FRAMES[field]
    value = data.draw(values_of)
    frame = data.draw(st.sampled_from(frames))
    text = before + frame.format(value) + after
    draft = triage(policies[provider], text)["draft"]
    got = draft["values"].get(field, "")
    assert value in got, f"{field} {value!r} from {text!r} did not reach draft.values: {draft['values']}"
    assert draft["recognised"].get(field) == got
    for name, v in draft["recognised"].items():  # never invented: a recognised value is typed text
        for item in re.split(r",\s*", v):
            assert item in text, f"recognised {name}={item!r} is not in {text!r}"


@SETTINGS
@given(provider=st.sampled_from(PROVIDERS), value=domains)
def test_a_typed_value_wins_over_a_recognised_one(policies, provider, value):
    draft = triage(policies[provider], "сайт other-site.ru не открывается", {}, {"domain": value})["draft"]
    assert draft["values"]["domain"] == value
    assert "domain" not in draft["recognised"]
    plan = {f["id"]: f for f in draft["fields"]}
    if "domain" in plan:
        assert plan["domain"]["source"] == "typed"


# --- what a draft never contains outside the customer's own text -----------------------------------

SITE_WORDS = re.compile(r"(?i)страниц|справк|мастер")
CUSTOMER_TEXTS = [
    "с 12:00 МСК не уходят письма с ящика на домене bakery-demo.ru, отказ 554 5.7.1, логин bakery01",
    "сервер медленно отвечает",
    "по заявке 731902 мне так и не помогли, хочу пожаловаться",
    "аккаунта у меня пока нет, хочу купить VPS",
    "сменить владельца",
    "восстановить пароль",
    "",
    "помогите",
]


def _without(text: str, parts: list[str]) -> str:
    for part in sorted(set(p for p in parts if p), key=len, reverse=True):
        text = text.replace(part, " ")
    return text


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("answers", [{}, {"panel_access": "no"}, {"call_ok": "yes"}])
def test_no_placeholders_or_site_words_in_any_draft(policies, provider, answers):
    policy = policies[provider]
    texts = CUSTOMER_TEXTS + [t["examples"][0] for t in policy.topics.values()]
    for text in texts:
        for topic in [None, *policy.topics]:
            result = triage(policy, text, {k: v for k, v in answers.items() if k in policy.questions}, {}, topic)
            draft = result["draft"]
            # What the engine writes itself: without the customer's words and the provider's own words quoted
            # from the policy (steps in its panel, what to prepare, the topic's name).
            channel = policy.channels[draft["channel"]["id"]]
            quoted = [
                item for key in ("how_to", "prepare", "include", "cannot", "after") for item in channel.get(key) or []
            ]
            quoted += [t[k] for t in policy.topics.values() for k in ("title", "subject") if t.get(k)]
            own = _without(draft["text"], [result["input"]["text"].strip(), *draft["values"].values(), *quoted])
            where = f"{provider} {topic} {text!r}:\n{draft['text']}"
            assert "[" not in own, "a placeholder in " + where
            assert not SITE_WORDS.search(own), "a remark about the site in " + where
            assert "Достаточно одного из" not in own, where
            if draft["kind"] in ("ticket", "email"):
                assert all(b["lines"] for b in draft["blocks"].values()), "an empty block in " + where
            for warning in draft["warnings"]:
                assert not SITE_WORDS.search(warning["message"]), warning


# --- examples from the issue ----------------------------------------------------------------------


def test_bakery_mail_example(policies):
    text = "с 12:00 МСК не уходят письма с ящика на домене bakery-demo.ru, отказ 554 5.7.1, логин bakery01"
    draft = triage(policies["spaceweb"], text)["draft"]
    assert draft["subject"] == "Не работает почта на домене bakery-demo.ru: 554 5.7.1"
    assert {k: draft["values"][k] for k in ("login", "domain", "error_text", "started_at")} == {
        "login": "bakery01",
        "domain": "bakery-demo.ru",
        "error_text": "554 5.7.1",
        "started_at": "с 12:00 МСК",
    }
    plan = {f["id"]: f for f in draft["fields"]}
    assert plan["login"]["source"] == "recognised" and plan["login"]["value"] == "bakery01"
    assert plan["started_at"]["source"] == "recognised"
    assert "Логин: bakery01" in draft["blocks"]["identification"]["lines"]


def test_peterhost_complaint_example(policies):
    draft = triage(policies["peterhost"], "по заявке 731902 мне так и не помогли, хочу пожаловаться")["draft"]
    assert draft["values"]["ticket"] == "731902"
    assert "[укажите]" not in draft["text"] and "731902" in draft["blocks"]["identification"]["text"]
    assert "страниц" not in draft["blocks"]["authorization"]["text"]
    assert "no_identification" not in [w["code"] for w in draft["warnings"]]


def test_presales_example(policies):
    for provider in PROVIDERS:
        result = triage(policies[provider], "аккаунта у меня пока нет, подскажите, какой тариф выбрать для сайта")
        draft = result["draft"]
        assert draft["no_account"] and draft["presales"]
        codes = [w["code"] for w in draft["warnings"]]
        assert "no_identification" not in codes
        assert not any("не сможет найти ваш аккаунт" in w["message"] for w in draft["warnings"])
        if draft["kind"] in ("ticket", "email"):
            assert draft["blocks"]["identification"]["lines"][0] == "Аккаунта пока нет."
        assert not [f for f in draft["fields"] if f["block"] == "identification" and f["required"]]


@pytest.mark.parametrize(
    "provider, text, wrong",
    [
        ("introserv", "сервер медленно отвечает", "Сервер самопроизвольно перезагружается"),
        ("peterhost", "сменить владельца", "Смена административного e-mail"),
        ("peterhost", "восстановить пароль", "Запрос конфиденциальных данных"),
    ],
)
def test_the_subject_never_names_another_problem(policies, provider, text, wrong):
    subject = triage(policies[provider], text)["draft"]["subject"]
    assert wrong not in subject
    assert subject.lower().startswith(text.split()[0].lower()), subject


# --- field plan and export ------------------------------------------------------------------------


def test_field_plan_shape(policies):
    draft = triage(policies["introserv"], "сервер 203.0.113.10 полностью недоступен")["draft"]
    keys = {"id", "label", "kind", "placeholder", "required", "block", "value", "source", "hint"}
    assert all(set(f) == keys for f in draft["fields"])
    ids = [f["id"] for f in draft["fields"]]
    assert ids[:3] == ["ip", "order", "service"]  # the channel's identification fields first, in its order
    assert ids.index("subject") < ids.index("text") < ids.index("steps")
    ip = draft["fields"][0]
    assert ip["value"] == "203.0.113.10" and ip["source"] == "recognised" and ip["hint"]
    assert [h["label"] for h in draft["header"]] == ["Тема", "Отдел", "Приоритет", "Услуга"]
    assert draft["text"].startswith("\n".join(f"{h['label']}: {h['value']}" for h in draft["header"]))


def test_mailto_carries_a_whole_ordinary_draft(policies):
    text = (
        "заявка требует длительного анализа: сайт bakery-demo.ru с 10:30 МСК периодически отдаёт ошибку 502, "
        "в панель зайти не могу, договор 778899/20. Сначала открываю главную, потом каталог, и каталог падает."
    )
    draft = triage(policies["peterhost"], text, {"panel_access": "no"})["draft"]
    assert draft["kind"] == "email" and len(draft["text"]) > 450
    assert not draft["mailto_truncated"]
    assert len(draft["mailto"]) <= MAILTO_LIMIT
    body = urllib.parse.parse_qs(draft["mailto"].split("?", 1)[1])["body"][0].replace("\r\n", "\n")
    assert body == draft["text"].split("\n\n", 1)[1]


def test_mailto_cut_only_beyond_the_limit_and_says_so(policies):
    text = "заявка требует длительного анализа, договор 778899/20. " + "Подробности: " + "длинное описание " * 150
    draft = triage(policies["peterhost"], text, {"panel_access": "no"})["draft"]
    assert draft["kind"] == "email" and draft["mailto_truncated"] and len(draft["mailto"]) <= MAILTO_LIMIT
    assert "mailto_truncated" in [w["code"] for w in draft["warnings"]]
    assert text.strip() in draft["text"]  # copy and .txt carry everything


def test_a_chat_opening_is_short_or_warned(policies):
    short = triage(policies["spaceweb"], "общий вопрос, не хочу звонить: логин shop42, есть PHP 8.3?")["draft"]
    assert short["kind"] == "chat" and len(short["sections"][0]["lines"][0]) <= 400
    assert "long_opening" not in [w["code"] for w in short["warnings"]]
    long = triage(policies["spaceweb"], "общий вопрос, не хочу звонить: " + "подробности вопроса " * 30)["draft"]
    assert long["kind"] == "chat" and "long_opening" in [w["code"] for w in long["warnings"]]
