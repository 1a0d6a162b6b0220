"""Pages of legal follow-up: providers, referrals and their answers, representation, cases, hearings, bond."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.access import acting_user, require, require_membership
from amparo.accounts.models import Membership
from amparo.legal import actions
from amparo.legal.access import get_case_for_user, get_provider_for_user, get_referral_for_user, provider_of
from amparo.legal.forms import (
    AnswerForm,
    BondForm,
    CaseForm,
    HearingForm,
    PartnerLinkForm,
    ProviderForm,
    ReferralForm,
    RepresentationForm,
)
from amparo.legal.models import LegalServiceProvider, Referral
from amparo.legal.vocab import ReferralOutcome
from amparo.people.access import facilities_for, get_person_for_user
from amparo.people.actions import record_view

FINAL_ANSWER = gettext_lazy(
    "This referral has been answered already, and an answer is final. To ask the provider again, make a new referral."
)


def _providers(membership: Membership) -> Any:
    return LegalServiceProvider.objects.filter(network=membership.network, active=True)


def _form_page(request: HttpRequest, form: Any, title: str, back: str, status_ok: int = 200) -> HttpResponse:
    context = {"form": form, "title": title, "back": back}
    return render(request, "legal/form.html", context, status=400 if form.errors else status_ok)


def providers(request: HttpRequest) -> HttpResponse:
    membership = require(request, "legal.view")
    rows = LegalServiceProvider.objects.filter(network=membership.network).prefetch_related(
        "facilities_served"
    )
    context = {
        "providers": rows,
        "can_edit": membership.can("providers.edit"),
        "mine": provider_of(membership),
    }
    return render(request, "legal/providers.html", context)


def provider_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    membership = require(request, "providers.edit")
    provider = get_provider_for_user(request, code, write=True) if code else None
    form = ProviderForm(request.POST or None, instance=provider, facilities=facilities_for(membership))
    link_form = PartnerLinkForm(
        members=Membership.objects.filter(network=membership.network, role="legal_partner").select_related(
            "user"
        )
    )
    if request.method == "POST" and form.is_valid():
        actions.do_save_provider(acting_user(request), membership.network, provider, form)
        messages.success(request, _("Saved."))
        return redirect("legal:providers")
    context = {"form": form, "provider": provider, "link_form": link_form}
    return render(request, "legal/provider_form.html", context, status=400 if form.errors else 200)


def provider_link(request: HttpRequest, code: str) -> HttpResponse:
    """Link a legal partner's membership to this provider (they then see its accepted referrals)."""
    membership = require(request, "providers.edit")
    provider = get_provider_for_user(request, code, write=True)
    members = Membership.objects.filter(network=membership.network, role="legal_partner")
    form = PartnerLinkForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        actions.do_link_partner(acting_user(request), form.cleaned_data["membership"], provider)
        messages.success(request, _("Saved."))
        return redirect("legal:providers")
    return _form_page(
        request, form, _("Link a legal partner to %(name)s") % {"name": provider.name}, "legal:providers"
    )


def referral_new(request: HttpRequest, case_code: str) -> HttpResponse:
    person = get_person_for_user(request, case_code, write="people.edit")
    membership = require(request, "legal.edit")
    form = ReferralForm(request.POST or None, providers=_providers(membership))
    if request.method == "POST" and form.is_valid():
        actions.do_refer(
            acting_user(request), person, form.cleaned_data["provider"], form.cleaned_data["follow_up_due"]
        )
        messages.success(request, _("Referral recorded."))
        return redirect("people:detail", case_code=person.case_code)
    return render(
        request,
        "legal/person_form.html",
        {"form": form, "person": person, "title": _("Refer to a lawyer")},
        status=400 if form.errors else 200,
    )


def referrals(request: HttpRequest) -> HttpResponse:
    """Referrals waiting for an answer. A legal partner sees those to their provider by case code only: the
    person's identity opens to them once they accept."""
    membership = require(request, "legal.view")
    rows = Referral.objects.filter(network=membership.network).select_related(
        "person", "provider", "person__current_facility"
    )
    if membership.can("people.referred"):
        provider = provider_of(membership)
        rows = rows.filter(provider=provider) if provider else rows.none()
    pending = rows.filter(outcome=ReferralOutcome.PENDING)
    return render(
        request,
        "legal/referrals.html",
        {"pending": pending, "answered": rows.exclude(outcome=ReferralOutcome.PENDING)[:50]},
    )


def referral_answer(request: HttpRequest, code: str) -> HttpResponse:
    """Record a provider's answer once. An answered referral shows its answer and takes no other (409)."""
    referral = get_referral_for_user(request, code)
    form = AnswerForm(request.POST or None)
    final = referral.outcome != ReferralOutcome.PENDING
    if request.method == "POST" and not final and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_answer_referral(
                acting_user(request), referral, d["outcome"], status=d["status"], attorney=d["attorney"]
            )
        except actions.ReferralAnswered:
            referral.refresh_from_db()
            final = True
        else:
            messages.success(request, _("Answer recorded."))
            membership = require_membership(request)
            if membership.can("people.view") or d["outcome"] == ReferralOutcome.ACCEPTED:
                return redirect("people:detail", case_code=referral.person.case_code)
            return redirect("legal:referrals")
    context = {"form": form, "referral": referral, "final": final, "final_message": FINAL_ANSWER}
    status = (409 if final else 400) if request.method == "POST" else 200
    return render(request, "legal/answer.html", context, status=status)


def representation_new(request: HttpRequest, case_code: str) -> HttpResponse:
    person = get_person_for_user(request, case_code, write="legal.edit")
    membership = require_membership(request)
    form = RepresentationForm(request.POST or None, providers=_providers(membership))
    if request.method == "POST" and form.is_valid():
        actions.do_record_representation(acting_user(request), person, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=person.case_code)
    return render(
        request,
        "legal/person_form.html",
        {"form": form, "person": person, "title": _("Record representation")},
        status=400 if form.errors else 200,
    )


def case_new(request: HttpRequest, case_code: str) -> HttpResponse:
    person = get_person_for_user(request, case_code, write="legal.edit")
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_save_case(acting_user(request), person, None, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=person.case_code)
    return render(
        request,
        "legal/person_form.html",
        {"form": form, "person": person, "title": _("Add a legal case")},
        status=400 if form.errors else 200,
    )


def case_edit(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for_user(request, code, write=True)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        actions.do_save_case(acting_user(request), case.person, case, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=case.person.case_code)
    record_view(acting_user(request), case.person, "legal_case")
    return render(
        request,
        "legal/person_form.html",
        {"form": form, "person": case.person, "title": _("Edit the legal case")},
        status=400 if form.errors else 200,
    )


def hearing_new(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for_user(request, code, write=True)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_add_hearing(acting_user(request), case, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=case.person.case_code)
    return render(
        request,
        "legal/person_form.html",
        {"form": form, "person": case.person, "title": _("Add a hearing")},
        status=400 if form.errors else 200,
    )


def bond_new(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for_user(request, code, write=True)
    form = BondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        obligor = data.pop("obligor", "")
        actions.do_add_bond(acting_user(request), case, data, obligor)
        messages.success(request, _("Saved."))
        return redirect("people:detail", case_code=case.person.case_code)
    return render(
        request,
        "legal/person_form.html",
        {"form": form, "person": case.person, "title": _("Add a bond record")},
        status=400 if form.errors else 200,
    )
