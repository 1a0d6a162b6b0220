"""``{% redaction_panel item %}``: on an evidence page, the way to a redacted copy for publication, or why not."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.redaction import rules
from amparo.redaction.models import Redaction

register = template.Library()


@register.inclusion_tag("redaction/panel.html", takes_context=True)
def redaction_panel(context: Any, item: Any) -> dict[str, Any]:
    membership = context.get("membership")
    if membership is None or item.kind not in rules.VISUAL or item.deleted_at is not None:
        return {"show": False}
    redactions = list(Redaction.objects.filter(original=item).order_by("-proposed_at")[:5])
    copy_of = Redaction.objects.filter(copy_item=item).first() if item.source == "redaction" else None
    decision = rules.may_propose(item, membership)
    return {
        "show": True,
        "item": item,
        "redactions": redactions,
        "copy_of": copy_of,
        "can_propose": decision.allowed,
        "why_not": "" if decision.allowed or decision.reason == "no_role" else decision.explanation,
        "csrf_token": context.get("csrf_token"),
    }
