"""The only door to reports, incidents, dispatches and a network's own vocabulary terms (see amparo.access)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from amparo.access import get_for_member, require_membership
from amparo.incidents.models import Dispatch, Incident, Report, Term


def get_report_for_user(request: HttpRequest, code: Any, *, write: str | None = None) -> Report:
    qs = Report.objects.select_related("incident", "assigned_to__user", "network")
    return get_for_member(request, qs, read="reports.view", write=write, code=code)


def get_incident_for_user(request: HttpRequest, code: Any, *, write: str | None = None) -> Incident:
    return get_for_member(request, Incident.objects.all(), read="incidents.view", write=write, code=code)


def get_dispatch_for_user(request: HttpRequest, code: Any, *, respond: bool = False) -> Dispatch:
    """A dispatch of the member's network. ``respond``: only its responder (or a dispatcher) may answer it."""
    qs = Dispatch.objects.select_related("responder__user", "report", "incident")
    dispatch = get_for_member(request, qs, read="incidents.view", code=code)
    if respond:
        membership = require_membership(request)
        own = dispatch.responder_id == membership.pk and membership.can("dispatch.respond")
        if not (own or membership.can("dispatch.manage")):
            raise PermissionDenied("dispatch.respond")
    return dispatch


def get_term_for_user(request: HttpRequest, vocabulary: str, code: str, *, write: str | None = None) -> Term:
    """A network's own term (built-in terms belong to no network and are read-only)."""
    return get_for_member(
        request, Term.objects.all(), read="incidents.view", write=write, vocabulary=vocabulary, code=code
    )
