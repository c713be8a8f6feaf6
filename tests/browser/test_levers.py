"""Start-up levers fall back cleanly: without the bytecode stdlib or bytecode wheel the wizard still works."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TEXT = "сервер полностью недоступен"


@pytest.mark.parametrize(
    "blocked", ["**/assets/wizard/python_stdlib.*.zip", "**/assets/wizard/triage-*-bytecode.*.whl"]
)
def test_wizard_works_without_bytecode(new_guarded_page, site_origin, blocked):
    page = new_guarded_page()
    hits = []

    def refuse(route):
        hits.append(route.request.url)
        route.abort()

    page.route(blocked, refuse)
    page.goto(f"{site_origin}/wizard/?provider=introserv&text={TEXT}")
    page.wait_for_selector('[data-triage][data-state="ready"]', timeout=90_000)
    page.wait_for_selector('[data-channel-kind="ticket"]', timeout=30_000)
    draft = page.locator("[data-draft]").inner_text()
    assert TEXT in draft
    assert hits, "the bytecode file was never requested: the lever is not in use"
    assert page.offsite == []


def test_wizard_uses_bytecode_by_default(new_guarded_page, site_origin):
    page = new_guarded_page()
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(f"{site_origin}/wizard/?provider=introserv&text={TEXT}")
    page.wait_for_selector('[data-triage][data-state="ready"]', timeout=90_000)
    assert any("/assets/wizard/python_stdlib." in u for u in urls)
    assert any("-bytecode." in u and u.endswith(".whl") for u in urls)
    # The plain stdlib of the npm package is not downloaded when the bytecode one works.
    assert not any(u.endswith("/python_stdlib.zip") for u in urls)


def test_snapshot_only_from_cache_on_a_repeat_visit(chromium_browser, site_origin, tmp_path):
    """First visit: the start-up snapshot is not downloaded before the engine is ready; once the
    wizard is used it is kept (Cache Storage, the HTTP cache without it), and the next visit starts
    from it. A persistent profile, as a returning visitor has (Playwright's new_context keeps only a
    small memory cache)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    context = chromium_browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    # No request interception here: Chromium disables its HTTP cache for intercepted contexts.
    offsite = []
    context.on(
        "request",
        lambda r: offsite.append(r.url) if not r.url.startswith((site_origin, "data:", "blob:", "about:")) else None,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        finished = []
        page.on("requestfinished", lambda r: finished.append(r.url) if "/assets/wizard/snapshot." in r.url else None)
        page.goto(f"{site_origin}/wizard/")
        page.wait_for_selector('[data-triage][data-state="ready"]', timeout=90_000)
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-triage]").get_attribute("data-engine-start") == "bytecode"
        assert finished == [], "a first visit must not download the snapshot"
        page.goto(f"{site_origin}/wizard/?provider=introserv&text={TEXT}")
        page.wait_for_selector('[data-channel-kind="ticket"]', timeout=90_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert finished, "using the wizard should put the snapshot into the cache for the next visit"
        page.goto("about:blank")
        page.goto(f"{site_origin}/wizard/?provider=introserv&text={TEXT}")
        page.wait_for_selector('[data-triage][data-state="ready"]', timeout=90_000)
        assert page.locator("[data-triage]").get_attribute("data-engine-start") == "snapshot"
        page.wait_for_selector('[data-channel-kind="ticket"]', timeout=30_000)
        assert TEXT in page.locator("[data-draft]").inner_text()
        assert offsite == []
    finally:
        context.close()
