#!/usr/bin/env python3
"""Where the wizard's start-up spends its time: a Chromium trace of one visit, as a table of phases.

    python bench/trace_start.py                  repeat visit (start from the cached snapshot), loopback
    python bench/trace_start.py --cold           first visit, cold cache
    python bench/trace_start.py --cold --link 50mbit_20ms --path "/wizard/?provider=spaceweb&text=..."
    python bench/trace_start.py --site /tmp/site --json trace.json   (an already built site; keep the raw trace)

The repeat visit is measured as bench/run.py does: a persistent profile, a first visit to a deep link
(the wizard puts its snapshot into the HTTP cache once it is in use), then the wizard page again.
Phases come from the worker's performance marks (`triage:*`, worker.js), V8's wasm events and the
network events of the trace, all on the page's clock (ms from navigation start). One visit is one
sample on a noisy machine: run it a few times before reading much into a 20 ms difference.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import tempfile
import time

from browser import CHROMIUM, CHROMIUM_ARGS  # bench/browser.py, beside this script
from run import DRAFT_PROBE, LINKS, READY_PROBE, build_site, settle, wait_js  # bench/run.py
from server import Server  # bench/server.py

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "v8",
    "v8.wasm",
    "disabled-by-default-v8.wasm.detailed",
    "v8.execute",
    "loading",
]
DEEPLINK = "/wizard/?provider=spaceweb&text=не работает почта"


def trace_visit(context, page, origin: str, path: str, link, out: pathlib.Path) -> float:
    """Load path with a trace running; returns the page's ready time (ms from navigation start)."""
    if link:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **link})
    browser = context.browser
    page.add_init_script(READY_PROBE)
    page.add_init_script(DRAFT_PROBE)
    if browser is not None:
        browser.start_tracing(page=None, path=str(out), categories=CATEGORIES)
        session = None
    else:  # a persistent context has no Browser object: trace through a browser-level CDP session
        session = context.new_cdp_session(page)
        session.send("Tracing.start", {"categories": ",".join(CATEGORIES), "transferMode": "ReturnAsStream"})
    page.goto(origin + path)
    wait_js(page, "window.__readyAt !== undefined", 180_000)
    if "text=" in path:
        wait_js(page, "window.__draftAt !== undefined", 180_000)
    page.wait_for_timeout(300)
    ready = page.evaluate("[window.__readyAt, window.__draftAt ?? null]")
    if session is None:
        browser.stop_tracing()
    else:
        done: list = []
        session.on("Tracing.tracingComplete", lambda event: done.append(event))
        session.send("Tracing.end")
        deadline = time.monotonic() + 60
        while not done and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        stream = done[0]["stream"]
        chunks = []
        while True:
            part = session.send("IO.read", {"handle": stream, "size": 1 << 20})
            chunks.append(part["data"])
            if part.get("eof"):
                break
        session.send("IO.close", {"handle": stream})
        out.write_text("".join(chunks), encoding="utf-8")
    return ready


def phases(trace_path: pathlib.Path, origin: str) -> list[tuple[float, float | None, str, str]]:
    """(start ms, duration ms or None, thread, what) from a trace, on the navigation's clock."""
    data = json.loads(trace_path.read_text(encoding="utf-8"))
    events = data["traceEvents"] if isinstance(data, dict) else data
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    nav = [
        e["ts"]
        for e in events
        if e.get("name") == "ResourceSendRequest"
        and "/wizard/" in e["args"]["data"].get("url", "")
        and e["args"]["data"].get("resourceType", "Document") == "Document"
    ]
    t0 = min(nav) if nav else min(e["ts"] for e in events if e.get("ts"))
    # The page's renderer only (headless Chromium also runs its own WebUI renderers meanwhile).
    pids = {
        e["pid"]
        for e in events
        if e.get("name") == "ResourceSendRequest" and e["args"]["data"].get("url", "").startswith(origin)
    }
    events = [e for e in events if e.get("pid") in pids]
    rows = []
    requests: dict = {}
    for e in events:
        name, ts = e.get("name", ""), e.get("ts", 0)
        thread = threads.get((e.get("pid"), e.get("tid")), "?")
        ms = (ts - t0) / 1000
        if name.startswith("triage:") and e.get("ph") in ("R", "I", "n", "b", "e"):
            rows.append((ms, None, thread, name))
        elif name in ("ResourceSendRequest", "ResourceReceiveResponse", "ResourceFinish"):
            d = e["args"]["data"]
            entry = requests.setdefault(d["requestId"], {"thread": thread})
            if name == "ResourceSendRequest":
                entry.update(url=d.get("url", ""), start=ms)
            elif name == "ResourceReceiveResponse":
                entry.update(response=ms, cached=d.get("fromCache") or d.get("fromServiceWorker"))
            else:
                entry.update(end=ms, bytes=d.get("encodedDataLength"))
        elif (
            e.get("ph") == "X"
            and e.get("dur", 0) >= 5_000
            and (
                "wasm" in name.lower()
                or name
                in (
                    "v8.compileModule",
                    "v8.evaluateModule",
                    "EvaluateScript",
                    "v8.compile",
                    "v8.run",
                    "FunctionCall",
                    "RunMicrotasks",
                    "ParseHTML",
                    "V8.GCScavenger",
                    "MajorGC",
                    "MinorGC",
                )
            )
        ):
            rows.append((ms, e["dur"] / 1000, thread, name + _detail(e)))
    for entry in requests.values():
        if "start" not in entry:
            continue
        url = entry["url"].replace(origin, "")
        end = entry.get("end")
        size = entry.get("bytes")
        what = f"GET {url[:70]}" + (f" {size / 1000:.0f} kB" if size else "")
        what += " (cache)" if entry.get("cached") else ""
        rows.append((entry["start"], (end - entry["start"]) if end else None, entry["thread"], what))
    rows.sort()
    return rows


def _detail(e: dict) -> str:
    args = e.get("args") or {}
    data = args.get("data") or args
    for key in ("url", "functionName", "fileName"):
        if isinstance(data, dict) and data.get(key):
            return f" {str(data[key]).rsplit('/', 1)[-1][:40]}"
    return ""


def summary(rows, ready) -> list[tuple[str, float, float]]:
    """The start-up as consecutive phases: (what, from ms, to ms); the last one ends at ready."""
    marks = {what.removeprefix("triage:"): start for start, _, _, what in rows if what.startswith("triage:")}
    wasm = [start + (dur or 0) for start, dur, _, what in rows if what in ("wasm.Deserialize", "wasm.FinishStreaming")]
    steps = [("page: from the request to the worker's init", 0.0, marks.get("init"))]
    if "snapshot-inflated" in marks:
        steps.append(("snapshot read (and unpacked) / wasm, stdlib, runtime fetched", marks.get("init"), None))
        steps[-1] = (steps[-1][0], steps[-1][1], max(marks["snapshot-inflated"], max(wasm, default=0)))
        steps.append(("  in it: the snapshot read", marks.get("snapshot-response"), marks.get("snapshot-read")))
        steps.append(
            ("  in it: the wasm read, its compiled code from V8's cache", marks.get("init"), max(wasm, default=None))
        )
        steps.append(
            ("wasm instantiated, memory restored, Python's bootstrap", steps[-1][2], marks.get("runtime-started"))
        )
    else:
        steps.append(
            (
                "runtime: wasm fetched and compiled, Python started (stdlib imports)",
                marks.get("init"),
                marks.get("runtime-started"),
            )
        )
    steps.append(
        ("engine: wheel unpacked, triage.api imported", marks.get("runtime-started"), marks.get("engine-imported"))
    )
    steps.append(("page: ready shown", marks.get("engine-imported"), ready[0]))
    if ready[1]:
        steps.append(("deep link: policy fetched, matcher built, calls, draft shown", ready[0], ready[1]))
    return [(what, a, b) for what, a, b in steps if a is not None and b is not None]


def print_summary(rows, ready) -> None:
    print("| phase | from ms | to ms | ms |")
    print("|---|---:|---:|---:|")
    for what, a, b in summary(rows, ready):
        print(
            f"| {what.strip()} | {a:.0f} | {b:.0f} | {'(' if what.startswith(' ') else ''}{b - a:.0f}"
            f"{')' if what.startswith(' ') else ''} |"
        )


def print_rows(rows, ready) -> None:
    print(f"ready at {ready[0]:.0f} ms" + (f", draft at {ready[1]:.0f} ms" if ready[1] else ""))
    print("| start ms | dur ms | thread | what |")
    print("|---:|---:|---|---|")
    for start, dur, thread, what in rows:
        print(f"| {start:.0f} | {'' if dur is None else f'{dur:.0f}'} | {thread[:22]} | {what} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="first visit, cold cache (default: repeat visit)")
    parser.add_argument("--link", choices=list(LINKS), default="loopback")
    parser.add_argument("--path", default="/wizard/", help="the traced visit's path")
    parser.add_argument("--site", type=pathlib.Path, help="an already built site (default: build one)")
    parser.add_argument("--linger", type=float, default=0.0, help="seconds between the first visit and the traced one")
    parser.add_argument("--json", type=pathlib.Path, help="keep the raw trace here (chrome://tracing, DevTools)")
    parser.add_argument("--rows", action="store_true", help="also every request, mark and long task")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = pathlib.Path(tmp)
        site = args.site
        if site is None:
            site = tmp_path / "site"
            build_site(site)
        out = args.json or tmp_path / "trace.json"
        with Server(site) as server, sync_playwright() as p:
            origin = server.origin
            if args.cold:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context()
                page = context.new_page()
                ready = trace_visit(context, page, origin, args.path, LINKS[args.link], out)
                browser.close()
            else:
                context = p.chromium.launch_persistent_context(
                    str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                page = context.pages[0] if context.pages else context.new_page()
                page.add_init_script(READY_PROBE)
                page.goto(origin + DEEPLINK)
                wait_js(page, "(document.querySelector('[data-draft]')?.textContent || '').length > 0", 180_000)
                settle(server)
                page.goto("about:blank")
                time.sleep(args.linger)
                page = context.new_page()
                ready = trace_visit(context, page, origin, args.path, LINKS[args.link], out)
                mode = page.evaluate("document.querySelector('[data-triage]')?.dataset.engineStart")
                print(f"started from: {mode}", file=sys.stderr)
                context.close()
        rows = phases(out, origin)
        if args.rows:
            print_rows(rows, ready)
        print_summary(rows, ready)
    return 0


if __name__ == "__main__":
    sys.exit(main())
