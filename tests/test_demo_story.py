"""The demo tells one coherent story (issue 13, review items 3 and 11): Valle in the Inland Empire and Los Angeles,
Northside in Chicago; places, public descriptions, provider areas and photo GPS agree; notes in the network's
language; pictures that are scenes, not noise; a legal partner who sees her clients."""

from __future__ import annotations

import io
import math
import re

import pytest
from PIL import Image

from amparo import demo
from amparo.testing import signed_in_client

VALLE, NORTHSIDE = demo.NETWORKS[0][0], demo.NETWORKS[1][0]
ENGLISH_WORDS = re.compile(r"\b(the|and|agents|was|were|with|at the)\b")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.0
    dx = (lon2 - lon1) * 111.0 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


def _flat_share(jpeg: bytes) -> float:
    """How much of a picture its eight main colours cover: a drawn scene is mostly flat areas (about 0.6), the
    smooth noise the demo used to make covers about 0.2."""
    picture = Image.open(io.BytesIO(jpeg)).convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    counts = sorted((picture.getcolors() or []), reverse=True)
    return sum(n for n, _colour in counts[:8]) / (picture.width * picture.height)


def test_the_flatness_measure_tells_noise_from_a_scene() -> None:
    from datetime import datetime

    from amparo import demo_media
    from amparo.evidence.samples import jpeg_with_gps

    scene = demo_media.photo(
        seed=1, lat=34.1, lon=-117.3, when=datetime(2026, 12, 1, 9), utc_offset="-08:00", sign="X"
    )
    assert _flat_share(scene) > 0.45 > _flat_share(jpeg_with_gps(seed=1, size=(640, 480)))


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_tells_one_story() -> None:
    from amparo.accounts.models import Membership
    from amparo.evidence import store
    from amparo.evidence.models import EvidenceItem
    from amparo.incidents.models import Incident, Report
    from amparo.legal.models import LegalServiceProvider
    from amparo.public.models import PublicIncident

    demo.build(seed=2026)
    states = {VALLE: {"CA"}, NORTHSIDE: {"IL"}}
    for name, allowed in states.items():
        story = demo.STORIES[name]
        incidents = Incident.objects.filter(network__name=name)
        assert incidents.count() > 20
        assert set(incidents.values_list("admin1", flat=True)) == allowed
        assert not incidents.filter(title__icontains="demo incident").exists()
        counties = set(incidents.values_list("admin2", flat=True))
        for provider in LegalServiceProvider.objects.filter(network__name=name):
            served = {c.strip() for c in provider.counties_served.split(",")}
            assert counties <= served, (provider.name, counties - served)
        for incident in incidents.exclude(
            public_label=""
        ):  # the public description names the incident's city
            assert incident.locality in incident.public_label, (incident.public_label, incident.locality)
        if story.language == "es":
            for text in [*incidents.values_list("notes_public", flat=True)]:
                assert not ENGLISH_WORDS.search(text), text
            for text in Report.objects.filter(network__name=name).values_list("text", flat=True):
                assert not ENGLISH_WORDS.search(text), text
        for item in EvidenceItem.objects.filter(
            network__name=name, kind="image"
        ):  # GPS at the report's place
            gps = item.metadata["gps"]
            place = next(p for p in story.places if p.words == item.report.place_text)
            assert _km(float(gps["lat"]), float(gps["lon"]), place.lat, place.lon) < 1.0
            assert _flat_share(store.open_original(item.sha256).read()) > 0.45  # drawn shapes, not noise
    public = set(PublicIncident.objects.values_list("admin1", flat=True))
    assert public <= {"CA", "IL"}
    abogada = Membership.objects.get(user__username="abogada")
    client = signed_in_client(abogada)
    clients = client.get("/people/").content.decode()
    assert len(set(re.findall(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}", clients))) >= 2
    referrals = client.get("/legal/referrals/").content.decode()
    assert re.search(r"P-[0-9A-Z]{4}-[0-9A-Z]{4}", referrals)
