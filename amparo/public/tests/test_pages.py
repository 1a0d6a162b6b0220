"""Public pages answer without an account, set no cookie, are cacheable, and speak three languages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amparo.public import anonymise
from amparo.public.exports import DOWNLOADS
from amparo.public.models import PublicIncident
from amparo.public.tests.helpers import body, make_incident
from amparo.testing import Personas

PAGES = [
    "public:home",
    "public:charts",
    "public:incidents",
    "public:methodology",
    "public:data",
    "public:points",
]


@pytest.fixture
def published(personas: Personas) -> PublicIncident:
    make_incident(
        personas.north,
        location_type="healthcare",
        tactics=["masked_agents", "collateral_arrests"],
        official_claims="DHS said the man assaulted officers.",
        evidence_response="Two videos show him walking away before agents tackled him.",
        sources=[
            {
                "source_type": "local_news",
                "title": "Agents at clinic",
                "url": "https://news.example/a",
                "public": True,
            }
        ],
    )
    for _ in range(3):
        make_incident(personas.north, location_type="school", incident_type="sweep")
    anonymise.rebuild()
    return PublicIncident.objects.get(location_type="healthcare")


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_it_answers_anonymous_visitors_without_cookies_and_cacheable(
    name: str, published: PublicIncident
) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert not response.cookies, response.cookies
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "Accept-Language" in response["Vary"]
    assert b"csrfmiddlewaretoken" not in body(response)


@pytest.mark.django_db
def test_it_shows_an_incident_with_claims_and_evidence_and_sources(published: PublicIncident) -> None:
    response = Client().get(reverse("public:incident", args=[published.public_id]), {"lang": "en"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "What officials said and what the evidence shows" in text
    assert "assaulted officers" in text and "walking away" in text
    assert 'href="https://news.example/"' in text and "news.example/a" not in text  # only the host (INFO)
    assert "formerly protected place" in text
    assert not response.cookies


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_public_id(published: PublicIncident) -> None:
    assert Client().get(reverse("public:incident", args=["ZZZZZZZZ"])).status_code == 404
    assert Client().get(reverse("public:download", args=["secrets.csv"])).status_code == 404


@pytest.mark.django_db
def test_it_refuses_posts(published: PublicIncident) -> None:
    assert Client().post(reverse("public:home")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["es", "en", "de"])
def test_it_switches_language_with_a_link_and_keeps_it_in_links(lang: str, published: PublicIncident) -> None:
    response = Client().get(reverse("public:charts"), {"lang": lang})
    text = response.content.decode()
    assert f'<html lang="{lang}">' in text
    assert f'href="/public/incidents/?lang={lang}"' in text
    assert response["Content-Language"] == lang
    assert not response.cookies


@pytest.mark.django_db
def test_charts_are_svg_with_title_desc_and_a_table(published: PublicIncident) -> None:
    text = Client().get(reverse("public:charts"), {"lang": "en"}).content.decode()
    assert text.count("<svg") == 5
    assert text.count("<title id=") == 5 and text.count("<desc id=") == 5
    assert "<table" in text
    # three schools: shown; one clinic: fewer than k
    assert "fewer than 3" in text


@pytest.mark.django_db
def test_points_hold_only_shared_points(published: PublicIncident) -> None:
    data = json.loads(body(Client().get(reverse("public:points"))))
    assert len(data["points"]) == 4
    assert {tuple(p[1:3]) for p in data["points"]} == {(41.85, -87.65)}  # Chicago's city point, for all four


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_downloads_stream_as_attachments(name: str, published: PublicIncident) -> None:
    response = Client().get(reverse("public:download", args=[name]))
    assert response.status_code == 200 and response.streaming
    assert "attachment" in response["Content-Disposition"]
    text = body(response).decode()
    if name.endswith("json"):
        json.loads(text)
    assert not response.cookies


@pytest.mark.django_db
def test_manage_lets_a_coordinator_rebuild(personas: Personas, client_as: Callable[..., Any]) -> None:
    make_incident(personas.north)
    alice = client_as("alice")
    assert alice.get(reverse("public:manage")).status_code == 200
    response = alice.post(reverse("public:manage"))
    assert response.status_code == 302
    assert PublicIncident.objects.count() == 1  # tasks run inline in tests


@pytest.mark.django_db
def test_manage_refuses_members_without_public_publish(
    personas: Personas, client_as: Callable[..., Any]
) -> None:
    assert client_as("rita").get(reverse("public:manage")).status_code == 403
    assert client_as("vera").post(reverse("public:manage")).status_code == 403
    assert Client().get(reverse("public:manage")).status_code == 302


@pytest.mark.django_db
def test_a_configured_tile_server_is_allowed_on_the_map_page_only(
    published: PublicIncident, settings: Any
) -> None:
    settings.AMPARO_PUBLIC_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    home = Client().get(reverse("public:home"))
    assert "img-src 'self' https://tiles.example.org data: blob:;" in home["Content-Security-Policy"]
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in home.content.decode()
    other = Client().get(reverse("public:charts"))
    assert "tiles.example.org" not in other["Content-Security-Policy"]


@pytest.mark.django_db
def test_it_answers_304_until_the_next_rebuild(published: PublicIncident) -> None:
    first = Client().get(reverse("public:charts"))
    stamp = first["Last-Modified"]
    again = Client().get(reverse("public:charts"), headers={"if-modified-since": stamp})
    assert again.status_code == 304 and again["Cache-Control"].startswith("public")
    import datetime as dt

    from django.utils import timezone

    anonymise.rebuild(now=timezone.now() + dt.timedelta(minutes=5))
    assert Client().get(reverse("public:charts"), headers={"if-modified-since": stamp}).status_code == 200
