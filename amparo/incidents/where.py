"""Where a verifier should go: the place in words, the coordinates and plain links to a map.

The links are plain ``<a href>`` (no script, no tile server): ``geo:lat,lon`` opens the phone's own map app, and an
OpenStreetMap link works in any browser with a connection. The place in words comes from the incident (place name,
address, city, county, state) or, for a dispatch to a report, from what the witness wrote.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote


def place(*, words: str, latitude: float | None, longitude: float | None) -> dict[str, Any]:
    has_point = latitude is not None and longitude is not None
    out: dict[str, Any] = {"words": words, "has_point": has_point}
    if has_point:
        lat, lon = f"{latitude:.6f}", f"{longitude:.6f}"
        label = quote(words[:100]) if words else ""
        out.update(
            lat=lat,
            lon=lon,
            geo=f"geo:{lat},{lon}?q={lat},{lon}" + (f"({label})" if label else ""),
            osm=f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}",
        )
    return out


def incident_place(incident: Any) -> dict[str, Any]:
    parts = [incident.place_name, incident.address, incident.locality, incident.admin2, incident.admin1]
    return place(
        words=", ".join(p for p in parts if p), latitude=incident.latitude, longitude=incident.longitude
    )


def dispatch_place(dispatch: Any) -> dict[str, Any]:
    """The incident's place if it has one, else the report's (what the witness wrote and where they were)."""
    incident = dispatch.incident or (dispatch.report.incident if dispatch.report is not None else None)
    if incident is not None:
        found = incident_place(incident)
        if found["words"] or found["has_point"]:
            return found
    report = dispatch.report
    if report is not None:
        return place(words=report.place_text, latitude=report.latitude, longitude=report.longitude)
    return place(words="", latitude=None, longitude=None)


def map_tiles() -> str:
    """The staff map's tile URL template (AMPARO_MAP_TILES), or "" for the built-in outlines.

    A ``{z}/{x}/{y}`` template of an ``https://``/``http://`` server or a path on this site is used as given. A path to
    a local ``.pmtiles`` file of raster tiles is served by Amparo itself at ``/map/tiles/?z={z}&x={x}&y={y}``
    (amparo/incidents/tiles.py); a file Amparo cannot serve (missing, vector tiles) keeps the outlines and
    ``amparo check`` says why (amparo.W030). A ``.pmtiles`` URL is not read by the browser (that needs a JavaScript
    library Amparo does not ship).
    """
    from django.conf import settings
    from django.urls import reverse

    from amparo.incidents import tiles

    value = str(getattr(settings, "MAP_TILES", "") or "").strip()
    if tiles.is_local(value):
        if tiles.check(value):
            return ""
        return reverse("incidents:map_tile") + "?z={z}&x={x}&y={y}"
    usable = value.startswith(("https://", "http://", "/")) and "{z}" in value and "{x}" in value
    return value if usable and not value.split("?")[0].endswith(".pmtiles") else ""


def map_tiles_max_zoom() -> int | None:
    """The deepest zoom of a local PMTiles file (the map enlarges it beyond), or None for a tile server."""
    from django.conf import settings

    from amparo.incidents import tiles

    value = str(getattr(settings, "MAP_TILES", "") or "").strip()
    return tiles.max_zoom(value) if tiles.is_local(value) else None


def allow_tiles(response: Any, template: str) -> Any:
    """Let this page load images from the tile server's origin (the CSP allows only this site otherwise)."""
    from amparo.middleware import CSP

    if template.startswith(("https://", "http://")):
        origin = "/".join(template.split("/")[:3])
        response["Content-Security-Policy"] = CSP.replace("img-src 'self'", f"img-src 'self' {origin}")
    return response
