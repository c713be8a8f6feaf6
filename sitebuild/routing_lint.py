"""Writers' guard for routing: warnings from `build.py check` that do not fail it.

- two topics whose examples route to each other (topic A's example lands on B and B's on A): the topics
  overlap, the engine cannot tell them apart, and customers get a coin toss;
- a topic without `tests`: nothing keeps its routing from changing unnoticed;
- in `providers/_lexicon.yaml`: an intent or severity cue that loses words to function-word removal
  («хочу купить» keeps only «купить» and then fires on «купил»), and intent concepts or pairs that name no
  synonym group (they would never fire).

Warnings print as `file:line:col: path: warning: ...`; the check still exits 0 (a warning is advice to the
writer, not a broken policy).
"""

from __future__ import annotations

import concurrent.futures
import copy
import multiprocessing
import os
import pathlib
import signal
import sys

from triage.match import raw_units
from triage.policy import Policy
from triage.route import route
from triage.text import tokenize

from . import checkcache, children
from . import compile as compiler
from . import load as loader
from .checkcache import Cache
from .schemalang import Problem

#: Function words that change a cue's meaning when dropped («хочу купить» is not «купил»).
MEANINGFUL_STOPWORDS = frozenset(
    [
        "хочу",
        "хотим",
        "хотел",
        "хотела",
        "хотели",
        "можно",
        "нужно",
        "надо",
        "есть",
        "быть",
        "был",
        "была",
        "было",
        "были",
        "будет",
        "все",
        "всё",
        "весь",
        "вся",
        "всех",
    ]
)


def _warning(file: str, pos: tuple[int, int], path: str, message: str) -> Problem:
    return Problem(file, pos[0], pos[1], path, "warning: " + message)


def _held_out_tasks(data: dict) -> list[tuple[int, int]]:
    """(topic index, example index) of every example left out in turn (topics with one example have none)."""
    return [(n, i) for n, t in enumerate(data["topics"]) if len(t["examples"]) >= 2 for i in range(len(t["examples"]))]


def landing(data: dict, lexicon: dict, n: int, i: int) -> str | None:
    """The topic that example i of topic n lands on, routed by the engine of the policy without that example.

    The engine is made by the public compile function, so this stays "the engine without this example" whatever
    compile and the engine come to learn from examples."""
    held_out = copy.deepcopy(data)
    example = held_out["topics"][n]["examples"].pop(i)
    result = route(Policy(compiler.compiled(held_out, lexicon)), example)
    return result["topic"]["id"] if result["topic"] else None


def _lands(data: dict, landed: dict[tuple[int, int], str | None]) -> dict[str, list]:
    """{topic id: [(example index, example, landed topic or None)]} in the policy's order."""
    lands: dict[str, list] = {}
    for n, i in _held_out_tasks(data):
        topic = data["topics"][n]
        lands.setdefault(topic["id"], []).append((i, topic["examples"][i], landed[(n, i)]))
    return lands


def leave_one_out(data: dict, lexicon: dict) -> dict[str, list[tuple[int, str, str | None]]]:
    """Where every example lands when routed as a customer's text by an engine that has not seen it (leave one
    out: an example always matches itself): {topic id: [(example index, example, landed topic or None)]}."""
    return _lands(data, {(n, i): landing(data, lexicon, n, i) for n, i in _held_out_tasks(data)})


#: What forked workers read (inherited, never pickled): {provider id: (policy, lexicon)}.
_WORK: dict[str, tuple[dict, dict]] = {}


def _worker_start() -> None:
    # Ctrl+C and SIGTERM are the parent's to handle (it ends the pool); a worker also dies with the parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    children.die_with_parent()


def _worker_landings(chunk: list[tuple[str, int, int]]) -> list[str | None]:
    return [landing(*_WORK[pid], n, i) for pid, n, i in chunk]


#: Below this many engines to build, forking workers costs more than it saves; at most CHUNK per task.
PARALLEL_FROM = 24
CHUNK = 8


def _landings(work: dict[str, tuple[dict, dict]], jobs: int) -> dict[str, dict[tuple[int, int], str | None]]:
    """Every held-out landing of every policy in `work`, in `jobs` forked processes when it pays (Linux)."""
    tasks = [(pid, n, i) for pid, (data, _) in work.items() for n, i in _held_out_tasks(data)]
    out: dict[str, dict] = {pid: {} for pid in work}
    results = None
    if jobs > 1 and len(tasks) >= PARALLEL_FROM and sys.platform == "linux":
        # Small chunks (a few engines each): an interrupted check waits only for the chunks under way.
        size = max(1, min(CHUNK, len(tasks) // (jobs * 4)))
        chunks = [tasks[k : k + size] for k in range(0, len(tasks), size)]
        _WORK.update(work)
        pool = None
        try:
            pool = concurrent.futures.ProcessPoolExecutor(
                jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start
            )
            futures = [pool.submit(_worker_landings, chunk) for chunk in chunks]
            results = [x for future in futures for x in future.result()]
        except (OSError, concurrent.futures.process.BrokenProcessPool):
            results = None  # no processes to be had: the same, one after another
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            _WORK.clear()
    if results is None:
        results = [landing(*work[pid], n, i) for pid, n, i in tasks]
    for (pid, n, i), landed in zip(tasks, results, strict=True):
        out[pid][(n, i)] = landed
    return out


def _well_formed(found, data: dict) -> bool:
    """A stored leave_one_out of this very policy: the same examples in the same places, a topic id or None each."""
    if not isinstance(found, dict):
        return False
    try:
        rows = [(topic, i, example) for topic, entries in found.items() for i, example, _ in entries]
        landed = [x for entries in found.values() for *_, x in entries]
    except (TypeError, ValueError):
        return False
    expected = [(data["topics"][n]["id"], i, data["topics"][n]["examples"][i]) for n, i in _held_out_tasks(data)]
    return rows == expected and all(x is None or isinstance(x, str) for x in landed)


def cached_leave_one_out(
    policies: dict, lexicon: dict, cache: Cache | None, jobs: int = 1
) -> dict[str, dict[str, list]]:
    """leave_one_out of every policy, kept in `cache` under a hash of the policy's data, the lexicon and the code;
    what is not cached is computed in `jobs` processes."""
    lands: dict[str, dict] = {}
    names = {pid: checkcache.key("leave-one-out", data, lexicon) for pid, data in policies.items()}
    for pid, name in names.items():
        found = cache.get(name) if cache is not None else None
        if _well_formed(found, policies[pid]):
            lands[pid] = found
    missing = {pid: (data, lexicon) for pid, data in policies.items() if pid not in lands}
    for pid, landed in _landings(missing, jobs).items():
        lands[pid] = _lands(policies[pid], landed)
        if cache is not None:
            cache.put(names[pid], lands[pid])
    return lands


def policy_warnings(
    pid: str, data: dict, lexicon: dict, positions: dict, lands: dict[str, list] | None = None
) -> list[Problem]:
    """Warnings for one provider's topics; `lands`: its leave_one_out, when computed already."""
    out: list[Problem] = []
    file = positions.get("file", f"providers/{pid}.yaml")

    def at(path: str) -> tuple[int, int]:
        return positions.get(path, (1, 1))

    if lands is None:
        lands = leave_one_out(data, lexicon)
    reported: set[tuple[str, str]] = set()
    topics = {t["id"]: t for t in data["topics"]}
    for a, rows in lands.items():
        for i, example, b in rows:
            if b is None or b == a or (a, b) in reported:
                continue
            back = next(((j, ex) for j, ex, landed in lands.get(b, []) if landed == a), None)
            if back is None:
                continue
            reported.update({(a, b), (b, a)})
            j, other = back
            path = f"topics[id={a}].examples[{i}]"
            ca, cb = topics[a]["channel"], topics[b]["channel"]
            stake = (
                f"customers get a coin toss between channels {ca} and {cb}"
                if ca != cb
                else f"both recommend channel {ca}, so only the topic shown differs"
            )
            out.append(
                _warning(
                    file,
                    at(path),
                    path,
                    f"example {example!r} routes to topic {b}, and {b}'s example {other!r} "
                    f"(topics[id={b}].examples[{j}]) routes to {a}: the two topics overlap ({stake}); "
                    "make their examples and keywords more distinct, or merge the topics",
                )
            )
    for topic in data["topics"]:
        if not topic.get("tests"):
            path = f"topics[id={topic['id']}]"
            out.append(
                _warning(
                    file,
                    at(f"{path}.id"),
                    path,
                    "the topic has no tests: add at least one `tests` entry (a customer's phrase and "
                    "the channel you expect) so that a change elsewhere cannot reroute it unnoticed",
                )
            )
    return out


def lexicon_warnings(lex_path: pathlib.Path, display: str) -> list[Problem]:
    """Warnings for the shared lexicon's intent and severity cues."""
    loaded = loader.load(lex_path, display)
    if loaded.data is None or loaded.problems:
        return []
    data, positions = loaded.data, loaded.positions
    out: list[Problem] = []

    def at(path: str) -> tuple[int, int]:
        return positions.get(path, (1, 1))

    def check_phrase(path: str, phrase: str) -> None:
        dropped = [t for t in tokenize(phrase) if t in MEANINGFUL_STOPWORDS]
        if dropped:
            kept = " ".join(s for _, s in raw_units(phrase)) or "nothing"
            out.append(
                _warning(
                    display,
                    at(path),
                    path,
                    f"cue {phrase!r} loses {', '.join(map(repr, dropped))} (a function word the engine "
                    f"does not match) and fires on {kept!r} alone; write a cue whose own words carry the "
                    "meaning, or use `tokens` for function words",
                )
            )

    groups = {g["id"] for g in data.get("synonyms") or []}
    for intent in data.get("intents") or []:
        base = f"intents[id={intent['id']}]"
        for i, phrase in enumerate(intent.get("phrases") or []):
            check_phrase(f"{base}.phrases[{i}]", phrase)
        for i, concept in enumerate(intent.get("concepts") or []):
            if concept not in groups:
                path = f"{base}.concepts[{i}]"
                out.append(_warning(display, at(path), path, f"concept {concept!r} is not a synonym group id"))
        for i, pair in enumerate(intent.get("pairs") or []):
            for k, concept in enumerate(pair):
                if concept not in groups:
                    path = f"{base}.pairs[{i}][{k}]"
                    out.append(_warning(display, at(path), path, f"concept {concept!r} is not a synonym group id"))
    for level, phrases in (data.get("severity") or {}).items():
        for i, phrase in enumerate(phrases or []):
            check_phrase(f"severity.{level}[{i}]", phrase)
    return out


def warnings(root: pathlib.Path, providers_dir: pathlib.Path) -> list[Problem]:
    """The warnings for the policies in providers_dir, read afresh (tests; `check` passes what it read)."""
    policies, lexicon, problems, positions = loader.load_all(root, providers_dir)
    return [] if problems else warnings_for(providers_dir, policies, lexicon, positions)


def warnings_for(
    providers_dir: pathlib.Path,
    policies: dict,
    lexicon: dict,
    positions: dict,
    cache: Cache | None = None,
    jobs: int = 1,
) -> list[Problem]:
    """The warnings for policies already loaded and validated (with their positions); `cache` keeps the
    leave-one-out routing of unchanged policies (see sitebuild/checkcache.py), `jobs` processes compute the rest."""
    out: list[Problem] = []
    lex_path = providers_dir / loader.LEXICON_FILE
    if lex_path.exists():
        out += lexicon_warnings(lex_path, f"{providers_dir.name}/{lex_path.name}")
    lands = cached_leave_one_out(policies, lexicon, cache, jobs)
    for pid, data in policies.items():
        out += policy_warnings(pid, data, lexicon, positions.get(pid, {}), lands[pid])
    return sorted(out)


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def print_warnings(found: list[Problem]) -> int:
    """Print the routing warnings to stderr; returns how many there were."""
    for w in found:
        print(w, file=sys.stderr)
    if found:
        print(f"{len(found)} routing warning(s) (the check still passes)", file=sys.stderr)
    return len(found)
