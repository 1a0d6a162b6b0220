"""Dashboard card for coordinators: how many incidents the public layer shows, and the way to rebuild it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from amparo.accounts.models import Membership
from amparo.public.models import PublicIncident


def cards(request: HttpRequest, membership: Membership) -> list[dict[str, Any]]:
    if not membership.can("public.publish"):
        return []
    return [
        {
            "title": _("Incidents on the public map"),
            "count": PublicIncident.objects.count(),
            "url": reverse("public:manage"),
            "urgent": False,
        }
    ]
