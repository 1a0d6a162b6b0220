from __future__ import annotations

from typing import Any

from django import template

from amparo.incidents.vocab import Labels

register = template.Library()


@register.simple_tag(takes_context=True)
def term(context: template.Context, vocabulary: str, code: str) -> str:
    """The label of a vocabulary code, from the page's ``labels`` (one query per page, not per row)."""
    labels: Labels | None = context.get("labels")
    if labels is None or not code:
        return code or ""
    return labels(vocabulary, code)


@register.simple_tag(takes_context=True)
def terms(context: template.Context, vocabulary: str, codes: list[str]) -> str:
    labels: Labels | None = context.get("labels")
    return ", ".join(labels(vocabulary, c) if labels else c for c in codes or [])


@register.filter
def level_class(level: Any) -> str:
    """A badge colour for a verification level."""
    if level in ("confirmed", "confirmed_after_fact", "corroborated"):
        return "ok"
    if level in ("false_alarm", "disputed", "retracted"):
        return "danger"
    if level in ("pending", "reported"):
        return "warn"
    return ""


@register.filter
def pick(mapping: dict[str, str] | None, key: Any) -> str:
    """``{{ names|pick:row.status }}``: a label from a dict made once per page (cheaper than get_FOO_display)."""
    if not mapping:
        return str(key or "")
    return mapping.get(key, str(key or ""))


@register.filter
def clip(text: Any, length: int) -> str:
    """A cheap truncatechars for list pages (Django's Truncator is costly fifty times a page)."""
    s = str(text or "")
    return s if len(s) <= length else s[: max(0, length - 1)].rstrip() + "…"
