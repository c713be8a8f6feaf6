"""Command line for support staff and scripts: list topics, route a situation, print the draft."""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import subprocess
import sys

from .api import topics, triage
from .availability import parse_now
from .policy import Policy, PolicyError

DEFAULT_DATA = pathlib.Path("build") / "data"


class UsageError(Exception):
    """Bad arguments: one line on stderr, exit status 2."""


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what} must look like KEY=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def load_policy(data_dir: pathlib.Path, provider: str, explicit: bool) -> Policy:
    path = data_dir / f"{provider}.json"
    if not path.exists() and not explicit and (pathlib.Path("build.py").exists()):
        # A checkout without compiled data: compile it once (the CLI itself never reads YAML).
        subprocess.run([sys.executable, "build.py", "compile"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not path.exists():
        known = sorted(p.stem for p in data_dir.glob("*.json") if p.stem != "index") if data_dir.exists() else []
        if known:
            raise UsageError(f"unknown provider {provider!r}; known: {', '.join(known)}")
        raise UsageError(f"no compiled policies in {data_dir}; run: python build.py compile")
    try:
        return Policy.from_json(path.read_text(encoding="utf-8"))
    except (PolicyError, ValueError, KeyError) as exc:
        raise UsageError(f"{path}: not a compiled policy ({exc}); run: python build.py compile") from exc


def format_route(result: dict) -> str:
    lines = []
    t = result["topic"]
    ch = result["channel"]
    lines.append(f"Провайдер: {result['provider']['name']}")
    lines.append(f"Тема: {t['title']} ({t['id']}, {t['score']:.2f})" if t else "Тема: не определена")
    lines.append(f"Канал: {ch['title']} [{ch['kind']}]")
    for r in result["reasons"]:
        lines.append(f"  - {r}")
    if result["alternatives"]:
        lines.append("Также: " + "; ".join(f"{a['title']} [{a['kind']}]" for a in result["alternatives"]))
    if result["questions"]:
        lines.append("Уточните: " + "; ".join(f"{q['text']} ({q['id']}=" + "|".join(o["value"] for o in q["options"]) + ")"
                                            for q in result["questions"]))
    lines.append("")
    lines.append(result["draft"]["text"])
    if result["draft"]["warnings"]:
        lines.append("")
        lines.append("Что исправить:")
        for w in result["draft"]["warnings"]:
            lines.append(f"  - [{w['field']}] {w['message']}")
    if result["draft"].get("mailto"):
        lines.append("")
        lines.append(result["draft"]["mailto"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m triage", description="Triage a hosting customer's situation.")
    parser.add_argument("--data", type=pathlib.Path, help=f"folder with compiled policies (default: {DEFAULT_DATA})")
    sub = parser.add_subparsers(dest="command", required=True)
    p_topics = sub.add_parser("topics", help="list a provider's topics")
    p_topics.add_argument("--provider", required=True)
    p_topics.add_argument("--json", action="store_true")
    p_route = sub.add_parser("route", help="recommend a channel and compose the draft")
    p_route.add_argument("--provider", required=True)
    p_route.add_argument("--text", required=True, help="the situation in the customer's words")
    p_route.add_argument("--answer", action="append", default=[], metavar="KEY=VALUE",
                         help="answer to a question, e.g. panel_access=no")
    p_route.add_argument("--detail", action="append", default=[], metavar="KEY=VALUE",
                         help="draft field, e.g. login=user1 or error_text='502 Bad Gateway'")
    p_route.add_argument("--topic", help="pick this topic instead of recognising one")
    p_route.add_argument("--json", action="store_true")
    p_route.add_argument("--at", help="the customer's clock, e.g. 2026-12-01T19:30+02:00 (default: now)")

    def error(message: str) -> None:  # one line, exit 2
        print(f"python -m triage: error: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = error  # type: ignore[method-assign]
    for p in (p_topics, p_route):
        p.error = error  # type: ignore[method-assign]
    args = parser.parse_args(argv)
    try:
        data_dir = args.data or DEFAULT_DATA
        policy = load_policy(data_dir, args.provider, explicit=args.data is not None)
        if args.command == "topics":
            items = topics(policy)
            if args.json:
                print(json.dumps(items, ensure_ascii=False, indent=2))
            else:
                for t in items:
                    print(f"{t['id']}\t{t['channel']['kind']}\t{t['title']}")
            return 0
        answers = _pairs(args.answer, "--answer")
        details = _pairs(args.detail, "--detail")
        if args.topic and args.topic not in policy.topics:
            raise UsageError(f"unknown topic {args.topic!r}; see: python -m triage topics --provider {args.provider}")
        try:
            now = parse_now(args.at) if args.at else datetime.datetime.now().astimezone()
        except ValueError as exc:
            raise UsageError(f"--at: {exc}") from exc
        result = triage(policy, args.text, answers, details, args.topic, now)
        bad = result["answer_problems"]
        if bad:
            raise UsageError(bad[0]["message"])
        print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_route(result))
        return 0
    except UsageError as exc:
        print(f"python -m triage: error: {exc}", file=sys.stderr)
        return 2
