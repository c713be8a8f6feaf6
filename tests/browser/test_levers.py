"""Start-up levers fall back cleanly: without the bytecode stdlib or bytecode wheel the wizard still works."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TEXT = "сервер полностью недоступен"


@pytest.mark.parametrize("blocked", ["**/assets/wizard/python_stdlib.*.zip", "**/assets/wizard/triage-*-bytecode.*.whl"])
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
