"""``amparo evidence match FILE`` as JSON, and the marked text of proposals."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from amparo.corroboration.command import register_match, run_match
from amparo.corroboration.proposals import marked, proposals_for
from amparo.corroboration.tests import media
from amparo.incidents.tests.factories import make_report
from amparo.testing import Personas


@pytest.mark.django_db
def test_match_command_prints_the_matching_items_as_json(
    personas: Personas, tmp_path: Path, ingest: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    item = ingest(media.clip(tmp_path / "a.mp4", seed=11), network=personas.north)
    parser = argparse.ArgumentParser()
    register_match(parser.add_subparsers())
    copy = media.clip(tmp_path / "b.mp4", seed=11, edit=media.resized(0.5))
    args = parser.parse_args(["match", str(copy), "--network", "Red Norte"])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["id"] for m in out["matches"]] == [str(item.code)]
    assert out["matches"][0]["score"] >= 80 and out["matches"][0]["pairs"]
    args = parser.parse_args(
        ["match", str(media.clip(tmp_path / "c.mp4", seed=12)), "--network", "Red Norte"]
    )
    assert run_match(args) == 0
    assert json.loads(capsys.readouterr().out)["matches"] == []
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 10)
    args = parser.parse_args(["match", str(junk), "--network", "Red Norte"])
    assert run_match(args) == 1
    assert "error" in json.loads(capsys.readouterr().out)


def test_marked_merges_overlapping_spans_and_keeps_every_character() -> None:
    text = "abcdefghij"
    segments = marked(text, [(2, 4), (3, 6), (8, 9), (20, 30)])
    assert "".join(piece for piece, _m in segments) == text
    assert [piece for piece, m in segments if m] == ["cdef", "i"]


@pytest.mark.django_db
def test_proposals_in_three_languages(personas: Personas) -> None:
    texts = {
        "en": (
            "Yesterday ICE agents detained 3 men at the Home Depot parking lot in Santa Ana, California.",
            3,
        ),
        "es": ("Ayer agentes de ICE detuvieron a dos personas frente a la escuela en Houston, Texas.", 2),
        "de": ("Gestern nahmen ICE-Beamte in Chicago vier Personen an einer Kirche fest.", 4),
    }
    for lang, (text, taken) in texts.items():
        report = make_report(personas.north, text=text, language=lang, place_text="", people_taken_count=None)
        found = proposals_for(report)
        people = found.get("people_taken_count")
        assert people is not None and people.value == taken and people.applicable, lang
        assert found.get("claimed_time") is not None, lang
        for start, end in found.spans:
            assert text[start:end].strip(), lang


@pytest.mark.django_db
def test_report_text_is_escaped_around_the_marks(personas: Personas, client_as: Any) -> None:
    from django.urls import reverse

    report = make_report(
        personas.north, text="<script>x</script> Ayer ICE detuvo a dos personas.", language="es"
    )
    page = client_as("alice").get(reverse("corroboration:report", args=[report.code])).content.decode()
    assert "<script>x" not in page and "&lt;script&gt;x" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading"), [("es", "Datos encontrados en el texto"), ("de", "Im Text gefundene Angaben")]
)
def test_the_page_speaks_spanish_and_german(
    personas: Personas, client_as: Any, lang: str, heading: str
) -> None:
    from django.urls import reverse

    report = make_report(personas.north, text="Ayer ICE detuvo a dos personas.", language="es")
    page = client_as("alice", HTTP_ACCEPT_LANGUAGE=lang).get(
        reverse("corroboration:report", args=[report.code])
    )
    assert heading in page.content.decode()
