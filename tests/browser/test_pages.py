"""Help pages a customer can use in ten seconds, on a desktop and on a phone.

At 1366 and 375 px, for every provider page: the situations table ([data-situations]) starts within the
first 1.5 screens, nothing scrolls sideways, no list item is said twice; the home and comparison pages do
not scroll sideways either. Every page is photographed at both widths into test-results/screenshots/.
"""

from __future__ import annotations

import pathlib

import pytest

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "screenshots"
PROVIDERS = sorted(p.stem for p in (ROOT / "providers").glob("*.yaml") if not p.name.startswith("_"))
WIDTHS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 812}}
OTHER_PAGES = {
    "home": "/",
    "compare": "/compare/",
    "providers": "/providers/",
    "writers": "/writers/",
    "writers-schema": "/writers/schema/",
    "writers-hosting": "/writers/hosting/",
    "writers-performance": "/writers/performance/",
}


def open_page(new_guarded_page, site_origin, path: str, viewport: dict):
    page = new_guarded_page(viewport=viewport, device_scale_factor=1)
    response = page.goto(site_origin + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    return page


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("provider", PROVIDERS)
def test_provider_page_puts_situations_first(new_guarded_page, site_origin, provider, width):
    viewport = WIDTHS[width]
    page = open_page(new_guarded_page, site_origin, f"/providers/{provider}/", viewport)
    shoot(page, f"provider-{provider}-{width}")
    table = page.locator("table[data-situations]")
    assert table.count() == 1
    top = table.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    assert top <= 1.5 * viewport["height"], f"situations table starts at {top}px"
    assert table.locator("tbody tr[id^='topic-']").count() >= 1
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("provider", PROVIDERS)
def test_provider_page_says_every_list_item_once(new_guarded_page, site_origin, provider, width):
    page = open_page(new_guarded_page, site_origin, f"/providers/{provider}/", WIDTHS[width])
    items = page.locator("article li").evaluate_all(
        "els => els.filter(e => !e.querySelector('li')).map(e => e.textContent.replace(/\\s+/g, ' ').trim())"
    )
    assert items
    repeated = sorted({i for i in items if items.count(i) > 1})
    assert not repeated, repeated


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(OTHER_PAGES))
def test_summary_pages_fit_the_window(new_guarded_page, site_origin, name, width):
    page = open_page(new_guarded_page, site_origin, OTHER_PAGES[name], WIDTHS[width])
    shoot(page, f"{name}-{width}")
    assert horizontal_overflow(page) <= 0


def test_comparison_page_becomes_cards_on_a_phone(new_guarded_page, site_origin):
    """Below 600 px every cell of the comparison tables shows its column's name (a card per row)."""
    page = open_page(new_guarded_page, site_origin, "/compare/", WIDTHS["phone"])
    cells = page.locator("table[data-cards] td[data-label]:not(:first-child)")
    assert cells.count() > 0
    label = cells.first.evaluate("el => getComputedStyle(el, '::before').content")
    assert label.strip('"').startswith(cells.first.get_attribute("data-label"))
    assert page.locator("table[data-cards] tr").first.evaluate("el => getComputedStyle(el).display") == "block"
    desktop = open_page(new_guarded_page, site_origin, "/compare/", WIDTHS["desktop"])
    assert desktop.locator("table[data-cards] tr").first.evaluate("el => getComputedStyle(el).display") == "table-row"


def test_help_link_of_a_suggestion_lands_on_its_situation(new_guarded_page, site_origin):
    """The engine's suggest() gives providers/<id>/#topic-<topic>: that row exists on the page."""
    from sitebuild import check as checker
    from sitebuild.project import Project
    from triage import Policy
    from triage.api import suggest

    checked = checker.check(Project.here(str(ROOT / "providers")))
    policy = Policy(checked.compiled["spaceweb"])
    first = suggest(policy, "не работает почта")[0]
    page = open_page(new_guarded_page, site_origin, "/" + first["help_url"], WIDTHS["phone"])
    row = page.locator(f"tr#topic-{first['id']}")
    assert row.count() == 1
    assert row.is_visible()


AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


@pytest.mark.parametrize("path", ["/compare/", *(f"/providers/{p}/" for p in PROVIDERS)])
def test_axe_on_a_phone(new_guarded_page, site_origin, path):
    """The card layout keeps the pages accessible (no serious or critical axe-core finding)."""
    page = open_page(new_guarded_page, site_origin, path, WIDTHS["phone"])
    # Not as a <script> tag: the site's CSP admits no inline script it has no hash for (see test_wizard).
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    page.evaluate("() => document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} })")
    assert page.evaluate(AXE_RUN) == []
