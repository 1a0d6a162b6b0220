from __future__ import annotations

from django import template

from amparo.legal.vocab import NO_LAWYER, RepresentationStatus

register = template.Library()
LABELS = dict(RepresentationStatus.choices)


@register.filter
def has_lawyer(status: str) -> bool:
    return status not in NO_LAWYER and status != RepresentationStatus.DECLINED


@register.filter
def representation_label(status: str) -> str:
    return str(LABELS.get(status, status))
