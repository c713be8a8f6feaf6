"""A static file server that behaves like a production one: pre-compressed files, caching headers.

Serves a built site (default: site/) on 127.0.0.1. For a request it picks `<file>.br` or `<file>.gz`
when the client accepts that encoding, sends `application/wasm` for .wasm, long cache lifetimes for
versioned runtime files (`assets/pyodide/<version>/`, content-hashed names) and revalidation
(ETag / 304) for everything else. Used by the benchmark and the browser tests; `python
bench/server.py [--root site] [--port 8000]` runs it by hand.

sitemap.xml is served with its addresses moved to this server's origin, as if `site_url` named it:
Material's instant navigation only intercepts links the sitemap lists, and it matches the port too,
so with the built site_url (port 8000) every click on a random test port would be a full page load.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import hashlib
import http.server
import mimetypes
import pathlib
import re
import sys
import threading
import urllib.parse

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}
SITEMAP_LOC = re.compile(rb"(<loc>|href=\")https?://[^/<\"]+/")
IMMUTABLE = re.compile(r"(^|/)assets/pyodide/[^/]+/|\.[0-9a-f]{8,}\.(?:min\.)?(?:js|mjs|css|zip|whl|json|bin)$")


class _Counting:
    """Wraps the socket writer to count bytes on the wire (headers and bodies)."""

    def __init__(self, raw, server):
        self.raw, self.server = raw, server

    def write(self, data):
        with self.server.lock:
            self.server.sent += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class Handler(http.server.BaseHTTPRequestHandler):
    root: pathlib.Path = pathlib.Path("site")
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.wfile = _Counting(self.wfile, self.server)

    def log_message(self, *args):  # quiet
        pass

    def _resolve(self) -> pathlib.Path | None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        if not str(target).startswith(str(self.root.resolve())):
            return None
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return pathlib.Path("/dev/null/redirected")
            target = target / "index.html"
        return target if target.is_file() else None

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        target = self._resolve()
        if target is not None and str(target) == "/dev/null/redirected":
            return
        if target is None:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        if target.name == "sitemap.xml" and target.parent == self.root.resolve():
            self._send_sitemap(target, head)
            return
        accepted = self.headers.get("Accept-Encoding", "")
        send, encoding = target, None
        for enc, suffix in (("br", ".br"), ("gzip", ".gz")):
            candidate = target.with_name(target.name + suffix)
            if enc in accepted and candidate.is_file():
                send, encoding = candidate, enc
                break
        stat = send.stat()
        etag = '"' + hashlib.sha1(f"{send}:{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:16] + '"'
        rel = target.relative_to(self.root.resolve()).as_posix()
        cache = "public, max-age=31536000, immutable" if IMMUTABLE.search(rel) else "no-cache"
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Cache-Control", cache)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if head:
            return
        try:
            with open(send, "rb") as f:
                while chunk := f.read(256 * 1024):
                    self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave up on the response (an aborted test route or navigation)

    def _send_sitemap(self, target: pathlib.Path, head: bool) -> None:
        origin = f"http://{self.headers.get('Host') or '127.0.0.1'}/".encode()
        body = SITEMAP_LOC.sub(lambda m: m.group(1) + origin, target.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", TYPES[".xml"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    """Browsers drop connections they no longer need (a page left, a preload cancelled): not an error to print."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server:
    """Context manager: serve `root` on 127.0.0.1 in a thread."""

    def __init__(self, root: pathlib.Path, port: int = 0):
        handler = type("BoundHandler", (Handler,), {"root": pathlib.Path(root)})
        self.httpd = _QuietServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.httpd.sent = 0
        self.httpd.lock = threading.Lock()
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reset_bytes(self) -> None:
        with self.httpd.lock:
            self.httpd.sent = 0

    def bytes_sent(self) -> int:
        with self.httpd.lock:
            return self.httpd.sent

    def __enter__(self) -> Server:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="site")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with Server(pathlib.Path(args.root), args.port) as server:
        print(f"serving {args.root} on {server.origin}/ (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
