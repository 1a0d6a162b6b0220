"""Records of Red Norte for tests, and the URL of one of each for tests/test_urls.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import Network
from amparo.incidents import actions
from amparo.incidents.models import Dispatch, Incident, Report, Term
from amparo.testing import Personas


def make_report(network: Network, **fields: Any) -> Report:
    defaults: dict[str, Any] = {
        "channel": "hotline_voice",
        "text": "Three unmarked SUVs and agents in vests at the corner of 5th and Main, two men taken.",
        "place_text": "5th and Main, outside the bakery",
        "claimed_time": timezone.now() - timedelta(minutes=20),
        "location_type": "street_public",
        "agents_count_low": 4,
        "agents_count_high": 6,
        "claimed_agencies": ["ICE_ERO"],
        "people_taken_count": 2,
        "latitude": 41.8781,
        "longitude": -87.6298,
    }
    defaults.update(fields)
    return Report.objects.create(network=network, **defaults)


def make_incident(network: Network, **fields: Any) -> Incident:
    defaults: dict[str, Any] = {
        "title": "Arrests at 5th and Main",
        "start_at": timezone.now() - timedelta(hours=1),
        "location_type": "street_public",
        "incident_type": "targeted_arrest",
        "locality": "Chicago",
        "admin2": "Cook",
        "admin1": "IL",
        "latitude": 41.8781,
        "longitude": -87.6298,
    }
    defaults.update(fields)
    incident = Incident(network=network, **defaults)
    incident.save()
    return incident


def make_dispatch(p: Personas, **fields: Any) -> Dispatch:
    report = fields.pop("report", None) or make_report(p.north)
    return actions.do_create_dispatch(p.user("alice"), p["vera"], report=report, **fields)


def make_term(network: Network, code: str = "") -> Term:
    return Term.objects.create(
        network=network,
        vocabulary="location_type",
        code=code or f"laundromat-{uuid.uuid4().hex[:8]}",
        label_en="Laundromat",
        label_es="Lavandería",
        label_de="Waschsalon",
    )


OBJECT_URLS: dict[str, Callable[[Personas], str]] = {
    "incidents:report": lambda p: reverse("incidents:report", args=[make_report(p.north).code]),
    **{
        name: (lambda n: lambda p: reverse(n, args=[make_report(p.north).code]))(name)
        for name in (
            "incidents:report_triage",
            "incidents:report_link",
            "incidents:report_unlink",
            "incidents:report_create_incident",
            "incidents:report_dispatch",
            "incidents:report_message",
        )
    },
    **{
        name: (lambda n: lambda p: reverse(n, args=[make_incident(p.north).code]))(name)
        for name in (
            "incidents:incident",
            "incidents:incident_edit",
            "incidents:incident_verify",
            "incidents:incident_source",
            "incidents:incident_compare",
            "incidents:incident_dispatch",
        )
    },
    "incidents:dispatch": lambda p: reverse("incidents:dispatch", args=[make_dispatch(p).code]),
    "incidents:dispatch_respond": lambda p: reverse(
        "incidents:dispatch_respond", args=[make_dispatch(p).code]
    ),
    "incidents:term_edit": lambda p: reverse(
        "incidents:term_edit", args=["location_type", make_term(p.north).code]
    ),
}
