"""Browser test: Russian site search finds word forms (sitebuild/searchru.py + overrides/main.html).

Builds a tiny site with the real overrides/ and the generated search worker,
serves it under a /help/ prefix on 127.0.0.1, types queries into Material's
search box in Chromium and checks which page is found.
"""

from __future__ import annotations

import functools
import http.server
import os
import pathlib
import subprocess
import sys
import threading
import urllib.parse

import pytest

from sitebuild.searchru import WORKER_PATH, write_search_worker

ROOT = pathlib.Path(__file__).resolve().parents[2]

PREFIX = "/help/"  # served under a sub-path: every URL must be relative


# Search plugin settings the real mkdocs.yml must use (why: sitebuild/searchru.py).
MKDOCS_YML = f"""\
site_name: Проверка поиска
use_directory_urls: true
theme:
  name: material
  language: ru
  font: false
  custom_dir: {ROOT / "overrides"}
# The overrides' CSP allows inline scripts only by hash; the hook writes the hashes (as in the site).
hooks:
  - {ROOT / "sitebuild" / "csp.py"}
plugins:
  - search:
      lang: [ru, en]
      pipeline: [stopWordFilter]
"""

# Each page holds one base form only; punctuation next to words is deliberate.
PAGES = {
    "index.md": "# Справочный центр\n\nЗдесь собраны инструкции. Разделы перечислены в меню.\n",
    "guide/mail.md": "# Почта\n\nКорпоративная почта работает на наших серверах. Ящик «почта» создаётся сам.\n",
    "guide/domains.md": "# Домен\n\nДомен — это адрес вашего сайта. Его продлевают раз в год.\n",
    "guide/escalation.md": "# Эскалация обращений\n\nЭскалация передаёт обращение старшему инженеру.\n",
    "guide/dns.md": "# Записи (DNS)\n\nДобавьте запись SPF, чтобы письма не попадали в спам.\n",
    "errors/bad-gateway.md": "# Bad Gateway\n\nОшибка 502, сервер недоступен. Известна с 2023 года.\n",
}

# query, page that must be the only article found, query is a word form absent from the page
QUERIES = [
    ("почты", "guide/mail/", True),
    ("почтой", "guide/mail/", True),
    ("почта", "guide/mail/", False),
    ("доменов", "guide/domains/", True),
    ("домен", "guide/domains/", False),
    ("эскалации", "guide/escalation/", True),
    ("DNS", "guide/dns/", False),
    ("SPF", "guide/dns/", False),
    ("502", "errors/bad-gateway/", False),
    ("2023", "errors/bad-gateway/", False),
]

# Test-only instrumentation: remember the last query sent to the search worker
# and the query whose result arrived last, so we wait for the final query's
# results rather than for an intermediate prefix ("почт" already finds the page).
TRACK_WORKER = """(() => {
  const Native = window.Worker;
  window.__sent = null; window.__answered = null;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ev => {
        if (ev.data && ev.data.type === 3) window.__answered = window.__sent;
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) window.__sent = message.data;
      return super.postMessage(message, ...rest);
    }
  };
})()"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the site into <root>/help and return (root, source dir)."""
    src = tmp_path_factory.mktemp("src")
    root = tmp_path_factory.mktemp("www")
    for name, text in PAGES.items():
        (src / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (src / "docs" / name).write_text(text, encoding="utf-8")
    (src / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    assert write_search_worker(src / "docs") == WORKER_PATH
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(root / PREFIX.strip("/"))],
        cwd=src,
        env=env,
        check=True,
    )
    return root, src


@pytest.fixture(scope="module")
def site_url(site):
    root, _ = site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def chromium(chromium_browser):
    """The session's Debian Chromium (conftest): one Playwright instance per process."""
    return chromium_browser


@pytest.fixture
def search_page(chromium):
    """A fresh page; any request to a host other than 127.0.0.1 is aborted and reported."""
    context = chromium.new_context()
    seen, foreign = [], []

    def guard(route):
        url = route.request.url
        seen.append(url)
        if urllib.parse.urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    context.on("request", lambda request: seen.append(request.url))
    context.add_init_script(TRACK_WORKER)
    page = context.new_page()
    yield page
    context.close()
    assert not foreign, f"requests left 127.0.0.1: {foreign}"
    outside = [url for url in seen if urllib.parse.urlsplit(url).hostname != "127.0.0.1"]
    assert not outside, f"requests left 127.0.0.1: {outside}"
    # The guard also sees the worker's own loads (wrapper, Material worker, stemmer).
    assert any(url.endswith(WORKER_PATH) for url in seen)
    assert any(url.endswith("/lunr/min/lunr.ru.min.js") for url in seen)


def _article_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "links => links.map(a => a.href)"
    )
    return [urllib.parse.urlsplit(href).path for href in hrefs]


def test_worker_is_generated_and_marked(site):
    _, src = site
    text = (src / "docs" / WORKER_PATH).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("//") and "build.py" in first and "sitebuild/searchru.py" in first
    assert "Do not edit" in first
    assert WORKER_PATH in (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected", "word_form"), QUERIES, ids=[q for q, _, _ in QUERIES])
def test_search_finds(search_page, site_url, query, expected, word_form):
    page = search_page
    if word_form:  # make sure the page really lacks the typed form
        source = PAGES[expected.rstrip("/") + ".md"]
        assert query.lower() not in source.lower()

    page.goto(site_url + "guide/mail/")  # nested page: worker URL is "../../assets/..."
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    page.keyboard.type(query, delay=20)
    page.keyboard.press("End")
    page.wait_for_function("q => window.__answered === q", arg=query, timeout=15_000)

    assert _article_paths(page) == [PREFIX + expected]
    # The typed word must not be listed as "missing" when only its stem matched.
    assert page.locator(".md-search-result__item .md-search-result__terms").count() == 0
