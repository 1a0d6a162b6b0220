"""Convert the us-atlas TopoJSON (Census cartographic boundaries, 2017) into small GeoJSON files and a centroid table.

Run it by hand when the outlines need refreshing; nothing calls it at run time::

    npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python -m amparo.public.tools.us_atlas package/counties-10m.json

Writes ``amparo/static/vendor/us/states.geojson`` and ``counties.geojson`` (arcs simplified with Douglas-Peucker, shared
borders stay shared because whole arcs are simplified once, coordinates rounded to 3 decimals, about 100 m), and
``amparo/public/data/counties.csv`` / ``states.csv``: FIPS, state, name and an area-weighted centroid computed from the
unsimplified geometry. The public layer places a coarsened incident at those centroids, never at its own point.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from amparo import csvsafe

Point = tuple[float, float]
Ring = list[Point]

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor" / "us"
DATA = ROOT / "public" / "data"

STATE_CODES = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE", "11": "DC",
    "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA", "20": "KS", "21": "KY",
    "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT",
    "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND", "39": "OH",
    "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT",
    "50": "VT", "51": "VA", "53": "WA", "54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP",
    "72": "PR", "78": "VI",
}  # fmt: skip


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Undo TopoJSON's quantisation and delta encoding: every arc as a list of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; the two ends always stay."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = math.hypot(px - x1, py - y1)
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_from(arc_ids: list[int], arcs: list[Ring]) -> Ring:
    ring: Ring = []
    for i in arc_ids:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def polygons_of(geometry: dict[str, Any], arcs: list[Ring]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring_from(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_from(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


def signed_area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def centroid(polygons: list[list[Ring]]) -> Point:
    """Area-weighted centroid of all rings (holes subtract); longitudes shifted across the antimeridian first."""
    xs = [x for poly in polygons for ring in poly for x, _y in ring]
    across = bool(xs) and min(xs) < -90 and max(xs) > 90  # the Aleutians cross the antimeridian
    shifted = [
        [[(x - 360 if across and x > 0 else x, y) for x, y in ring] for ring in poly] for poly in polygons
    ]
    total = cx = cy = 0.0
    for poly in shifted:
        for n, ring in enumerate(poly):
            a = signed_area(ring)
            sign = 1 if n == 0 else -1
            a = abs(a) * sign
            if a == 0:
                continue
            px = sum(x for x, _y in ring[:-1]) / max(1, len(ring) - 1)
            py = sum(y for _x, y in ring[:-1]) / max(1, len(ring) - 1)
            rx, ry = ring_centroid(ring, (px, py))
            total += a
            cx += rx * a
            cy += ry * a
    if total == 0:
        x, y = shifted[0][0][0]
    else:
        x, y = cx / total, cy / total
    return (x + 360 if x < -180 else x, y)


def ring_centroid(ring: Ring, fallback: Point) -> Point:
    a = signed_area(ring)
    if a == 0:
        return fallback
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring))
    return cx / (6 * a), cy / (6 * a)


def _rounded_polygons(
    geometry: dict[str, Any], arcs: list[Ring], digits: int
) -> list[list[list[list[float]]]]:
    polys = []
    for poly in polygons_of(geometry, arcs):
        rings = []
        for ring in poly:
            rounded: Ring = []
            for x, y in ring:
                p = (round(x, digits), round(y, digits))
                if not rounded or rounded[-1] != p:
                    rounded.append(p)
            if len(rounded) >= 4:
                rings.append([list(p) for p in rounded])
        if rings:
            polys.append(rings)
    return polys


def feature_collection(
    geometries: list[dict[str, Any]], arcs: list[Ring], full: list[Ring], props: Any, digits: int
) -> dict[str, Any]:
    features = []
    for g in geometries:
        # a shape too small to survive simplification keeps its original outline
        polys = _rounded_polygons(g, arcs, digits) or _rounded_polygons(g, full, digits + 1)
        if not polys:
            continue
        geometry = {"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1 else None
        geometry = geometry or {"type": "MultiPolygon", "coordinates": polys}
        features.append({"type": "Feature", "id": g["id"], "properties": props(g), "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def write_json(path: Path, data: dict[str, Any]) -> int:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def convert(source: Path, *, tolerance_states: float, tolerance_counties: float) -> list[str]:
    topology = json.loads(source.read_text(encoding="utf-8"))
    full = decode_arcs(topology)
    states = topology["objects"]["states"]["geometries"]
    counties = topology["objects"]["counties"]["geometries"]
    state_names = {g["id"]: g["properties"]["name"] for g in states}
    VENDOR.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    lines = []

    for name, geometries, tolerance, props in (
        (
            "states",
            states,
            tolerance_states,
            lambda g: {"name": g["properties"]["name"], "code": STATE_CODES.get(g["id"], "")},
        ),
        ("counties", counties, tolerance_counties, lambda g: {"name": g["properties"]["name"]}),
    ):
        simplified = [simplify(arc, tolerance) for arc in full]
        size = write_json(
            VENDOR / f"{name}.geojson", feature_collection(geometries, simplified, full, props, 3)
        )
        lines.append(f"{name}.geojson: {len(geometries)} shapes, {size / 1024:.0f} KiB")

    with (DATA / "states.csv").open("w", encoding="utf-8", newline="") as f:
        w = csvsafe.writer(f)
        w.writerow(["fips", "state", "name", "lat", "lon"])
        for g in sorted(states, key=lambda g: g["id"]):
            x, y = centroid(polygons_of(g, full))
            w.writerow(
                [
                    g["id"],
                    STATE_CODES.get(g["id"], ""),
                    g["properties"]["name"],
                    Decimal(f"{y:.3f}"),
                    Decimal(f"{x:.3f}"),
                ]
            )
    with (DATA / "counties.csv").open("w", encoding="utf-8", newline="") as f:
        w = csvsafe.writer(f)
        w.writerow(["fips", "state", "name", "lat", "lon"])
        for g in sorted(counties, key=lambda g: g["id"]):
            x, y = centroid(polygons_of(g, full))
            state = STATE_CODES.get(g["id"][:2], "")
            w.writerow([g["id"], state, g["properties"]["name"], Decimal(f"{y:.3f}"), Decimal(f"{x:.3f}")])
    lines.append(f"centroids: {len(state_names)} states and territories, {len(counties)} counties")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="counties-10m.json from the us-atlas npm package")
    parser.add_argument("--tolerance-states", type=float, default=0.01, help="degrees")
    parser.add_argument("--tolerance-counties", type=float, default=0.015, help="degrees")
    args = parser.parse_args(argv)
    for line in convert(
        args.source, tolerance_states=args.tolerance_states, tolerance_counties=args.tolerance_counties
    ):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
