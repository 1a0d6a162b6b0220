"""Train the extractor's learned scorer (amparo/extract/weights.json) and measure it leave-one-author-out.

    .venv/bin/python tools/extract_model.py            # print the figures, write amparo/extract/weights.json
    .venv/bin/python tools/extract_model.py --check    # fail if the file differs from what training gives

The eight passage sets (each by a different author) are the data. For each field of ``learned.FIELDS`` and each
set, a model trained on the other seven picks the readings of the left-out one; its F1 is put next to the rules'
F1 on the same set. A field gets weights only when the leave-one-out figures beat the rules' (mean F1 not lower,
worst F1 higher); the final weights are trained on all eight sets. Training is plain gradient descent on a
conditional log-linear model (softmax over a text's options, the likelihood of the options that match the gold
value, L2 penalty), from zeros, with a fixed number of steps: the same data gives the same file byte for byte.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from amparo.extract import extract, learned  # noqa: E402  (after the path is set)

EVALUATION = ROOT / "amparo" / "extract" / "evaluation"
# The eight development sets, one author each (HO7 joined in the eighth round, after its one scoring run).
# A later held-out set is never read here.
SETS = (
    "passages_tuning",
    "passages_holdout",
    "passages_holdout2",
    "passages_holdout3",
    "passages_holdout4",
    "passages_holdout5",
    "passages_holdout6",
    "passages_holdout7",
)
L2 = 0.01
STEPS = 3000
RATE = 0.5


@dataclass(frozen=True)
class Doc:
    """One passage's options for one field."""

    x: np.ndarray  # options x features
    correct: np.ndarray  # 1 where the option's value is the gold value
    values: list[object]  # the options' values (None: propose nothing)
    gold: object
    rule: object  # the rules' value


def _norm(value: object) -> object:
    if isinstance(value, str):
        return " ".join(value.casefold().replace("\u2019", "'").split())
    return value


def load() -> dict[str, dict[str, list[Doc]]]:
    """Set -> field -> one Doc per passage."""
    out: dict[str, dict[str, list[Doc]]] = {}
    for name in SETS:
        path = EVALUATION / f"{name}.jsonl"
        assert "holdout8" not in path.name  # the eighth held-out set is never read here
        out[name] = {field: [] for field in learned.FIELDS}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            learned.TRACE = []
            try:
                extract(row["text"], published=date.fromisoformat(row["published"]))
                context, seen, rules = learned.TRACE[0]
            finally:
                learned.TRACE = None
            for field in learned.FIELDS:
                rule = rules[field]
                options, rows = learned.features(field, seen[field], rule, context)
                gold = _norm(row["gold"][field])
                values = [None if o is None else _norm(o.value) for o in options]
                correct = np.array([v == gold for v in values], dtype=float)
                rule_value = None if rule is None else _norm(rule.value)
                out[name][field].append(Doc(np.array(rows, dtype=float), correct, values, gold, rule_value))
    return out


def train(docs: list[Doc]) -> np.ndarray:
    usable = [(d.x, d.correct) for d in docs if d.correct.any()]
    width = usable[0][0].shape[1]
    most = max(x.shape[0] for x, _ in usable)
    xs = np.zeros((len(usable), most, width))
    ys = np.zeros((len(usable), most))
    mask = np.full((len(usable), most), -np.inf)
    for i, (x, y) in enumerate(usable):
        xs[i, : len(x)], ys[i, : len(y)], mask[i, : len(x)] = x, y, 0.0
    w = np.zeros(width)
    for _ in range(STEPS):
        scores = xs @ w + mask
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        q = p * ys
        q /= q.sum(axis=1, keepdims=True)
        grad = np.einsum("dof,do->f", xs, p - q) / len(usable) + L2 * w
        w -= RATE * grad
    return w


def pick(doc: Doc, w: np.ndarray) -> object:
    """The value of the highest-scoring option (the first of equals, as learned.choose takes it)."""
    return doc.values[int(np.argmax(doc.x @ w))]


def f1(pairs: list[tuple[object, object]]) -> float:
    """F1 of (gold, proposed) pairs, scored as bench/extract_eval.py scores a scalar field."""
    tp = fp = fn = 0
    for gold, got in pairs:
        if gold is None and got is None:
            continue
        if gold is None:
            fp += 1
        elif got is None:
            fn += 1
        elif gold == got:
            tp += 1
        else:
            fp, fn = fp + 1, fn + 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# Columns of learned.features() that say what the rules chose (hand score margin, best score, the rule's value).
RULE_COLUMNS = (6, 7, 8)


def _without_rules(doc: Doc) -> Doc:
    x = doc.x.copy()
    x[:, RULE_COLUMNS] = 0.0
    return Doc(x, doc.correct, doc.values, doc.gold, doc.rule)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the shipped file instead of writing it"
    )
    parser.add_argument(
        "--without-rule-features",
        action="store_true",
        help="measure a model that is not told the rules' choice (prints figures only, writes nothing)",
    )
    args = parser.parse_args()
    data = load()
    if args.without_rule_features:
        data = {s: {f: [_without_rules(d) for d in docs] for f, docs in by.items()} for s, by in data.items()}
    shipped: dict[str, list[float]] = {}
    short = {name: name.replace("passages_", "").replace("holdout", "HO") for name in SETS}
    print("F1 per set: rules / learned, trained on the other sets / best option among the candidates")
    print(f"{'field':<15}" + "".join(f"{short[s]:>16}" for s in SETS) + f"{'mean':>14}{'worst':>14}")
    for field in learned.FIELDS:
        rules_f1, loo_f1, best_f1 = [], [], []
        for left in SETS:
            w = train([d for s in SETS if s != left for d in data[s][field]])
            docs = data[left][field]
            rules_f1.append(f1([(d.gold, d.rule) for d in docs]))
            loo_f1.append(f1([(d.gold, pick(d, w)) for d in docs]))
            best_f1.append(f1([(d.gold, d.gold if d.correct.any() else d.rule) for d in docs]))
        cells = "".join(
            f"{r:>6.3f}/{n:.3f}/{b:.2f}" for r, n, b in zip(rules_f1, loo_f1, best_f1, strict=True)
        )
        mean_r, mean_n = sum(rules_f1) / len(SETS), sum(loo_f1) / len(SETS)
        print(f"{field:<15}{cells}{mean_r:>7.3f}/{mean_n:.3f}{min(rules_f1):>8.3f}/{min(loo_f1):.3f}")
        if mean_n >= mean_r and min(loo_f1) > min(rules_f1):
            w = train([d for s in SETS for d in data[s][field]])
            shipped[field] = [round(float(v), 4) + 0.0 for v in w]
    print(
        "fields given weights (leave-one-out mean not lower and worst higher):", ", ".join(shipped) or "none"
    )
    if args.without_rule_features:
        return 0
    body = json.dumps(
        {"about": "learned scorer of amparo.extract; written by tools/extract_model.py", "fields": shipped},
        indent=1,
        sort_keys=True,
    )
    if args.check:
        same = learned.WEIGHTS.exists() and learned.WEIGHTS.read_text(encoding="utf-8") == body + "\n"
        print("weights.json matches training" if same else "weights.json differs from training")
        return 0 if same else 1
    learned.WEIGHTS.write_text(body + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
