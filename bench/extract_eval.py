"""Precision, recall and F1 of amparo.extract on the labelled evaluation set; exits 1 if overall F1 < 0.8.

    python bench/extract_eval.py [--errors] [--by-language] [--file amparo/extract/evaluation/eval.jsonl]
    python bench/extract_eval.py --file amparo/extract/evaluation/passages_tuning.jsonl --by-language

Scalar fields: a proposal equal to the gold value is a true positive; a wrong proposal counts as a false positive
and a false negative; a proposal where the gold value is absent is a false positive; a missing proposal where gold
has a value is a false negative. "agencies" is scored per code. "official_claims" is scored per claim: gold gives
a distinctive substring of each claim; a proposed claim sentence that contains one is a true positive. "language"
is the detected language (the texts are analysed with lang=None).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amparo.extract import FIELDS, extract

DEFAULT = Path(__file__).resolve().parent.parent / "amparo" / "extract" / "evaluation" / "eval.jsonl"
TARGET_F1 = 0.8


def _norm(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return " ".join(value.casefold().replace("\u2019", "'").split())
    return value


def score_row(gold: dict[str, object], got: dict[str, object]) -> dict[str, tuple[int, int, int]]:
    """Field -> (true positives, false positives, false negatives) for one text."""
    out: dict[str, tuple[int, int, int]] = {}
    for field in (*FIELDS, "language"):
        g, p = gold.get(field), got.get(field)
        if field == "agencies":
            gs, ps = set(g or []), set(p or [])  # type: ignore[call-overload]
            out[field] = (len(gs & ps), len(ps - gs), len(gs - ps))
        elif field == "official_claims":
            claims = [str(c).casefold() for c in (p or [])]  # type: ignore[attr-defined]
            keys = [str(k).casefold() for k in (g or [])]  # type: ignore[attr-defined]
            tp = sum(1 for k in keys if any(k in c for c in claims))
            fp = sum(1 for c in claims if not any(k in c for k in keys))
            out[field] = (tp, fp, len(keys) - tp)
        elif g is None and p is None:
            out[field] = (0, 0, 0)
        elif g is None:
            out[field] = (0, 1, 0)
        elif p is None:
            out[field] = (0, 0, 1)
        elif _norm(g) == _norm(p):
            out[field] = (1, 0, 0)
        else:
            out[field] = (0, 1, 1)
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(
    path: Path, show_errors: bool = False, lang: str | None = None
) -> dict[str, tuple[int, int, int]]:
    """Field -> (tp, fp, fn) over the file's rows (only rows in ``lang`` when given)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if lang is not None and row["lang"] != lang:
            continue
        result = extract(row["text"], published=date.fromisoformat(row["published"]))
        got: dict[str, object] = result.values_only()
        got["language"] = result.language
        gold = dict(row["gold"], language=row["lang"])
        for field, counts in score_row(gold, got).items():
            for i, n in enumerate(counts):
                totals[field][i] += n
            if show_errors and (counts[1] or counts[2]):
                where = row.get("id", f"line {number}")
                print(f"{where} {field}: gold={gold.get(field)!r} got={_norm(got.get(field))!r}")
    return {field: (t[0], t[1], t[2]) for field, t in totals.items()}


def f1_by_field(totals: dict[str, tuple[int, int, int]]) -> dict[str, float]:
    return {field: prf(*counts)[2] for field, counts in totals.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--errors", action="store_true", help="print every wrong or missing value")
    parser.add_argument("--by-language", action="store_true", help="also print F1 per field for en, es, de")
    args = parser.parse_args()
    totals = evaluate(args.file, args.errors)
    if args.by_language:
        per = {lang: f1_by_field(evaluate(args.file, lang=lang)) for lang in ("en", "es", "de")}
        print(f"{'F1 by language':<18}{'en':>7}{'es':>7}{'de':>7}")
        for field in (*FIELDS, "language"):
            print(f"{field:<18}" + "".join(f"{per[lang].get(field, 1.0):>7.3f}" for lang in per))
        print()
    print(f"{'field':<18}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    all_tp = all_fp = all_fn = 0
    for field in (*FIELDS, "language"):
        tp, fp, fn = totals[field]
        all_tp, all_fp, all_fn = all_tp + tp, all_fp + fp, all_fn + fn
        p, r, f = prf(tp, fp, fn)
        print(f"{field:<18}{tp:>5}{fp:>5}{fn:>5}{p:>11.3f}{r:>8.3f}{f:>7.3f}")
    p, r, f = prf(all_tp, all_fp, all_fn)
    print(f"{'overall (micro)':<18}{all_tp:>5}{all_fp:>5}{all_fn:>5}{p:>11.3f}{r:>8.3f}{f:>7.3f}")
    if f < TARGET_F1:
        print(f"FAIL: overall F1 {f:.3f} < {TARGET_F1}")
        return 1
    print(f"OK: overall F1 {f:.3f} >= {TARGET_F1}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
