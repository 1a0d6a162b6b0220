"""Facts proposed from a report's text (amparo.extract), set beside what the report and its incident already say.

Suggest, never decide: nothing here changes a record except :func:`apply_proposal`, which a person triggers with one
click per field (a POST), and which is atomic and audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo import vocab
from amparo.audit.actions import record
from amparo.incidents import codes
from amparo.incidents.models import Report

# extract field -> the report field it fills; fields not listed here are shown, never applied
LABELS: dict[str, Any] = {
    "claimed_time": gettext_lazy("Date of the event"),
    "place_text": gettext_lazy("Place"),
    "location_type": gettext_lazy("Location type"),
    "claimed_agencies": gettext_lazy("Agencies"),
    "people_taken_count": gettext_lazy("People taken"),
    "force": gettext_lazy("Force or weapons mentioned"),
    "media_mentioned": gettext_lazy("Video or photos mentioned"),
    "official_claims": gettext_lazy("What officials said"),
}
APPLICABLE = ("claimed_time", "place_text", "location_type", "claimed_agencies", "people_taken_count")
_AGENCIES = dict(codes.AGENCIES)
PLACE_TEXT_MAX = 300  # Report.place_text max_length


@dataclass
class FactProposal:
    """One proposed value for one report field, with the text it came from and what the records say now."""

    field: str
    value: Any  # what apply_proposal would store (JSON-able)
    shown: str
    spans: list[tuple[int, int]]
    reason: str
    confidence: float
    current: str = ""  # what the report says now ("" when empty)
    incident: str = ""  # what the linked incident says ("" when unknown or no incident)
    applicable: bool = True  # False: same as the report already, or not a report field
    conflicts: bool = False  # the incident says something else

    @property
    def label(self) -> str:
        return str(LABELS.get(self.field, self.field))


@dataclass
class Proposals:
    language: str
    items: list[FactProposal] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def get(self, name: str) -> FactProposal | None:
        return next((p for p in self.items if p.field == name), None)


def _published(report: Report) -> date:
    return (report.published_at or report.received_at).astimezone(UTC).date()


def _language(report: Report) -> str | None:
    lang = (report.language or "")[:2].lower()
    return lang if lang in ("en", "es", "de") else None


def _agencies(values: list[str]) -> str:
    return vocab.labels("agency", values)


def _location(code: str) -> str:
    return vocab.label("location_type", code)


def proposals_for(report: Report) -> Proposals:
    """Every fact the text states, each compared with the report and its incident. Reads only."""
    from amparo.extract import extract

    if not report.text.strip():
        return Proposals(language=report.language or "")
    found = extract(report.text, published=_published(report), lang=_language(report))
    incident = report.incident if report.incident_id else None
    out = Proposals(language=found.language)

    def add(name: str, value: Any, shown: str, parts: list[Any], current: str, inc: str = "") -> None:
        spans = [p.span for p in parts]
        proposal = FactProposal(
            field=name,
            value=value,
            shown=shown,
            spans=spans,
            reason="; ".join(p.reason for p in parts),
            confidence=min(p.confidence for p in parts),
            current=current,
            incident=inc,
            applicable=name in APPLICABLE and shown != current,
            conflicts=bool(inc) and inc != shown,
        )
        out.items.append(proposal)
        out.spans.extend(spans)

    if "date" in found:
        day = found["date"].value
        current = report.claimed_time.astimezone(UTC).date().isoformat() if report.claimed_time else ""
        inc = incident.start_at.astimezone(UTC).date().isoformat() if incident and incident.start_at else ""
        add("claimed_time", day.isoformat(), day.isoformat(), [found["date"]], current, inc)
    place_parts = [found[k] for k in ("place_name", "city", "state") if k in found]
    if place_parts:
        shown = ", ".join(str(p.value) for p in place_parts)
        inc = ", ".join(x for x in (incident.locality, incident.admin1) if x) if incident else ""
        add("place_text", shown, shown, place_parts, report.place_text, "")
        if inc and "city" in found and str(found["city"].value).lower() not in inc.lower():
            out.items[-1].incident, out.items[-1].conflicts = inc, True
        elif inc:
            out.items[-1].incident = inc
    if "location_type" in found:
        code = found["location_type"].value
        current = _location(report.location_type) if report.location_type else ""
        inc = _location(incident.location_type) if incident and incident.location_type != "unknown" else ""
        add("location_type", code, _location(code), [found["location_type"]], current, inc)
    if "agencies" in found:
        known = [a for a in found["agencies"].value if a in _AGENCIES]
        if known:
            parts = list(found["agencies"].parts) or [found["agencies"]]
            current = _agencies(sorted(report.claimed_agencies or []))
            inc = _agencies(sorted(incident.agencies.values_list("agency", flat=True))) if incident else ""
            add("claimed_agencies", sorted(known), _agencies(sorted(known)), parts, current, inc)
    if "people_taken" in found:
        n = int(found["people_taken"].value)
        current = "" if report.people_taken_count is None else str(report.people_taken_count)
        inc = ""
        if incident and incident.people_detained_low is not None:
            low, high = incident.people_detained_low, incident.people_detained_high
            inc = str(low) if high in (None, low) else f"{low}-{high}"
        add("people_taken_count", n, str(n), [found["people_taken"]], current, inc)
    for name in ("force", "media_mentioned"):
        if name in found:
            add(name, True, _("yes"), [found[name]], "")
    if "official_claims" in found:
        claims = found["official_claims"]
        parts = list(claims.parts) or [claims]
        add("official_claims", [str(v) for v in claims.value], " / ".join(p.text for p in parts), parts, "")
    return out


def marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into ``(piece, is_marked)`` segments so a template can wrap the spans in <mark> (escaped)."""
    cuts: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if cuts and start <= cuts[-1][1]:
            cuts[-1] = (cuts[-1][0], max(cuts[-1][1], end))
        else:
            cuts.append((start, end))
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in cuts:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


class ProposalGone(ValueError):
    """The text no longer proposes that field, or the report already says it."""


@transaction.atomic
def apply_proposal(report: Report, field_name: str, actor: Any) -> Report:
    """Set one report field to the value its text proposes (a person's click). Atomic and audited."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    proposal = proposals_for(report).get(field_name)
    if proposal is None or not proposal.applicable:
        raise ProposalGone(field_name)
    fields = [field_name]
    value: Any = proposal.value
    if field_name == "claimed_time":
        day = date.fromisoformat(value)
        value = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        report.time_precision = codes.Precision.REGION
        fields.append("time_precision")
    elif field_name == "place_text":
        value = str(value)[:PLACE_TEXT_MAX]
    setattr(report, field_name, value)
    report.save(update_fields=fields)
    record(actor, report.network, "report.apply_proposal", report, field=field_name, source="extract")
    return report
