"""The only door to sensitive rows.

Views never call ``Model.objects.get`` on network data; they call ``get_for_member``, or a ``get_<noun>_for_user``
helper built on it in a part's own ``access.py`` (amparo/incidents/access.py, amparo/people/access.py, ...). The rules:

- anonymous users never reach a view (LoginRequiredMiddleware);
- a record of another network, or one that does not exist, answers 404 — the two are indistinguishable;
- a member of the record's network whose role lacks the capability answers 403 (read-only members trying to write).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from amparo.accounts.models import Membership, User

SESSION_NETWORK = "amparo_network"
M = TypeVar("M", bound=models.Model)


def acting_user(request: HttpRequest) -> User:
    """The signed-in user (private views only ever run for one)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


def get_membership(request: HttpRequest) -> Membership | None:
    """The membership the signed-in user is acting in (the network chosen in the session, or their first)."""
    cached = getattr(request, "_amparo_membership", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]  # attribute set below on this request
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = (
        Membership.objects.select_related("network", "user").filter(user=user).order_by("created_at")
    )
    chosen = request.session.get(SESSION_NETWORK)
    membership = (memberships.filter(network__code=chosen).first() if chosen else None) or memberships.first()
    request._amparo_membership = membership  # type: ignore[attr-defined]  # per-request cache
    return membership


def require_membership(request: HttpRequest) -> Membership:
    membership = get_membership(request)
    if membership is None:
        raise PermissionDenied("You are not a member of any network.")
    return membership


def require(request: HttpRequest, capability: str) -> Membership:
    """The current membership, if its role has ``capability``; otherwise 403."""
    membership = require_membership(request)
    if not membership.can(capability):
        raise PermissionDenied(capability)
    return membership


def is_instance_admin(user: Any) -> bool:
    """The owner of data shared by every network (the facility directory, review M6): Django's ``is_superuser`` flag.

    Set only from the command line (``amparo createuser --instance-admin``, ``amparo facilities admin USER``), never
    through a page; an instance administrator still acts through a coordinator membership, so a second factor is asked.
    """
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def require_instance_admin(request: HttpRequest, capability: str) -> Membership:
    """Like ``require``, and the user must also be an instance administrator; otherwise 403."""
    membership = require(request, capability)
    if not is_instance_admin(request.user):
        raise PermissionDenied("instance administrator")
    return membership


def capability_required(
    capability: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorator for list and create views: the role must have ``capability``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_for_member(
    request: HttpRequest,
    queryset: models.QuerySet[M],
    *,
    read: str,
    write: str | None = None,
    network_field: str = "network",
    **lookup: Any,
) -> M:
    """Fetch one row of the current network: 404 if absent or another network's, 403 if the role may not."""
    membership = require_membership(request)
    try:
        obj = get_object_or_404(queryset.filter(**{network_field: membership.network}), **lookup)
    except (ValueError, models.ObjectDoesNotExist) as exc:  # a malformed code is "not found", not a crash
        raise Http404 from exc
    if not membership.can(read):
        raise PermissionDenied(read)
    if write is not None and not membership.can(write):
        raise PermissionDenied(write)
    return obj
