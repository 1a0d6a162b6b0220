"""Open data: the public rows as CSV, GeoJSON, JSON and an ACLED-style CSV, streamed with flat memory.

Every generator reads ``PublicIncident`` rows with ``values_list(...).iterator(chunk_size=...)`` and yields text a chunk
at a time, so memory does not grow with the number of incidents. Columns are listed once, in ``DICTIONARY``, which the
data page shows as the data dictionary.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from amparo import csvsafe
from amparo.public.coarsen import band_low
from amparo.public.labels import Labels
from amparo.public.models import AggregateCount, PublicBuild, PublicIncident

CHUNK = 2000
LIST_FIELDS = {"tactics", "agencies", "agencies_claimed"}

# (column, type, description): the data dictionary, in column order.
DICTIONARY: list[tuple[str, str, Any]] = [
    ("public_id", "text", _("Random identifier of the public record; not linked to any internal record.")),
    ("date", "date", _("First day of the period in which the incident happened (see date_precision).")),
    (
        "date_precision",
        "day | week | month",
        _("How precise the date is. Residences are never published by day."),
    ),
    ("geo_level", "city | county | state | none", _("What the point and place names stand for.")),
    ("admin1", "text", _("State, as a two-letter postal code.")),
    ("admin1_name", "text", _("State name.")),
    ("admin2", "text", _("County (or parish, borough), when geo_level is city or county.")),
    ("fips", "text", _("Five-digit county FIPS code, when known.")),
    ("locality", "text", _("City, only when geo_level is city (never for residences).")),
    (
        "latitude",
        "number",
        _("Latitude of the city point or of the county or state centroid; never the incident's own point."),
    ),
    ("longitude", "number", _("Longitude of the same shared point.")),
    ("location_type", "code", _("Kind of place (vocabulary location_type).")),
    (
        "sensitive_2011",
        "true | false",
        _("Kind of place listed as a sensitive location in the 2011 ICE memo."),
    ),
    ("protected_2021", "true | false", _("Kind of place listed as a protected area in the 2021 DHS memo.")),
    ("courthouse_2021", "true | false", _("Courthouse covered by the 2021 ICE/CBP courthouse memo.")),
    ("place_label", "text", _("Public description of the place (never for residences).")),
    ("incident_type", "code", _("What happened (vocabulary incident_type).")),
    ("tactics", "codes", _("Tactics observed, separated by ';' in CSV (vocabulary tactic).")),
    ("agencies", "codes", _("Agencies identified as leading or assisting (vocabulary agency).")),
    ("agencies_claimed", "codes", _("Agencies only claimed by a source.")),
    ("operation", "text", _("Named operation, when officials named one.")),
    ("agents", "band", _("Number of agents seen, as a band such as 3-9.")),
    (
        "people_detained",
        "band",
        _("People detained (lowest credible count), as a band; any count under k is 1-(k-1)."),
    ),
    ("us_citizens_detained", "band", _("U.S. citizens detained, as a band (not given for residences).")),
    ("injuries", "band", _("People injured, as a band.")),
    ("fatalities", "band", _("Deaths, as a band.")),
    ("use_of_force", "code", _("Force used (vocabulary use_of_force).")),
    ("warrant_presented", "code", _("Warrant shown, as observed (vocabulary warrant).")),
    ("entry_type", "code", _("How agents entered a home, as observed (vocabulary entry).")),
    (
        "verification_level",
        "corroborated | confirmed | confirmed_after_fact",
        _("How the incident was verified."),
    ),
    ("note", "text", _("Public note written by the network.")),
    ("official_claims", "text", _("What officials said about the incident.")),
    ("evidence_response", "text", _("What the evidence shows in answer to the officials' claims.")),
]
COLUMNS = [name for name, _type, _desc in DICTIONARY]
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
ARREST_TYPES = {
    "targeted_arrest", "attempted_arrest", "vehicle_stop_arrest", "sweep", "worksite_operation", "courthouse_arrest",
    "checkin_arrest", "jail_transfer", "enforcement_against_observers",
}  # fmt: skip
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
GEO_PRECISION = {"city": 1, "county": 2, "state": 3, "none": 3}
NATIONAL = {"national_news", "official_statement", "foia_data"}


def _rows(fields: list[str]) -> Iterator[tuple[Any, ...]]:
    qs = PublicIncident.objects.order_by("-date", "public_id").values_list(*fields)
    yield from qs.iterator(chunk_size=CHUNK)


class _Buffer:
    """A csv writer target that hands back what was written since the last call."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def take(self) -> str:
        out = "".join(self.parts)
        self.parts.clear()
        return out


def _chunked(lines: Iterable[str]) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _cell(name: str, value: Any) -> Any:
    """Lists joined with ';'; everything else goes to csvsafe.cell, which keeps numbers as numbers and neutralises
    text a spreadsheet would run as a formula (L1)."""
    if name in LIST_FIELDS:
        return ";".join(value or [])
    return value


def incidents_csv() -> Iterator[str]:
    buf = _Buffer()
    writer = csvsafe.writer(buf)
    writer.writerow(COLUMNS)
    yield buf.take()

    def lines() -> Iterator[str]:
        for row in _rows(COLUMNS):
            writer.writerow([_cell(n, v) for n, v in zip(COLUMNS, row, strict=True)])
            yield buf.take()

    yield from _chunked(lines())


def _jsonable(row: tuple[Any, ...], fields: list[str]) -> dict[str, Any]:
    return {n: (v.isoformat() if isinstance(v, dt.date) else v) for n, v in zip(fields, row, strict=True)}


def _meta() -> dict[str, Any]:
    build = PublicBuild.objects.first()
    return {
        "source": "Amparo public layer",
        "built_at": build.built_at.isoformat() if build else None,
        "k": build.k if build else None,
        "dictionary": "/public/data/#dictionary",
    }


def incidents_json() -> Iterator[str]:
    fields = [*COLUMNS, "sources"]
    yield '{"meta":' + json.dumps(_meta()) + ',"incidents":[\n'

    def lines() -> Iterator[str]:
        first = True
        for row in _rows(fields):
            yield ("" if first else ",\n") + json.dumps(_jsonable(row, fields), ensure_ascii=False)
            first = False

    yield from _chunked(lines())
    yield "\n]}\n"


def incidents_geojson() -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":[\n'

    def lines() -> Iterator[str]:
        first = True
        for row in _rows(COLUMNS):
            props = _jsonable(row, COLUMNS)
            lat, lon = props.pop("latitude"), props.pop("longitude")
            geometry = (
                {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
            )
            feature = {"type": "Feature", "id": props["public_id"], "geometry": geometry, "properties": props}
            yield ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)
            first = False

    yield from _chunked(lines())
    yield "\n]}\n"


def acled_row(r: dict[str, Any], labels: Labels, timestamp: int) -> list[Any]:
    agencies = labels.many("agency", r["agencies"]) or ["Unidentified federal agents"]
    sources = r["sources"] or []
    arrest = r["incident_type"] in ARREST_TYPES
    return [
        f"USA-{r['public_id']}",
        r["date"].isoformat(),
        r["date"].year,
        TIME_PRECISION.get(r["date_precision"], 3),
        "Strategic developments",
        "Strategic developments",
        "Arrests" if arrest else "Other",
        agencies[0],
        "; ".join(agencies[1:]),
        1,  # state forces
        "Civilians (United States)",
        "",
        7,  # civilians
        17,
        "",
        840,
        "North America",
        "United States",
        r["admin1_name"],
        r["admin2"],
        "",
        r["locality"] or r["admin2"] or r["admin1_name"],
        r["latitude"] if r["latitude"] is not None else "",
        r["longitude"] if r["longitude"] is not None else "",
        GEO_PRECISION.get(r["geo_level"], 3),
        "; ".join(s.get("title") or labels.of("source_type", s.get("type", "")) for s in sources),
        "; ".join(sorted({"National" if s.get("type") in NATIONAL else "Subnational" for s in sources})),
        " ".join(
            x
            for x in (
                f"{labels.of('incident_type', r['incident_type'])} at a place of type "
                f"{labels.of('location_type', r['location_type']).lower()}.",
                r["note"],
            )
            if x
        ),
        band_low(r["fatalities"]) or 0,
        "; ".join(labels.many("tactic", r["tactics"])),
        timestamp,
    ]


def acled_csv() -> Iterator[str]:
    fields = [
        "public_id", "date", "date_precision", "incident_type", "location_type", "agencies", "admin1_name",
        "admin2", "locality", "latitude", "longitude", "geo_level", "sources", "note", "fatalities", "tactics",
    ]  # fmt: skip
    labels = Labels("en")
    build = PublicBuild.objects.first()
    timestamp = int(build.built_at.timestamp()) if build else 0
    buf = _Buffer()
    writer = csvsafe.writer(buf)
    writer.writerow(ACLED_COLUMNS)
    yield buf.take()

    def lines() -> Iterator[str]:
        for row in _rows(fields):
            writer.writerow(acled_row(dict(zip(fields, row, strict=True)), labels, timestamp))
            yield buf.take()

    yield from _chunked(lines())


AGGREGATE_DIMENSIONS = ("month", "state", "location_type", "incident_type", "tactic", "agency", "cell")
AGGREGATE_COLUMNS = [
    "dimension",
    "key",
    "month",
    "admin1",
    "admin2",
    "location_type",
    "incident_type",
    "count",
]


def aggregates_csv() -> Iterator[str]:
    """Every published count in one long table: first each dimension alone (by month, state, kind of place, type,
    tactic, agency: the numbers of the charts and the table by state, most of them large enough to show), then the
    month x state x county x kind of place x type cube, whose cells are nearly all below k in a small network.

    All of them count the published rows only (the rows of incidents.csv), so no sum or difference of them says
    anything about an incident that was held back; a cell below k says ``suppressed`` everywhere."""
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(AGGREGATE_COLUMNS)
    order = {d: i for i, d in enumerate(AGGREGATE_DIMENSIONS)}
    rows = sorted(
        AggregateCount.objects.values_list(
            "dimension", "key", "month", "admin1", "admin2", "location_type", "incident_type", "count"
        ),
        key=lambda a: (order.get(a[0], len(order)), a[1:7]),
    )
    for a in rows:
        writer.writerow([*a[:7], "suppressed" if a[7] is None else a[7]])
        if out.tell() > 1 << 16:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


DOWNLOADS: dict[str, tuple[str, str, Any]] = {
    # name: (content type, file name, generator)
    "incidents.csv": ("text/csv; charset=utf-8", "amparo-incidents.csv", incidents_csv),
    "incidents.json": ("application/json", "amparo-incidents.json", incidents_json),
    "incidents.geojson": ("application/geo+json", "amparo-incidents.geojson", incidents_geojson),
    "incidents-acled.csv": ("text/csv; charset=utf-8", "amparo-incidents-acled.csv", acled_csv),
    "aggregates.csv": ("text/csv; charset=utf-8", "amparo-aggregates.csv", aggregates_csv),
}
