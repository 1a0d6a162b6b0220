"""Review items 2 and 4 (December 2026): where to go, and the incident map's own tile server (AMPARO_MAP_TILES)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from amparo.incidents import actions
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_item4_a_dispatch_to_a_report_shows_the_witness_words_point_and_map_links(
    personas: Personas, client_as: Any
) -> None:
    report = make_report(
        personas.north, place_text="Cermak y Pulaski, parada del bus", latitude=41.8523, longitude=-87.7254
    )
    dispatch = actions.do_create_dispatch(personas.user("alice"), personas["vera"], report=report)
    html = client_as("vera").get(reverse("incidents:dispatch", args=[dispatch.code])).content.decode()
    assert "Cermak y Pulaski, parada del bus" in html
    assert 'href="geo:41.852300,-87.725400?q=41.852300,-87.725400(Cermak%20y%20Pulaski' in html
    assert "https://www.openstreetmap.org/?mlat=41.852300&amp;mlon=-87.725400" in html


def test_item4_a_dispatch_with_no_place_says_so(personas: Personas, client_as: Any) -> None:
    report = make_report(personas.north, place_text="", latitude=None, longitude=None)
    dispatch = actions.do_create_dispatch(personas.user("alice"), personas["vera"], report=report)
    html = client_as("vera").get(reverse("incidents:dispatch", args=[dispatch.code])).content.decode()
    assert "data-geo" not in html and "data-where" in html


def test_item2_map_tiles_reach_the_page_and_its_csp(
    personas: Personas, client_as: Any, settings: Any
) -> None:
    incident = make_incident(personas.north)
    url = reverse("incidents:incident", args=[incident.code])
    plain = client_as("alice").get(url)
    assert "data-tiles" not in plain.content.decode()
    assert "tiles.example.org" not in plain["Content-Security-Policy"]
    settings.MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    tiled = client_as("alice").get(url)
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in tiled.content.decode()
    assert "img-src 'self' https://tiles.example.org" in tiled["Content-Security-Policy"]
    assert "script-src 'self'" in tiled["Content-Security-Policy"]
    for ignored in (
        "/srv/tiles/us.pmtiles",
        "https://tiles.example.org/us.pmtiles",
        "javascript:alert(1)/{z}/{x}",
    ):
        settings.MAP_TILES = ignored
        page = client_as("alice").get(url)
        assert "data-tiles" not in page.content.decode(), ignored
        assert "tiles.example.org" not in page["Content-Security-Policy"]


def test_item18_at_or_near_reads_as_words_and_item19_hours_agree_with_their_number(
    personas: Personas, client_as: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    incident = make_incident(personas.north, at_or_near="at", start_at=timezone.now() - timedelta(hours=1))
    html = client_as("alice").get(reverse("incidents:incident", args=[incident.code])).content.decode()
    assert "(en el lugar mismo" in html and "(en)" not in html and "(en," not in html
    report = make_report(personas.north, claimed_time=timezone.now())
    page = client_as("alice").get(reverse("incidents:report", args=[report.code])).content.decode()
    assert "1 hora de diferencia" in page and "1 horas" not in page
