"""The learned scorer (amparo/extract/learned.py): what the rules hand it, how it chooses, and its shipped weights."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from amparo.extract import extract, learned

PUBLISHED = date(2026, 3, 6)
ROOT = Path(learned.__file__).resolve().parents[2]
TEXT = (
    "HOUSTON — Immigration agents detained three men outside a Home Depot in Pasadena on Tuesday, witnesses said. "
    "Officials later said two men were taken. One agent pushed a woman to the ground; no one else was hurt. "
    "A vigil was held Wednesday at St. Mary's Church in Dallas."
)


@pytest.fixture
def trace() -> Iterator[list[learned.TraceEntry]]:
    entries: list[learned.TraceEntry] = []
    learned.TRACE = entries
    try:
        yield entries
    finally:
        learned.TRACE = None


def test_it_hands_the_scorer_every_reading_with_its_words(trace: list[learned.TraceEntry]) -> None:
    result = extract(TEXT, published=PUBLISHED)
    _context, seen, rules = trace[0]
    assert {field: len(seen[field]) > 1 for field in learned.FIELDS} == dict.fromkeys(learned.FIELDS, True)
    for field in learned.FIELDS:
        for _, proposal, _ in seen[field]:
            s, e = proposal.span
            assert TEXT[s:e].casefold() == proposal.text.casefold() and proposal.text.strip(), field
        # The rules' choice is one of the readings, and a trace proposes exactly what the rules chose.
        rule = rules[field]
        assert rule is not None
        assert rule.value in [p.value for _, p, _ in seen[field]]
        assert result[field].value == rule.value
    assert {p.value for _, p, _ in seen["city"]} >= {"Houston", "Pasadena", "Dallas"}
    assert {p.value for _, p, _ in seen["people_taken"]} >= {2, 3}


def test_every_option_of_a_field_has_one_width(trace: list[learned.TraceEntry]) -> None:
    extract(TEXT, published=PUBLISHED)
    context, seen, rules = trace[0]
    for field in learned.FIELDS:
        options, rows = learned.features(field, seen[field], rules[field], context)
        assert options[0] is None and len(options) == len(rows) == len(seen[field]) + 1
        assert len({len(row) for row in rows}) == 1, field


def _weights_for(field: str, column: int, sign: float) -> dict[str, tuple[float, ...]]:
    learned.TRACE = []
    try:
        extract(TEXT, published=PUBLISHED)
        context, seen, rules = learned.TRACE[0]
    finally:
        learned.TRACE = None
    width = len(learned.features(field, seen[field], rules[field], context)[1][0])
    return {field: tuple(sign if i == column else 0.0 for i in range(width))}


def test_it_proposes_the_highest_scoring_option(monkeypatch: pytest.MonkeyPatch) -> None:
    # Weight only on the "propose nothing" column: the field disappears.
    weights = _weights_for("people_taken", 0, 5.0)
    monkeypatch.setattr(learned, "_weights", lambda: weights)
    assert "people_taken" not in extract(TEXT, published=PUBLISHED)
    # Weight only on the position in the text: the last reading wins, and it still marks its words.
    weights = _weights_for("city", 6 + 3, 5.0)
    monkeypatch.setattr(learned, "_weights", lambda: weights)
    city = extract(TEXT, published=PUBLISHED)["city"]
    assert city.value == "Dallas" and TEXT[city.span[0] : city.span[1]] == city.text == "Dallas"


def test_the_state_follows_the_city_the_scorer_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "DENVER — ICE agents detained a man in Aurora on Tuesday. His family later drove to Phoenix for a lawyer."
    monkeypatch.setattr(learned, "_weights", dict)
    assert [extract(text, published=PUBLISHED)[f].value for f in ("city", "state")] == ["Denver", "CO"]
    weights = _weights_for("city", 6 + 3, 5.0)  # the last city mentioned wins
    monkeypatch.setattr(learned, "_weights", lambda: weights)
    result = extract(text, published=PUBLISHED)
    assert [result[f].value for f in ("city", "state")] == ["Phoenix", "AZ"]
    assert text[slice(*result["state"].span)] == result["state"].text


def test_a_field_without_weights_keeps_the_rules_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "_weights", dict)
    got = extract(TEXT, published=PUBLISHED).values_only()
    assert (got["city"], got["people_taken"], got["force"], got["location_type"]) == (
        "Pasadena",
        2,
        True,
        "day_labor_site",
    )


@pytest.mark.slow
def test_the_shipped_weights_are_what_training_writes() -> None:
    data = json.loads(learned.WEIGHTS.read_text(encoding="utf-8"))
    assert set(data["fields"]) <= set(learned.FIELDS)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "extract_model.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "leave-one-out" in done.stdout and "weights.json matches training" in done.stdout
