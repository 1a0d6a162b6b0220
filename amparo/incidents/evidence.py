"""The evidence of reports and incidents as the desk's pages show it: derived copies and links, never the original."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from amparo.evidence import derived
from amparo.evidence.models import EvidenceItem
from amparo.incidents.models import Incident, Report


def for_reports(reports: list[Report]) -> list[dict[str, Any]]:
    """The evidence items submitted with these reports, oldest first."""
    return _rows(EvidenceItem.objects.filter(report_id__in=[r.pk for r in reports])) if reports else []


def for_incident(incident: Incident) -> list[dict[str, Any]]:
    """The evidence of every report linked to the incident, oldest first."""
    return _rows(EvidenceItem.objects.filter(report__incident=incident))


def _rows(items: QuerySet[EvidenceItem]) -> list[dict[str, Any]]:
    return [_row(item) for item in items.select_related("report").order_by("received_at")]


def _row(item: EvidenceItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "kind": item.kind,
        "sha": item.sha256[:12],
        "received_at": item.received_at,
        "report_code": item.report.code if item.report is not None else None,
        "url": reverse("evidence:detail", args=[item.code]),
        **derived.urls(item),  # "thumb" and "view": derived copies, never the original
    }
