"""Command line for support staff and scripts: list topics, route a situation, print the draft."""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import re
import sys

from .api import topics, triage
from .availability import parse_now
from .policy import Policy, PolicyError
from .sanitize import clean_text

DEFAULT_DATA = pathlib.Path("build") / "data"
#: In a checkout (the current directory has providers/), compiled data older than a policy is rebuilt.
PROVIDERS = pathlib.Path("providers")
_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")  # how Python passes non-UTF-8 bytes of argv (surrogateescape)
_SURROGATE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")  # lone surrogates that are not escaped bytes


class UsageError(Exception):
    """Bad arguments: one line on stderr, exit status 2."""


class PolicyProblems(Exception):
    """The policies do not validate: their problems on stderr, exit status 1."""


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what} must look like KEY=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text; undecodable bytes become U+FFFD and are reported on stderr."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad:
        print(
            f"python -m triage: warning: {source}: {bad} invalid UTF-8 sequence(s) replaced with U+FFFD",
            file=sys.stderr,
        )
    return text


def clean(text: str, source: str) -> str:
    """Input as the engine may take it: valid UTF-8 (see _decode), no lone surrogates or control characters."""
    if _ESCAPED_BYTE.search(text):
        # Bytes of the command line that were not UTF-8 arrive as surrogate escapes: decode them as bytes.
        text = _decode(_SURROGATE.sub("", text).encode("utf-8", "surrogateescape"), source)
    # The engine cleans its input too (triage.sanitize); here the removal is reported per argument.
    cleaned, notes = clean_text(text, limit=len(text) + 1, what=source)
    if notes:
        print(
            f"python -m triage: warning: {source}: {len(text) - len(cleaned)} control character(s) or lone "
            "surrogate(s) removed",
            file=sys.stderr,
        )
    return cleaned


def read_text(args) -> str:
    """The situation from --text (`-` reads stdin) or --text-file."""
    if args.text_file is not None:
        try:
            data = pathlib.Path(args.text_file).read_bytes()
        except OSError as exc:
            raise UsageError(f"--text-file: cannot read {args.text_file}: {exc.strerror or exc}") from exc
        return clean(_decode(data, args.text_file), args.text_file)
    if args.text == "-":
        return clean(_decode(sys.stdin.buffer.read(), "stdin"), "stdin")
    return clean(args.text, "--text")


def _known(data_dir: pathlib.Path) -> list[str]:
    return sorted(p.stem for p in data_dir.glob("*.json") if p.stem != "index") if data_dir.exists() else []


def _sources(providers: pathlib.Path) -> list[pathlib.Path]:
    return sorted(providers.glob("*.yaml"))


def recompile(providers: pathlib.Path, data_dir: pathlib.Path) -> None:
    """Compile every policy in-process (as `build.py compile` does) into data_dir."""
    import sitebuild  # only in a checkout: the engine itself never reads YAML
    from sitebuild.data import write_data

    compiled, problems = sitebuild.load_and_compile(providers)
    if problems:
        raise PolicyProblems("\n".join(map(str, problems)) + f"\n{len(problems)} problem(s)")
    write_data(compiled, data_dir)
    for path in data_dir.glob("*.json"):  # unchanged files were not rewritten: mark them current
        path.touch()


def load_policy(data_dir: pathlib.Path, provider: str, explicit: bool) -> Policy:
    path = data_dir / f"{provider}.json"
    sources = _sources(PROVIDERS) if not explicit and PROVIDERS.is_dir() else []
    if sources:
        known = sorted(p.stem for p in sources if not p.name.startswith("_"))
        if provider not in known:
            raise UsageError(f"unknown provider {provider!r}; known: {', '.join(known) or 'none'}")
        newest = max(p.stat().st_mtime_ns for p in sources)
        if not path.exists() or path.stat().st_mtime_ns < newest:
            recompile(PROVIDERS, data_dir)
    if not path.exists():
        known = _known(data_dir)
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
        asked = [
            f"{q['text']} ({q['id']}=" + "|".join(o["value"] for o in q["options"]) + ")" for q in result["questions"]
        ]
        lines.append("Уточните: " + "; ".join(asked))
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
    given = p_route.add_mutually_exclusive_group(required=True)
    given.add_argument("--text", help="the situation in the customer's words (- reads it from stdin)")
    given.add_argument("--text-file", metavar="PATH", help="read the situation from this file (UTF-8)")
    p_route.add_argument(
        "--answer", action="append", default=[], metavar="KEY=VALUE", help="answer to a question, e.g. panel_access=no"
    )
    p_route.add_argument(
        "--detail",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="draft field, e.g. login=user1 or error_text='502 Bad Gateway'",
    )
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
    for stream in (sys.stdout, sys.stderr):  # the output is UTF-8 whatever the locale says
        if (getattr(stream, "encoding", None) or "").lower().replace("-", "") != "utf8" and hasattr(
            stream, "reconfigure"
        ):
            stream.reconfigure(encoding="utf-8", errors="replace")
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
        text = read_text(args)
        answers = _pairs([clean(a, "--answer") for a in args.answer], "--answer")
        details = _pairs([clean(d, "--detail") for d in args.detail], "--detail")
        if args.topic and args.topic not in policy.topics:
            raise UsageError(f"unknown topic {args.topic!r}; see: python -m triage topics --provider {args.provider}")
        try:
            now = parse_now(args.at) if args.at else datetime.datetime.now().astimezone()
        except ValueError as exc:
            raise UsageError(f"--at: {exc}") from exc
        result = triage(policy, text, answers, details, args.topic, now)
        bad = result["answer_problems"]
        if bad:
            raise UsageError(bad[0]["message"])
        for notice in result.get("notices") or []:
            print(f"python -m triage: warning: {notice}", file=sys.stderr)
        print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_route(result))
        return 0
    except UsageError as exc:
        print(f"python -m triage: error: {exc}", file=sys.stderr)
        return 2
    except PolicyProblems as exc:
        print(exc, file=sys.stderr)
        print(
            "python -m triage: error: the policies do not validate (fix them, see python build.py check)",
            file=sys.stderr,
        )
        return 1
