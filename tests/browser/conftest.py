"""Fixtures for browser tests: the real site built once, served on 127.0.0.1, and Debian Chromium."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _bench_module(name: str):
    """A script module of bench/ (bench/server.py, bench/browser.py), which is not a package."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_browser = _bench_module("browser")
CHROMIUM, CHROMIUM_ARGS, WORKER_PROBE = _browser.CHROMIUM, _browser.CHROMIUM_ARGS, _browser.WORKER_PROBE


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> pathlib.Path:
    """The project's site, built by `python build.py` into a temporary folder."""
    out = tmp_path_factory.mktemp("site") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "build.py", "--site-dir", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def site_origin(built_site) -> str:
    """The built site served like production: pre-compressed files, cache headers (bench/server.py)."""
    with _bench_module("server").Server(built_site) as server:
        yield server.origin


@pytest.fixture(scope="session")
def chromium_browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run bash scripts/dev.sh setup (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _origin_guard(site_origin: str, offsite: list[str]):
    """A route handler that lets requests to the site's origin through and aborts (and records) the rest."""

    def guard(route):
        url = route.request.url
        if url.startswith(site_origin + "/") or url == site_origin or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            offsite.append(url)
            route.abort()

    return guard


@pytest.fixture
def guarded_page(chromium_browser, site_origin):
    """A fresh page whose every request must stay on the site's origin (others are aborted and recorded)."""
    context = chromium_browser.new_context()
    page = context.new_page()
    offsite: list[str] = []
    context.route("**/*", _origin_guard(site_origin, offsite))
    page.offsite = offsite
    yield page
    context.close()


@pytest.fixture
def new_guarded_page(chromium_browser, site_origin):
    """Factory: new_guarded_page(**context_options) -> a page in a fresh browser context, guarded like
    guarded_page (page.offsite lists aborted off-origin requests). Context options are Playwright's
    (viewport=..., java_script_enabled=..., permissions=...). All contexts are closed after the test."""
    contexts = []

    def make(**context_options):
        context = chromium_browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.offsite = []
        context.route("**/*", _origin_guard(site_origin, page.offsite))
        return page

    yield make
    for context in contexts:
        context.close()
