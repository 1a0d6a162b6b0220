"""Public numbers agree everywhere (issue 13, review item 12): the headline, the table by state, the map points, the
charts and the aggregate download count the same published incidents, and show a small cell the same way."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amparo.public import anonymise
from amparo.public.models import AggregateCount, PublicIncident
from amparo.public.tests.helpers import body, make_incident
from amparo.testing import Personas


def _make(personas: Personas) -> None:
    now = timezone.now()
    for i in range(9):  # Illinois: enough in each month to show
        kind = "school" if i == 0 else "street_public"  # a formerly protected place: a highlighted bar
        make_incident(
            personas.north, location_type=kind, start_at=now - timedelta(days=100 + 40 * (i % 2), hours=i)
        )
    for i in range(2):  # California: a small cell in every chart
        make_incident(
            personas.north,
            admin1="CA",
            admin2="Los Angeles",
            locality="Los Angeles",
            start_at=now - timedelta(days=300 + i),
        )
    for i in range(3):  # homes: generalised to the state, published as rows
        make_incident(personas.north, location_type="residence", start_at=now - timedelta(days=200 + i))
    # a lone home in Illinois in another year: held back (fewer than k homes in its cell), so counted nowhere
    make_incident(personas.north, location_type="residence", start_at=now - timedelta(days=700))


def _between(shown: list[int | None], total: int, k: int) -> None:
    """The visible counts plus at most k-1 for each suppressed one bracket the total: nothing more, nothing less."""
    known = sum(n for n in shown if n is not None)
    hidden = sum(1 for n in shown if n is None)
    assert known <= total <= known + hidden * (k - 1), (shown, total)


@pytest.mark.django_db
def test_every_public_number_counts_the_same_incidents(personas: Personas) -> None:
    _make(personas)
    build = anonymise.rebuild()
    total = PublicIncident.objects.count()
    assert total == build.published and build.suppressed >= 1
    client = Client()
    home = client.get("/public/?lang=en").content.decode()
    assert f"{total} verified incidents are published" in home
    footer = re.search(r"All states</th><td>(\d+)</td>", home)
    assert footer is not None and int(footer[1]) == total
    points = json.loads(body(client.get("/public/map/points.json")))["points"]
    assert len(points) == PublicIncident.objects.exclude(latitude=None).count() == total
    for dimension in ("state", "month", "location_type", "incident_type"):
        counts = list(AggregateCount.objects.filter(dimension=dimension).values_list("count", flat=True))
        _between(counts, total, build.k)
    states = dict(AggregateCount.objects.filter(dimension="state").values_list("key", "count"))
    assert states["IL"] == PublicIncident.objects.filter(admin1="IL").count()
    assert states.get("CA", "absent") in (None, "absent")  # 2 < k: a small cell, never the number
    rows = list(csv.DictReader(io.StringIO(body(client.get("/public/data/aggregates.csv")).decode())))
    for dimension in ("month", "state", "location_type", "incident_type", "cell"):
        cells = [r["count"] for r in rows if r["dimension"] == dimension]
        assert cells, dimension
        _between([None if c == "suppressed" else int(c) for c in cells], total, build.k)
    by_state = {r["key"]: r["count"] for r in rows if r["dimension"] == "state"}
    assert by_state["IL"] == str(states["IL"])  # the download says what the table by state says
    assert by_state.get("CA", "suppressed") == "suppressed"


@pytest.mark.django_db
def test_the_aggregate_download_shows_numbers_not_only_suppressed_cells(personas: Personas) -> None:
    """Review item 12: every count of aggregates.csv was "suppressed" (a five-way cube of a small network)."""
    _make(personas)
    anonymise.rebuild()
    rows = list(csv.DictReader(io.StringIO(body(Client().get("/public/data/aggregates.csv")).decode())))
    shown = [r for r in rows if r["count"] != "suppressed"]
    assert {r["dimension"] for r in shown} >= {"month", "state", "location_type", "incident_type"}
    assert (
        sum(int(r["count"]) for r in shown if r["dimension"] == "state")
        == PublicIncident.objects.filter(admin1="IL").count()
    )
    assert [r["dimension"] for r in rows] == sorted(
        (r["dimension"] for r in rows),
        key=("month", "state", "location_type", "incident_type", "tactic", "agency", "cell").index,
    )


@pytest.mark.django_db
def test_a_small_cell_reads_the_same_in_the_table_and_the_charts(personas: Personas) -> None:
    _make(personas)
    build = anonymise.rebuild()
    client = Client()
    home = client.get("/public/?lang=en").content.decode()
    charts = client.get("/public/charts/?lang=en").content.decode()
    small = f"fewer than {build.k}"
    assert small in home and small in charts
    assert f"&lt;{build.k}</text>" in charts  # drawn as a stub with "<k", not an empty gap
    assert 'class="swatch swatch-suppressed"' in charts and 'class="swatch swatch-highlight"' in charts
