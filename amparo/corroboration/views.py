"""Corroboration pages: facts proposed from a report's text and similar incidents; same footage across evidence.

Staff only; every row through amparo.access (another network's record answers 404, a role without the
capability 403). Nothing is applied without a person's POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.access import acting_user, get_for_member, require, require_membership
from amparo.audit.actions import record
from amparo.corroboration import footage, panels
from amparo.corroboration.proposals import ProposalGone, apply_proposal
from amparo.evidence.models import EvidenceItem
from amparo.incidents.access import get_report_for_user

MAX_PAIRS_SHOWN = 12
FRAME_SIDE = 240


def _item(request: HttpRequest, code: Any) -> EvidenceItem:
    return get_for_member(
        request, EvidenceItem.objects.select_related("network"), read="evidence.view", code=code
    )


@require_GET
def report_view(request: HttpRequest, code: Any) -> HttpResponse:
    report = get_report_for_user(request, code)
    membership = require(request, "incidents.view")
    panel = panels.report_panel(report, membership)
    return render(request, "corroboration/report.html", {"report": report, "corr_panel": panel})


@require_POST
def report_apply(request: HttpRequest, code: Any) -> HttpResponse:
    """Apply one proposed fact to the report: one click, one field."""
    report = get_report_for_user(request, code)
    membership = require_membership(request)
    if not (membership.can("reports.triage") or membership.can("incidents.edit")):
        raise PermissionDenied("reports.triage")
    field = request.POST.get("field", "")
    try:
        apply_proposal(report, field, acting_user(request))
    except ProposalGone:
        messages.error(request, _("That suggestion no longer applies."))
    else:
        messages.success(request, _("Suggestion applied."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("corroboration:report", code=report.code)


@require_GET
def evidence_matches(request: HttpRequest, code: Any) -> HttpResponse:
    """Items of the network showing the same footage, side by side with the matched frames and distances."""
    item = _item(request, code)
    found = footage.match_item(item)
    others = {
        str(o.code): o
        for o in EvidenceItem.objects.filter(network=item.network, code__in=[f["id"] for f in found])
    }
    rows = []
    for match in found:
        other = others.get(match["id"])
        if other is None:
            continue
        pairs = match["pairs"][:MAX_PAIRS_SHOWN]
        rows.append(
            {
                "item": other,
                "match": match,
                "pairs": [
                    {**p, "query_ms": int(p["query_second"] * 1000), "item_ms": int(p["item_second"] * 1000)}
                    for p in pairs
                ],
            }
        )
    record(acting_user(request), item.network, "evidence.matches_viewed", item, matches=len(rows))
    return render(request, "corroboration/evidence_matches.html", {"item": item, "rows": rows})


@require_GET
def evidence_frame(request: HttpRequest, code: Any, ms: int) -> HttpResponse:
    """One frame of an item (or the picture itself) as a small JPEG: private, audited, never cached."""
    item = _item(request, code)
    if item.probe_error or item.kind not in ("image", "video") or ms > footage.MAX_VIDEO_SECONDS * 1000:
        raise Http404
    from amparo.evidence import store
    from amparo.media.derive import frame
    from amparo.media.sandbox import MediaError

    try:
        with store.as_local_file(item.sha256) as path:
            jpeg = frame(path, item.kind, ms / 1000, FRAME_SIDE)
    except (store.StoreError, OSError, MediaError) as exc:
        raise Http404 from exc
    record(acting_user(request), item.network, "evidence.frame_viewed", item, second=round(ms / 1000, 3))
    response = HttpResponse(jpeg, content_type="image/jpeg")
    response["Cache-Control"] = "no-store, private"
    return response
