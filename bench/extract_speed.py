"""Documents per second of amparo.extract on one core, against a plain tokenisation pass over the same texts.

    python bench/extract_speed.py [--repeat N] [--full] [--set passages|short]

The texts are the realistic passages (issue 14: tuning and held-out sets, 100-200 words each; only the texts are
used, nothing is scored) or, with ``--set short``, the first evaluation set's one- or two-sentence texts, repeated. The baseline is ``re.findall(r"\\w+", text.lower())`` over the same
documents, measured in the same run. Exits 1 when extraction is slower than 100 documents/s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amparo.extract import extract

EVALUATION = Path(__file__).resolve().parent.parent / "amparo" / "extract" / "evaluation"
SETS = {
    "passages": [EVALUATION / "passages_tuning.jsonl", EVALUATION / "passages_holdout.jsonl"],
    "short": [EVALUATION / "eval.jsonl"],
}
TARGET_DOCS_PER_S = 100.0
_WORD = re.compile(r"\w+")


def best_of(runs: int, func: object) -> float:
    assert callable(func)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="times the evaluation texts are repeated")
    parser.add_argument("--full", action="store_true", help="repeat 50 times and take the best of 5 runs")
    parser.add_argument(
        "--set", choices=sorted(SETS), default="passages", help="which texts (default: passages)"
    )
    args = parser.parse_args()
    repeat, runs = (50, 5) if args.full else (args.repeat, 3)
    rows = [
        json.loads(line)
        for path in SETS[args.set]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    docs = [(row["text"], date.fromisoformat(row["published"])) for row in rows] * repeat
    chars = sum(len(text) for text, _ in docs)

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # measure on one core
    extract(
        "Warm-up: ICE detained a man in Houston, Texas, yesterday.", published=date(2026, 3, 5)
    )  # loads data

    def baseline() -> None:
        for text, _ in docs:
            _WORD.findall(text.lower())

    def extraction() -> None:
        for text, published in docs:
            extract(text, published=published)

    base = best_of(runs, baseline)
    took = best_of(runs, extraction)
    rate = len(docs) / took
    print(
        f"documents: {len(docs)} ({chars / len(docs):.0f} characters on average), best of {runs} runs, one core"
    )
    print(f"baseline  (lower + \\w+ tokenisation): {base * 1000:9.1f} ms  {len(docs) / base:12,.0f} docs/s")
    print(f"extract() (all fields):               {took * 1000:9.1f} ms  {rate:12,.0f} docs/s")
    print(
        f"ratio extract / baseline: {took / base:.0f}x slower; {took / len(docs) * 1000:.2f} ms per document"
    )
    if rate < TARGET_DOCS_PER_S:
        print(f"FAIL: {rate:.0f} docs/s < {TARGET_DOCS_PER_S:.0f}")
        return 1
    print(f"OK: {rate:.0f} docs/s >= {TARGET_DOCS_PER_S:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
