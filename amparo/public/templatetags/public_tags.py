"""``{% purl 'public:charts' %}``: a public URL that keeps the reader's ``?lang=`` choice (public pages set no cookie)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def purl(context: dict[str, Any], name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    params = {k: v for k, v in query.items() if v not in ("", None)}
    lang = context.get("lang_q", "")
    if lang:
        params.setdefault("lang", lang.split("=", 1)[1])
    return f"{url}?{urlencode(params)}" if params else url


@register.simple_tag(takes_context=True)
def lang_url(context: dict[str, Any], code: str) -> str:
    """The current page in another language."""
    request = context["request"]
    params = {k: v for k, v in request.GET.items() if k != "lang"}
    params["lang"] = code
    return f"{request.path}?{urlencode(params)}"


@register.simple_tag
def vocab(labels: Any, vocabulary: str, code: str) -> str:
    """``{% vocab labels "tactic" code %}``: a code's label in the page's language."""
    return str(labels.of(vocabulary, code))
