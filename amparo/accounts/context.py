"""Template context: the current membership and the navigation its role may use."""

from __future__ import annotations

import importlib
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from amparo.access import get_membership
from amparo.accounts import factors

NAV_APPS = ["intake", "incidents", "evidence", "people", "legal", "public", "audit", "accounts"]


def _nav_entries() -> list[tuple[str, str, str]]:
    entries: list[tuple[str, str, str]] = []
    for app in NAV_APPS:
        try:
            module = importlib.import_module(f"amparo.{app}.nav")
        except ModuleNotFoundError:
            continue
        entries.extend(module.NAV)
    return entries


def membership(request: HttpRequest) -> dict[str, Any]:
    member = get_membership(request) if hasattr(request, "user") else None
    if member is not None and factors.needs_second_factor(request):
        member = None  # nothing of the network shows until the second step is done
    nav = []
    if member is not None:
        for label, url_name, capability in _nav_entries():
            if not member.can(capability):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            nav.append({"label": label, "url": url, "active": request.path.startswith(url)})
    other = []
    if member is not None and not factors.is_bound(
        request
    ):  # a link's session does not learn of other networks
        other = list(member.user.memberships.exclude(pk=member.pk).select_related("network"))
    return {"membership": member, "nav": nav, "other_memberships": other}
