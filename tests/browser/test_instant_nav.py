"""Instant navigation (mkdocs.yml `navigation.instant`) with the wizard: Material swaps the page
content by XHR and re-runs the content's scripts; the wizard is mounted and unmounted with it, and
its engine (one Pyodide worker per page load, engine.js) survives every swap. A visitor's intent to
open the wizard on a help page (pointer on a wizard link) starts that engine ahead of the click."""

from __future__ import annotations

import re

import pytest
from conftest import WORKER_PROBE
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ENGINE_TIMEOUT = 60_000
NAV_TIMEOUT = 15_000


def collect_console(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    return problems


def wait_ready(page: Page) -> None:
    expect(page.locator("[data-triage]")).to_have_attribute("data-state", "ready", timeout=ENGINE_TIMEOUT)


def nav_link(page: Page, href_end: str):
    return page.locator(f"nav a.md-nav__link[href$='{href_end}']").first


def test_help_wizard_help_wizard_keeps_one_engine_and_a_clean_console(new_guarded_page, site_origin):
    page = new_guarded_page()
    page.add_init_script(WORKER_PROBE)
    problems = collect_console(page)
    page.goto(site_origin + "/providers/spaceweb/")
    page.wait_for_load_state("networkidle")  # Material intercepts links once it has the sitemap
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if any move below reloads the page
    page.get_by_role("link", name="Подготовить обращение в мастере").click()
    page.wait_for_url(re.compile(r"/wizard/"), timeout=NAV_TIMEOUT)
    wait_ready(page)
    page.get_by_label("Опишите проблему своими словами", exact=True).fill("не работает почта")

    nav_link(page, "/compare/").click()
    page.wait_for_url(re.compile(r"/compare/$"), timeout=NAV_TIMEOUT)
    expect(page.locator("[data-triage]")).to_have_count(0)
    nav_link(page, "/wizard/").click()
    page.wait_for_url(re.compile(r"/wizard/$"), timeout=NAV_TIMEOUT)
    wait_ready(page)
    expect(page.get_by_label("Опишите проблему своими словами", exact=True)).to_have_value("не работает почта")
    page.get_by_role("button", name="Дальше", exact=True).click()
    expect(page.locator("[data-triage]")).to_have_attribute(
        "data-step", re.compile("questions|result"), timeout=NAV_TIMEOUT
    )

    assert page.evaluate("() => window.__engineWorkers") == 1, "the engine must start once and survive navigation"
    assert page.evaluate("() => window.__sameDocument === true"), "every move must be an instant navigation"
    assert problems == [], f"console errors during instant navigation: {problems}"
    assert page.offsite == []


def test_pointer_on_a_wizard_link_starts_the_engine_before_the_click(new_guarded_page, site_origin):
    page = new_guarded_page()
    page.add_init_script(WORKER_PROBE)
    problems = collect_console(page)
    page.goto(site_origin + "/providers/spaceweb/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => window.__engineWorkers") == 0, "no engine without intent"
    page.get_by_role("link", name="Подготовить обращение в мастере").hover()
    for _ in range(100):  # polled: the site's CSP forbids the string eval of wait_for_function
        if page.evaluate("() => window.__engineWorkers") == 1:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.__engineWorkers") == 1, "hovering the wizard link starts the engine"
    page.get_by_role("link", name="Подготовить обращение в мастере").click()
    wait_ready(page)
    assert page.evaluate("() => window.__engineWorkers") == 1, "the wizard uses the engine started on hover"
    assert problems == [], f"console errors: {problems}"
