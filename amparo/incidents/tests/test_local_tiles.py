"""Review item 2 (December 2026): a network points its staff map at a local PMTiles file (AMPARO_MAP_TILES)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.urls import reverse
from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from amparo.browser import browser, sign_in, watch_problems
from amparo.incidents.tests.factories import make_incident
from amparo.testing import Personas


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, "PNG")
    return out.getvalue()


def make_pmtiles(
    path: Path, *, tile_type: TileType = TileType.PNG, max_zoom: int = 6, gzip_tiles: bool = False
) -> Path:
    """A real PMTiles v3 file: every tile of zooms 0..max_zoom over the western US, each a flat colour by zoom."""
    tiles: list[tuple[int, bytes]] = []
    for z in range(max_zoom + 1):
        span = range(2**z) if z < 3 else range(int(2**z * 0.15), int(2**z * 0.30) + 1)
        rows = range(2**z) if z < 3 else range(int(2**z * 0.35), int(2**z * 0.45) + 1)
        data = _png((40 * z % 255, 200, 90))
        if gzip_tiles:
            data = gzip.compress(data)
        tiles += [(zxy_to_tileid(z, x, y), data) for x in span for y in rows]
    with path.open("wb") as f:
        writer = Writer(f)
        for tile_id, data in sorted(tiles):
            writer.write_tile(tile_id, data)
        writer.finalize(
            {
                "tile_type": tile_type,
                "tile_compression": Compression.GZIP if gzip_tiles else Compression.NONE,
                "min_zoom": 0,
                "max_zoom": max_zoom,
                "min_lon_e7": int(-125 * 1e7),
                "min_lat_e7": int(30 * 1e7),
                "max_lon_e7": int(-100 * 1e7),
                "max_lat_e7": int(45 * 1e7),
                "center_zoom": 4,
                "center_lon_e7": int(-117 * 1e7),
                "center_lat_e7": int(34 * 1e7),
            },
            {"attribution": "test tiles"},
        )
    return path


@pytest.mark.django_db
def test_item2_a_local_pmtiles_file_is_served_to_members_only(
    personas: Personas, client_as: Any, client: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MAP_TILES = str(make_pmtiles(tmp_path / "valle.pmtiles"))
    incident = make_incident(personas.north, latitude=34.1, longitude=-117.3)
    page = client_as("alice").get(reverse("incidents:incident", args=[incident.code]))
    assert 'data-tiles="/map/tiles/?z={z}&amp;x={x}&amp;y={y}"' in page.content.decode()
    assert 'data-tiles-max-zoom="6"' in page.content.decode()

    tile = client_as("alice").get("/map/tiles/?z=0&x=0&y=0")
    assert tile.status_code == 200 and tile["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(tile.content)).size == (256, 256)
    assert "private" in tile["Cache-Control"]
    assert client_as("alice").get("/map/tiles/?z=6&x=0&y=0").status_code == 404  # outside the extract
    assert client_as("alice").get("/map/tiles/?z=9&x=0&y=0").status_code == 404  # deeper than the file
    assert client_as("alice").get("/map/tiles/?z=2&x=9&y=0").status_code == 404  # no such tile at any zoom
    assert client_as("alice").get("/map/tiles/?z=1&x=%C2%B2&y=0").status_code == 404  # not a number
    assert client_as("alice").get("/map/tiles/?z=-1&x=0&y=0").status_code == 404
    anonymous = client.get("/map/tiles/?z=0&x=0&y=0")
    assert anonymous.status_code in (302, 403, 404) and anonymous.get("Content-Type") != "image/png"


@pytest.mark.django_db
def test_item2_gzipped_raster_tiles_are_sent_as_images(
    personas: Personas, client_as: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MAP_TILES = str(make_pmtiles(tmp_path / "gz.pmtiles", gzip_tiles=True))
    tile = client_as("alice").get("/map/tiles/?z=1&x=0&y=1")
    assert tile.status_code == 200
    assert Image.open(io.BytesIO(tile.content)).format == "PNG"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["missing", "vector", "garbage"])
def test_item2_an_unusable_file_keeps_the_outlines_and_check_says_why(
    personas: Personas, client_as: Any, settings: Any, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / f"{kind}.pmtiles"
    if kind == "vector":
        make_pmtiles(path, tile_type=TileType.MVT)
    elif kind == "garbage":
        path.write_bytes(b"PMTiles? no" * 3)
    settings.MAP_TILES = str(path)
    incident = make_incident(personas.north)
    page = client_as("alice").get(reverse("incidents:incident", args=[incident.code]))
    assert "data-tiles" not in page.content.decode()
    assert client_as("alice").get("/map/tiles/?z=0&x=0&y=0").status_code == 404
    found = [m for m in checks.run_checks() if m.id == "amparo.W030"]
    assert len(found) == 1
    assert {"missing": "cannot read", "vector": "MVT", "garbage": "not a PMTiles"}[kind] in found[0].msg


@pytest.mark.django_db
def test_item2_no_warning_for_a_usable_file_or_a_url(settings: Any, tmp_path: Path) -> None:
    settings.MAP_TILES = str(make_pmtiles(tmp_path / "ok.pmtiles"))
    assert not [m for m in checks.run_checks() if m.id == "amparo.W030"]
    settings.MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert not [m for m in checks.run_checks() if m.id == "amparo.W030"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_item2_the_staff_map_draws_tiles_from_the_local_file(
    live_server: Any, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.MAP_TILES = str(make_pmtiles(tmp_path / "valle.pmtiles"))
    incident = make_incident(personas.north, latitude=34.1066, longitude=-117.3703)
    base = str(live_server)
    with browser() as context:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 800})
        problems = watch_problems(page)
        sign_in(context, base, personas["alice"])
        page.goto(f"{base}/incidents/{incident.code}/?lang=en")
        page.wait_for_selector("#incident-map img.leaflet-tile-loaded", timeout=20_000)
        loaded = page.locator("#incident-map img.leaflet-tile-loaded")
        assert loaded.count() >= 1
        assert "/map/tiles/" in (loaded.first.get_attribute("src") or "")
        assert not problems, problems
