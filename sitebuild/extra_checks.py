"""Whole-document checks for the writers' keys: priority levels, statuses, hours, sources, placeholders."""

from __future__ import annotations

import pathlib

import yaml

from . import yamltraps
from .schemalang import Context, Problem, position

#: Where the copies of providers' pages live, relative to the project folder (checked when present).
SEEDS = pathlib.Path("..") / "shared" / "seeds"

#: A text the scaffold leaves for the writer to replace (build.py new).
PLACEHOLDER = "TODO"


def collections(data: dict) -> dict[str, dict]:
    """Extra id collections that `Ref` fields may name."""
    form = data.get("form") or {}
    return {
        "priorities": {p["id"]: p for p in form.get("priorities") or [] if p and p.get("id")},
        "out_of_scope": {o["id"]: o for o in data.get("out_of_scope") or [] if o and o.get("id")},
    }


def seeds_dir(policy_file: pathlib.Path) -> pathlib.Path:
    """providers/<id>.yaml -> <project>/../shared/seeds."""
    return (policy_file.resolve().parent.parent / SEEDS).resolve()


def check(data: dict, root: yaml.Node, policy_file: pathlib.Path, ctx: Context) -> None:
    def err(path: str, what: str, got: str) -> None:
        line, col = ctx.positions.get(path, (1, 1))
        ctx.problems.append(Problem(ctx.file, line, col, path, f"expected {what}, got {got}"))

    form = data.get("form") or {}
    defaults = [p["id"] for p in form.get("priorities") or [] if p and p.get("default")]
    for extra in defaults[1:]:
        err(
            f"form.priorities[id={extra}].default",
            "at most one default priority level",
            f"a second one (first: '{defaults[0]}')",
        )

    seeds = seeds_dir(policy_file)
    for i, source in enumerate((data.get("provider") or {}).get("sources") or []):
        if not source:
            continue
        path = f"provider.sources[{i}]"
        if (
            not ({"url", "file"} & set(source))
            and f"{path}.url" not in ctx.positions
            and f"{path}.file" not in ctx.positions
        ):
            err(path, "'url' or 'file' (where the rules come from)", "neither")
        name = source.get("file")
        if name and seeds.is_dir() and not (seeds / name).is_file():
            err(f"{path}.file", f"a file in {SEEDS.as_posix()}/", f"'{name}' (no such file there)")

    channels = {c["id"]: c for c in data.get("channels") or [] if c and c.get("id")}

    def accepting(path: str, cid: str | None) -> None:
        if cid in channels and channels[cid].get("status") == "not_processed":
            err(path, "a channel that accepts requests", f"'{cid}' (status not_processed)")

    routing = data.get("routing") or {}
    accepting("routing.default_channel", routing.get("default_channel"))
    accepting("form.channel", form.get("channel"))
    for t in data.get("topics") or []:
        if t and t.get("id"):
            accepting(f"topics[id={t['id']}].channel", t.get("channel"))
    for i, r in enumerate(routing.get("rules") or []):
        if r:
            accepting(f"routing.rules[{i}].channel", r.get("channel"))

    for cid, c in channels.items():
        hours = c.get("hours") or {}
        round_the_clock = all(
            w and w.get("from") in ("0:00", "00:00") and w.get("to") == "24:00" for w in hours.get("windows") or []
        )
        if hours and not round_the_clock and f"channels[id={cid}].hours.timezone" not in ctx.positions:
            err(
                f"channels[id={cid}].hours",
                "'timezone' (e.g. \"+03:00\" or Europe/Kyiv) for hours that are not round the clock",
                "none",
            )
        for i, w in enumerate(hours.get("windows") or []):
            if w and w.get("from") and w.get("from") == w.get("to"):
                err(
                    f"channels[id={cid}].hours.windows[{i}].to",
                    "an end different from the start",
                    f'\'{w["to"]}\' (use "00:00" to "24:00" for the whole day)',
                )

    _placeholders(root, ctx)
    for node, comment in yamltraps.comment_cuts(root):
        line, col = position(node)
        path = {pos: p for p, pos in ctx.positions.items()}.get((line, col), "(text)")
        ctx.problems.append(
            Problem(
                ctx.file,
                line,
                col,
                path,
                f"expected the whole text, got {node.value!r} cut before {comment[:20]!r} "
                f"(YAML starts a comment at ' #'; {yamltraps.QUOTE_IT})",
            )
        )


def _placeholders(node: yaml.Node, ctx: Context) -> None:
    """Every scaffold placeholder still in the file is a problem (the writer has to fill it in)."""
    paths = {pos: path for path, pos in ctx.positions.items()}
    reported = {(p.line, p.column) for p in ctx.problems}  # e.g. a placeholder that is not a URL either
    stack = [(node, "")]
    while stack:
        current, _ = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            if PLACEHOLDER in current.value and position(current) not in reported:
                line, col = position(current)
                short = current.value if len(current.value) <= 40 else current.value[:39] + "…"
                ctx.problems.append(
                    Problem(
                        ctx.file,
                        line,
                        col,
                        paths.get((line, col), "(placeholder)"),
                        f"expected your text from the provider's page, got the placeholder {short!r}",
                    )
                )
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, "") for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend((value, "") for _key, value in current.value)
