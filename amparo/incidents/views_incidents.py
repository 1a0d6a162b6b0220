"""Incidents: the list, one incident's page (timeline, map, evidence), editing, the verification log, search."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.access import acting_user, capability_required, require_membership
from amparo.incidents import actions, codes, queries, search
from amparo.incidents import evidence as evidence_rows
from amparo.incidents.access import get_incident_for_user
from amparo.incidents.forms import (
    AgencyFormSet,
    DispatchForm,
    IncidentForm,
    SourceForm,
    VerificationForm,
)
from amparo.incidents.models import Dispatch, Incident, Report, VerificationEvent
from amparo.incidents.views import str_choices
from amparo.incidents.vocab import Labels
from amparo.incidents.where import allow_tiles, incident_place, map_tiles, map_tiles_max_zoom


@capability_required("incidents.view")
def incidents(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    f = {k: request.GET.get(k, "").strip() for k in ("level", "type", "location", "publish", "q")}
    rows = Incident.objects.filter(network=membership.network)
    if f["level"] in codes.Level.values:
        rows = rows.filter(verification_level=f["level"])
    if f["type"]:
        rows = rows.filter(incident_type=f["type"])
    if f["location"]:
        rows = rows.filter(location_type=f["location"])
    if f["publish"] in codes.PublishStatus.values:
        rows = rows.filter(publish_status=f["publish"])
    if f["q"]:
        rows = search.search(rows, f["q"], membership.network_id)
    page = queries.keyset_page(rows, "start_at", request.GET.get("after", ""))
    labels = Labels.for_network(membership.network_id)
    levels, publish = str_choices(codes.Level), str_choices(codes.PublishStatus)
    return render(
        request,
        "incidents/incidents.html",
        {
            "page": page,
            "f": f,
            "query": {k: v for k, v in f.items() if v},
            "labels": labels,
            "levels": levels,
            "publish_statuses": publish,
            "level_names": dict(levels),
            "publish_names": dict(publish),
            "types": [(c, labels("incident_type", c)) for c, _l in codes.INCIDENT_TYPES],
            "locations": [(c, labels("location_type", c)) for c, *_r in codes.LOCATION_TYPES],
            "can_edit": membership.can("incidents.edit"),
        },
    )


def _incident_initial(incident: Incident) -> dict[str, Any]:
    return {name: getattr(incident, name) for name in actions.INCIDENT_FIELDS}


def _agency_rows(formset: Any) -> list[tuple[str, str, str]]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        if data.get("agency"):
            rows.append((data["agency"], data["role"], data["basis"]))
    return rows


@capability_required("incidents.edit")
def incident_new(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    nid = membership.network_id
    initial = {"start_at": timezone.now(), "time_precision": 2, "geo_precision": 2, "publish_status": "draft"}
    form = IncidentForm(request.POST or None, network_id=nid, initial=initial)
    agencies = AgencyFormSet(request.POST or None, prefix="ag", form_kwargs={"network_id": nid})
    if request.method == "POST" and form.is_valid() and agencies.is_valid():
        incident = actions.do_create_incident(
            membership.network, acting_user(request), form.cleaned_data, _agency_rows(agencies)
        )
        messages.success(request, _("Incident created."))
        return redirect("incidents:incident", code=incident.code)
    return render(
        request, "incidents/incident_form.html", {"form": form, "agencies": agencies, "incident": None}
    )


def incident_edit(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_incident_for_user(request, code, write="incidents.edit")
    nid = incident.network_id
    form = IncidentForm(request.POST or None, network_id=nid, initial=_incident_initial(incident))
    initial_agencies = [
        {"agency": a.agency, "role": a.role, "basis": a.basis} for a in incident.agencies.all()
    ]
    agencies = AgencyFormSet(
        request.POST or None, prefix="ag", initial=initial_agencies, form_kwargs={"network_id": nid}
    )
    if request.method == "POST" and form.is_valid() and agencies.is_valid():
        actions.do_update_incident(incident, acting_user(request), form.cleaned_data, _agency_rows(agencies))
        messages.success(request, _("Incident saved."))
        return redirect("incidents:incident", code=incident.code)
    return render(
        request, "incidents/incident_form.html", {"form": form, "agencies": agencies, "incident": incident}
    )


def _timeline(
    reports: list[Report], dispatches: list[Dispatch], events: list[Any], evidence: list[dict[str, Any]]
) -> list[Any]:
    items: list[dict[str, Any]] = []
    for r in reports:
        items.append({"at": r.received_at, "kind": "report", "obj": r})
    for d in dispatches:
        items.append({"at": d.requested_at, "kind": "dispatch", "obj": d})
        if d.arrived_at:
            items.append({"at": d.arrived_at, "kind": "arrival", "obj": d})
        if d.closed_at:
            items.append({"at": d.closed_at, "kind": "outcome", "obj": d})
    for e in events:
        items.append({"at": e.at, "kind": "verification", "obj": e})
    for ev in evidence:
        items.append({"at": ev["received_at"], "kind": "evidence", "obj": ev})
    items.sort(key=lambda i: i["at"])
    return items


@capability_required("incidents.view")
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_incident_for_user(request, code)
    membership = require_membership(request)
    reports = list(incident.reports.order_by("received_at"))
    dispatches = list(
        Dispatch.objects.filter(incident=incident).select_related("responder__user").order_by("requested_at")
    )
    events = list(
        VerificationEvent.objects.filter(incident=incident).select_related("actor").order_by("at", "id")
    )
    evidence = evidence_rows.for_incident(incident)
    tiles = map_tiles()
    context = {
        "incident": incident,
        "labels": Labels.for_network(incident.network_id),
        "agencies": list(incident.agencies.all()),
        "sources": list(incident.sources.all()),
        "reports": reports,
        "events": events,
        "dispatches": dispatches,
        "evidence": evidence,
        "timeline": _timeline(reports, dispatches, events, evidence),
        "can_edit": membership.can("incidents.edit"),
        "can_verify": membership.can("incidents.verify"),
        "can_dispatch": membership.can("dispatch.manage"),
        "verify_form": VerificationForm(),
        "dispatch_form": DispatchForm(network_id=incident.network_id),
        "source_form": SourceForm(),
        "has_point": incident.latitude is not None and incident.longitude is not None,
        "where": incident_place(incident),
        "map_tiles": tiles,
        "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "map_tiles_max_zoom": map_tiles_max_zoom(),
    }
    return allow_tiles(render(request, "incidents/incident.html", context), tiles)


@require_POST
def incident_verify(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_incident_for_user(request, code, write="incidents.verify")
    form = VerificationForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_verification_event(incident, require_membership(request), **form.cleaned_data)
        except actions.ActionError:
            messages.error(request, _("That verification step was refused."))
        else:
            messages.success(request, _("Verification recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("incidents:incident", code=incident.code)


@require_POST
def incident_source(request: HttpRequest, code: str) -> HttpResponse:
    incident = get_incident_for_user(request, code, write="incidents.edit")
    form = SourceForm(request.POST)
    if form.is_valid():
        actions.do_add_source(incident, acting_user(request), **form.cleaned_data)
        messages.success(request, _("Source added."))
    else:
        # Say what is wrong (a title that starts like a spreadsheet formula, a bad address), in the user's language.
        problems = " ".join(str(m) for errors in form.errors.values() for m in errors)
        messages.error(request, f"{_('Please check the source.')} {problems}".strip())
    return redirect("incidents:incident", code=incident.code)


@capability_required("evidence.view")
def incident_compare(request: HttpRequest, code: str) -> HttpResponse:
    """Two pieces of the incident's evidence side by side (chosen with ?a=<code>&b=<code>)."""
    incident = get_incident_for_user(request, code)
    evidence = evidence_rows.for_incident(incident)
    by_code = {str(e["code"]): e for e in evidence}
    a = by_code.get(request.GET.get("a", "")) or (evidence[0] if evidence else None)
    b = by_code.get(request.GET.get("b", "")) or (evidence[1] if len(evidence) > 1 else None)
    return render(
        request, "incidents/compare.html", {"incident": incident, "evidence": evidence, "a": a, "b": b}
    )


@capability_required("incidents.view")
def search_view(request: HttpRequest) -> HttpResponse:
    """Full-text search over the network's incidents and reports (50 newest of each)."""
    membership = require_membership(request)
    q = request.GET.get("q", "").strip()[:200]
    found_incidents: list[Incident] = []
    found_reports: list[Report] = []
    if search.terms(q):
        found_incidents = list(
            search.search(
                Incident.objects.filter(network=membership.network), q, membership.network_id
            ).order_by("-start_at", "-id")[:50]
        )
        if membership.can("reports.view"):
            found_reports = list(
                search.search(
                    Report.objects.filter(network=membership.network), q, membership.network_id
                ).order_by("-received_at", "-id")[:50]
            )
    return render(
        request,
        "incidents/search.html",
        {
            "q": q,
            "found_incidents": found_incidents,
            "found_reports": found_reports,
            "labels": Labels.for_network(membership.network_id),
        },
    )


def map_tile(request: HttpRequest) -> HttpResponse:
    """One raster tile of the local PMTiles file (AMPARO_MAP_TILES), for signed-in members only: which tiles staff look
    at says where incidents are, so they are not served to the public and not cached by shared caches."""
    from django.http import Http404

    from amparo.incidents import tiles

    require_membership(request)
    try:
        z, x, y = (int(request.GET.get(k, "")) for k in ("z", "x", "y"))
    except ValueError as exc:
        raise Http404 from exc
    path = str(settings.MAP_TILES or "").strip()
    if not tiles.is_local(path):
        raise Http404
    try:
        found = tiles.tile(path, z, x, y)
    except tiles.TilesUnusable as exc:
        raise Http404 from exc
    if found is None:
        raise Http404
    data, content_type = found
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
