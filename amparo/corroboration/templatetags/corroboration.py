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
