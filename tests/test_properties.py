"""Properties of triage() for any provider, text, answers and details (hypothesis)."""

from __future__ import annotations

import json
import pathlib
import re
import urllib.parse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitebuild import load_and_compile
from triage import secrets, triage
from triage.render import MAILTO_LIMIT, TRUNCATION_NOTE
from triage.sanitize import DETAIL_LIMIT, clean_text
from triage.vocab import DESCRIPTION_FIELDS, IDENTIFIERS, OTHER_FIELDS

ROOT = pathlib.Path(__file__).resolve().parents[1]
_COMPILED, _PROBLEMS = load_and_compile(ROOT / "providers")
assert not _PROBLEMS, _PROBLEMS
_RAW = {pid: c["policy"] for pid, c in _COMPILED.items()}

PROVIDERS = sorted(_RAW)
EXAMPLES = sorted({x for p in _RAW.values() for t in p["topics"] for x in [t["title"], *t["examples"]]})
TOPIC_IDS = sorted({t["id"] for p in _RAW.values() for t in p["topics"]})
QUESTION_IDS = sorted({q["id"] for p in _RAW.values() for q in p.get("questions") or []})
ANSWER_VALUES = sorted({o["value"] for p in _RAW.values() for q in p.get("questions") or [] for o in q["options"]})
DESCRIPTION_NAMES = sorted({n for fields in DESCRIPTION_FIELDS.values() for n in fields})
#: Draft fields whose typed value must show up in the draft's text (the subject is a header, see below).
SHOWN_FIELDS = sorted(set(IDENTIFIERS) | set(DESCRIPTION_NAMES) | {"reply_to"})
KNOWN_FIELDS = sorted(set(SHOWN_FIELDS) | set(OTHER_FIELDS))

SETTINGS = settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])

# --- strategies -----------------------------------------------------------------------------------

_ALNUM = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _luhn_complete(body: str) -> str:
    """body + the check digit that makes it Luhn-valid."""
    for d in "0123456789":
        digits = body + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch)
            if i % 2 == 1:
                n = n * 2 - 9 if n * 2 > 9 else n * 2
            total += n
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


secret_values = st.text(_ALNUM, min_size=10, max_size=20).map(lambda s: s + "7x")
cards = (
    st.text("0123456789", min_size=15, max_size=15)
    .filter(lambda s: len(set(s)) > 3)
    .map(lambda s: _luhn_complete("4" + s[1:]))
    .map(lambda n: " ".join(n[i : i + 4] for i in range(0, 16, 4)))
)
secret_fragments = st.one_of(
    secret_values.map(lambda v: f"пароль: {v}"),
    secret_values.map(lambda v: f"password={v}"),
    st.text(_ALNUM, min_size=36, max_size=36).map(lambda v: f"ghp_{v}"),
    st.text(_ALNUM, min_size=20, max_size=40).map(lambda v: f"token: {v}"),
    st.text(_ALNUM, min_size=40, max_size=60).map(
        lambda v: f"-----BEGIN RSA PRIVATE KEY-----\n{v}\n-----END RSA PRIVATE KEY-----"
    ),
    cards,
)
identifier_fragments = st.sampled_from(
    [
        "203.0.113.10",
        "2001:db8::1",
        "заказ #123456",
        "№ 654321",
        "example.ru",
        "пример.рф",
        "admin@example.com",
        "+7 (495) 123-45-67",
        "договор 2024-000123",
        "в 10:30 МСК",
        "вчера в 23:15",
        "ошибка 502 Bad Gateway",
        "1) открываю сайт\n2) вижу ошибку",
        "а также",
        "!!!",
        "не могу войти в панель",
    ]
)
fragments = st.one_of(st.sampled_from(EXAMPLES), identifier_fragments, secret_fragments, st.text(max_size=30))
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(fragments, st.sampled_from([" ", ", ", ". ", "\n", " — ", "", "  \t"])), max_size=6).map(
        lambda parts: "".join(f + sep for f, sep in parts)
    ),
)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20)
)
answer_values = st.one_of(
    st.sampled_from(ANSWER_VALUES),
    st.sampled_from(["YES", " No ", "да", ""]),
    json_scalars,
    st.lists(json_scalars, max_size=3),
    st.dictionaries(st.text(max_size=5), json_scalars, max_size=2),
)
answers_dicts = st.dictionaries(
    st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=12), st.integers()), answer_values, max_size=4
)

long_texts = st.one_of(
    st.text(min_size=90, max_size=400),
    st.text(st.characters(min_codepoint=0x1F600, max_codepoint=0x1F64F), min_size=50, max_size=200),  # 4-byte UTF-8
    st.lists(st.sampled_from(EXAMPLES), min_size=2, max_size=12).map("\n".join),
)
detail_values = st.one_of(
    st.text(max_size=80),
    fragments,
    identifier_fragments,
    long_texts,
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.one_of(st.text(max_size=20), st.none()), max_size=3),
)
details_dicts = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_FIELDS), st.text(max_size=10)), detail_values, max_size=6
)
topics = st.one_of(st.none(), st.sampled_from(TOPIC_IDS), st.text(max_size=10))


def typed(value) -> str | None:
    """A detail value as the customer typed it, as the engine reads it (non-strings as text, cleaned at the
    boundary: no control characters, capped), or None if absent."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value if v is not None)
    return clean_text(str(value), DETAIL_LIMIT)[0]


def read(text: str) -> str:
    """The customer's text as the engine reads it (cleaned at the boundary)."""
    return clean_text(text)[0]


def secret_values_in(value: str) -> list[str]:
    return [value[s.start : s.end] for s in secrets.find(value)]


# --- properties -----------------------------------------------------------------------------------


@SETTINGS
@given(provider=st.sampled_from(PROVIDERS), text=texts, answers=answers_dicts, details=details_dicts, topic=topics)
def test_triage_never_raises_and_is_json(policies, provider, text, answers, details, topic):
    result = triage(policies[provider], text, answers, details, topic)
    dumped = json.dumps(result, ensure_ascii=False, allow_nan=False)
    assert json.loads(dumped)["draft"]["kind"] == result["channel"]["kind"]
    assert set(result["draft"]["blocks"]) == {"identification", "authorization", "description"}


def leaks(value: str, shown: str) -> bool:
    """Whether a secret value shows: a value of 8+ characters anywhere, a shorter one as a whole word
    (a 3-letter password may legitimately occur inside other words of the draft's own wording)."""
    if len(value) >= 8:
        return value in shown
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", shown) is not None


def field_secrets(details: dict) -> list[str]:
    return [v for raw in details.values() if (t := typed(raw)) is not None for v in secret_values_in(t)]


@SETTINGS
@given(provider=st.sampled_from(PROVIDERS), text=texts, answers=answers_dicts, details=details_dicts, topic=topics)
def test_text_is_kept_verbatim_or_masked(policies, provider, text, answers, details, topic):
    result = triage(policies[provider], text, answers, details, topic)
    text = read(text)
    draft = result["draft"]
    from_fields = [v for v in field_secrets(details) if leaks(v, text)]
    if not secrets.find(text):
        if not from_fields:  # (a secret typed in a field is hidden in the text too)
            assert text.strip() in draft["text"]
        return
    if not from_fields:
        assert secrets.mask(text).strip() in draft["text"]
    assert text.strip() not in draft["text"]
    masked_customer_text = result["input"]["text"]
    for value in secret_values_in(text):
        assert not leaks(value, masked_customer_text), f"secret {value!r} leaked"
        if len(value) >= 8:
            shown = json.dumps(
                {"draft": draft, "input": [result["input"]["text"], result["input"]["details"]]}, ensure_ascii=False
            )
            assert value not in shown, f"secret {value!r} leaked"
            assert value not in urllib.parse.unquote(draft["mailto"])
    assert "secret" in [w["code"] for w in draft["warnings"]]


@SETTINGS
@given(provider=st.sampled_from(PROVIDERS), text=texts, details=details_dicts, topic=topics)
def test_every_typed_field_is_in_the_draft(policies, provider, text, details, topic):
    result = triage(policies[provider], text, {}, details, topic)
    text = read(text)
    draft = result["draft"]
    shown = json.dumps(draft, ensure_ascii=False)
    hidden = field_secrets(details) + secret_values_in(text)
    for key, raw in details.items():
        value = typed(raw)
        if value is None:
            continue
        for secret in secret_values_in(value):
            if len(secret) >= 8:
                assert secret not in shown, f"secret {secret!r} of field {key!r} leaked"
        if str(key) in SHOWN_FIELDS and not any(leaks(h, value) for h in hidden):
            assert value.strip() in draft["text"], f"field {key!r} = {value!r} is missing from the draft"
    subject = typed(details.get("subject"))
    if draft["kind"] in ("ticket", "email") and subject and subject.strip() and not secrets.find(subject):
        assert draft["subject"], "a typed subject must give a subject"


def _mailto_parts(url: str) -> tuple[str, dict[str, str]]:
    assert url.startswith("mailto:")
    address, _, query = url[len("mailto:") :].partition("?")
    params = urllib.parse.parse_qs(query, keep_blank_values=True, strict_parsing=True)
    assert set(params) == {"subject", "body"} and all(len(v) == 1 for v in params.values()), params
    return urllib.parse.unquote(address), {k: v[0].replace("\r\n", "\n") for k, v in params.items()}


@SETTINGS
@given(provider=st.sampled_from(PROVIDERS), text=texts, details=details_dicts, topic=topics, no_panel=st.booleans())
def test_mailto_round_trip_and_limit(policies, provider, text, details, topic, no_panel):
    policy = policies[provider]
    result = triage(policy, text, {"panel_access": "no" if no_panel else "yes"}, details, topic)
    draft = result["draft"]
    if draft["kind"] != "email":
        assert draft["mailto"] == ""
        return
    url = draft["mailto"]
    assert len(url) <= MAILTO_LIMIT, f"mailto URL is {len(url)} characters"
    address, params = _mailto_parts(url)
    assert address == (policy.channels[draft["channel"]["id"]].get("address") or "")
    assert params["subject"] == draft["subject"]
    head = f"Тема: {draft['subject']}\n\n"
    assert draft["text"].startswith(head)
    body = draft["text"][len(head) :]
    sent = params["body"]
    if draft["mailto_truncated"]:
        assert sent.endswith(TRUNCATION_NOTE)
        sent = sent[: -len(TRUNCATION_NOTE)]
        assert body.startswith(sent)
    else:
        assert sent == body
    n = min(200, len(sent))
    assert sent[:n] == body[:n]


@settings(deadline=None, max_examples=60)
@given(text=st.text(max_size=60), value=secret_values, card=cards)
def test_secrets_mask_hides_every_found_value(text, value, card):
    """find()/mask() on their own: every found value is gone from the masked text, also when repeated."""
    for sample in (
        f"{text} пароль: {value} {text}",
        f"{text} карта {card}",
        f"пароль: {value}, повторяю {value}",
        f"{text}{value}{text}",
    ):
        masked = secrets.mask(sample)
        for found in secret_values_in(sample):
            assert not leaks(found, masked), (sample, masked)
    # a secret found in another field is hidden here too
    assert value not in secrets.mask(f"я ввёл {value}", secrets.find(f"я ввёл {value}", [(value, "password")]))
