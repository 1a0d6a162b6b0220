"""Corroboration helpers: facts proposed from a report's text, similar incidents, and the evidence of reports.

Suggest, never decide: proposals are shown with the text they came from and applied one field at a time by a person;
similar incidents are listed with the reasons they look alike.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.models import User
from amparo.audit.actions import record
from amparo.incidents import codes
from amparo.incidents.models import Incident, Report

FIELD_LABELS = {
    "claimed_time": gettext_lazy("When"),
    "place_text": gettext_lazy("Place"),
    "location_type": gettext_lazy("Location type"),
    "claimed_agencies": gettext_lazy("Agencies claimed"),
    "people_taken_count": gettext_lazy("People taken"),
}
SIMILAR_WINDOW = timedelta(days=2)
SIMILAR_CANDIDATES = 300
NEAR_METRES = 2000


# ---- proposals from text --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportProposal:
    field: str  # the report field it would set
    value: Any
    shown: str
    quote: str
    reason: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


def _extract(report: Report) -> Any:
    try:
        from amparo.extract import extract
    except ImportError:  # the extraction library is optional for the desk
        return {}
    published = (report.published_at or report.received_at).date()
    lang = report.language if report.language in ("en", "es", "de") else None
    try:
        return extract(report.text, published=published, lang=lang)
    except ValueError:
        return {}


def proposals(report: Report) -> list[ReportProposal]:
    """What the report's text states that its fields do not yet say."""
    if not report.text.strip():
        return []
    found = _extract(report)
    out: list[ReportProposal] = []

    def add(name: str, key: str, value: Any, shown: str) -> None:
        p = found[key]
        out.append(ReportProposal(name, value, shown, p.text, p.reason))

    if "date" in found:
        day = found["date"].value
        when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        if report.claimed_time is None or report.claimed_time.date() != day:
            add("claimed_time", "date", when.isoformat(), day.isoformat())
    place = found.get("place_name") or found.get("city")
    if place is not None and not report.place_text:
        key = "place_name" if "place_name" in found else "city"
        add("place_text", key, str(place.value), str(place.value))
    if "location_type" in found and found["location_type"].value != report.location_type:
        add("location_type", "location_type", found["location_type"].value, found["location_type"].value)
    if "agencies" in found:
        agencies = [a for a in found["agencies"].value if a in dict(codes.AGENCIES)]
        if agencies and sorted(agencies) != sorted(report.claimed_agencies or []):
            add("claimed_agencies", "agencies", agencies, ", ".join(agencies))
    if "people_taken" in found and found["people_taken"].value != report.people_taken_count:
        add(
            "people_taken_count",
            "people_taken",
            int(found["people_taken"].value),
            str(found["people_taken"].value),
        )
    return out


@transaction.atomic
def do_apply_proposal(report: Report, proposal: ReportProposal, actor: User) -> Report:
    value = proposal.value
    fields = [proposal.field]
    if proposal.field == "claimed_time":
        value = datetime.fromisoformat(value)
        report.time_precision = codes.Precision.REGION
        fields.append("time_precision")
    setattr(report, proposal.field, value)
    report.save(update_fields=fields)
    record(actor, report.network, "report.apply_suggestion", report, field=proposal.field)
    return report


# ---- similar incidents ----------------------------------------------------------------------------------------


@dataclass
class Similar:
    incident: Incident
    score: float
    reasons: list[str] = field(default_factory=list)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def similar_incidents(report: Report, limit: int = 5) -> list[Similar]:
    """Incidents of the same network near in time, with why each looks like the same event."""
    when = report.claimed_time or report.received_at
    candidates = Incident.objects.filter(
        network_id=report.network_id, start_at__gte=when - SIMILAR_WINDOW, start_at__lte=when + SIMILAR_WINDOW
    ).order_by("-start_at")[:SIMILAR_CANDIDATES]
    report_words = words(f"{report.text} {report.place_text}")
    out: list[Similar] = []
    for incident in candidates:
        s = Similar(incident, 0.0)
        hours = abs((incident.start_at - when).total_seconds()) / 3600 if incident.start_at else 99
        if hours <= 6:
            s.score += 1.0
            s.reasons.append(_("%(h).0f h apart") % {"h": hours})
        if None not in (report.latitude, report.longitude, incident.latitude, incident.longitude):
            d = distance_m(report.latitude, report.longitude, incident.latitude, incident.longitude)  # type: ignore[arg-type]  # checked above
            if d <= NEAR_METRES:
                s.score += 1.5
                s.reasons.append(_("%(m).0f m apart") % {"m": d})
        if report.location_type and report.location_type == incident.location_type:
            s.score += 0.5
            s.reasons.append(_("same location type"))
        inc_words = words(f"{incident.title} {incident.place_name} {incident.locality}")
        if report_words and inc_words:
            overlap = len(report_words & inc_words) / len(report_words | inc_words)
            if overlap >= 0.1:
                s.score += 2 * overlap
                s.reasons.append(_("%(p).0f%% words in common") % {"p": overlap * 100})
        if s.score >= 1.0 and len(s.reasons) >= 2:
            out.append(s)
    out.sort(key=lambda s: -s.score)
    return out[:limit]


# ---- evidence of reports --------------------------------------------------------------------------------------


def optional_url(name: str, code: Any) -> str:
    """The URL of another part's page for this code, or "" when that part is not installed."""
    return _url(name, code)


def _url(name: str, code: Any) -> str:
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        return ""


def evidence_for_reports(reports: list[Report]) -> list[dict[str, Any]]:
    """The evidence items submitted with these reports, with thumbnail and page links where the evidence app has them."""
    try:
        from amparo.evidence.models import EvidenceItem
    except ImportError:
        return []
    ids = [r.pk for r in reports]
    if not ids:
        return []
    items = EvidenceItem.objects.filter(report_id__in=ids).order_by("received_at")
    return [_evidence_row(item) for item in items]


def evidence_for_incident(incident: Incident) -> list[dict[str, Any]]:
    try:
        from amparo.evidence.models import EvidenceItem
    except ImportError:
        return []
    items = (
        EvidenceItem.objects.filter(report__incident=incident)
        .select_related("report")
        .order_by("received_at")
    )
    return [_evidence_row(item) for item in items]


def _evidence_row(item: Any) -> dict[str, Any]:
    from amparo.evidence import derived

    return {
        "code": item.code,
        "kind": item.kind,
        "sha": item.sha256[:12],
        "received_at": item.received_at,
        "report_code": getattr(item.report, "code", None) if item.report_id else None,
        "url": _url("evidence:detail", item.code),
        **derived.urls(item),  # "thumb" and "view": derived copies, never the original
    }
