"""The whole extract(): spans, absent facts, JSON shape, language detection and hostile input."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amparo.extract
from amparo.extract import FIELDS, MAX_CHARS, Extraction, Proposal, detect_language, extract

EVAL = Path(amparo.extract.__file__).parent / "evaluation" / "eval.jsonl"
ROWS = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_spans(text: str, result: Extraction) -> None:
    for name, proposal in result.items():
        assert name in FIELDS
        start, end = proposal.span
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == proposal.text, name
        assert 0.0 < proposal.confidence <= 1.0
        assert proposal.reason
        for part in proposal.parts:
            assert text[part.span[0] : part.span[1]] == part.text


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['lang']}-{i}" for i, r in enumerate(ROWS)])
def test_every_span_in_the_evaluation_set_points_at_its_text(row: dict[str, object]) -> None:
    text = str(row["text"])
    result = extract(text, published=date.fromisoformat(str(row["published"])))
    assert_spans(text, result)


@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_any_text_gives_valid_spans_and_json(text: str) -> None:
    result = extract(text, published=date(2026, 3, 5))
    assert_spans(text, result)
    json.dumps(result.to_json())


@pytest.mark.parametrize(
    "text",
    [
        "Community groups will hold a know-your-rights training next week.",
        "Organizaciones comunitarias ofrecerán un taller sobre derechos la próxima semana.",
        "Hilfsorganisationen bieten nächste Woche eine Informationsveranstaltung an.",
    ],
)
def test_a_text_without_facts_proposes_nothing(text: str) -> None:
    result = extract(text, published=date(2026, 3, 5))
    assert dict(result) == {}
    assert result.to_json() == {}


def test_to_json_has_value_span_text_confidence_and_reason() -> None:
    text = "ICE detained three men in Houston, Texas, on March 3, 2026. DHS said they had removal orders."
    out = extract(text).to_json()
    assert out["date"]["value"] == "2026-03-03"
    assert out["people_taken"]["value"] == 3
    assert out["city"] == {
        "value": "Houston",
        "span": [26, 33],
        "text": "Houston",
        "confidence": out["city"]["confidence"],
        "reason": "city followed by its state",
    }
    assert set(out["agencies"]) == {"value", "span", "text", "confidence", "reason", "parts"}
    assert out["agencies"]["value"] == ["ICE_UNSPECIFIED"]
    assert out["official_claims"]["value"] == ["DHS said they had removal orders."]
    assert json.loads(json.dumps(out)) == out


def test_values_only_gives_bare_values() -> None:
    values = extract(
        "Agentes de ICE detuvieron a dos hombres ayer.", published=date(2026, 3, 5)
    ).values_only()
    assert values["date"] == date(2026, 3, 4)
    assert values["people_taken"] == 2


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The agents said that they were looking for a man who lived in the building.", "en"),
        ("Los agentes dijeron que buscaban a un hombre que vivía en el edificio.", "es"),
        ("Die Agenten sagten, dass sie einen Mann suchten, der in dem Haus wohnte.", "de"),
    ],
)
def test_it_detects_the_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang
    result = extract(text)
    assert (result.language, result.language_detected) == (lang, True)


def test_a_given_language_is_used_and_an_unknown_one_refused() -> None:
    result = extract("Agents detained a man on 3/2/2026.", lang="es")
    assert (result.language, result.language_detected) == ("es", False)
    assert result["date"].value == date(2026, 2, 3)  # day first in Spanish
    with pytest.raises(ValueError, match="unsupported language"):
        extract("text", lang="fr")


def test_empty_and_whitespace_texts_give_nothing() -> None:
    for text in ("", " ", "\n\n\t"):
        result = extract(text, published=date(2026, 3, 5))
        assert dict(result) == {}
        assert result.language == "en"


def test_control_characters_and_lone_surrogates_do_not_break_spans() -> None:
    text = "ICE\x00 detained\x07 three men\ud800 in Houston,\x1b Texas, yesterday.\udfff"
    result = extract(text, published=date(2026, 3, 5))
    assert_spans(text, result)
    assert result["people_taken"].value == 3
    assert result["city"].value == "Houston"
    assert result["date"].value == date(2026, 3, 4)
    json.dumps(result.to_json())  # lone surrogates are escaped by json


def test_a_megabyte_of_text_is_fast_and_safe() -> None:
    report = "Agents detained three men outside a Home Depot in Houston, Texas, yesterday. "
    text = (report * (1_000_000 // len(report) + 1))[:1_000_000]
    started = time.perf_counter()
    result = extract(text, published=date(2026, 3, 5))
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    assert_spans(text, result)
    assert result["people_taken"].value == 3
    assert all(p.span[1] <= MAX_CHARS for p in result.values())


@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "A " * 500_000,
        "yesterday " * 100_000,
        "Agents detained " * 60_000,
        "San " * 250_000,
        "1/1/2026 " * 100_000,
        "(" * 1_000_000,
        "..." * 300_000,
        "\ud800" * 500_000,
    ],
    ids=[
        "letters",
        "capitals",
        "dates",
        "verbs",
        "city-prefix",
        "numeric-dates",
        "parens",
        "dots",
        "surrogates",
    ],
)
def test_pathological_megabyte_inputs_stay_fast(text: str) -> None:
    started = time.perf_counter()
    result = extract(text, published=date(2026, 3, 5))
    assert time.perf_counter() - started < 10
    assert_spans(text, result)


def test_proposal_is_immutable() -> None:
    proposal = Proposal(1, (0, 1), "1", 0.5, "why")
    with pytest.raises(AttributeError):
        proposal.value = 2  # type: ignore[misc]


def test_a_datetime_publication_date_is_taken_as_its_day() -> None:
    from datetime import UTC, datetime

    result = extract("ICE detained a man yesterday.", published=datetime(2026, 3, 5, 23, 30, tzinfo=UTC))
    assert result["date"].value == date(2026, 3, 4)


def test_bytes_are_refused() -> None:
    with pytest.raises(TypeError, match="must be str"):
        extract(b"ICE detained a man.")  # type: ignore[arg-type]
