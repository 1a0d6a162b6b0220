from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.access import capability_required, require_membership
from amparo.audit.models import AuditEvent


@capability_required("audit.view")
def events(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    rows = AuditEvent.objects.filter(network=membership.network).select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        rows = rows.filter(action__startswith=action)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(network=membership.network)
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )
    return render(request, "audit/events.html", {"page": page, "action": action, "actions": actions})
