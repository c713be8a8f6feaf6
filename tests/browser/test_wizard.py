"""The triage wizard (/wizard/) in Chromium, on the real built site served on 127.0.0.1.

Written against the wizard DOM contract (data-* attributes and accessible labels only):
root `[data-triage]` with data-state/data-step, step panels `[data-step-panel]`, questions as
`fieldset[data-question]`, the result in `[data-recommendation]`, the draft in `pre[data-draft]`.
Expected results come from the same engine run by CPython in this process (`triage.triage`), with
the policies compiled in-process from providers/*.yaml, so the browser must agree with CPython.

Every page comes from `new_guarded_page` (conftest): requests off the site's origin are aborted and
recorded in page.offsite. Screenshots of each step go to test-results/screenshots/ (git-ignored).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import re
import urllib.parse

import pytest
import yaml
from playwright.sync_api import Page, expect

from sitebuild import load_and_compile
from triage import Policy, triage
from triage.api import suggest

ROOT = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

WIZARD = "/wizard/"
STEPS = ("describe", "questions", "result")
ENGINE_TIMEOUT = 60_000  # Pyodide start: ~4-8 s here; generous but bounded
UI_TIMEOUT = 15_000  # a step change or a live draft update after the engine is ready
SCREENSHOTS = ROOT / "test-results" / "screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCENARIOS = ROOT / "tests" / "data" / "scenarios_public.yaml"
PAYLOAD = "<img src=x onerror=alert(1)>"
# Requests that belong to the engine: none of them may happen on a help page.
ENGINE_URL = re.compile(r"\.wasm(\?|$)|/pyodide/|/assets/wizard/|/javascripts/wizard/|\.whl(\?|$)")
# A valid sample value for every identification field (triage/vocab.py IDENTIFIERS; labels come from draft.fields).
SAMPLE_IDS = {
    "login": "client42",
    "contract": "123456",
    "domain": "example.ru",
    "ip": "203.0.113.10",
    "order": "#123456",
    "service": "vps-prod-1",
    "email": "name@example.ru",
    "owner": "7707083893",
    "ticket": "123456",
}
# One guided description field per request type (triage/vocab.py DESCRIPTION_FIELDS).
SAMPLE_DESCRIPTION = {
    "problem": ("steps", "Открываю сайт, вижу ошибку 502"),
    "administrative": ("want", "Нужно изменить контактный e-mail"),
    "question": ("context", "Хочу уточнить условия"),
}


# --- CPython side ----------------------------------------------------------------------------------


@functools.cache
def policies() -> dict[str, Policy]:
    """{provider id: Policy}, compiled in-process from providers/*.yaml (what build.py ships as data/)."""
    compiled, problems = load_and_compile(ROOT / "providers")
    assert not problems, "providers/*.yaml do not validate:\n" + "\n".join(map(str, problems))
    return {pid: Policy(data) for pid, data in compiled.items()}


def cpython(
    provider: str, text: str, answers: dict | None = None, details: dict | None = None, topic: str | None = None
) -> dict:
    return triage(policies()[provider], text, dict(answers or {}), dict(details or {}), topic)


def yes_no(answers: dict | None) -> dict[str, str]:
    """Unquoted yes/no in the scenario YAML load as booleans; the engine's answers are strings."""
    return {k: "yes" if v is True else "no" if v is False else str(v) for k, v in (answers or {}).items()}


PROVIDERS = sorted(policies())
PUBLIC = yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))


# --- flows: one per provider and input mode --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Flow:
    text: str
    answers: dict  # what to answer in the questions step (others: the default)
    kind: str  # the channel kind CPython gives (checked, so the flow means what it says)
    fill_details: bool = False  # type an identification and a description field in the result step
    draft_has: tuple[str, ...] = ()  # extra phrases the draft must contain


MOUSE = {
    # phone route: the draft is a call script with the "last 6 digits" rule
    "spaceweb": Flow("сайт не работает", {"call_ok": "yes"}, "phone", draft_has=("Что сказать", "Последние 6 цифр")),
    # critical incident: ticket to the technical department with high priority; then panel_access=no
    # in the answers panel (checked in the test) switches to e-mail
    "introserv": Flow(
        "сервер полностью недоступен",
        {"panel_access": "yes"},
        "ticket",
        draft_has=("Отдел: Технические проблемы", "Приоритет: Высокий"),
    ),
    # panel_access=no answered in the questions step -> e-mail
    "landvps": Flow("ошибка в работе сервиса", {"panel_access": "no", "critical": "no"}, "email", fill_details=True),
    # no open question: "Дальше" goes straight to the result
    "peterhost": Flow("почему не работает сайт?", {}, "phone"),
}

KEYBOARD = {
    # e-mail route with a mailto link (panel_access=no in the questions step), then the answers panel
    # is switched by keyboard (yes -> ticket, back to no -> e-mail)
    "spaceweb": Flow("не работает почта", {"panel_access": "no"}, "email", fill_details=True),
    "introserv": Flow(
        "вопрос по счёту-фактуре",
        {"panel_access": "yes"},
        "ticket",
        fill_details=True,
        draft_has=("Отдел: Финансовые вопросы",),
    ),
    "landvps": Flow(
        "недоступен сервер по SSH", {"panel_access": "yes", "critical": "yes"}, "ticket", fill_details=True
    ),
    "peterhost": Flow("претензия по качеству обслуживания", {}, "email", fill_details=True),
}


# --- page helpers ----------------------------------------------------------------------------------


def root(page: Page):
    return page.locator("[data-triage]")


def panel(page: Page, step: str):
    return page.locator(f'[data-step-panel="{step}"]')


def wait_ready(page: Page) -> None:
    """Wait for the engine (bounded); fail at once, with the page's message, if it ends in the error state."""
    expect(root(page), 'the engine should start: [data-triage] data-state="ready"').to_have_attribute(
        "data-state", re.compile(r"^(ready|error)$"), timeout=ENGINE_TIMEOUT
    )
    if root(page).get_attribute("data-state") != "ready":
        error = page.locator("[data-error]")
        reason = " ".join(error.inner_text().split()) if error.count() and error.is_visible() else ""
        raise AssertionError(f'the wizard did not start (data-state="error"): {reason}')


def open_wizard(page: Page, origin: str, query: str = "", *, ready: bool = True) -> None:
    response = page.goto(origin + WIZARD + query)
    status = response.status if response else None
    assert status == 200, f"GET {WIZARD} answered {status}: the built site has no wizard page"
    if ready:
        wait_ready(page)


def deep_link(**params: str) -> str:
    return "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def expect_step(page: Page, step: str, *, focused: bool = True) -> None:
    """The root says `step`, its panel is the only one visible, and (after a step change) its heading has focus."""
    expect(root(page), f"the wizard should be at the {step} step").to_have_attribute(
        "data-step", step, timeout=UI_TIMEOUT
    )
    expect(panel(page, step)).to_be_visible()
    for other in STEPS:
        if other != step:
            expect(panel(page, other), f"only the {step} panel may be visible").to_be_hidden()
    if focused:
        heading = panel(page, step).locator('h2[tabindex="-1"]').first
        expect(heading, f"focus should move to the {step} heading (h2[tabindex=-1])").to_be_focused()


def provider_select(page: Page):
    return page.get_by_label("Провайдер", exact=True)


def text_box(page: Page):
    return page.get_by_label("Опишите проблему своими словами", exact=True)


def draft_box(page: Page):
    return page.locator("pre[data-draft]")


def question_default(provider: str, qid: str) -> str:
    return policies()[provider].questions[qid]["default"]


def option_label(provider: str, qid: str, value: str) -> str:
    return next(o["label"] for o in policies()[provider].questions[qid]["options"] if o["value"] == value)


def shown_questions(page: Page, step: str) -> list[str]:
    return panel(page, step).locator("fieldset[data-question]").evaluate_all("els => els.map(e => e.dataset.question)")


def questions_step_ids(provider: str, result: dict) -> list[str]:
    """What the questions step shows: the open questions and those guessed from the text, in policy order."""
    wanted = {q["id"] for q in result["questions"]} | {q for q, a in result["answers"].items() if a["source"] == "text"}
    return [qid for qid in policies()[provider].questions if qid in wanted]


def assert_no_offsite(page: Page) -> None:
    assert page.offsite == [], f"requests left the site's origin: {page.offsite}"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")  # else Material's sticky header lands mid-image
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- result checks ---------------------------------------------------------------------------------


def expect_result(
    page: Page,
    provider: str,
    text: str,
    answers: dict | None = None,
    details: dict | None = None,
    *,
    exact_draft: bool = True,
    focused: bool = False,
) -> dict:
    """The result step shows what CPython recommends for the same input; returns CPython's result."""
    want = cpython(provider, text, answers, details)
    expect_step(page, "result", focused=focused)
    recommendation = page.locator("[data-recommendation]")
    expect(recommendation).to_have_attribute("aria-live", "polite")
    channel = recommendation.locator("[data-channel-kind]").first
    kind = want["channel"]["kind"]
    expect(channel, f"the recommended channel should be {kind} ({want['channel']['id']})").to_have_attribute(
        "data-channel-kind", kind, timeout=UI_TIMEOUT
    )
    expect(channel.locator("[data-channel-title]")).to_contain_text(want["channel"]["title"])
    if want["reasons"]:
        expect(page.locator("ul[data-reasons]")).to_contain_text(want["reasons"][0][:60])
    for alternative in want["alternatives"]:
        expect(page.locator("ul[data-alternatives]")).to_contain_text(alternative["title"])
    if exact_draft:
        expect(draft_box(page), "pre[data-draft] should hold draft.text exactly").to_have_js_property(
            "textContent", want["draft"]["text"], timeout=UI_TIMEOUT
        )
    return want


def expect_mailto(page: Page, want: dict) -> None:
    link = page.locator("a[data-mailto]")
    expect(link, "e-mail channels offer a[data-mailto]").to_be_visible()
    expect(link).to_contain_text("Открыть в почтовой программе")
    expect(link, "href = draft.mailto").to_have_attribute("href", want["draft"]["mailto"], timeout=UI_TIMEOUT)
    href = link.get_attribute("href")
    assert href.startswith("mailto:"), href
    subject = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query).get("subject", [""])[0]
    assert subject == want["draft"]["subject"] and subject, (subject, want["draft"]["subject"])


def sample_details(want: dict) -> dict[str, str]:
    """One identification field the channel asks for (if any) and one guided description field."""
    details = {}
    if want["draft"]["identify"]["fields"]:
        name = want["draft"]["identify"]["fields"][0]
        details[name] = SAMPLE_IDS[name]
    rtype = want["topic"]["type"] if want["topic"] else "question"
    name, value = SAMPLE_DESCRIPTION[rtype]
    details[name] = value
    return details


def open_details(page: Page) -> None:
    """Open «Добавить подробности» (the detail fields' collapsible) if it is closed."""
    details = panel(page, "result").locator("details[data-details-panel]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def detail_field(page: Page, name: str):
    """A detail field of the result step (its collapsible is opened first)."""
    open_details(page)
    return panel(page, "result").locator(f'[name="{name}"]:is(input, textarea, select)')


# --- mouse flow ------------------------------------------------------------------------------------


def describe_by_mouse(page: Page, provider: str, text: str) -> None:
    provider_select(page).select_option(provider)
    box = text_box(page)
    box.click()
    box.fill(text)
    next_button = panel(page, "describe").get_by_role("button", name="Дальше", exact=True)
    expect(next_button).to_have_attribute("data-action", "next")
    next_button.click()


def answer_by_mouse(page: Page, step: str, provider: str, qid: str, value: str) -> None:
    fieldset = panel(page, step).locator(f'fieldset[data-question="{qid}"]')
    expect(fieldset.locator("legend")).to_contain_text(policies()[provider].questions[qid]["text"])
    fieldset.get_by_role("radio", name=option_label(provider, qid, value), exact=True).check()


def questions_by_mouse(page: Page, provider: str, text: str, wanted: dict) -> dict:
    """Answer the questions step as the flow says (others: the default); returns the answers given."""
    first = cpython(provider, text)
    open_now = [q["id"] for q in first["questions"]]
    if not open_now:
        return {}
    expect_step(page, "questions")
    assert shown_questions(page, "questions") == questions_step_ids(provider, first), (
        "one fieldset per open or guessed question, in policy order"
    )
    given = {}
    for qid in open_now:
        given[qid] = wanted.get(qid, question_default(provider, qid))
        answer_by_mouse(page, "questions", provider, qid, given[qid])
    show = panel(page, "questions").get_by_role("button", name="Показать рекомендацию", exact=True)
    expect(show).to_have_attribute("data-action", "next")
    show.click()
    return given


def complete_by_mouse(page: Page, provider: str, flow: Flow) -> tuple[dict, dict]:
    describe_by_mouse(page, provider, flow.text)
    answers = questions_by_mouse(page, provider, flow.text, flow.answers)
    want = expect_result(page, provider, flow.text, answers, focused=True)
    return answers, want


# --- keyboard flow ---------------------------------------------------------------------------------


def focused_summary(page: Page) -> str:
    return page.evaluate("""() => { const e = document.activeElement; if (!e) return "nothing";
        return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? `[name=${e.name}]` : "")
             + " " + JSON.stringify((e.innerText || e.value || "").slice(0, 40)); }""")


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches selector."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} is not reachable with {key} ({limit} presses; focus: {focused_summary(page)})")


def select_by_keyboard(page: Page, provider: str) -> None:
    tab_to(page, "select#triage-provider")
    values = page.locator("select#triage-provider option").evaluate_all("os => os.map(o => o.value)")
    assert provider in values, values
    for _ in range(len(values) + 1):
        current = page.evaluate("() => document.activeElement.value")
        if current == provider:
            break
        page.keyboard.press("ArrowDown" if values.index(provider) > values.index(current) else "ArrowUp")
    expect(provider_select(page)).to_have_value(provider)


def radio_by_keyboard(page: Page, step: str, qid: str, value: str, *, backwards: bool = False) -> None:
    radios = f'[data-step-panel="{step}"] fieldset[data-question="{qid}"] input[type="radio"]'
    tab_to(page, radios, backwards=backwards)
    for _ in range(page.locator(radios).count() + 1):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    if not page.evaluate("() => document.activeElement.checked"):
        page.keyboard.press("Space")
    expect(page.locator(f'{radios}[value="{value}"]')).to_be_checked()


def type_into(page: Page, selector: str, value: str, *, backwards: bool = False) -> None:
    tab_to(page, selector, backwards=backwards)
    page.keyboard.type(value)


# --- tests: the page without JS --------------------------------------------------------------------


def test_wizard_form_is_plain_html_without_js(new_guarded_page, site_origin):
    page = new_guarded_page(java_script_enabled=False)
    open_wizard(page, site_origin, ready=False)
    select = provider_select(page)
    expect(select).to_have_attribute("id", "triage-provider")
    values = select.locator("option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    assert sorted(values) == PROVIDERS, "one option per provider (value = provider id)"
    expect(text_box(page)).to_have_attribute("id", "triage-text")
    expect(panel(page, "describe").get_by_role("button", name="Дальше", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Начать заново", exact=True)).to_have_attribute("data-action", "restart")
    expect(page.locator("[data-progress]")).to_have_attribute("role", "status")
    guidance = page.locator("[data-static-guidance] a")
    hrefs = guidance.evaluate_all("as => as.map(a => a.href)")
    for pid in PROVIDERS:
        assert f"{site_origin}/providers/{pid}/" in hrefs, f"[data-static-guidance] lacks a link to {pid}: {hrefs}"
    assert page.locator("template[data-triage-config]").count() == 1, "the engine config is missing"
    assert_no_offsite(page)


# --- tests: complete the wizard for every provider -------------------------------------------------


def test_flows_cover_every_provider():
    assert sorted(MOUSE) == PROVIDERS and sorted(KEYBOARD) == PROVIDERS, "add a mouse and a keyboard flow"
    for flows in (MOUSE, KEYBOARD):
        for pid, flow in flows.items():  # the flows mean what they say (CPython agrees)
            open_now = [q["id"] for q in cpython(pid, flow.text)["questions"]]
            answers = {q: flow.answers.get(q, question_default(pid, q)) for q in open_now}
            assert cpython(pid, flow.text, answers)["channel"]["kind"] == flow.kind, (pid, flow)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_complete_by_mouse(new_guarded_page, site_origin, provider):
    flow = MOUSE[provider]
    page = new_guarded_page()
    open_wizard(page, site_origin)
    answers, want = complete_by_mouse(page, provider, flow)
    for phrase in flow.draft_has:
        expect(draft_box(page)).to_contain_text(phrase)
    if flow.kind == "phone":
        expect(page.locator('[data-recommendation] [data-channel-kind="phone"]').first).to_be_visible()
    if flow.kind == "email":
        expect_mailto(page, want)
    if flow.fill_details:
        details = sample_details(want)
        for name, value in details.items():
            detail_field(page, name).fill(value)
        want = expect_result(page, provider, flow.text, answers, details)
        if flow.kind == "email":
            expect_mailto(page, want)
    if provider == "introserv":
        # the answers panel: panel_access=no switches the critical incident to e-mail, live
        answer_by_mouse(page, "result", provider, "panel_access", "no")
        want = expect_result(page, provider, flow.text, {**answers, "panel_access": "no"})
        assert want["channel"]["kind"] == "email"
        expect_mailto(page, want)
    assert_no_offsite(page)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_complete_by_keyboard_only(new_guarded_page, site_origin, provider):
    """Tab/Shift+Tab/Enter/Space/arrows and typed text only: no click, no fill."""
    flow = KEYBOARD[provider]
    page = new_guarded_page()
    open_wizard(page, site_origin)
    select_by_keyboard(page, provider)
    type_into(page, "textarea#triage-text", flow.text)
    tab_to(page, '[data-step-panel="describe"] button[data-action="next"]')
    page.keyboard.press("Enter")

    answers = {}
    first = cpython(provider, flow.text)
    open_now = [q["id"] for q in first["questions"]]
    if open_now:
        expect_step(page, "questions")
        assert shown_questions(page, "questions") == questions_step_ids(provider, first)
        for qid in open_now:
            answers[qid] = flow.answers.get(qid, question_default(provider, qid))
            radio_by_keyboard(page, "questions", qid, answers[qid])
        tab_to(page, '[data-step-panel="questions"] button[data-action="next"]')
        page.keyboard.press("Space")
    want = expect_result(page, provider, flow.text, answers, focused=True)
    assert want["channel"]["kind"] == flow.kind

    details = sample_details(want) if flow.fill_details else {}
    if details:  # «Добавить подробности» opens from the keyboard
        tab_to(page, "summary[data-details-summary]")
        page.keyboard.press("Enter")
    for name, value in details.items():
        type_into(page, f'[data-step-panel="result"] [name="{name}"]', value)
    want = expect_result(page, provider, flow.text, answers, details)
    for phrase in flow.draft_has:
        expect(draft_box(page)).to_contain_text(phrase)
    if flow.kind == "email":
        expect_mailto(page, want)
        tab_to(page, "a[data-mailto]", backwards=True)  # reachable by keyboard (the actions precede the details)

    if provider == "spaceweb":
        # on from the actions with Tab to the answers panel and switch the answer with the arrows: live update
        radio_by_keyboard(page, "result", "panel_access", "yes")
        switched = expect_result(page, provider, flow.text, {**answers, "panel_access": "yes"}, exact_draft=False)
        assert switched["channel"]["kind"] == "ticket"
        radio_by_keyboard(page, "result", "panel_access", "no")
        want = expect_result(page, provider, flow.text, answers, details)
        expect_mailto(page, want)
    assert_no_offsite(page)


def test_suggestion_picks_topic(new_guarded_page, site_origin):
    provider, text, topic = "spaceweb", "почта", "mail_not_working"
    expected = [s["id"] for s in suggest(policies()[provider], text)]
    assert topic in expected, expected
    page = new_guarded_page()
    open_wizard(page, site_origin)
    provider_select(page).select_option(provider)
    text_box(page).click()
    page.keyboard.type(text, delay=30)
    buttons = page.locator("ul[data-suggestions] button[data-topic]")
    expect(buttons.first, "suggestions appear while typing").to_be_visible(timeout=UI_TIMEOUT)
    shown = buttons.evaluate_all("bs => bs.map(b => b.dataset.topic)")
    assert shown and shown == expected[: len(shown)], f"suggestions {shown} != engine order {expected}"
    page.locator(f'ul[data-suggestions] button[data-topic="{topic}"]').click()
    routed = cpython(provider, text, topic=topic)
    answers = {}
    if routed["questions"]:
        expect_step(page, "questions")
        for q in routed["questions"]:
            answers[q["id"]] = q["default"]
            answer_by_mouse(page, "questions", provider, q["id"], q["default"])
        panel(page, "questions").locator('button[data-action="next"]').click()
    want = cpython(provider, text, answers, topic=topic)
    expect_step(page, "result", focused=False)
    expect(page.locator("[data-recommendation] [data-channel-kind]").first).to_have_attribute(
        "data-channel-kind", want["channel"]["kind"]
    )
    expect(draft_box(page)).to_have_js_property("textContent", want["draft"]["text"], timeout=UI_TIMEOUT)
    assert_no_offsite(page)


# --- tests: the browser engine equals CPython ------------------------------------------------------

ENGINE_CALLS = """async ({root, requests}) => {
  const el = document.querySelector("template[data-triage-config]");
  if (!el) return {error: "no template[data-triage-config] on the wizard page"};
  const config = JSON.parse(el.content.textContent);
  // paths in the config are relative to the site's root unless the config names its base
  config.baseUrl = config.baseUrl ? new URL(config.baseUrl, document.baseURI).href : root;
  const { getEngine } = await import(new URL("assets/javascripts/wizard/engine.js", root));
  const engine = getEngine(config);
  await engine.ready;
  const out = [];
  for (const request of requests) out.push(await engine.call(request));
  return {responses: out};
}"""


def routing_summary(result: dict) -> dict:
    return {
        "channel": [result["channel"]["id"], result["channel"]["kind"]],
        "topic": result["topic"]["id"] if result["topic"] else None,
        "department": result["fields"]["department"],
        "priority": result["fields"]["priority"],
        "draft_fields": result["draft"]["fields"],
        "questions": [q["id"] for q in result["questions"]],
        "draft": result["draft"]["text"],
    }


def test_public_scenarios_route_in_browser_as_in_cpython(new_guarded_page, site_origin):
    page = new_guarded_page()
    open_wizard(page, site_origin, ready=False)  # the engine alone: the UI's state does not matter here
    requests = [
        {"op": "triage", "provider": row["provider"], "text": row["text"], "answers": yes_no(row.get("answers"))}
        for row in PUBLIC
    ]
    requests += [{"op": "suggest", "provider": row["provider"], "text": row["text"]} for row in PUBLIC]
    out = page.evaluate(ENGINE_CALLS, {"root": site_origin + "/", "requests": requests})
    assert "error" not in out, out.get("error")
    responses = out["responses"]
    mismatches = []
    for row, response in zip(PUBLIC, responses[: len(PUBLIC)], strict=True):
        label = f"{row['provider']}: {row['text']!r} {yes_no(row.get('answers')) or ''}"
        if not response.get("ok"):
            mismatches.append(f"{label}: engine error {response.get('error')}")
            continue
        got = routing_summary(response["result"])
        want = routing_summary(cpython(row["provider"], row["text"], yes_no(row.get("answers"))))
        if got != want:
            diff = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
            mismatches.append(f"{label}: browser != CPython {diff}")
    for row, response in zip(PUBLIC, responses[len(PUBLIC) :], strict=True):
        want = json.loads(json.dumps(suggest(policies()[row["provider"]], row["text"])))
        if not response.get("ok") or response["result"] != want:
            mismatches.append(f"suggest {row['provider']}: {row['text']!r}: {response} != {want}")
    assert not mismatches, "\n".join(mismatches)
    assert_no_offsite(page)


# --- tests: privacy and the engine's footprint -----------------------------------------------------


def test_wizard_stays_on_origin_and_shows_progress(guarded_page, site_origin):
    page = guarded_page
    held = []
    page.route("**/*.wasm", lambda route: held.append(route))  # hold the runtime: the page must say "loading"
    workers = []
    page.on("worker", lambda w: workers.append(w.url))
    open_wizard(page, site_origin, ready=False)
    expect(root(page)).to_have_attribute("data-state", "loading")
    progress = page.locator("[data-progress]")
    expect(progress).to_have_attribute("role", "status")
    expect(progress, "loading progress is shown while the engine starts").to_be_visible()
    for _ in range(100):  # the runtime is requested once the worker has loaded Pyodide's loader
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the runtime (.wasm) was not requested"
    for route in held:
        route.continue_()  # same origin: the guard would let it through too
    page.unroute("**/*.wasm")
    wait_ready(page)
    describe_by_mouse(page, "spaceweb", "не работает почта")
    questions_by_mouse(page, "spaceweb", "не работает почта", {"panel_access": "no"})
    expect_result(page, "spaceweb", "не работает почта", {"panel_access": "no"})
    page.wait_for_load_state("networkidle")
    assert any("/assets/javascripts/wizard/worker.js" in w for w in workers), workers
    assert page.offsite == [], f"the wizard made off-origin requests: {page.offsite}"


HELP_PAGES = ["/", "/providers/", "/providers/spaceweb/", "/compare/", "/writers/", "/writers/schema/"]


@pytest.mark.parametrize("path", HELP_PAGES)
def test_help_pages_start_no_engine_worker(new_guarded_page, site_origin, path):
    page = new_guarded_page()
    workers, engine = [], []
    page.on("worker", lambda w: workers.append(w.url))
    page.on("request", lambda r: engine.append(r.url) if ENGINE_URL.search(r.url) else None)
    assert page.goto(site_origin + path).status == 200
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    others = [w for w in workers if not w.endswith("/assets/javascripts/search-ru.js")]
    assert others == [], f"only the search worker may run on help pages: {others}"
    assert engine == [], f"help pages must not load the engine: {engine}"
    assert_no_offsite(page)


# --- tests: failure, state, history ----------------------------------------------------------------


def test_engine_failure_shows_static_page_and_keeps_text(new_guarded_page, site_origin):
    page = new_guarded_page()
    blocked = []
    page.route("**/*.wasm", lambda route: (blocked.append(route.request.url), route.abort()))
    text = "не могу зайти на сервер по SSH"
    open_wizard(page, site_origin, ready=False)
    provider_select(page).select_option("landvps")
    text_box(page).fill(text)
    expect(root(page), 'a blocked runtime must end in data-state="error"').to_have_attribute(
        "data-state", "error", timeout=ENGINE_TIMEOUT
    )
    assert blocked, "the .wasm was never requested"
    error = page.locator("[data-error]")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    link = page.locator("a[data-static-link]")
    expect(link).to_be_visible()
    href = link.evaluate("a => a.href")
    assert href == f"{site_origin}/providers/landvps/", href
    assert page.request.get(href).status == 200
    expect(text_box(page)).to_have_value(text)
    expect(provider_select(page)).to_have_value("landvps")
    assert_no_offsite(page)


def reach_result_with_details(page: Page, provider: str, text: str, answers: dict, details: dict) -> dict:
    describe_by_mouse(page, provider, text)
    given = questions_by_mouse(page, provider, text, answers)
    expect_result(page, provider, text, given)
    for name, value in details.items():
        detail_field(page, name).fill(value)
    return given


def test_reload_keeps_state(new_guarded_page, site_origin):
    provider, text = "introserv", "сервер полностью недоступен"
    details = {"ip": "203.0.113.10", "steps": "Пингую сервер, пакеты теряются"}
    page = new_guarded_page()
    sent = []
    page.on("request", lambda r: sent.append(r.url + " " + (r.post_data or "")))
    open_wizard(page, site_origin)
    answers = reach_result_with_details(page, provider, text, {"panel_access": "yes"}, details)
    expect_result(page, provider, text, answers, details)
    stored = page.evaluate("() => sessionStorage.getItem('triage:v1')")
    assert stored and "203.0.113.10" in stored, f"sessionStorage triage:v1 = {stored!r}"

    page.reload()
    wait_ready(page)
    expect(provider_select(page)).to_have_value(provider)
    expect(text_box(page)).to_have_value(text)
    expect(panel(page, "result").locator('fieldset[data-question="panel_access"] input[value="yes"]')).to_be_checked()
    for name, value in details.items():
        expect(detail_field(page, name)).to_have_value(value)
    expect_result(page, provider, text, answers, details)
    leaked = [s for s in sent if "203.0.113.10" in urllib.parse.unquote(s) or "теряются" in urllib.parse.unquote(s)]
    assert leaked == [], f"the state must never be sent anywhere: {leaked}"
    assert_no_offsite(page)


def test_back_button_moves_one_step_back(new_guarded_page, site_origin):
    provider, text = "spaceweb", "не работает почта"
    page = new_guarded_page()
    open_wizard(page, site_origin)
    describe_by_mouse(page, provider, text)
    answers = questions_by_mouse(page, provider, text, {"panel_access": "no"})
    expect_result(page, provider, text, answers)
    page.go_back()
    expect_step(page, "questions", focused=False)
    assert page.url.startswith(site_origin + WIZARD), page.url
    expect(panel(page, "questions").locator('fieldset[data-question="panel_access"] input[value="no"]')).to_be_checked()
    page.go_back()
    expect_step(page, "describe", focused=False)
    expect(text_box(page)).to_have_value(text)
    page.go_forward()
    expect_step(page, "questions", focused=False)
    assert_no_offsite(page)


def test_restart_clears_everything(new_guarded_page, site_origin):
    provider, text = "spaceweb", "не работает почта"
    page = new_guarded_page()
    open_wizard(page, site_origin)
    reach_result_with_details(page, provider, text, {"panel_access": "no"}, {"login": "client42"})
    expect_result(page, provider, text, {"panel_access": "no"}, {"login": "client42"})
    page.get_by_role("button", name="Начать заново", exact=True).click()
    expect_step(page, "describe")
    expect(text_box(page)).to_have_value("")
    stored = page.evaluate("() => sessionStorage.getItem('triage:v1')") or ""
    assert text not in stored and "client42" not in stored, f"restart left state behind: {stored!r}"
    page.reload()
    wait_ready(page)
    expect_step(page, "describe", focused=False)
    expect(text_box(page)).to_have_value("")
    # the old answer (panel_access=no) must not come back: the question is open again
    describe_by_mouse(page, provider, text)
    expect_step(page, "questions")
    old_answer = panel(page, "questions").locator('fieldset[data-question="panel_access"] input[value="no"]')
    expect(old_answer).not_to_be_checked()
    assert_no_offsite(page)


# --- tests: deep links and untrusted text ----------------------------------------------------------


def test_deep_link_shows_result_without_clicks(new_guarded_page, site_origin):
    provider, text = "spaceweb", "не работает почта"
    page = new_guarded_page()
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, panel_access="no"))
    want = expect_result(page, provider, text, {"panel_access": "no"})
    assert want["channel"]["kind"] == "email"
    expect_mailto(page, want)
    expect(provider_select(page)).to_have_value(provider)
    expect(text_box(page)).to_have_value(text)
    assert_no_offsite(page)


def watch_for_script(page: Page) -> tuple[list, list]:
    dialogs, fetched = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: fetched.append(r.url) if r.url.rstrip("/").endswith("/x") else None)
    return dialogs, fetched


def assert_payload_inert(page: Page, dialogs: list, fetched: list) -> None:
    page.wait_for_timeout(300)
    assert page.locator('img[src="x"]').count() == 0, "the payload became an <img> element"
    assert page.locator("[data-triage] img").count() == 0, "the wizard must not create <img> from input"
    assert dialogs == [], f"the payload ran: dialog {dialogs}"
    assert fetched == [], f"the payload's <img src=x> was fetched: {fetched}"


def test_deep_link_payload_is_text(new_guarded_page, site_origin):
    page = new_guarded_page()
    dialogs, fetched = watch_for_script(page)
    open_wizard(page, site_origin, deep_link(provider="spaceweb", text=PAYLOAD, panel_access="no"))
    want = expect_result(page, "spaceweb", PAYLOAD, {"panel_access": "no"})
    assert PAYLOAD in want["draft"]["text"]
    expect(text_box(page)).to_have_value(PAYLOAD)
    expect(draft_box(page)).to_contain_text(PAYLOAD)
    assert_payload_inert(page, dialogs, fetched)
    assert_no_offsite(page)


def test_typed_payload_is_text(new_guarded_page, site_origin):
    provider, text = "spaceweb", "не работает почта " + PAYLOAD
    page = new_guarded_page()
    dialogs, fetched = watch_for_script(page)
    open_wizard(page, site_origin)
    provider_select(page).select_option(provider)
    text_box(page).click()
    page.keyboard.type(text)
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    answers = questions_by_mouse(page, provider, text, {"panel_access": "no"})
    expect_result(page, provider, text, answers)
    details = {"login": PAYLOAD, "steps": PAYLOAD}
    for name, value in details.items():
        detail_field(page, name).click()
        page.keyboard.type(value)
    want = expect_result(page, provider, text, answers, details)
    assert want["draft"]["text"].count(PAYLOAD) >= 2
    assert_payload_inert(page, dialogs, fetched)
    assert_no_offsite(page)


# --- tests: result details (fields, warnings, actions) ---------------------------------------------


def test_fields_validation_warnings_and_actions(new_guarded_page, site_origin):
    provider, text = "introserv", "сервер полностью недоступен"
    page = new_guarded_page(permissions=["clipboard-read", "clipboard-write"])
    open_wizard(page, site_origin, deep_link(provider=provider, text=text, panel_access="yes"))
    want = expect_result(page, provider, text, {"panel_access": "yes"})
    open_details(page)
    plan = want["draft"]["fields"]
    shown = panel(page, "result").locator("[data-field]").evaluate_all("els => els.map(e => e.dataset.field)")
    assert shown == [f["id"] for f in plan], "the detail fields are the engine's field plan, in its order"
    for entry in plan:  # labels from the engine (draft.fields), never from the page's own copy
        field = panel(page, "result").get_by_label(entry["label"], exact=True)
        expect(field, f"field {entry['id']} with the engine's label").to_have_attribute("name", entry["id"])

    details = {"ip": "999.1.1.1", "error_text": "пароль: Hunter22x"}
    for name, value in details.items():
        detail_field(page, name).fill(value)
    want = expect_result(page, provider, text, {"panel_access": "yes"}, details)
    assert "Hunter22x" not in want["draft"]["text"]
    expect(page.locator('[data-field-error="ip"]')).to_contain_text(want["draft"]["field_errors"]["ip"])
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    ip_id = detail_field(page, "ip").get_attribute("id")
    assert ip_id and summary.locator(f'a[href="#{ip_id}"]').count() == 1, "the summary links to the field"
    secret = next(w for w in want["draft"]["warnings"] if w["code"] == "secret" and w["field"] == "error_text")
    expect(page.locator('[data-warning-for="error_text"]')).to_contain_text(secret["message"])
    for warning in want["draft"]["warnings"]:
        # next to its field; an invalid-value warning may be shown as that field's inline error instead
        where = f'[data-warning-for="{warning["field"]}"]'
        if warning["code"] == "invalid_field":
            where += f', [data-field-error="{warning["field"]}"]'
        expect(
            page.locator(where).filter(has_text=warning["message"]).first,
            f"engine warning {warning['code']} next to {warning['field']}",
        ).to_be_visible()
        # and in the list beside the draft
        expect(page.locator("ul[data-draft-warnings] li").filter(has_text=warning["message"]).first).to_be_visible()

    copy = page.locator('button[data-action="copy"]')
    expect(copy).to_have_text(re.compile("Скопировать"))
    copy.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == want["draft"]["text"]
    download_button = page.locator('button[data-action="download"]')
    expect(download_button).to_have_text(re.compile(r"Скачать \.txt"))
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".txt"), download.suggested_filename
    assert pathlib.Path(download.path()).read_text(encoding="utf-8").replace("\r\n", "\n") == want["draft"]["text"]
    assert_no_offsite(page)


# --- tests: accessibility, screenshots, narrow screens ---------------------------------------------

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""


def axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Not as a <script> tag: the site's CSP admits no inline script it has no hash for. Code
        # evaluated through the DevTools protocol is not subject to the page's CSP.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    # Material animates the header title and the back-to-top button when focus scrolls the page:
    # audit the settled page, not a frame in the middle of a transition.
    page.evaluate("() => document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} })")
    return page.evaluate(AXE_RUN)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}".replace("\n", " ") for n in v["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("path", ["/", "/providers/spaceweb/"])
def test_axe_help_pages(new_guarded_page, site_origin, path):
    page = new_guarded_page()
    assert page.goto(site_origin + path).status == 200
    violations = axe_violations(page)
    report = format_violations(path, violations)
    print(report)
    assert not violations, "axe-core: serious/critical violations\n" + report


def test_axe_wizard_steps(new_guarded_page, site_origin):
    provider, text = "spaceweb", "не работает почта"
    page = new_guarded_page()
    open_wizard(page, site_origin)
    reports = []

    def audit(step):
        expect_step(page, step, focused=False)
        reports.append(format_violations(f"{WIZARD} {step}", axe_violations(page)))

    provider_select(page).select_option(provider)
    text_box(page).fill(text)
    audit("describe")
    panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
    audit("questions")
    answer_by_mouse(page, "questions", provider, "panel_access", "no")
    panel(page, "questions").locator('button[data-action="next"]').click()
    expect_result(page, provider, text, {"panel_access": "no"})
    audit("result")
    report = "\n".join(r for r in reports if r)
    print(report)
    assert not report, "axe-core: serious/critical violations\n" + report


@pytest.mark.parametrize("width, height", [(1366, 768), (375, 812)], ids=["1366px", "375px"])
def test_steps_screenshots_and_no_horizontal_scroll(new_guarded_page, site_origin, width, height):
    provider, text = "spaceweb", "не работает почта"
    page = new_guarded_page(viewport={"width": width, "height": height})
    overflow = []

    def capture(step):
        shoot(page, f"wizard-{width}-{STEPS.index(step) + 1}-{step}")
        scroll_width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if scroll_width > width + 1:
            overflow.append(f"{step}: scrollWidth {scroll_width} > {width}")

    try:
        open_wizard(page, site_origin)
        provider_select(page).select_option(provider)
        text_box(page).click()
        page.keyboard.type(text)
        expect_step(page, "describe", focused=False)
        capture("describe")
        panel(page, "describe").get_by_role("button", name="Дальше", exact=True).click()
        expect_step(page, "questions")
        capture("questions")
        answer_by_mouse(page, "questions", provider, "panel_access", "no")
        panel(page, "questions").locator('button[data-action="next"]').click()
        want = expect_result(page, provider, text, {"panel_access": "no"})
        expect_mailto(page, want)
        capture("result")
    except Exception:
        shoot(page, f"wizard-{width}-failed")
        raise
    assert not overflow, f"horizontal scroll at {width}px: {overflow}"
    assert_no_offsite(page)
