"""The realistic passage sets of issue 14: frozen, split by a fixed seed, well formed, and scored with F1 floors.

The held-out set was scored once, after tuning on the tuning set; its floors are what that one run reached (see
docs/extract.md). Changing either file changes its SHA-256 and fails here: add new passages to a new file instead.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import amparo.extract
from amparo.extract.gazetteer import gazetteer
from amparo.extract.tests.test_evaluation import GOLD_FIELDS, LOCATION_TYPES

EVALUATION = Path(amparo.extract.__file__).parent / "evaluation"
TUNING = EVALUATION / "passages_tuning.jsonl"
HOLDOUT = EVALUATION / "passages_holdout.jsonl"
# Written and frozen after the first held-out set had been scored (and so seen), before any further change: the
# set that stays unseen for the last round of work.
HOLDOUT2 = EVALUATION / "passages_holdout2.jsonl"
# Written and frozen after the second held-out set had been scored once, before the changes that followed.
HOLDOUT3 = EVALUATION / "passages_holdout3.jsonl"
# Written and frozen (its own commit) after the third had been scored, before the fourth round of changes; scored
# once, at the end of that round. Places, agency wording and number words differ from the sets tuned on.
HOLDOUT4 = EVALUATION / "passages_holdout4.jsonl"
# Written, labelled and frozen (its own commit, 72ca374) after the fourth had been scored, before the fifth round of
# changes; scored once, at the end of that round. More gold place names (17) and new cities, agency wording and verbs.
HOLDOUT5 = EVALUATION / "passages_holdout5.jsonl"
# Written, labelled and frozen (its own commit, a4e4464) by another author who read only the labelling rules, during
# the sixth round of changes, never opened by the person tuning; scored once, at the end of that round.
HOLDOUT6 = EVALUATION / "passages_holdout6.jsonl"
# Written, labelled and frozen (its own commit, a2f428c) by a seventh author who read only the labelling rules and
# never ran the extractor, while the seventh round (the learned scorer) was built without opening it; scored once,
# after that round's last commit (1cfdb99).
HOLDOUT7 = EVALUATION / "passages_holdout7.jsonl"
# Written, labelled and frozen (its own commit, ca7c445) by an eighth author who read only the labelling rules and
# never ran the extractor, while the eighth round was built without opening it; scored once, after that round's
# last extractor commit (at 9e61905).
HOLDOUT8 = EVALUATION / "passages_holdout8.jsonl"
FROZEN = {
    TUNING: "796ec39f6a2e2dd5ff72366b00865a271522ba207172b2edabee10810fe4b564",
    HOLDOUT: "1c3bf9277e743aef649c307a805dd233b4599798bed32ba83ff5a0edf77206ac",
    HOLDOUT2: "e1fe2f963918e86f10e24676960632000b87b94afb663dca23f8d4d258c37323",
    HOLDOUT3: "726201a08a1533df73eb74277e2f0639980c1669e50f8199c1cac54daba9cda2",
    HOLDOUT4: "7d6e3e53c1f098febf52bba7fb43a9f266f096733e0120d4e8490d67b2a984bf",
    HOLDOUT5: "79588667267dae572ea5cd42986a95c9e203a5fbf0dc1ea36de4b61a448e8af5",
    HOLDOUT6: "2d9756f8c79e243d821a30898bff9cf39569def1fed3dc17982d3d664be0e2ff",
    HOLDOUT7: "9a4cc6376c964528875e9b3c6a0037a30a508338103f614690cf322f9322fb18",
    HOLDOUT8: "7885bbda9de9d0367f54ec06e40b866209b31dccfbd823f2b5775445fea07140",
}
SPLIT_SEED = 14  # chosen before any tuning; the held-out third of each language is the start of its shuffle


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


TUNING_ROWS, HOLDOUT_ROWS = _rows(TUNING), _rows(HOLDOUT)
HOLDOUT2_ROWS = _rows(HOLDOUT2) + _rows(HOLDOUT3)
HOLDOUT4_ROWS = _rows(HOLDOUT4)
HOLDOUT5_ROWS = _rows(HOLDOUT5)
HOLDOUT6_ROWS = _rows(HOLDOUT6)
HOLDOUT7_ROWS = _rows(HOLDOUT7)
HOLDOUT8_ROWS = _rows(HOLDOUT8)
ALL_ROWS = TUNING_ROWS + HOLDOUT_ROWS
SEEN_ROWS = ALL_ROWS + HOLDOUT2_ROWS + HOLDOUT4_ROWS + HOLDOUT5_ROWS + HOLDOUT6_ROWS + HOLDOUT7_ROWS


@pytest.mark.parametrize("path", list(FROZEN), ids=lambda p: p.name)
def test_the_passage_sets_are_frozen(path: Path) -> None:
    assert hashlib.sha256(path.read_bytes()).hexdigest() == FROZEN[path]


def test_the_split_is_the_seeded_one() -> None:
    held: set[str] = set()
    for lang in ("en", "es", "de"):
        ids = sorted(str(row["id"]) for row in ALL_ROWS if row["lang"] == lang)
        random.Random(f"{SPLIT_SEED}-{lang}").shuffle(ids)
        held.update(ids[: round(len(ids) / 3)])
    assert {row["id"] for row in HOLDOUT_ROWS} == held
    assert not held & {row["id"] for row in TUNING_ROWS}


def test_the_sets_have_the_size_and_shapes_the_issue_asks_for() -> None:
    counts = Counter(row["lang"] for row in ALL_ROWS)
    assert counts["en"] >= 40 and counts["es"] >= 30 and counts["de"] >= 20
    kinds = Counter(str(row["kind"]) for row in ALL_ROWS)
    assert {"news", "advocacy", "hotline", "social", "de_us_report"} <= set(kinds)
    assert len({row["id"] for row in ALL_ROWS}) == len(ALL_ROWS)
    # corrected counts, counts of zero, force denied, agencies denied, datelines away from the incident
    assert sum(1 for row in ALL_ROWS if row["gold"]["people_taken"] == 0) >= 4
    assert sum(1 for row in ALL_ROWS if row["gold"]["force"] is False) >= 3


def test_every_passage_is_well_formed() -> None:
    cities = {(c.name, c.state) for group in gazetteer().cities.values() for c in group}
    assert Counter(row["lang"] for row in HOLDOUT2_ROWS) == {"en": 12 + 9, "es": 10 + 4, "de": 8 + 3}
    assert Counter(row["lang"] for row in HOLDOUT4_ROWS) == {"en": 20, "es": 15, "de": 10}
    assert Counter(row["lang"] for row in HOLDOUT5_ROWS) == {"en": 20, "es": 15, "de": 10}
    assert sum(1 for row in HOLDOUT5_ROWS if row["gold"]["place_name"]) >= 10
    assert Counter(row["lang"] for row in HOLDOUT6_ROWS) == {"en": 20, "es": 15, "de": 10}
    assert {str(row["kind"]) for row in HOLDOUT4_ROWS} == {
        "news",
        "advocacy",
        "hotline",
        "social",
        "de_us_report",
    }
    earlier = {row["id"] for row in ALL_ROWS + HOLDOUT2_ROWS}
    assert not {row["id"] for row in HOLDOUT2_ROWS} & {row["id"] for row in ALL_ROWS}
    assert not {row["id"] for row in HOLDOUT4_ROWS} & earlier
    assert not {row["id"] for row in HOLDOUT5_ROWS} & (earlier | {row["id"] for row in HOLDOUT4_ROWS})
    before6 = earlier | {row["id"] for row in HOLDOUT4_ROWS + HOLDOUT5_ROWS}
    assert not {row["id"] for row in HOLDOUT6_ROWS} & before6
    assert Counter(row["lang"] for row in HOLDOUT7_ROWS) == {"en": 20, "es": 15, "de": 10}
    assert not {row["id"] for row in HOLDOUT7_ROWS} & (before6 | {row["id"] for row in HOLDOUT6_ROWS})
    assert Counter(row["lang"] for row in HOLDOUT8_ROWS) == {"en": 20, "es": 15, "de": 10}
    before8 = before6 | {row["id"] for row in HOLDOUT6_ROWS + HOLDOUT7_ROWS}
    assert not {row["id"] for row in HOLDOUT8_ROWS} & before8
    for row in SEEN_ROWS + HOLDOUT8_ROWS:
        assert set(row) == {"id", "kind", "lang", "published", "text", "gold"}
        text, gold = str(row["text"]), row["gold"]
        assert isinstance(gold, dict) and set(gold) == GOLD_FIELDS
        assert 100 <= len(text.split()) <= 200, row["id"]
        if gold["state"] is not None and gold["city"] is None:
            # checkpoints on highways outside a city: a state, no city
            assert row["id"] in {"es-h4-05", "de-h6-10"}
        published = date.fromisoformat(str(row["published"]))
        if gold["date"] is not None:
            assert date.fromisoformat(gold["date"]) <= published
        if gold["city"] is not None:
            assert (gold["city"], gold["state"]) in cities, row["id"]
        if gold["location_type"] is not None:
            assert gold["location_type"] in LOCATION_TYPES
        if gold["place_name"] is not None:
            assert gold["place_name"] in text
        for claim in gold["official_claims"] or []:
            assert claim in text, (row["id"], claim)


def _bench() -> object:
    sys.path.insert(0, str(Path(amparo.extract.__file__).resolve().parents[2] / "bench"))
    import extract_eval

    return extract_eval


# Per-field F1 floors each set reaches now (rounded down). The held-out sets' floors are what their one scoring
# run gave; docs/extract.md has the full tables. Raise a floor when the extractor improves; never lower one to
# make a change pass without saying why in docs/extract.md.
FLOORS = {
    TUNING: {
        "date": 1.0, "city": 1.0, "state": 1.0, "place_name": 1.0, "location_type": 1.0, "agencies": 1.0,
        "people_taken": 1.0, "force": 1.0, "media_mentioned": 1.0, "official_claims": 0.97, "language": 1.0,
    },
    # First held-out set, after it was folded into development (its first, unseen run is in docs/extract.md). City
    # 0.96 -> 0.90 in the eighth round: the retrained scorer kept no weights (acceptance rule, docs/extract.md) and
    # the rules give Manhattan where the label says New York City (a labelling slip the docs list).
    HOLDOUT: {
        "date": 0.93, "city": 0.90, "state": 1.0, "place_name": 0.66, "location_type": 1.0, "agencies": 0.98,
        "people_taken": 1.0, "force": 1.0, "media_mentioned": 0.94, "official_claims": 0.98, "language": 1.0,
    },
    # Second held-out set, after it was folded into development (its first, unseen run is in docs/extract.md).
    HOLDOUT2: {
        "date": 0.98, "city": 0.89, "state": 0.91, "place_name": 0.0, "location_type": 1.0, "agencies": 1.0,
        "people_taken": 1.0, "force": 1.0, "media_mentioned": 0.96, "official_claims": 0.93, "language": 1.0,
    },
    # Third held-out set, seen since the fourth round (its unseen run is in docs/extract.md).
    HOLDOUT3: {
        "date": 1.0, "city": 0.96, "state": 0.96, "place_name": 1.0, "location_type": 1.0, "agencies": 0.96,
        "people_taken": 1.0, "force": 1.0, "media_mentioned": 1.0, "official_claims": 1.0, "language": 1.0,
    },
    # Fourth held-out set, used for the fifth round's error analysis (seen; its unseen run is in docs/extract.md).
    HOLDOUT4: {
        "date": 1.0, "city": 0.98, "state": 0.98, "place_name": 1.0, "location_type": 0.97, "agencies": 1.0,
        "people_taken": 1.0, "force": 1.0, "media_mentioned": 1.0, "official_claims": 0.97, "language": 1.0,
    },
    # Fifth held-out set: scored once while unseen (docs/extract.md has that run: overall 0.875, five fields under
    # 0.85), then folded into development; these floors are the figures after the sixth round.
    HOLDOUT5: {
        "date": 1.0, "city": 1.0, "state": 0.98, "place_name": 0.96, "location_type": 0.96, "agencies": 0.96,
        "people_taken": 0.97, "force": 1.0, "media_mentioned": 0.95, "official_claims": 0.89, "language": 1.0,
    },
    # Sixth held-out set: its one scoring run, unseen, was overall 0.859 with five fields under 0.85 (docs/extract.md).
    # Seen since; these floors are the eighth round's figures (rules alone: no learned weights ship).
    HOLDOUT6: {
        "date": 0.89, "city": 0.93, "state": 0.94, "place_name": 0.78, "location_type": 0.94, "agencies": 0.94,
        "people_taken": 0.93, "force": 0.98, "media_mentioned": 0.95, "official_claims": 0.98, "language": 1.0,
    },
    # Seventh held-out set: its one scoring run, unseen, was overall 0.885 (people taken 0.744, location type 0.727,
    # place name 0.706 under 0.85). Used for the eighth round's error analysis; these floors are that round's
    # figures, seen, not evidence about new text.
    HOLDOUT7: {
        "date": 0.97, "city": 0.95, "state": 1.0, "place_name": 0.97, "location_type": 0.95, "agencies": 0.98,
        "people_taken": 0.95, "force": 1.0, "media_mentioned": 1.0, "official_claims": 0.98, "language": 1.0,
    },
    # Eighth held-out set: these floors are its one scoring run, unseen (overall 0.882; place name 0.744, agencies
    # 0.787, official claims 0.789 and people taken 0.833 under 0.85). Not yet used for any change.
    HOLDOUT8: {
        "date": 0.90, "city": 0.94, "state": 0.96, "place_name": 0.74, "location_type": 0.89, "agencies": 0.78,
        "people_taken": 0.83, "force": 0.93, "media_mentioned": 0.92, "official_claims": 0.78, "language": 1.0,
    },
    EVALUATION / "eval.jsonl": {
        "date": 0.99, "city": 1.0, "state": 1.0, "place_name": 1.0, "location_type": 1.0, "agencies": 0.99,
        "people_taken": 0.98, "force": 1.0, "media_mentioned": 0.96, "official_claims": 0.94, "language": 1.0,
    },
    EVALUATION / "holdout.jsonl": {
        "date": 0.94, "city": 1.0, "state": 0.97, "place_name": 1.0, "location_type": 0.82, "agencies": 0.94,
        # claims 0.83: "Florida Highway Patrol said ..." and a police statement now count as claims (the new rules);
        # this older set's gold, written before them, does not list them.
        "people_taken": 0.89, "force": 0.85, "media_mentioned": 1.0, "official_claims": 0.83, "language": 0.95,
    },
}  # fmt: skip


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.name)
def test_each_field_keeps_its_f1_floor(path: Path) -> None:
    bench = _bench()
    scores = bench.f1_by_field(bench.evaluate(path))  # type: ignore[attr-defined]
    below = {field: round(scores[field], 3) for field, floor in FLOORS[path].items() if scores[field] < floor}
    assert not below, f"{path.name}: F1 under its floor: {below}"


def test_the_tuning_set_meets_the_issue_target_in_every_field() -> None:
    bench = _bench()
    scores = bench.f1_by_field(bench.evaluate(TUNING))  # type: ignore[attr-defined]
    assert min(scores.values()) >= 0.85, scores


def test_every_proposal_on_the_passages_marks_its_words() -> None:
    for row in SEEN_ROWS + HOLDOUT8_ROWS:
        text = str(row["text"])
        result = amparo.extract.extract(text, published=date.fromisoformat(str(row["published"])))
        for name, proposal in result.items():
            for part in (proposal, *proposal.parts):
                s, e = part.span
                assert 0 <= s < e <= len(text) and text[s:e] == part.text, (row["id"], name)


def test_the_speed_bench_prints_documents_per_second_and_its_ratio() -> None:
    """Smoke test of bench/extract_speed.py on the passages (the 100 docs/s target is checked by the bench itself;
    here a lenient floor, since the suite shares a loaded machine)."""
    script = Path(amparo.extract.__file__).resolve().parents[2] / "bench" / "extract_speed.py"
    done = subprocess.run(
        [sys.executable, str(script), "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "ratio extract / baseline" in done.stdout, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("extract()"))
    assert float(line.split()[-2].replace(",", "")) >= 30
