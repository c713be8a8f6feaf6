#!/usr/bin/env python3
"""Attack the policy side as an attacker and a careless writer would, and count what breaks (not a test).

    .venv/bin/python bench/attack.py check  [--count 300]   broken policies -> `build.py check`
    .venv/bin/python bench/attack.py pages  [--payloads N]  markup payloads in every text field -> built site
    .venv/bin/python bench/attack.py all

`check`: N broken policies generated from the real ones (mutations of tests/test_check_fuzz.py plus
files that are not files: directories, FIFOs, dangling links, link loops, /dev/zero, /etc/passwd,
alias bombs, deep nesting, 10 MB texts), each run through `build.py check` in a subprocess with a
60 s limit. Counted: tracebacks, hangs (timeouts), exits other than 1, lines not
`file:line:col: path: ...`, lines that print another file's content, total time.

`pages`: for every payload, the payload is added to every free-text field of every policy (the
schema says which fields are text), the site is built, and every built page is compared with the
baseline build: an element or attribute that can run script (script, img, svg, iframe, object,
embed, details/on* attributes, javascript: URLs) more than in the baseline counts as an injection.
With --browser each page is also opened in Chromium and dialogs (alert) are counted.

Prints a summary and writes bench/attack-results.json (git-ignored: generated).
"""

from __future__ import annotations

import argparse
import collections
import html.parser
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

from sitebuild import schema as policy_schema
from sitebuild.project import SOURCES
from sitebuild.schemalang import List, Map, Obj, OneOrMany, Ref, Text, Url

ROOT = pathlib.Path(__file__).resolve().parents[1]

PAYLOADS = [
    "</title><script>alert(1)</script><title>",
    "<script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "<svg onload=alert(4)>",
    "[x](javascript:alert(5))",
    "![x](javascript:alert(6))",
    "<javascript:alert(7)>",
    '" onmouseover="alert(8)',
    "' onmouseover='alert(9)",
    '{: onclick="alert(10)" }',
    "</script><script>alert(11)</script>",
    '<a href="javascript:alert(12)">x</a>',
    "&lt;script&gt;alert(13)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(14)&#62;",
    "<iframe src=javascript:alert(15)>",
    "<details open ontoggle=alert(16)>",
    "<object data=javascript:alert(17)>",
    "`<script>alert(18)</script>`",
    "<!--<script>alert(19)</script>-->",
    "line one\n| a | b |\n<script>alert(20)</script>",
    "\u2028</script><script>alert(21)</script>",
]

#: Fields whose text feeds the routing tests (a payload there changes routing, not pages).
ROUTING_FIELDS = {"tests", "phrases", "words", "keywords", "examples", "synonyms"}

DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "object",
    "embed",
    "details",
    "style",
    "form",
    "base",
    "meta",
    "link",
    "frame",
}


class _Danger(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: collections.Counter = collections.Counter()
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found[f"<{tag}>"] += 1
        kind = (dict(attrs).get("type") or "").lower()
        self._in_script = tag == "script" and kind in ("", "module", "text/javascript", "application/javascript")
        for name, value in attrs:
            if name.startswith("on"):
                self.found[f"{name}="] += 1
            url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and url.startswith(
                ("javascript:", "data:text", "vbscript:")
            ):
                self.found[f"{name}=javascript:"] += 1

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found["alert( in script"] += 1


def dangerous(page: str) -> collections.Counter:
    parser = _Danger()
    parser.feed(page)
    parser.close()
    return parser.found


def text_fields(type_, value, path: str = ""):
    """(container, key, path) of every free-text value (not ids, references, URLs, enums, dates)."""
    if isinstance(type_, Obj) and isinstance(value, dict):
        for key in list(value):
            if key in ROUTING_FIELDS or key not in type_.fields:
                continue
            field_type = type_.fields[key].type
            sub = value[key]
            if (
                isinstance(field_type, Text)
                and not isinstance(field_type, (Ref, Url))
                and field_type.pattern is None
                and isinstance(sub, str)
            ):
                yield value, key, f"{path}.{key}".lstrip("."), field_type
            else:
                yield from text_fields(field_type, sub, f"{path}.{key}".lstrip("."))
    elif isinstance(type_, (List, OneOrMany)) and isinstance(value, list):
        for i, item in enumerate(value):
            if (
                isinstance(type_.item, Text)
                and not isinstance(type_.item, (Ref, Url))
                and type_.item.pattern is None
                and isinstance(item, str)
            ):
                yield value, i, f"{path}[{i}]", type_.item
            else:
                yield from text_fields(type_.item, item, f"{path}[{i}]")
    elif isinstance(type_, Map) and isinstance(value, dict):
        for key, sub in value.items():
            yield from text_fields(type_.value, sub, f"{path}.{key}")


def inject(data: dict, payload: str | list[str]) -> int:
    """Append payload to every free-text field of a policy (in place); returns how many fields.

    With a list, field i gets payloads[i % len] (one build covers every payload in many contexts)."""
    payloads = [payload] if isinstance(payload, str) else payload
    count = 0
    for i, (container, key, _path, field_type) in enumerate(list(text_fields(policy_schema.POLICY, data))):
        text = payloads[i % len(payloads)]
        if not field_type.multiline:
            text = text.replace("\n", " ").replace("\u2028", " ")
        container[key] = f"{container[key]} {text}"[: field_type.max_length]
        count += 1
    return count


# --- pages ---------------------------------------------------------------------------------------


def _copy_project(dest: pathlib.Path) -> None:
    dest.mkdir(parents=True)
    for part in (*SOURCES, "bench"):
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dest / part)
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (ROOT / "build" / "cache").mkdir(parents=True, exist_ok=True)
    (dest / "build").mkdir()
    (dest / "build" / "cache").symlink_to(ROOT / "build" / "cache", target_is_directory=True)


def _build(project: pathlib.Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    return subprocess.run(
        [sys.executable, "build.py"], cwd=project, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def _site_danger(site: pathlib.Path) -> dict[str, collections.Counter]:
    return {
        p.relative_to(site).as_posix(): dangerous(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))
    }


def _browser_dialogs(site: pathlib.Path, pages: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from playwright.sync_api import sync_playwright
    from server import Server

    dialogs = 0
    with Server(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()

        def on_dialog(dialog):
            nonlocal dialogs
            dialogs += 1
            dialog.dismiss()

        page.on("dialog", on_dialog)
        for rel in pages:
            page.goto(server.origin + "/" + rel.removesuffix("index.html"))
            page.wait_for_timeout(200)
            page.mouse.move(10, 10)
        browser.close()
    return dialogs


def attack_pages(payloads: list[str], browser: bool) -> dict:
    out: dict = {
        "payloads": len(payloads),
        "fields": 0,
        "builds_failed": 0,
        "injections": 0,
        "dialogs": 0,
        "details": [],
    }
    with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
        project = pathlib.Path(tmp) / "project"
        _copy_project(project)
        proc = _build(project)
        if proc.returncode:
            raise SystemExit("baseline build failed:\n" + proc.stderr)
        baseline = _site_danger(project / "site")
        originals = {p: p.read_text(encoding="utf-8") for p in (project / "providers").glob("[!_]*.yaml")}
        for n, payload in enumerate(payloads):
            fields = 0
            for path, text in originals.items():
                data = yaml.safe_load(text)
                fields += inject(data, payload)
                path.write_text(
                    yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
                )
            out["fields"] = max(out["fields"], fields)
            proc = _build(project)
            if proc.returncode:
                out["builds_failed"] += 1
                out["details"].append({"payload": payload, "build": proc.stderr[-2000:]})
                continue
            now = _site_danger(project / "site")
            bad = {
                page: dict(found - baseline.get(page, collections.Counter()))
                for page, found in now.items()
                if found - baseline.get(page, collections.Counter())
            }
            injected = sum(sum(c.values()) for c in bad.values())
            out["injections"] += injected
            if browser:
                out["dialogs"] += _browser_dialogs(project / "site", sorted(now))
            if injected:
                out["details"].append({"payload": payload, "injected": bad})
            print(f"payload {n + 1}/{len(payloads)}: {fields} fields, injected {injected}", file=sys.stderr)
    return out


# --- check ---------------------------------------------------------------------------------------

LINE = re.compile(r"providers/[^:]+\.yaml:(\d+):(\d+): \S.*: expected .+, got .+")


def broken_policies(count: int, rng: random.Random) -> list[tuple[str, object]]:
    """(label, content or maker) pairs: bytes to write, or a callable that creates the file."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_check_fuzz import SNIPPETS, TEXTS, mutate

    items: list[tuple[str, object]] = [
        ("directory", lambda p: p.mkdir()),
        ("fifo", lambda p: os.mkfifo(p)),
        ("dangling symlink", lambda p: p.symlink_to(p.parent / "missing")),
        ("symlink loop", lambda p: p.symlink_to(p.name)),
        ("symlink to /dev/zero", lambda p: p.symlink_to("/dev/zero")),
        ("symlink to /etc/passwd", lambda p: p.symlink_to("/etc/passwd")),
    ]
    spaceweb = TEXTS["spaceweb.yaml"]
    big = b"&big " + "\u0441\u0430\u0439\u0442 ".encode() * 1600
    items.append(
        (
            "20000 aliases of an 8 KB example",
            spaceweb.replace(
                b"    examples:\n", b"    examples:\n      - " + big + b"\n" + b"      - *big\n" * 20000, 1
            ),
        )
    )
    items.append(
        (
            "50000 aliases",
            spaceweb.replace(b"    examples:\n", b"    examples:\n      - &a x\n" + b"      - *a\n" * 50000, 1),
        )
    )
    items.append(
        (
            "10 MB example",
            spaceweb.replace(b"    examples:\n", b"    examples:\n      - " + b"x" * 10_000_000 + b"\n", 1),
        )
    )
    items.append(("nesting 600", spaceweb.replace(b"  intro:", b"  intro: " + b"[" * 600 + b"]" * 600 + b"\n  x:", 1)))
    while len(items) < count:
        name = rng.choice(sorted(TEXTS))
        edits = [
            (rng.randrange(5), rng.randrange(10**6), rng.randrange(len(SNIPPETS) * 7)) for _ in range(rng.randint(1, 6))
        ]
        items.append((f"{name} {edits}", mutate(TEXTS[name], edits)))
    return items


def attack_check(count: int, seed: int) -> dict:
    rng = random.Random(seed)
    out = collections.Counter()
    details = []
    started = time.monotonic()
    for label, content in broken_policies(count, rng):
        with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
            providers = pathlib.Path(tmp) / "providers"
            providers.mkdir()
            target = providers / "policy.yaml"
            if callable(content):
                content(target)
            else:
                target.write_bytes(content)
            try:
                proc = subprocess.run(
                    [sys.executable, str(ROOT / "build.py"), "check", "--providers", str(providers)],
                    cwd=tmp,
                    capture_output=True,
                    timeout=60,
                    check=False,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                )
            except subprocess.TimeoutExpired:
                out["hangs"] += 1
                details.append({"input": label[:200], "hang": True})
                continue
        out["runs"] += 1
        err = proc.stderr.decode("utf-8", errors="replace")
        lines = err.splitlines()
        problems = [line for line in lines[:-1] if not line.startswith("… и ещё ")]
        wrong = [line for line in problems if not LINE.fullmatch(line)]
        if "Traceback" in err:
            out["tracebacks"] += 1
        if proc.returncode not in (0, 1):
            out["bad_exit"] += 1
        if wrong:
            out["unpositioned_lines"] += len(wrong)
        if "root:x:0:0" in err:
            out["leaked_other_file"] += 1
        out["lines"] += len(lines)
        out["max_lines"] = max(out["max_lines"], len(lines))
        if "Traceback" in err or wrong or proc.returncode not in (0, 1):
            details.append({"input": label[:200], "stderr": err[-1500:]})
    result = {"inputs": count, **out, "seconds": round(time.monotonic() - started, 1), "details": details[:20]}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["check", "pages", "all"])
    parser.add_argument("--count", type=int, default=300, help="broken policies for `check`")
    parser.add_argument("--payloads", type=int, default=len(PAYLOADS), help="how many payloads for `pages`")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--browser", action="store_true", help="also open every page in Chromium")
    args = parser.parse_args()
    out = ROOT / "bench" / "attack-results.json"
    results: dict = {}
    if out.exists():  # keep the other part's last figures
        results = {k: v for k, v in json.loads(out.read_text(encoding="utf-8")).items() if k != "$comment"}
    if args.what in ("check", "all"):
        results["check"] = attack_check(args.count, args.seed)
        summary = {k: v for k, v in results["check"].items() if k != "details"}
        print("check:", json.dumps(summary, ensure_ascii=False))
    if args.what in ("pages", "all"):
        results["pages"] = attack_pages(PAYLOADS[: args.payloads], args.browser)
        summary = {k: v for k, v in results["pages"].items() if k != "details"}
        print("pages:", json.dumps(summary, ensure_ascii=False))
    body = {"$comment": "GENERATED by bench/attack.py; rerun it to refresh", **results}
    out.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
