"""The December 2026 security review's INFO item "the public scrubber misses some place details": house numbers before
a street in Spanish, English and German, and source addresses published as they are.

Besides the review's own examples, the scrubber is measured on a frozen corpus (scrub_corpus.py, at least 30 sentences a
language) in which every house number is marked and every other number (counts, times, highways, years) must stay.
The precision and recall of number removal are printed (run with -s) and must not fall below the floors here.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from amparo.cli import main
from amparo.public.models import PublicIncident
from amparo.public.scrub import MARK, coarsen_url, scrub
from amparo.public.tests.helpers import body, make_incident
from amparo.public.tests.scrub_corpus import CORPUS, HELD_OUT
from amparo.testing import Personas

# Floors for the frozen corpus (measured: en 1.00/1.00, es 0.95/1.00, de 1.00/1.00). Recall is what protects people:
# it must stay at 1. The one Spanish false positive is "la calle 26", a numbered street, removed to be safe.
FLOORS = {"en": (1.0, 1.0), "es": (0.9, 1.0), "de": (1.0, 1.0)}


def measure(lang: str, corpus: dict[str, list[str]] = CORPUS) -> tuple[float, float, list[str]]:
    """Precision and recall of house-number removal over one language's corpus, and the misses for the message."""
    tp = fp = fn = 0
    misses: list[str] = []
    for sentence in corpus[lang]:
        marked = {re.sub(r"\D.*", "", m) for m in re.findall(r"\{([^}]*)\}", sentence)}
        text = sentence.replace("{", "").replace("}", "")
        numbers = re.findall(r"\d+", text)
        assert len(numbers) == len(set(numbers)), f"numbers in a corpus sentence must differ: {sentence}"
        out = scrub(text)
        for n in numbers:
            gone = re.search(rf"(?<!\d){n}(?!\d)", out) is None
            if gone and n in marked:
                tp += 1
            elif gone:
                fp += 1
                misses.append(f"removed {n}: {out}")
            elif n in marked:
                fn += 1
                misses.append(f"kept {n}: {out}")
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), misses


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_info_house_numbers_are_removed_with_measured_precision_and_recall(lang: str) -> None:
    assert len(CORPUS[lang]) >= 30
    assert sum("{" in s for s in CORPUS[lang]) >= 15  # enough addresses to measure recall
    assert (
        sum("{" not in s and re.search(r"\d", s) is not None for s in CORPUS[lang]) >= 10
    )  # and numbers to keep
    precision, recall, misses = measure(lang)
    print(f"scrub {lang}: precision {precision:.3f}, recall {recall:.3f} over {len(CORPUS[lang])} sentences")
    low_p, low_r = FLOORS[lang]
    assert recall >= low_r, misses
    assert precision >= low_p, misses


# Measured once on the held-out sentences, with the patterns frozen: es loses "la calle 18" (a numbered street) and
# de keeps the flat number in "Eichenallee [...], Wohnung 3". These floors record that; they are not targets to tune to.
HELD_OUT_FLOORS = {"en": (1.0, 1.0), "es": (0.9, 1.0), "de": (1.0, 0.88)}


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_info_held_out_sentences_precision_and_recall(lang: str) -> None:
    precision, recall, misses = measure(lang, HELD_OUT)
    print(f"scrub held-out {lang}: precision {precision:.3f}, recall {recall:.3f} over {len(HELD_OUT[lang])}")
    low_p, low_r = HELD_OUT_FLOORS[lang]
    assert recall >= low_r, misses
    assert precision >= low_p, misses


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        # The review's own examples.
        (
            "The car with plate ABC1234 was parked on 1234 Calle Secretísima.",
            ["1234", "Secretísima"],
            ["parked on"],
        ),
        ("Agents waited on 1234 Elm Street at 7 am.", ["1234", "Elm"], ["at 7 am"]),
        ("In der Hauptstraße 12 wurden 6 Personen festgenommen.", ["12", "Hauptstraße"], ["6 Personen"]),
        ("Vor 12 Hauptstraße standen 2 Wagen.", ["12 ", "Hauptstraße"], ["2 Wagen"]),
        ("en el 1200 de Calle Ocho desde las 6", ["1200", "Ocho"], ["las 6"]),
        ("Frente a 18 Calle del Sol había 2 vehículos.", ["18", "Sol"], ["2 vehículos"]),
        ("Beamte in der Schillerstr. 15 und 15 Goethestr. um 9 Uhr", ["15", "Schiller", "Goethe"], ["9 Uhr"]),
        ("6 people were taken near I-35 in 2025 at 7 am.", [], ["6 people", "I-35", "2025", "7 am"]),
        ("A hearing 12 days later; during 2025 they came back.", [], ["hearing 12 days", "during 2025"]),
        ("La carretera 45 estuvo cerrada 2 horas.", [], ["carretera 45", "2 horas"]),
        # Written in lower case, as people type.
        ("vive en la calle morelos 45 con 4 hijos", ["45", "morelos"], ["4 hijos"]),
        ("estaban en el 1234 calle secretisima y se fueron", ["1234", "secretisima"], ["se fueron"]),
        ("they waited at 1234 elm street for 2 hours", ["1234", "elm"], ["2 hours"]),
        ("vor 12 hauptstraße standen 3 wagen", ["12 ", "hauptstraße"], ["3 wagen"]),
    ],
)
def test_info_the_reviews_examples(text: str, gone: list[str], kept: list[str]) -> None:
    out = scrub(text)
    for part in gone:
        assert part not in out, out
    for part in kept:
        assert part in out, out
    assert (MARK in out) == bool(gone)


streets = st.sampled_from(
    [
        "Calle Secretísima",
        "Avenida Reforma",
        "Camino Real",
        "Elm Street",
        "Kedzie Ave",
        "Hauptstraße",
        "Lindenweg",
    ]
)


@given(st.integers(1, 99999), streets, st.sampled_from(["on ", "en ", "vor ", "at ", ""]))
def test_info_any_house_number_before_a_street_is_removed(number: int, street: str, before: str) -> None:
    out = scrub(f"Agents came {before}{number} {street} today.")
    assert str(number) not in out and MARK in out, out


@pytest.mark.parametrize(
    ("url", "published"),
    [
        ("https://news.example/plantadaperez-1234-calle-secretisima", "https://news.example/"),
        ("http://user:secret@News.Example:8080/story?id=5#top", "http://news.example/"),
        ("https://www.ice.gov/news/releases/arrest-of-maria-perez", "https://www.ice.gov/"),
        ("javascript:alert(1)", ""),
        ("ftp://files.example/x", ""),
        ("https://192.0.2.7/leak", ""),
        ("https://localhost/x", ""),
        ("https://555-867-5309.example/", ""),
        ("not a url", ""),
    ],
)
def test_info_source_addresses_are_coarsened_to_scheme_and_host(url: str, published: str) -> None:
    assert coarsen_url(url) == published


@pytest.mark.django_db
def test_info_public_pages_and_downloads_show_only_the_host_of_a_source(personas: Personas) -> None:
    """Through `amparo public rebuild` and the public HTTP pages: the slug with the street appears nowhere."""
    make_incident(
        personas.north,
        notes_public="The car with plate ABC1234 was parked on 1234 Calle Secretísima.",
        sources=[
            {
                "source_type": "local_news",
                "title": "Arrest on 1234 Calle Secretísima",
                "url": "https://news.example/plantadaperez-1234-calle-secretisima",
                "public": True,
            }
        ],
    )
    assert main(["public", "rebuild"]) == 0
    row = PublicIncident.objects.get()
    assert [s["url"] for s in row.sources] == ["https://news.example/"]
    client = Client()
    pages = [
        f"/public/incidents/{row.public_id}/",
        "/public/data/incidents.json",
        "/public/data/incidents.csv",
    ]
    pages += ["/public/data/incidents-acled.csv", "/public/data/incidents.geojson"]
    seen = 0
    for url in pages:
        response = client.get(url)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, url
        text = body(response).decode()
        seen += 1
        for secret in ("plantadaperez", "secretisima", "Secretísima", "1234"):
            assert secret not in text, (url, secret)
    assert seen >= 4
    data = json.loads(body(client.get("/public/data/incidents.json")))
    assert data["incidents"][0]["sources"][0]["url"] == "https://news.example/"
