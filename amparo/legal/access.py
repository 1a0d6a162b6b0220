"""The only door to referrals, legal cases and providers (see amparo.access and amparo.people.access)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from amparo.access import get_for_member, require_membership
from amparo.accounts.models import Membership
from amparo.legal.models import LegalCase, LegalServiceProvider, Referral
from amparo.people.access import visible_people


def provider_of(membership: Membership) -> LegalServiceProvider | None:
    link = getattr(membership, "provider_link", None)
    return link.provider if link is not None else None


def get_referral_for_user(request: HttpRequest, code: Any) -> Referral:
    """Staff with legal.edit see every referral of their network; a legal partner only those to their provider."""
    membership = require_membership(request)
    referral = get_for_member(
        request,
        Referral.objects.select_related("person", "provider"),
        read="legal.view",
        write="legal.edit",
        code=code,
    )
    if membership.can("people.referred"):
        provider = provider_of(membership)
        if provider is None or referral.provider_id != provider.pk:
            raise Http404
    return referral


def get_case_for_user(request: HttpRequest, code: Any, *, write: bool = False) -> LegalCase:
    membership = require_membership(request)
    case = get_for_member(
        request,
        LegalCase.objects.select_related("person"),
        read="legal.view",
        write="legal.edit" if write else None,
        code=code,
    )
    if not visible_people(membership).filter(pk=case.person_id).exists():
        raise Http404
    return case


def get_provider_for_user(request: HttpRequest, code: Any, *, write: bool = False) -> LegalServiceProvider:
    provider = get_for_member(
        request,
        LegalServiceProvider.objects.all(),
        read="legal.view",
        write="providers.edit" if write else None,
        code=code,
    )
    membership = require_membership(request)
    if membership.can("people.referred") and provider_of(membership) != provider and write:
        raise PermissionDenied("providers.edit")
    return provider
