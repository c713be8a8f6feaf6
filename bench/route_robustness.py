#!/usr/bin/env python3
"""Routing robustness on the development set under synthetic noise (not a test; dev set only).

    PYTHONPATH=$PWD .venv/bin/python bench/route_robustness.py [--seeds 3]

Routes every dev row as written, then with the punctuation dropped and lower-cased (no_punct), with one typo in
about a third of its words of 5+ letters (typo: a dropped, doubled, swapped or neighbouring-key letter), and both.
A drop from the clean figure is what the engine loses on wording it has not seen: a check of generalisation that
needs no new labels.
"""

from __future__ import annotations

import argparse
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_routing_accuracy import check, load_set  # noqa: E402
from triage import Policy  # noqa: E402

_ROWS = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
_NEAR = {}
for row in _ROWS:
    for i, c in enumerate(row):
        _NEAR[c] = row[max(0, i - 1) : i] + row[i + 1 : i + 2]


def no_punct(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s@.#-]|(?<!\w)[.-]|[.-](?!\w)", " ", text).lower().split())


def typo(text: str, rng: random.Random) -> str:
    def one(m: re.Match) -> str:
        w = m.group()
        if len(w) < 5 or rng.random() > 0.33:
            return w
        i = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return w[:i] + w[i + 1 :]
        if kind == 1:
            return w[:i] + w[i] + w[i:]
        if kind == 2:
            return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        near = _NEAR.get(w[i].lower())
        return w[:i] + (rng.choice(near) if near else w[i]) + w[i + 1 :]

    return re.sub(r"[^\W\d_]+", one, text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--set", default="dev")
    args = ap.parse_args()
    if args.set.startswith("eval"):
        raise SystemExit("the evaluation set is only measured, never used for this")
    from tests.conftest import compiled_policies

    pols = {pid: Policy(data) for pid, data in compiled_policies().items()}
    rows = load_set(args.set)
    variants = {
        "clean": lambda t, r: t,
        "no_punct": lambda t, r: no_punct(t),
        "typo": typo,
        "both": lambda t, r: no_punct(typo(t, r)),
    }
    for name, fn in variants.items():
        accs = []
        for seed in range(args.seeds if name in ("typo", "both") else 1):
            rng = random.Random(seed)
            ok = sum(check(pols, {**row, "text": fn(row["text"], rng)})[0] for row in rows)
            accs.append(ok / len(rows))
        print(f"{name:9} {sum(accs) / len(accs):.3f}  ({', '.join(f'{a:.3f}' for a in accs)})")


if __name__ == "__main__":
    main()
