"""What the generated help pages say: summaries faithful to each policy, reachable channels, clean Russian.

The pages are rendered in-process from providers/*.yaml (no mkdocs), then checked as the customer reads
them: Markdown link targets, HTML tags and escapes are stripped first.
"""

from __future__ import annotations

import collections
import html
import pathlib
import re

import pytest
import yaml

from sitebuild import check as checker
from sitebuild import pages as render
from sitebuild.project import Project
from triage import Policy
from triage.api import suggest, triage

ROOT = pathlib.Path(__file__).resolve().parents[1]

PROVIDERS = sorted(p.stem for p in (ROOT / "providers").glob("*.yaml") if not p.name.startswith("_"))
CUSTOMER_PAGES = ["index.md", "compare.md", "providers/index.md", *(f"providers/{p}.md" for p in PROVIDERS)]

#: Where each source sends urgent problems (read from the seed pages, not from the policies):
#: SpaceWeb and PeterHost — the phone («оперативного решения», «оперативное средство связи»);
#: INTROSERV — a ticket with priority «Высокий»; LandVPS — the ticket with the high priority.
URGENT = {"spaceweb": "phone", "peterhost": "phone", "introserv": "ticket", "landvps": "ticket"}


@pytest.fixture(scope="module")
def checked():
    result = checker.check(Project.here(str(ROOT / "providers")))
    assert not result.problems
    return result


@pytest.fixture(scope="module")
def pages(checked) -> dict[str, str]:
    return render.render_pages(ROOT / "templates", checked.policies, ROOT)


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    return {p: yaml.safe_load((ROOT / "providers" / f"{p}.yaml").read_text(encoding="utf-8")) for p in PROVIDERS}


def visible_text(markdown: str) -> str:
    """The text a reader sees: no generated-line comment, link targets, tags, attribute lists or escapes."""
    text = markdown.split("\n", 1)[1]
    text = re.sub(r"\{ *[#.][^}]*\}", "", text)  # { #anchor } and { .md-button }
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [title](target) -> [title]
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)  # <https://...> autolinks
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes
    return html.unescape(text)


def segments(markdown: str) -> list[str]:
    """List items, table cells and paragraphs, one per entry (a bullet split in two shows up unbalanced)."""
    lines: list[str] = []
    for line in visible_text(markdown).splitlines():
        starts = re.match(r"\s*([-*|#>]|\d+\.|!!!|\?\?\?)", line) or not line.strip()
        if lines and lines[-1].strip() and not starts:  # a paragraph wrapped over several lines
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    out = []
    for line in lines:
        for part in re.split(r"\s{2,}|\|", line):
            part = part.strip(" -*>!?\t").strip()
            if part:
                out.append(part)
    return out


def without_urls(text: str) -> str:
    """Addresses replaced by a word; a period right after one stays (it may end a sentence)."""

    def word(match: re.Match) -> str:
        return "ссылка" + match.group()[len(match.group().rstrip(".,;:")) :]

    return re.sub(r"https?://[A-Za-z0-9./%#?=&~+_-]+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w-]+(\.[a-z]{2,})+\b", word, text)


def without_quotes(text: str) -> str:
    return re.sub(r"«[^«»]*»", "«»", re.sub(r"«[^«»]*»", "«»", text))


DOUBLED = re.compile(r"\?\.|\?;|\.,|;\.|,\.|\.;|!\.|;;|,,|(?<!\.)\.\.(?!\.)")
NO_SPACE = re.compile(r"(?<=[a-zа-яё0-9»)])\.(?=[A-ZА-ЯЁ«])")
#: «на странице» that does not say which page («Номер телефона на странице не указан.»).
UNNAMED_PAGE = re.compile(r"на странице(?=\s*[.,;:)]|\s+не\b)", re.IGNORECASE)
LOWER_ABBR = re.compile(r"(?<![\w-])(ssl|dns|ip|инн|vps|vds|ftp|ssh|cpu|url)(?![\w])")
FIRST_PERSON = re.compile(
    r"(?<![\w-])(мы|нам|нас|нами|наш|наша|наше|наши|нашей|нашего|нашу|нашим|наших|нашем)"
    r"(?![\w-])",
    re.IGNORECASE,
)


def problems(markdown: str) -> list[str]:
    found = []
    for seg in segments(markdown):
        plain = without_urls(seg)
        if m := DOUBLED.search(plain):
            found.append(f"doubled punctuation {m.group()!r}: {seg}")
        if NO_SPACE.search(plain):
            found.append(f"no space after a period: {seg}")
        depth, nested = 0, False
        for ch in plain:
            depth += ch == "("
            nested |= depth > 1
            depth -= ch == ")"
            if depth < 0:
                break
        if nested:
            found.append(f"nested parentheses: {seg}")
        if depth != 0:
            found.append(f"unbalanced parentheses (a list item split in two?): {seg}")
        if UNNAMED_PAGE.search(plain):
            found.append(f"«на странице» without saying which: {seg}")
        if m := LOWER_ABBR.search(plain):
            found.append(f"abbreviation in lower case {m.group()!r}: {seg}")
        if m := FIRST_PERSON.search(without_quotes(plain)):
            found.append(f"the provider's first person {m.group()!r} outside a quote: {seg}")
    return found


@pytest.mark.parametrize("page", CUSTOMER_PAGES)
def test_page_language(pages, page):
    assert not problems(pages[page]), "\n".join(problems(pages[page]))


@pytest.mark.parametrize(
    "sample, what",
    [
        ("- Почему не работает сайт?; почему не работает почта?.", "doubled"),
        ("Сайт провайдера: <https://sweb.ru>.Правила сверены", "no space"),
        ("- данные владельца (например", "unbalanced"),
        ("Войдите: (личный кабинет (BILLmanager)).", "nested"),
        ("- укажите ip-адрес сервера", "lower case"),
        ("- укажите инн организации", "lower case"),
        ("Так мы сможем смоделировать ситуацию.", "first person"),
        ("**Адрес:** Номер телефона на странице не указан.", "without saying which"),
    ],
)
def test_language_check_catches_the_errors_found_on_the_pages(sample, what):
    found = problems("generated line\n" + sample + "\n")
    assert any(what in f for f in found), found


@pytest.mark.parametrize(
    "sample",
    [
        "Адрес: support@introserv.com, сайт https://sweb.ru. Правила сверены.",
        "IP-адрес сервера, имя домена и т.д. Подробнее...",
        "Поддержка SpaceWeb отвечает «Так мы сможем произвести анализ».",
        "Версия 1.5 вышла; SSL-сертификат не выпустился.",
        "Откройте на странице входа раздел «Поддержка».",
    ],
)
def test_language_check_lets_correct_text_pass(sample):
    assert problems("generated line\n" + sample + "\n") == []


# --- summaries faithful to each policy ---------------------------------------------------------------


def summary_row(page: str, provider: str) -> str:
    match = re.search(rf'<tr data-provider="{provider}">(.*?)</tr>', page)
    assert match, provider
    return match.group(1)


def cell(row: str, attribute: str) -> str | None:
    match = re.search(rf'{attribute}="([\w-]+)"', row)
    return match.group(1) if match else None


@pytest.mark.parametrize("page", ["index.md", "compare.md"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_summaries_follow_the_policy(pages, raw, page, provider):
    p = raw[provider]
    titles = {c["id"]: c["title"] for c in p["channels"]}
    counts = collections.Counter(t["channel"] for t in p["topics"])
    row = summary_row(pages[page], provider)
    usual = cell(row, "data-usual")
    assert counts[usual] == max(counts.values()), (usual, counts)
    assert titles[usual] in html.unescape(row)
    assert cell(row, "data-urgent") == URGENT[provider]
    no_access = [
        r["channel"] for r in p["routing"].get("rules", []) if (r.get("when") or {}).get("panel_access") == "no"
    ]
    assert cell(row, "data-no-access") == no_access[0]
    for c in p["channels"]:  # an unreachable channel is said to be so wherever it is recommended
        if (
            c["id"] in (usual, URGENT[provider], no_access[0])
            and c["kind"] in ("phone", "email")
            and not c.get("address")
        ):
            assert "в источнике не указан" in html.unescape(row), c["id"]


def test_home_page_states_no_generic_rule_the_sources_contradict(pages, raw):
    text = visible_text(pages["index.md"])
    assert "Телефон — для срочных" not in text
    assert "Рекомендуемый способ" not in text
    # what the home page says about every provider holds for every policy
    for p in raw.values():
        assert all(c["authorized"] for c in p["channels"] if c["kind"] == "ticket"), p["provider"]["id"]
        assert not any(c["authorized"] for c in p["channels"] if c["kind"] in ("phone", "chat"))


def test_auto_reply_and_self_service_are_labelled_as_what_they_are(pages, raw):
    compare = visible_text(pages["compare.md"])
    assert "ответ — В течение 1-2 минут приходит автоответ" not in compare
    peterhost = visible_text(pages["providers/peterhost.md"])
    assert "Автоответ с номером заявки: в течение 1–2 минут" in peterhost
    channels_table = pages["compare.md"].split("## Способы связи", 1)[1].split("## ", 1)[0]
    for p in raw.values():
        for c in p["channels"]:
            if c["kind"] == "self_service":
                assert c["title"] not in html.unescape(channels_table), c["title"]
                assert c["title"] in html.unescape(pages["compare.md"].split("## Уведомления и настройки")[1])


# --- reachability -----------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_channel_says_how_to_reach_it(pages, raw, provider):
    page = pages[f"providers/{provider}.md"]
    site = raw[provider]["provider"]["site"]
    for c in raw[provider]["channels"]:
        section = page.split(f"{{ #{c['id']} }}", 1)[1].split("\n### ", 1)[0]
        address = c.get("address")
        if address and c["kind"] == "phone":
            assert 'href="tel:' in section
        elif address and "@" in address:
            assert f'href="mailto:{address}"' in section
        elif c["kind"] in ("phone", "email", "messenger"):
            assert c["kind"] != "phone" or "**Телефон:** Номер телефона в источнике не указан" in section
            assert f'href="{site}"' in section and "в источнике" in section, c["id"]
    assert "**Адрес:** Номер телефона" not in page


def test_engine_says_which_channels_cannot_be_reached_and_what_to_use_instead(checked):
    policy = Policy(checked.compiled["spaceweb"])
    phone = policy.channel_summary("phone")
    assert phone["reachable"] is False and phone["site"] == "https://sweb.ru"
    assert [a["id"] for a in phone["alternatives"]] == ["chat", "panel_ticket"]  # the policy's own rule first
    assert policy.channel_summary("panel_ticket")["reachable"] is True
    introserv = Policy(checked.compiled["introserv"])
    assert introserv.channel_summary("email")["href"] == "mailto:support@introserv.com"
    assert "alternatives" not in introserv.channel_summary("email")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_suggestion_links_to_its_row_on_the_help_page(checked, pages, provider):
    policy = Policy(checked.compiled[provider])
    page = pages[f"providers/{provider}.md"]
    for topic in policy.topics.values():
        for s in suggest(policy, topic["title"]):
            path, anchor = s["help_url"].split("#")
            assert path == f"providers/{provider}/"
            assert f'<tr id="{anchor}">' in page


def test_a_recommended_channel_without_a_number_comes_with_a_reachable_alternative(checked):
    result = triage(Policy(checked.compiled["spaceweb"]), "сайт не работает")
    channel = result["channel"]
    assert channel["id"] == "phone" and channel["reachable"] is False
    assert channel["reach_note"] == "Номер телефона в источнике не указан."
    assert channel["alternatives"][0] == {
        "id": "chat",
        "kind": "chat",
        "title": "Чат на сайте",
        "href": "https://sweb.ru",
    }


def test_schema_reference_shows_quotes_in_types_and_descriptions_as_typed():
    """Types like `"+03:00"` reach the page as <code>"+03:00"</code>: never an escaped entity shown literally."""
    import markdown

    page = markdown.markdown(
        render.render_pages(ROOT / "templates", {}, ROOT)["writers/schema.md"], extensions=["tables"]
    )
    assert "&amp;#34;" not in page and "&amp;quot;" not in page
    assert "<code>&#34;+03:00&#34;</code>" in page or '<code>"+03:00"</code>' in page
