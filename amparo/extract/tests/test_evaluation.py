"""The labelled evaluation set is well formed and covers what the brief asks for."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import amparo.extract

EVAL = Path(amparo.extract.__file__).parent / "evaluation" / "eval.jsonl"
ROWS = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
GOLD_FIELDS = {
    "date",
    "city",
    "state",
    "place_name",
    "location_type",
    "agencies",
    "people_taken",
    "force",
    "media_mentioned",
    "official_claims",
}
LOCATION_TYPES = {
    "residence", "street_public", "vehicle_stop", "transit", "day_labor_site", "commercial_retail", "worksite",
    "courthouse_immigration", "courthouse_criminal", "courthouse_noncriminal", "ice_checkin", "uscis_office",
    "jail_transfer", "probation_parole", "school", "children_gather", "healthcare", "place_of_worship",
    "social_services", "disaster_relief", "ceremony", "demonstration", "hotel", "airport_port", "other",
}  # fmt: skip


def test_it_has_at_least_twenty_texts_in_each_language() -> None:
    counts = Counter(row["lang"] for row in ROWS)
    assert set(counts) == {"en", "es", "de"}
    assert min(counts.values()) >= 20
    assert len(ROWS) >= 60


def test_every_row_is_complete_and_valid() -> None:
    for row in ROWS:
        assert set(row) == {"text", "lang", "published", "gold"}
        assert set(row["gold"]) == GOLD_FIELDS
        assert row["text"].strip()
        published = date.fromisoformat(row["published"])
        gold = row["gold"]
        if gold["date"] is not None:
            assert date.fromisoformat(gold["date"]) <= published
        if gold["location_type"] is not None:
            assert gold["location_type"] in LOCATION_TYPES
        if gold["place_name"] is not None:
            assert gold["place_name"] in row["text"]
        for claim in gold["official_claims"] or []:
            assert claim in row["text"]


def test_every_location_type_appears_and_some_texts_have_no_facts() -> None:
    seen = {row["gold"]["location_type"] for row in ROWS}
    assert seen >= LOCATION_TYPES
    empty = [row for row in ROWS if all(value is None for value in row["gold"].values())]
    assert len(empty) >= 3
    assert any(row["gold"]["people_taken"] == 0 for row in ROWS)
    assert any(row["gold"]["force"] is False for row in ROWS)
