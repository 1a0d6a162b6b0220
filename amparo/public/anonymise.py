"""The one path from private incident data to the public layer (DOMAIN.md §5.4).

``rebuild()`` reads incidents that a coordinator marked public, whose verification level is publishable and whose
embargo has passed; turns each into an anonymised row (place coarsened to a shared city, county or state point, counts
in bands, public text scrubbed, no private field at all); generalises residences until every published (place, period)
cell holds at least k of them; and replaces the whole public layer with the result in one transaction. Nothing else in
Amparo reads private data for public output: pages and downloads read only ``amparo.public.models``.

Fields read from an incident are listed in ``INCIDENT_FIELDS``; everything else (title, place name, address, the exact
point's use as a point, private notes, reports, vehicles, people, evidence) is never read here.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.incidents import codes
from amparo.incidents.models import Incident, IncidentAgency, Source
from amparo.public import geo
from amparo.public.coarsen import (
    PERSON_TACTICS,
    Policy,
    Row,
    band,
    embargo_ends,
    generalise,
    is_residential,
    suppress,
)
from amparo.public.models import AggregateCount, PublicBuild, PublicIdentity, PublicIncident
from amparo.public.scrub import coarsen_url, scrub

log = logging.getLogger(__name__)

INCIDENT_FIELDS = [
    "id", "created_at", "start_at", "end_at", "admin1", "admin2", "locality", "latitude", "longitude",
    "location_type", "public_label", "incident_type", "tactics", "operation_name", "agents_count_low",
    "people_detained_low", "us_citizens_detained", "injuries", "fatalities", "use_of_force", "warrant_presented",
    "entry_type", "verification_level", "notes_public", "official_claims", "evidence_response", "embargo_until",
]  # fmt: skip
KNOWN_LOCATION_TYPES = frozenset(code for code, *_rest in codes.LOCATION_TYPES)
KNOWN_TACTICS = frozenset(code for code, _label in codes.TACTICS)
KNOWN_AGENCIES = frozenset(code for code, _label in codes.AGENCIES)
KNOWN_INCIDENT_TYPES = frozenset(code for code, _label in codes.INCIDENT_TYPES)
# Sources whose title and address may be shown; other kinds (witnesses, families, partners, court records that name the
# person, social-media posts that name the poster) appear only as their kind and date.
CITABLE_SOURCES = frozenset({"local_news", "national_news", "official_statement", "foia_data"})
ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
BATCH = 2000


def policy() -> Policy:
    return Policy(
        embargo_hours=int(getattr(settings, "AMPARO_PUBLIC_EMBARGO_HOURS", 24)),
        residence_embargo_hours=int(getattr(settings, "AMPARO_PUBLIC_RESIDENCE_EMBARGO_HOURS", 168)),
        k=max(2, int(getattr(settings, "AMPARO_PUBLIC_K", 3))),
    )


def new_public_id() -> str:
    """Eight random characters (no 0/O/1/I/L/U): about 6.5e11 ids, drawn from the OS, unrelated to any internal id."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(8))


@dataclass(frozen=True, slots=True)
class Place:
    geo_level: str
    admin1: str = ""
    admin1_name: str = ""
    admin2: str = ""
    fips: str = ""
    locality: str = ""
    latitude: float | None = None
    longitude: float | None = None


def coarse_place(
    location_type: str, admin1: str, admin2: str, locality: str, lat: float | None, lon: float | None
) -> Place:
    """The public place of an incident: a city point (not for residences), else its county's centroid, else its
    state's centroid. The incident's own point is used only to find which county it lies in, never as a position."""
    residential = is_residential(location_type, KNOWN_LOCATION_TYPES)
    county = geo.county(admin1, admin2)
    if county is None and lat is not None and lon is not None:
        county = geo.county_at(lat, lon)
    state_code = (admin1 or (county.state if county else "")).upper()
    if county is not None and state_code and county.state != state_code:
        county = None
    state = geo.state(state_code)
    state_name = state.name if state else ""
    if not residential and locality:
        found = geo.city(state_code, locality)
        if found is not None:
            name, clat, clon = found
            return Place(
                "city", state_code, state_name, county.name if county else "", county.fips if county else "",
                name, clat, clon,
            )  # fmt: skip
    if county is not None:
        return Place("county", county.state, state_name, county.name, county.fips, "", county.lat, county.lon)
    if state is not None:
        return Place("state", state.state, state.name, "", "", "", state.lat, state.lon)
    return Place("none")


def _sources(rows: list[dict[str, Any]], residential: bool) -> list[dict[str, str]]:
    """Public sources; for a home only their kinds (a headline, a link or a date would name the day or the family)."""
    out = []
    for s in rows:
        citable = s["source_type"] in CITABLE_SOURCES and not residential
        url = coarsen_url(s["url"]) if citable else ""  # scheme and host only: a slug can name a street
        out.append(
            {
                "type": s["source_type"],
                "title": scrub(s["title"]) if citable else "",
                "url": url,
                "date": s["published_at"].date().isoformat() if s["published_at"] and not residential else "",
            }
        )
    return out


def _related(ids: list[int]) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[dict[str, Any]]]]:
    agencies: dict[int, list[tuple[str, str]]] = {}
    for incident_id, agency, role in IncidentAgency.objects.filter(incident_id__in=ids).values_list(
        "incident_id", "agency", "role"
    ):
        agencies.setdefault(incident_id, []).append((agency, role))
    sources: dict[int, list[dict[str, Any]]] = {}
    for s in (
        Source.objects.filter(incident_id__in=ids, public=True)
        .order_by("published_at", "id")
        .values("incident_id", "source_type", "title", "url", "published_at")
    ):
        sources.setdefault(s["incident_id"], []).append(dict(s))
    return agencies, sources


def eligible(now: dt.datetime, pol: Policy) -> Iterator[tuple[dict[str, Any], bool, bool]]:
    """Every publishable incident as (fields, residential, embargo passed), in batches of BATCH."""
    qs = (
        Incident.objects.filter(
            publish_status=codes.PublishStatus.PUBLIC, verification_level__in=codes.PUBLISHABLE_LEVELS
        )
        .order_by("id")
        .values(*INCIDENT_FIELDS)
    )
    batch: list[dict[str, Any]] = []
    for row in qs.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            yield from _finish(batch, now, pol)
            batch = []
    yield from _finish(batch, now, pol)


def _finish(
    batch: list[dict[str, Any]], now: dt.datetime, pol: Policy
) -> Iterator[tuple[dict[str, Any], bool, bool]]:
    if not batch:
        return
    agencies, sources = _related([r["id"] for r in batch])
    for r in batch:
        r["agencies"] = agencies.get(r["id"], [])
        r["sources"] = sources.get(r["id"], [])
        residential = is_residential(r["location_type"], KNOWN_LOCATION_TYPES)
        event_at = r["end_at"] or r["start_at"] or r["created_at"]
        yield r, residential, embargo_ends(event_at, r["embargo_until"], residential, pol) <= now


def public_row(r: dict[str, Any], residential: bool, pol: Policy) -> tuple[PublicIncident, Row]:
    """The anonymised row of one incident (before generalisation) and what generalisation needs of it."""
    place = coarse_place(
        r["location_type"], r["admin1"], r["admin2"], r["locality"], r["latitude"], r["longitude"]
    )
    when = r["start_at"] or r["created_at"]
    day = timezone.localtime(when, dt.UTC).date()
    location_type = r["location_type"] if r["location_type"] in KNOWN_LOCATION_TYPES else "other"
    s11, p21, c21 = codes.LOCATION_FLAGS.get(location_type, (False, False, False))
    tactics = [t for t in (r["tactics"] or []) if t in KNOWN_TACTICS]
    if residential:
        tactics = [t for t in tactics if t not in PERSON_TACTICS]
    agencies = sorted(
        {a for a, role in r["agencies"] if role != codes.AgencyRole.CLAIMED and a in KNOWN_AGENCIES}
    )
    claimed = sorted(
        {a for a, role in r["agencies"] if role == codes.AgencyRole.CLAIMED and a in KNOWN_AGENCIES}
    )
    row = PublicIncident(
        date=day,
        date_precision="day" if r["start_at"] else "month",
        geo_level=place.geo_level,
        admin1=place.admin1,
        admin1_name=place.admin1_name,
        admin2=place.admin2,
        fips=place.fips,
        locality=place.locality,
        latitude=place.latitude,
        longitude=place.longitude,
        location_type=location_type,
        sensitive_2011=s11,
        protected_2021=p21,
        courthouse_2021=c21,
        place_label="" if residential else scrub(r["public_label"])[:200],
        incident_type=r["incident_type"] if r["incident_type"] in KNOWN_INCIDENT_TYPES else "other",
        tactics=tactics,
        agencies=agencies,
        agencies_claimed=claimed,
        operation=scrub(r["operation_name"])[:200],
        agents=band(r["agents_count_low"], pol.k),
        people_detained=band(r["people_detained_low"], pol.k),
        us_citizens_detained="" if residential else band(r["us_citizens_detained"], pol.k),
        injuries=band(r["injuries"], pol.k),
        fatalities=band(r["fatalities"], pol.k),
        use_of_force=r["use_of_force"] if r["use_of_force"] in codes.UseOfForce.values else "",
        warrant_presented=r["warrant_presented"] if r["warrant_presented"] in codes.Warrant.values else "",
        entry_type=r["entry_type"] if r["entry_type"] in codes.Entry.values else "",
        verification_level=r["verification_level"],
        note=scrub(r["notes_public"], days=residential),
        official_claims=scrub(r["official_claims"], days=residential),
        evidence_response=scrub(r["evidence_response"], days=residential),
        sources=_sources(r["sources"], residential),
    )
    floor = "day" if r["start_at"] else "month"
    return row, Row(day=day, residential=residential, state=place.admin1, county=place.fips, floor=floor)


def _apply(row: PublicIncident, g: Row) -> None:
    """Copy a residence's generalised period and place level onto its public row."""
    if not g.residential:
        return
    row.date, row.date_precision = g.date, g.precision
    if g.level == "state":
        st = geo.state(row.admin1)
        row.geo_level, row.admin2, row.fips, row.locality = ("state" if st else "none"), "", "", ""
        row.latitude, row.longitude = (st.lat, st.lon) if st else (None, None)


def aggregates(rows: list[PublicIncident], residential: list[bool], k: int) -> list[AggregateCount]:
    """Counts for the table by state, the charts and the aggregate download, over the published rows (the same set
    the headline and the map count), with cells below k suppressed. Residences count in the cube at state level
    only."""
    counters: dict[str, Counter[tuple[str, ...]]] = {
        d: Counter() for d in ("month", "location_type", "incident_type", "tactic", "agency", "state", "cell")
    }
    for row, res in zip(rows, residential, strict=True):
        month = row.date.strftime("%Y-%m")
        counters["month"][(month,)] += 1
        counters["location_type"][(row.location_type,)] += 1
        counters["incident_type"][(row.incident_type,)] += 1
        counters["state"][(row.admin1,)] += 1
        for t in row.tactics:
            counters["tactic"][(t,)] += 1
        for a in row.agencies:
            counters["agency"][(a,)] += 1
        county = "" if res else row.admin2
        counters["cell"][(month, row.admin1, county, row.location_type, row.incident_type)] += 1
    out: list[AggregateCount] = []
    for dimension, counter in counters.items():
        for key, n in suppress(counter, k).items():
            if dimension == "cell":
                month, admin1, admin2, lt, it = key
                out.append(
                    AggregateCount(
                        dimension=dimension, month=month, admin1=admin1, admin2=admin2,
                        location_type=lt, incident_type=it, count=n,
                    )
                )  # fmt: skip
            else:
                out.append(AggregateCount(dimension=dimension, key=key[0], count=n))
    return out


def rebuild(now: dt.datetime | None = None) -> PublicBuild:
    """Replace the whole public layer with what may be published now (one transaction)."""
    now = now or timezone.now()
    pol = policy()
    rows: list[PublicIncident] = []
    gens: list[Row] = []
    residential: list[bool] = []
    incident_ids: list[int] = []
    embargoed = 0
    with transaction.atomic():
        for r, res, passed in eligible(now, pol):
            if not passed:
                embargoed += 1
                continue
            row, g = public_row(r, res, pol)
            rows.append(row)
            gens.append(g)
            residential.append(res)
            incident_ids.append(r["id"])
        publish = generalise(gens, pol.k)
        ids = _public_ids([i for i, p in zip(incident_ids, publish, strict=True) if p])
        published: list[PublicIncident] = []
        published_residential: list[bool] = []
        for row, g, incident_id, p, res in zip(rows, gens, incident_ids, publish, residential, strict=True):
            if p:
                _apply(row, g)
                row.public_id = ids[incident_id]
                published.append(row)
                published_residential.append(res)
        # one set behind every public number: the headline, the table by state, the map, the charts and the
        # aggregate download all count the published rows (small cells then shown as "fewer than k" everywhere)
        counts = aggregates(published, published_residential, pol.k)
        PublicIncident.objects.all().delete()
        AggregateCount.objects.all().delete()
        PublicIncident.objects.bulk_create(published, batch_size=BATCH)
        AggregateCount.objects.bulk_create(counts, batch_size=BATCH)
        # redacted copies appear only next to incidents published here (amparo.redaction.publish)
        from amparo.redaction.publish import rebuild_clips

        rebuild_clips(ids)  # only the incidents that passed the embargo and the small-cell rules
        build = PublicBuild.objects.create(
            built_at=now,
            published=len(published),
            embargoed=embargoed,
            suppressed=len(rows) - len(published),
            k=pol.k,
        )
    log.info(
        "public layer rebuilt: %s published, %s embargoed, %s suppressed",
        build.published,
        embargoed,
        build.suppressed,
    )
    return build


def _public_ids(incident_ids: list[int]) -> dict[int, str]:
    """The stable random public id of each incident, created the first time it is published."""
    found: dict[int, str] = {}
    for start in range(0, len(incident_ids), BATCH):
        chunk = incident_ids[start : start + BATCH]
        found.update(
            PublicIdentity.objects.filter(incident_id__in=chunk).values_list("incident_id", "public_id")
        )
    missing = [i for i in incident_ids if i not in found]
    if missing:
        taken = set(PublicIdentity.objects.values_list("public_id", flat=True))
        new: list[PublicIdentity] = []
        for incident_id in missing:
            public_id = new_public_id()
            while public_id in taken:
                public_id = new_public_id()
            taken.add(public_id)
            found[incident_id] = public_id
            new.append(PublicIdentity(incident_id=incident_id, public_id=public_id))
        PublicIdentity.objects.bulk_create(new, batch_size=BATCH)
    return found
