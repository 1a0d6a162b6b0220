"""The vocabulary filters, built into every template (settings.TEMPLATES builtins): no ``{% load %}`` needed.

{{ incident.level|label:"level" }}        one code
{{ report.claimed_agencies|labels:"agency" }}   a list (or comma-separated string) of codes
{{ event.detail|audit_detail }}           an audit event's detail as words
"""

from __future__ import annotations

from typing import Any

from django import template

from amparo import vocab

register = template.Library()


@register.filter(name="label")
def label(code: Any, kind: str) -> str:
    return vocab.label(kind, code)


@register.filter(name="labels")
def labels(codes: Any, kind: str) -> str:
    return vocab.labels(kind, codes or [])


@register.filter(name="audit_detail")
def audit_detail(detail: Any) -> str:
    return vocab.audit_detail(detail or {})


@register.filter(name="extract_reason")
def extract_reason(text: Any) -> str:
    return vocab.reason(str(text or ""))
