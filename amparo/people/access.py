"""The only door to people, their tasks and the facility directory (see amparo.access).

Caseworkers and coordinators see every person of their network. A legal partner sees only the people referred to
their provider whose referral was accepted; for anyone else a person answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from amparo.access import get_for_member, require_membership
from amparo.accounts.models import Membership
from amparo.people.models import Facility, IncidentSubject, Person, Task


def visible_people(membership: Membership) -> QuerySet[Person]:
    """The people this member may see at all (before the read/write capability check)."""
    people = Person.objects.filter(network=membership.network)
    if membership.can("people.view"):
        return people
    if membership.can("people.referred"):
        provider_id = getattr(getattr(membership, "provider_link", None), "provider_id", None)
        if provider_id is None:
            return people.none()
        return people.filter(referrals__provider_id=provider_id, referrals__outcome="accepted").distinct()
    return people


def _read_capability(membership: Membership) -> str:
    return "people.referred" if membership.can("people.referred") else "people.view"


def get_person_for_user(request: HttpRequest, case_code: Any, *, write: str | None = None) -> Person:
    """A person of the member's network: 404 if absent, another network's or not referred to this legal partner;
    403 if the role may not read (or write, with ``write``)."""
    membership = require_membership(request)
    queryset = visible_people(membership).select_related("network", "current_facility")
    return get_for_member(
        request, queryset, read=_read_capability(membership), write=write, case_code=str(case_code).upper()
    )


def get_task_for_user(request: HttpRequest, code: Any) -> Task:
    membership = require_membership(request)
    task = get_for_member(request, Task.objects.select_related("person"), read="tasks.view", code=code)
    hidden = task.person is not None and not visible_people(membership).filter(pk=task.person.pk).exists()
    if hidden and task.owner_id != membership.pk:
        raise Http404
    return task


def facilities_for(membership: Membership) -> QuerySet[Facility]:
    """The shared directory and the sites this network added for itself."""
    return Facility.objects.filter(Q(network=None) | Q(network=membership.network))


def get_facility_for_user(request: HttpRequest, code: Any, *, write: bool = False) -> Facility:
    membership = require_membership(request)
    try:
        facility = facilities_for(membership).get(code=code)
    except (Facility.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not membership.can("facilities.view") or (write and not membership.can("facilities.edit")):
        raise PermissionDenied("facilities.edit" if write else "facilities.view")
    return facility


def subjects_for_incident(membership: Membership, incident: Any) -> QuerySet[IncidentSubject]:
    """The people linked to an incident that this member may see (for the incident page: case codes and roles only;
    link to ``people:detail``). Members who may not see people get none."""
    if not (membership.can("people.view") or membership.can("people.referred")):
        return IncidentSubject.objects.none()
    return (
        IncidentSubject.objects.filter(
            incident=incident, network=membership.network, person__in=visible_people(membership)
        )
        .select_related("person")
        .order_by("created_at")
    )
