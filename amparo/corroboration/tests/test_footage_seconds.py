"""Which seconds match which: a re-cut (a small share of its original) is found, and the matches page, the
incident panel and ``amparo evidence match`` say which seconds of one are which seconds of the other."""

from __future__ import annotations

import json
import re
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amparo.corroboration import footage
from amparo.corroboration.command import run_match
from amparo.corroboration.tests import media
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

FPS = 12  # media.clip's frame rate
D = "\N{EN DASH}"  # between the first and last second of a run


def recut(tmp_path: Path, seed: int) -> tuple[Path, Path]:
    """A 16 s original and seconds 4-10 of it, re-cut: 37 % of the original, below any share rule."""
    pictures = media.frames(16.0, 320, 240, FPS, seed)
    original = media.encode(tmp_path / "original.mp4", pictures)
    cut = media.encode(tmp_path / "recut.mp4", pictures[4 * FPS : 10 * FPS])
    return original, cut


def said(page: str, qs: str, qe: str, ts: str, te: str) -> bool:
    """Whether the page, in the language it is in, says these seconds of this item are those of the other."""
    lang = re.search(r'<html lang="([\w-]+)"', page)
    assert lang is not None
    with translation.override(lang.group(1)):
        line = gettext(f"%(qs)s{D}%(qe)s of this item = %(ts)s{D}%(te)s of the other")
    return line % {"qs": qs, "qe": qe, "ts": ts, "te": te} in page


@pytest.mark.django_db
def test_the_matches_page_says_which_seconds_match_which(
    personas: Personas, client_as: Callable[..., Client], tmp_path: Path, ingest: Any
) -> None:
    original_path, cut_path = recut(tmp_path, seed=11)
    original = ingest(original_path, network=personas.north)
    cut = ingest(cut_path, network=personas.north)
    unrelated = ingest(media.clip(tmp_path / "other.mp4", seed=78, seconds=8.0), network=personas.north)
    page = client_as("vera").get(reverse("corroboration:evidence_matches", args=[cut.code])).content.decode()
    assert str(original.code) in page and str(unrelated.code) not in page
    # the cut's first seconds are the original's fourth on: 0:00-0:05 = 0:04-0:09 (samples every half second)
    assert said(page, "0:00", "0:05", "0:04", "0:09"), page
    page = (
        client_as("vera")
        .get(reverse("corroboration:evidence_matches", args=[original.code]))
        .content.decode()
    )
    assert said(page, "0:04", "0:09", "0:00", "0:05")
    assert str(unrelated.code) not in page
    rows = [{"item": original, "match": footage.match_item(cut)[0], "pairs": []}]
    expected = {
        "en": f"0:00{D}0:05 of this item = 0:04{D}0:09 of the other",
        "es": f"0:00{D}0:05 de este elemento = 0:04{D}0:09 del otro",
        "de": f"0:00{D}0:05 dieses Beweismittels = 0:04{D}0:09 des anderen",
    }
    for lang, line in expected.items():
        with translation.override(lang):
            html = render_to_string("corroboration/evidence_matches.html", {"item": cut, "rows": rows})
        assert line in html, lang


@pytest.mark.django_db
def test_the_incident_panel_and_the_command_give_the_seconds(
    personas: Personas, tmp_path: Path, ingest: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    original_path, cut_path = recut(tmp_path, seed=12)
    incident = make_incident(personas.north, location_type="worksite", locality="Dallas", admin1="TX")
    ours = make_report(personas.north, incident=incident, text="Video from the car wash.")
    theirs = make_report(personas.north, text="Clip shared in a group chat.")
    ingest(cut_path, network=personas.north, report=ours)
    original = ingest(original_path, network=personas.north, report=theirs)
    html = render_to_string("corroboration/includes/incident_panel.html", {"incident": incident})
    when = theirs.received_at.strftime("%Y-%m-%d")
    assert re.search(
        rf"0:00{D}0:05 of this incident's clip = 0:04{D}0:09 of the report of {when} \d\d:\d\d", html
    )
    with translation.override("de"):
        html = render_to_string("corroboration/includes/incident_panel.html", {"incident": incident})
    assert f"0:00{D}0:05 des Videos dieses Vorfalls = 0:04{D}0:09 der Meldung vom" in html
    assert run_match(Namespace(file=str(cut_path), network=personas.north.name, radius=31)) == 0
    matches = json.loads(capsys.readouterr().out)["matches"]
    assert len(matches) == 2  # the stored cut itself, and its original
    (found,) = [m for m in matches if m["id"] == str(original.code)]
    (segment,) = found["segments"]
    assert segment["query_start"] == 0.0 and segment["item_start"] == pytest.approx(4.0, abs=0.5)
    assert segment["item_end"] - segment["item_start"] == pytest.approx(5.5, abs=0.6)
    assert found["shared_seconds"] >= 5.0 and found["score"] == 100.0
