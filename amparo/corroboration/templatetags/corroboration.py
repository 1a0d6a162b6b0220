"""``{% load corroboration %}``: the panels the incidents pages include (see includes/report_panel.html)."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.corroboration import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def report_corroboration(context: template.Context, report: Any) -> panels.ReportPanel:
    return panels.report_panel(report, context.get("membership"))


@register.simple_tag
def incident_corroboration(incident: Any) -> panels.IncidentPanel:
    return panels.incident_panel(incident)


@register.filter
def clock(seconds: Any) -> str:
    """Seconds into a video as ``m:ss`` (``h:mm:ss`` past an hour), the way players show a position."""
    try:
        total = max(0, int(float(seconds)))
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
