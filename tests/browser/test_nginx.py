"""The sample nginx configuration of docs/writers/hosting.md, run with Debian's nginx on 127.0.0.1."""

from __future__ import annotations

import pathlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "writers" / "hosting.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = pathlib.Path("/usr/share/nginx/modules-available/mod-http-brotli-static.conf")


def sample_config() -> str:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "docs/writers/hosting.md must hold exactly one nginx block"
    return blocks[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_origin(built_site, tmp_path_factory):
    if not pathlib.Path(NGINX).exists():
        pytest.fail("nginx is missing: bash scripts/dev.sh setup installs Debian's nginx")
    work = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    server = sample_config()
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace("/var/www/help-center/site", str(built_site))
    modules = ""
    if BROTLI_MODULE.exists():
        modules = f"include {BROTLI_MODULE};\n"
    else:  # the doc says: without the module, drop brotli_static
        server = server.replace("brotli_static on;", "")
    conf = work / "nginx.conf"
    conf.write_text(
        f"""{modules}daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
user root;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{server}
}}
""",
        encoding="utf-8",
    )
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    origin = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(origin + "/", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    yield origin
    proc.terminate()
    proc.wait(timeout=10)


def _head(url: str, encoding: str) -> dict:
    request = urllib.request.Request(url, method="HEAD", headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=5) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def _runtime_dir(built_site: pathlib.Path) -> str:
    (version,) = [p.name for p in (built_site / "assets" / "pyodide").iterdir()]
    return f"/assets/pyodide/{version}/"


def test_wasm_type_compression_and_caching(nginx_origin, built_site):
    wasm = nginx_origin + _runtime_dir(built_site) + "pyodide.asm.wasm"
    headers = _head(wasm, "br, gzip")
    assert headers["content-type"] == "application/wasm"
    assert headers.get("content-encoding") == ("br" if BROTLI_MODULE.exists() else "gzip")
    assert "immutable" in headers["cache-control"]
    assert _head(wasm, "gzip").get("content-encoding") == "gzip"
    assert "content-encoding" not in _head(wasm, "identity")
    mjs = _head(nginx_origin + _runtime_dir(built_site) + "pyodide.mjs", "identity")
    assert mjs["content-type"].startswith("text/javascript")
    page = _head(nginx_origin + "/wizard/", "gzip")
    assert page["cache-control"] == "no-cache"


def test_wizard_reaches_ready_behind_nginx(chromium_browser, nginx_origin):
    context = chromium_browser.new_context()
    page = context.new_page()
    offsite = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(nginx_origin)
            else (offsite.append(route.request.url), route.abort())
        ),
    )
    page.goto(nginx_origin + "/wizard/?provider=spaceweb&text=не работает почта")
    page.wait_for_selector('[data-triage][data-state="ready"]', timeout=90_000)
    page.wait_for_selector('[data-channel-kind="ticket"]', timeout=30_000)
    assert offsite == []
    context.close()


def test_security_headers_are_the_pages_policy_with_frame_ancestors(nginx_origin, built_site):
    """nginx sends the policy the build wrote (site/security-headers.conf): the wizard page's <meta>
    policy plus frame-ancestors 'none', with Referrer-Policy, on pages and on assets alike."""
    wizard = (built_site / "wizard" / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', wizard).group(1)
    for path in ("/", "/wizard/", "/providers/", _runtime_dir(built_site) + "pyodide.asm.wasm"):
        headers = _head(nginx_origin + path, "gzip")
        assert headers["content-security-policy"] == meta + "; frame-ancestors 'none'", path
        assert headers["referrer-policy"] == "no-referrer", path
        assert headers["x-content-type-options"] == "nosniff", path
    policy = {d.split()[0]: d.split()[1:] for d in meta.split("; ")}
    assert "'unsafe-inline'" not in policy["script-src"] and policy["object-src"] == ["'none'"]
    request = urllib.request.Request(nginx_origin + "/security-headers.conf", method="HEAD")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=5)
