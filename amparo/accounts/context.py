"""Template context: the current membership and the navigation its role may use."""

from __future__ import annotations

import importlib
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from amparo.access import get_membership
from amparo.accounts import factors

# Each part's nav.py lists (group, label, URL name, capability); the menu shows them by group, in this order.
NAV_APPS = ["incidents", "evidence", "redaction", "intake", "people", "legal", "accounts", "audit", "public"]
NAV_GROUPS = [("desk", _("Desk")), ("people", _("People and cases")), ("network", _("Network"))]


def _nav_entries() -> list[tuple[str, str, str, str]]:
    entries: list[tuple[str, str, str, str]] = []
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
        for group, label, url_name, capability in _nav_entries():
            if not member.can(capability):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            nav.append({"group": group, "label": label, "url": url, "active": request.path.startswith(url)})
    groups = [
        {"label": label, "items": [item for item in nav if item["group"] == key]} for key, label in NAV_GROUPS
    ]
    other = []
    # a session opened by a coordinator's link does not learn of the member's other networks
    if member is not None and not factors.is_bound(request):
        other = list(member.user.memberships.exclude(pk=member.pk).select_related("network"))
    return {
        "membership": member,
        "nav": nav,
        "nav_groups": [g for g in groups if g["items"]],
        "other_memberships": other,
    }
