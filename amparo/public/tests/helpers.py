"""Making published incidents for the public layer's tests (through the models, as the incidents app stores them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from amparo.accounts.models import Network
from amparo.incidents.models import Incident, IncidentAgency, Source

LONG_AGO = dt.timedelta(days=120)


def make_incident(network: Network, **fields: Any) -> Incident:
    """A public, confirmed incident well past any embargo, in Cook County, Illinois, unless ``fields`` say otherwise."""
    start = fields.pop("start_at", timezone.now() - LONG_AGO)
    agencies = fields.pop("agencies", [("ICE_ERO", "lead")])
    sources = fields.pop("sources", [])
    defaults: dict[str, Any] = {
        "title": "Arrest",
        "start_at": start,
        "admin1": "IL",
        "admin2": "Cook",
        "locality": "Chicago",
        "location_type": "street_public",
        "incident_type": "targeted_arrest",
        "publish_status": "public",
    }
    defaults.update(fields)
    level = defaults.pop("verification_level", "confirmed")
    incident = Incident.objects.create(network=network, **defaults)
    Incident.objects.filter(pk=incident.pk).update(
        verification_level=level
    )  # the level is derived, not editable
    incident.refresh_from_db()
    for agency, role in agencies:
        IncidentAgency.objects.create(incident=incident, agency=agency, role=role)
    for source in sources:
        Source.objects.create(incident=incident, **source)
    return incident


def body(response: Any) -> bytes:
    """The whole body of a test-client response, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)
