"""The wizard shows the engine's answer as returned: recognised facts, warnings beside the draft, the topic
question when the engine is unsure, its explanation, channel status and reachability; and it works on a phone.

Same conventions as test_wizard.py (whose helpers this module uses): Chromium on the built site, every request
kept on the site's origin, expectations from the engine run by CPython in this process.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from playwright.sync_api import Page, expect
from test_wizard import (
    MOUSE,
    PROVIDERS,
    SCREENSHOTS,
    UI_TIMEOUT,
    answer_by_mouse,
    assert_no_offsite,
    cpython,
    deep_link,
    detail_field,
    draft_box,
    expect_result,
    expect_step,
    open_details,
    open_wizard,
    panel,
    policies,
    provider_select,
    question_default,
    questions_step_ids,
    root,
    text_box,
)

from triage.sanitize import DETAIL_LIMIT

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 768}
BAKERY = "с 12:00 МСК не уходят письма с ящика на домене bakery-demo.ru, отказ 554 5.7.1, логин bakery01"
# Several topics fit: the engine asks «Что ближе к вашей ситуации?» (checked against CPython in the test).
AMBIGUOUS = ("spaceweb", "не работает")


def shoot_view(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def flow_answers(provider: str) -> dict[str, str]:
    """The mouse flow's answers, with the default for every other open question."""
    flow = MOUSE[provider]
    open_now = [q["id"] for q in cpython(provider, flow.text)["questions"]]
    return {q: flow.answers.get(q, question_default(provider, q)) for q in open_now}


# --- recognised facts ------------------------------------------------------------------------------


def test_recognised_facts_are_prefilled_marked_and_correctable(new_guarded_page, site_origin):
    provider = "spaceweb"
    page = new_guarded_page()
    open_wizard(page, site_origin, deep_link(provider=provider, text=BAKERY, panel_access="yes"))
    want = expect_result(page, provider, BAKERY, {"panel_access": "yes"})
    recognised = {f["id"]: f["value"] for f in want["draft"]["fields"] if f["source"] == "recognised"}
    assert {"domain", "login", "error_text", "started_at"} <= set(recognised), recognised
    open_details(page)
    for entry in want["draft"]["fields"]:
        badge = panel(page, "result").locator(f'[data-recognised="{entry["id"]}"]')
        if entry["id"] in recognised:
            expect(detail_field(page, entry["id"]), f"{entry['id']} prefilled").to_have_value(recognised[entry["id"]])
            expect(badge, f"{entry['id']} marked as found in the description").to_be_visible()
            expect(badge).to_have_text("нашли в описании")
        elif entry["id"] != "text":
            expect(badge, f"{entry['id']} was not recognised").to_be_hidden()
    expect(panel(page, "result").locator("[data-details-count]")).to_contain_text(str(len(recognised)))

    # The customer corrects a recognised value: theirs wins, in the field and in the draft.
    login = detail_field(page, "login")
    login.fill("bakery02")
    want = expect_result(page, provider, BAKERY, {"panel_access": "yes"}, {"login": "bakery02"})
    assert "Логин: bakery02" in want["draft"]["text"]
    expect(panel(page, "result").locator('[data-recognised="login"]')).to_be_hidden()
    expect(panel(page, "result").locator('[data-recognised="domain"]')).to_be_visible()
    assert_no_offsite(page)


# --- the draft's export and warnings ---------------------------------------------------------------


def test_mailto_carries_the_whole_body_of_a_450_character_draft(new_guarded_page, site_origin):
    provider = "spaceweb"
    text = (
        "с 9 утра не работает почта на домене bakery-demo.ru: письма клиентам не уходят, "
        "в ответ приходит отказ 554 5.7.1, логин bakery01"
    )
    details = {"steps": "Отправляю письмо из веб-почты на адрес клиента, через минуту приходит отказ"}
    answers = {"panel_access": "no"}
    page = new_guarded_page()
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, **answers))
    expect_result(page, provider, text, answers)
    detail_field(page, "steps").fill(details["steps"])
    want = expect_result(page, provider, text, answers, details)
    draft = want["draft"]
    assert want["channel"]["kind"] == "email" and 400 <= len(draft["text"]) <= 520, len(draft["text"])
    assert not draft["mailto_truncated"]
    link = page.locator("a[data-mailto]")
    expect(link).to_have_attribute("href", draft["mailto"], timeout=UI_TIMEOUT)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.get_attribute("href")).query)
    body = query["body"][0].replace("\r\n", "\n")
    expected = draft["text"].split("\n", 2)[2] if draft["text"].startswith("Тема: ") else draft["text"]
    assert body == expected, "the mailto body is the whole draft below the subject line"
    assert query["subject"][0] == draft["subject"]
    expect(page.locator("[data-mailto-note]")).not_to_contain_text("буфер")
    assert_no_offsite(page)


def test_warnings_are_listed_beside_the_draft_never_in_it(new_guarded_page, site_origin):
    provider, text = "introserv", "сервер полностью недоступен"
    page = new_guarded_page()
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, panel_access="yes"))
    want = expect_result(page, provider, text, {"panel_access": "yes"})
    warnings = want["draft"]["warnings"]
    assert warnings, "this draft should carry warnings (what is missing)"
    listed = page.locator("ul[data-draft-warnings] > li")
    expect(listed).to_have_count(len(warnings))
    for item, warning in zip(listed.all(), warnings, strict=True):
        expect(item).to_contain_text(warning["message"])
        expect(item).to_have_attribute("data-code", warning["code"])
        expect(item).to_be_visible()
    assert page.locator("[data-draft] [data-draft-warnings], [data-draft-warnings] [data-draft]").count() == 0
    shown = draft_box(page).text_content()
    for warning in warnings:
        assert warning["message"] not in shown, f"warning {warning['code']} leaked into the draft"
    # A warning about a field offers to fill it: the details open and the field gets the cursor.
    fill = page.locator("ul[data-draft-warnings] button[data-fill]").first
    name = fill.get_attribute("data-fill")
    fill.click()
    expect(panel(page, "result").locator("details[data-details-panel]")).to_have_attribute("open", "")
    expect(panel(page, "result").locator(f'[name="{name}"]')).to_be_focused()
    assert_no_offsite(page)


# --- asking when unsure, and explaining ------------------------------------------------------------


def ask_group(page: Page, step: str):
    return panel(page, step).locator("fieldset[data-ask-topic]")


def test_ambiguous_text_asks_which_topic_and_reroutes(new_guarded_page, site_origin):
    provider, text = AMBIGUOUS
    first = cpython(provider, text)
    assert first["ask_topic"], "the example must be ambiguous for the engine"
    options = first["ask"]["options"]
    chosen = next(
        o
        for o in options
        if o["id"]
        and cpython(provider, text, topic=o["id"])["topic"]["id"] == o["id"]
        and o["id"] != (first["topic"] or {}).get("id")
    )
    page = new_guarded_page(viewport=DESKTOP)
    open_wizard(page, site_origin)
    provider_select(page).select_option(provider)
    text_box(page).fill(text)
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    expect_step(page, "questions")
    group = ask_group(page, "questions")
    expect(group.locator("legend")).to_have_text("Что ближе к вашей ситуации?")
    labels = group.locator("label").evaluate_all("ls => ls.map(l => l.textContent)")
    assert labels == [o["title"] for o in options], labels
    assert labels[-1] == "Другое" and len(labels) <= 4
    shoot_view(page, "wizard-1366-2-questions-ask")

    group.get_by_role("radio", name=chosen["title"], exact=True).check()
    routed = cpython(provider, text, topic=chosen["id"])
    expect(panel(page, "questions").locator("fieldset[data-question]"), "the chosen topic's questions").to_have_count(
        len(questions_step_ids(provider, routed)), timeout=UI_TIMEOUT
    )
    answers = {}
    for q in routed["questions"]:
        answers[q["id"]] = q["default"]
        answer_by_mouse(page, "questions", provider, q["id"], q["default"])
    panel(page, "questions").get_by_role("button", name="Показать рекомендацию", exact=True).click()
    want = cpython(provider, text, answers, topic=chosen["id"])
    expect_step(page, "result")
    expect(page.locator("[data-recommendation] [data-channel-kind]").first).to_have_attribute(
        "data-channel-kind", want["channel"]["kind"], timeout=UI_TIMEOUT
    )
    expect(draft_box(page)).to_have_js_property("textContent", want["draft"]["text"], timeout=UI_TIMEOUT)
    expect(page.locator("select[data-topic-select]")).to_have_value(chosen["id"])
    expect(ask_group(page, "result"), "answered in the questions step: not asked again").to_have_count(0)
    assert_no_offsite(page)


def test_other_keeps_the_engines_best_guess(new_guarded_page, site_origin):
    provider, text = AMBIGUOUS
    page = new_guarded_page()
    # A deep link lands on the result: the question is asked there, above the recommendation.
    open_wizard(page, site_origin, deep_link(provider=provider, text=text))
    want = expect_result(page, provider, text)
    group = ask_group(page, "result")
    expect(group).to_be_visible()
    box = group.bounding_box()
    rec = page.locator("[data-recommendation]").bounding_box()
    assert box["y"] < rec["y"], "the topic question comes before the recommendation"
    group.get_by_role("radio", name="Другое", exact=True).check()
    expect(draft_box(page)).to_have_js_property("textContent", want["draft"]["text"], timeout=UI_TIMEOUT)
    expect(group.get_by_role("radio", name="Другое", exact=True)).to_be_checked()
    expect(page.locator("select[data-topic-select]")).to_have_value("")
    assert_no_offsite(page)


def test_explanation_and_guessed_answers_are_shown(new_guarded_page, site_origin):
    provider, text = "introserv", "сервер полностью недоступен"
    first = cpython(provider, text)
    guessed = {g["id"]: g["value"] for g in first["answers_guessed"]}
    assert guessed and first["explain"]["lines"], "the example must carry a guessed answer and explain lines"
    page = new_guarded_page()
    open_wizard(page, site_origin)
    provider_select(page).select_option(provider)
    text_box(page).fill(text)
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    expect_step(page, "questions")
    step = panel(page, "questions")
    expect(step.locator("ul[data-explain] li")).to_have_text(first["explain"]["lines"])
    for qid, value in guessed.items():
        group = step.locator(f'fieldset[data-question="{qid}"]')
        expect(group.locator(f'input[value="{value}"]'), f"guessed {qid} is preselected").to_be_checked()
        expect(group.locator('[data-answer-source="text"]'), "and marked as a guess").to_be_visible()
    answers = {q["id"]: q["default"] for q in first["questions"]}
    for qid, value in answers.items():
        answer_by_mouse(page, "questions", provider, qid, value)
    # The guess can be changed like any answer.
    qid, value = next(iter(guessed.items()))
    other = next(o["value"] for o in policies()[provider].questions[qid]["options"] if o["value"] != value)
    step.locator(f'fieldset[data-question="{qid}"] input[value="{other}"]').check()
    answers[qid] = other
    step.get_by_role("button", name="Показать рекомендацию", exact=True).click()
    want = expect_result(page, provider, text, answers, focused=True)
    expect(panel(page, "result").locator("ul[data-explain] li")).to_have_text(want["explain"]["lines"])
    assert_no_offsite(page)


# --- channel facts: hours, status, reachability, out of scope ---------------------------------------


def test_customer_clock_reaches_the_engine(new_guarded_page, site_origin):
    provider, text = "introserv", "Быстрый общий вопрос"
    want = cpython(provider, text)
    assert want["channel"]["hours"], "the example's channel must have hours"
    page = new_guarded_page(timezone_id="Europe/Moscow")
    open_wizard(page, site_origin, deep_link(provider=provider, text=text))
    expect_result(page, provider, text)
    hours = page.locator("[data-recommendation] [data-hours]")
    expect(hours).to_contain_text(want["channel"]["hours"][0])
    # open_now is known only when the page sent the customer's clock (`now`)
    expect(hours, "the engine knew the customer's clock").to_have_attribute("data-open-now", "true")
    sent = page.evaluate(
        """async (root) => {
        const { localNow } = await import(new URL("assets/javascripts/wizard/context.js", root));
        return localNow(new Date(Date.UTC(2026, 11, 1, 16, 30)));
    }""",
        site_origin + "/",
    )
    assert sent == "2026-12-01T19:30:00+03:00", sent
    assert_no_offsite(page)


def test_unreachable_channel_is_said_plainly_with_a_reachable_alternative(new_guarded_page, site_origin):
    provider, text = "spaceweb", "сайт не работает"
    answers = {"call_ok": "yes"}
    want = cpython(provider, text, answers)
    assert want["channel"]["kind"] == "phone" and not want["channel"]["address"], "the source gives no number"
    page = new_guarded_page()
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, **answers))
    expect_result(page, provider, text, answers)
    note = page.locator("[data-recommendation] [data-unreachable]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("не указан")
    alternatives = note.locator("[data-reachable-alternatives] a")
    expect(alternatives.first).to_be_visible()
    channels = {c["id"]: c for c in policies()[provider].raw["channels"]}
    for cid in alternatives.evaluate_all("as => as.map(a => a.dataset.channelId)"):
        c = channels[cid]
        assert c.get("address") or c["kind"] in ("ticket", "chat", "self_service"), f"{cid} cannot be reached either"
    assert_no_offsite(page)


RENDER_BLOCKS = """async ({root, result}) => {
  const { primaryBlocks, moreBlocks } = await import(new URL("assets/javascripts/wizard/recommend.js", root));
  const p = result.provider;
  const w = {base: root, labels: {kinds: {}}, provider: () => ({id: p.id, name: p.name, page: `providers/${p.id}/`})};
  const box = document.createElement("div");
  for (const [, , build] of [...primaryBlocks(w, result), ...moreBlocks(w, result)]) box.append(build());
  const pick = (s) => { const e = box.querySelector(s); return e ? e.textContent : null; };
  return {status: pick("[data-status-label]"), scope: pick("[data-out-of-scope]"), why: pick("[data-availability]"),
          hours: pick("[data-hours]"), unreachable: pick("[data-unreachable]"),
          instead: [...box.querySelectorAll("[data-reachable-alternatives] a")].map(a => a.textContent),
          alternatives: pick("[data-alternatives]")};
}"""


def test_status_hours_and_out_of_scope_are_rendered(new_guarded_page, site_origin):
    """The providers' policies use few of these keys today: the card is rendered from an engine answer that
    carries all of them (status, closed hours, out-of-scope work, the engine's own reachability keys)."""
    result = cpython("spaceweb", "сайт не работает", {"call_ok": "yes"})
    result["channel"].update(
        {
            "status": "advisory",
            "status_label": "только консультации",
            "open_now": False,
            "hours": ["пн–пт 09:00–18:00"],
            "timezone": "UTC+03:00",
            "reachable": False,
            "reach_note": "Номер телефона в источнике не указан.",
            "site": "https://sweb.ru",
            "alternatives": [{"id": "chat", "kind": "chat", "title": "Чат на сайте"}],
        }
    )
    result["out_of_scope"] = {
        "id": "scripts",
        "title": "Установка скриптов",
        "text": "Поддержка не устанавливает скрипты.",
        "instead": "Обратитесь к разработчику сайта.",
        "url": None,
    }
    result["availability"] = {
        "at": "2026-12-01T19:30:00+03:00",
        "switched_from": None,
        "opens": "завтра в 09:00",
        "why": "Сейчас «Телефон» не работает для этого вопроса.",
    }
    result["alternatives"] = [
        {**a, "status": "not_processed", "status_label": "не принимаются", "open_now": None}
        for a in result["alternatives"][:1]
    ]
    page = new_guarded_page()
    open_wizard(page, site_origin, ready=False)
    got = page.evaluate(RENDER_BLOCKS, {"root": site_origin + "/", "result": json.loads(json.dumps(result))})
    assert got["status"] == "только консультации"
    assert "Поддержка не устанавливает скрипты." in got["scope"] and "Обратитесь к разработчику сайта." in got["scope"]
    assert got["why"] == "Сейчас «Телефон» не работает для этого вопроса."
    assert "сейчас не работает" in got["hours"] and "пн–пт 09:00–18:00 (UTC+03:00)" in got["hours"]
    assert "Номер телефона в источнике не указан." in got["unreachable"] and "https://sweb.ru" in got["unreachable"]
    assert got["instead"] == ["Чат на сайте"]
    if result["alternatives"]:
        assert "не принимаются" in got["alternatives"]
    assert_no_offsite(page)


# --- phones: layout, tap targets, provider choice ---------------------------------------------------


def doc_top(page: Page, selector: str) -> float:
    """The element's top in document coordinates (the page scrolled to the top)."""
    return page.evaluate(
        "s => { window.scrollTo(0, 0); const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top + window.scrollY; }",
        selector,
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_draft_and_copy_come_first_on_a_phone(new_guarded_page, site_origin, provider):
    text, answers = MOUSE[provider].text, flow_answers(provider)
    page = new_guarded_page(viewport=PHONE)
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, **answers))
    want = expect_result(page, provider, text, answers)
    # the detail fields wait in «Добавить подробности»; they are the engine's plan (a call asks only what it needs)
    expect(panel(page, "result").locator("details[data-details-panel]")).not_to_have_attribute("open", "")
    shown = panel(page, "result").locator("[data-field]").evaluate_all("els => els.map(e => e.dataset.field)")
    assert shown == [f["id"] for f in want["draft"]["fields"]], shown
    limit = 2 * PHONE["height"]
    for selector in ("pre[data-draft]", 'button[data-action="copy"]'):
        top = doc_top(page, selector)
        assert top < limit, f"{provider}: {selector} starts at {top:.0f}px, beyond the first two screens ({limit}px)"
    shoot_view(page, f"wizard-375-3-result-{provider}")
    # the action bar stays on screen while the customer scrolls through the step
    page.locator("[data-answers-panel]").evaluate("e => e.scrollIntoView()")
    copy = page.locator('button[data-action="copy"]').bounding_box()
    assert copy and copy["y"] >= 0 and copy["y"] + copy["height"] <= PHONE["height"], f"copy off screen: {copy}"
    expect(page.locator(".md-top"), "Material's «К началу» must not cover the actions").to_be_hidden()
    assert_no_offsite(page)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_result_screenshot_on_desktop(new_guarded_page, site_origin, provider):
    text, answers = MOUSE[provider].text, flow_answers(provider)
    page = new_guarded_page(viewport=DESKTOP)
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, **answers))
    expect_result(page, provider, text, answers)
    assert doc_top(page, "pre[data-draft]") < DESKTOP["height"], "the draft starts on the first screen"
    shoot_view(page, f"wizard-1366-3-result-{provider}")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= DESKTOP["width"]
    assert_no_offsite(page)


SMALL_TARGETS = """() => {
  const out = [];
  const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(e).visibility !== "hidden"; };
  const name = (e) => e.tagName.toLowerCase() + (e.dataset.action ? `[${e.dataset.action}]` : "")
    + (e.id ? "#" + e.id : "") + " " + JSON.stringify((e.textContent || e.value || "").trim().slice(0, 30));
  for (const e of document.querySelectorAll("[data-triage] :is(button, select, summary, textarea, a, input)")) {
    if (!visible(e)) continue;
    let r = e.getBoundingClientRect();
    if (e.matches("input[type=radio], input[type=checkbox]")) {
      const label = e.id && document.querySelector(`label[for="${e.id}"]`);  // the label is the tap target
      if (label) r = label.getBoundingClientRect();
    }
    if (e.matches("a")) {  // links inside a sentence are exempt (WCAG 2.5.8 "inline")
      const parentText = (e.parentElement.textContent || "").trim();
      if (parentText !== (e.textContent || "").trim()) continue;
    }
    if (r.height < 44 || r.width < 44) out.push(`${name(e)}: ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return out;
}"""


def test_tap_targets_are_at_least_44px_on_a_phone(new_guarded_page, site_origin):
    provider, text = "landvps", "ошибка в работе сервиса"
    page = new_guarded_page(viewport=PHONE)
    open_wizard(page, site_origin)
    small = []
    provider_select(page).select_option(provider)
    text_box(page).click()
    page.keyboard.type(text)
    expect(page.locator("ul[data-suggestions] button").first).to_be_visible(timeout=UI_TIMEOUT)
    small += [f"describe: {s}" for s in page.evaluate(SMALL_TARGETS)]
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    expect_step(page, "questions")
    small += [f"questions: {s}" for s in page.evaluate(SMALL_TARGETS)]
    panel(page, "questions").get_by_role("button", name="Показать рекомендацию", exact=True).click()
    expect_step(page, "result")
    expect(draft_box(page)).not_to_be_empty(timeout=UI_TIMEOUT)
    open_details(page)
    small += [f"result: {s}" for s in page.evaluate(SMALL_TARGETS)]
    assert not small, "tap targets under 44x44 px:\n" + "\n".join(small)
    assert_no_offsite(page)


def test_no_provider_is_preselected(new_guarded_page, site_origin):
    page = new_guarded_page()
    open_wizard(page, site_origin)
    select = provider_select(page)
    expect(select).to_have_value("")
    expect(select.locator("option").first).to_have_text("Выберите провайдера")
    text_box(page).fill("не работает почта")
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    error = page.locator("[data-provider-error]")
    expect(error, "the describe step asks for a provider").to_be_visible()
    expect(select).to_have_attribute("aria-invalid", "true")
    expect(select).to_be_focused()
    expect(root(page)).to_have_attribute("data-step", "describe")
    select.select_option("spaceweb")
    expect(error).to_have_count(0)
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    expect_step(page, "questions")
    # the link from a provider's page chooses it
    page2 = new_guarded_page()
    open_wizard(page2, site_origin, "?provider=landvps")
    expect(provider_select(page2)).to_have_value("landvps")
    assert_no_offsite(page)
    assert_no_offsite(page2)


def test_suggestions_link_to_the_help_page_when_the_engine_names_a_section(new_guarded_page, site_origin):
    provider, text = "spaceweb", "почта"
    from triage.api import suggest

    items = suggest(policies()[provider], text)
    helpful = [s for s in items if s.get("help_url")]
    page = new_guarded_page()
    open_wizard(page, site_origin)
    provider_select(page).select_option(provider)
    text_box(page).click()
    page.keyboard.type(text, delay=30)
    expect(page.locator("ul[data-suggestions] button[data-topic]").first).to_be_visible(timeout=UI_TIMEOUT)
    link = page.locator("[data-help-link] a")
    if helpful:
        expect(link).to_have_attribute("href", re.compile(re.escape(helpful[0]["help_url"]) + "$"))
    else:
        expect(link, "no help section named by the engine: no link").to_have_count(0)
    assert_no_offsite(page)


def test_input_cleaning_is_reported(new_guarded_page, site_origin):
    """A detail longer than the engine keeps (triage.sanitize.DETAIL_LIMIT) is cut by the engine, which says so;
    the notice is shown on the result step. (Control characters never reach the engine: the page cleans them.)"""
    provider, text, answers = "spaceweb", "не работает почта", {"panel_access": "yes"}
    steps = ("Отправляю письмо из веб-почты, через минуту приходит отказ. " * 40)[: DETAIL_LIMIT + 500]
    want = cpython(provider, text, answers, {"steps": steps})
    assert want["notices"], "the engine should report the shortened field"
    page = new_guarded_page()
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, **answers))
    expect_result(page, provider, text, answers)
    open_details(page)
    detail_field(page, "steps").fill(steps)
    notices = panel(page, "result").locator("[data-input-notices] li")
    expect(notices).to_have_text(want["notices"])
    assert_no_offsite(page)
