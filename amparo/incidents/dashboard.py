"""Dashboard cards: new reports waiting for triage, open dispatches (mine, for verifiers), incidents to verify."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from amparo.accounts.models import Membership
from amparo.incidents import codes, queries
from amparo.incidents.models import Dispatch, Incident, Report


def cards(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    network = membership.network
    if membership.can("reports.view"):
        new = Report.objects.filter(network=network, status=codes.ReportStatus.NEW)
        critical = queries.capped_count(new.filter(priority=codes.Priority.CRITICAL))
        out.append(
            {
                "title": _("New reports to triage"),
                "count": queries.capped_count(new),
                "url": reverse("incidents:triage"),
                "urgent": critical > 0,
            }
        )
    if membership.can("dispatch.respond"):
        mine = Dispatch.objects.filter(network=network, responder=membership, closed_at=None)
        count = queries.capped_count(mine)
        if count:
            out.append(
                {
                    "title": _("Dispatches waiting for you"),
                    "count": count,
                    "url": reverse("incidents:dispatches") + "?mine=1&open=1",
                    "urgent": True,
                }
            )
    if membership.can("incidents.verify"):
        waiting = Incident.objects.filter(
            network=network, verification_level__in=[codes.Level.REPORTED, codes.Level.PENDING]
        )
        out.append(
            {
                "title": _("Incidents waiting for verification"),
                "count": queries.capped_count(waiting),
                "url": reverse("incidents:incidents") + "?level=reported",
                "urgent": False,
            }
        )
    return out
