"""What the corroboration panels show, computed once per page: for a report (facts, similar incidents) and for an
incident (facts its reports state that it does not, and evidence elsewhere showing the same footage as its own)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from amparo.corroboration.proposals import FactProposal, Proposals, marked, proposals_for
from amparo.corroboration.similar import Candidate, similar_incidents
from amparo.incidents.models import Incident, Report

logger = logging.getLogger("amparo.corroboration")
INCIDENT_REPORTS = 10
INCIDENT_EVIDENCE = 10


@dataclass
class ReportPanel:
    report: Report
    proposals: Proposals
    segments: list[tuple[str, bool]]
    similar: list[Candidate]
    can_apply: bool
    can_link: bool


@dataclass
class IncidentPanel:
    incident: Incident
    reports: list[tuple[Report, list[FactProposal]]] = field(default_factory=list)
    footage: list[dict[str, Any]] = field(default_factory=list)


def _can(membership: Any, *capabilities: str) -> bool:
    return membership is not None and any(membership.can(c) for c in capabilities)


def report_panel(report: Report, membership: Any) -> ReportPanel:
    found = proposals_for(report)
    return ReportPanel(
        report=report,
        proposals=found,
        segments=marked(report.text, found.spans),
        similar=similar_incidents(report),
        can_apply=_can(membership, "reports.triage", "incidents.edit"),
        can_link=_can(membership, "reports.triage"),
    )


def incident_panel(incident: Incident) -> IncidentPanel:
    from amparo.corroboration.footage import match_query, stored_query
    from amparo.evidence.models import EvidenceItem

    panel = IncidentPanel(incident)
    for report in incident.reports.order_by("-received_at")[:INCIDENT_REPORTS]:
        report.incident = incident
        differing = [p for p in proposals_for(report).items if p.conflicts or p.applicable]
        if differing:
            panel.reports.append((report, differing))
    own = list(
        EvidenceItem.objects.filter(report__incident=incident, kind__in=("image", "video"))
        .select_related("network")
        .order_by("received_at")[:INCIDENT_EVIDENCE]
    )
    own_ids = {i.pk for i in own}
    seen: dict[str, dict[str, Any]] = {}
    for item in own:
        query = stored_query(item)
        if query is None:
            continue
        for match in match_query(query, incident.network, exclude=item.pk):
            if match["id"] not in seen or seen[match["id"]]["score"] < match["score"]:
                seen[match["id"]] = {**match, "query_item": str(item.code)}
    if seen:
        others = (
            EvidenceItem.objects.filter(code__in=list(seen)).exclude(pk__in=own_ids).select_related("report")
        )
        for other in others:
            if other.report is not None and other.report.incident_id == incident.pk:
                continue
            row = seen[str(other.code)]
            row["report"] = other.report
            panel.footage.append(row)
    panel.footage.sort(key=lambda r: -r["score"])
    return panel
