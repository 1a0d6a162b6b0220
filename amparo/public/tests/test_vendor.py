"""The vendored map files: present, small, licensed, and consistent with the centroid tables."""

from __future__ import annotations

import json
from pathlib import Path

from amparo.public import geo
from amparo.public.tools.us_atlas import centroid, simplify

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"


def test_outlines_are_small_and_complete() -> None:
    states = json.loads((VENDOR / "us" / "states.geojson").read_text(encoding="utf-8"))
    counties = json.loads((VENDOR / "us" / "counties.geojson").read_text(encoding="utf-8"))
    assert len(states["features"]) == 56
    # every county but Falls Church, VA, whose outline in us-atlas is a degenerate three-point ring
    assert len(counties["features"]) == 3230 == len(geo.by_fips()) - 1
    assert {f["properties"]["code"] for f in states["features"]} >= {"CA", "IL", "TX", "NY", "DC", "PR"}
    total = sum((VENDOR / "us" / n).stat().st_size for n in ("states.geojson", "counties.geojson"))
    assert total < 2 * 1024 * 1024


def test_licences_travel_with_the_files() -> None:
    for path in ("leaflet/LICENSE", "leaflet.markercluster/LICENSE", "us/LICENSE", "README.md"):
        assert (VENDOR / path).stat().st_size > 100
    for path in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet.markercluster/leaflet.markercluster.js",
    ):
        assert (VENDOR / path).stat().st_size > 1000


def test_every_county_centroid_lies_in_its_own_county() -> None:
    """Checked on the simplified outlines; a handful of odd shapes (islands, crescents) may put it outside."""
    outside = [a.fips for a in geo.by_fips().values() if (geo.county_at(a.lat, a.lon) or a).fips != a.fips]
    assert len(outside) < 0.03 * len(geo.by_fips()), outside[:20]


def test_simplify_keeps_the_ends_and_drops_collinear_points() -> None:
    line = [(0.0, 0.0), (1.0, 0.0001), (2.0, 0.0), (3.0, 5.0)]
    assert simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0)]
    square = [[[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]]]
    assert centroid(square) == (1.0, 1.0)
