"""The real help section in Chromium: pages render, nothing leaves the machine, Russian search works."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/providers/",
    "/providers/spaceweb/",
    "/providers/peterhost/",
    "/providers/introserv/",
    "/providers/landvps/",
    "/compare/",
    "/writers/",
    "/writers/schema/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_offsite_requests(guarded_page, site_origin, path):
    wasm = []
    guarded_page.on("request", lambda r: wasm.append(r.url) if r.url.endswith(".wasm") else None)
    response = guarded_page.goto(site_origin + path)
    assert response.status == 200
    guarded_page.wait_for_load_state("networkidle")
    assert guarded_page.locator("h1").first.inner_text().strip()
    assert guarded_page.offsite == []
    assert wasm == [], "help pages must not load the engine"


def test_comparison_page_lists_every_provider(guarded_page, site_origin):
    guarded_page.goto(site_origin + "/compare/")
    header = guarded_page.locator("table:has(th[scope=row]) thead").first.inner_text()
    for name in ("SpaceWeb", "PeterHost", "INTROSERV", "LandVPS"):
        assert name in header


@pytest.mark.parametrize(
    "query, expected",
    [
        ("почты", "/providers/"),  # word form of "почта"
        ("эскалации", None),  # no page says it: no crash, no results needed
        ("BILLmanager", "/providers/landvps/"),
        ("feedback", "/providers/peterhost/"),
    ],
)
def test_search_real_site(guarded_page, site_origin, query, expected):
    guarded_page.goto(site_origin + "/")
    guarded_page.locator("label.md-search__icon, .md-search__input").first.click()
    box = guarded_page.locator("input.md-search__input")
    box.type(query, delay=20)
    box.press("End")
    if expected is None:
        guarded_page.wait_for_timeout(800)
        return
    result = guarded_page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    hrefs = guarded_page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert any(expected in h for h in hrefs), hrefs
    assert guarded_page.offsite == []
