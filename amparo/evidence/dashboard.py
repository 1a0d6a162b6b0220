"""Dashboard card: evidence received in the last week, and files whose metadata could not be read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Membership
from amparo.evidence.models import EvidenceItem


def cards(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    if not membership.can("evidence.view"):
        return []
    week = timezone.now() - timedelta(days=7)
    counts = EvidenceItem.objects.filter(network=membership.network).aggregate(
        recent=Count("pk", filter=Q(received_at__gte=week)), problems=Count("pk", filter=~Q(probe_error=""))
    )
    url = reverse("evidence:list")
    out = [{"title": _("evidence files this week"), "count": counts["recent"], "url": url}]
    if counts["problems"]:
        out.append(
            {
                "title": _("files with unreadable metadata"),
                "count": counts["problems"],
                "url": url + "?problem=yes",
            }
        )
    return out
