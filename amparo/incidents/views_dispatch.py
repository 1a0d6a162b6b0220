"""Dispatching verifiers and their answers from the scene; a network's vocabulary terms and dispatch gateway."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.access import acting_user, capability_required, require_membership
from amparo.incidents import actions, codes, queries
from amparo.incidents.access import (
    get_dispatch_for_user,
    get_incident_for_user,
    get_report_for_user,
    get_term_for_user,
)
from amparo.incidents.forms import DispatchCloseForm, DispatchForm, GatewayForm, TermForm
from amparo.incidents.models import Dispatch, DispatchGateway, Term
from amparo.incidents.where import dispatch_place


def where(dispatch: Dispatch) -> dict[str, object]:
    return {"where": dispatch_place(dispatch)}


def _dispatch(request: HttpRequest, report_code: str | None, incident_code: str | None) -> HttpResponse:
    report = get_report_for_user(request, report_code, write="dispatch.manage") if report_code else None
    incident = (
        get_incident_for_user(request, incident_code, write="dispatch.manage") if incident_code else None
    )
    membership = require_membership(request)
    form = DispatchForm(request.POST, network_id=membership.network_id)
    back = (
        redirect("incidents:report", code=report.code)
        if report
        else redirect("incidents:incident", code=incident.code)  # type: ignore[union-attr]  # one of the two is set
    )
    if not form.is_valid():
        messages.error(request, _("Choose an available verifier."))
        return back
    dispatch = actions.do_create_dispatch(
        acting_user(request),
        form.cleaned_data["responder"],
        report=report,
        incident=incident,
        safety_notes=form.cleaned_data["safety_notes"],
    )
    messages.success(
        request, _("%(name)s has been dispatched and notified.") % {"name": dispatch.responder.name}
    )
    return back


@require_POST
def report_dispatch(request: HttpRequest, code: str) -> HttpResponse:
    return _dispatch(request, code, None)


@require_POST
def incident_dispatch(request: HttpRequest, code: str) -> HttpResponse:
    return _dispatch(request, None, code)


@capability_required("incidents.view")
def dispatches(request: HttpRequest) -> HttpResponse:
    """Open and recent dispatches; a verifier sees their own first."""
    membership = require_membership(request)
    rows = Dispatch.objects.filter(network=membership.network).select_related("responder__user", "incident")
    mine = request.GET.get("mine", "1" if membership.role == "verifier" else "")
    if mine:
        rows = rows.filter(responder=membership)
    if request.GET.get("open"):
        rows = rows.filter(closed_at=None)
    page = queries.keyset_page(rows, "requested_at", request.GET.get("after", ""))
    return render(
        request,
        "incidents/dispatches.html",
        {"page": page, "mine": mine, "open": request.GET.get("open", "")},
    )


@capability_required("incidents.view")
def dispatch_detail(request: HttpRequest, code: str) -> HttpResponse:
    dispatch = get_dispatch_for_user(request, code)
    membership = require_membership(request)
    may_respond = dispatch.responder_id == membership.pk or membership.can("dispatch.manage")
    may_respond = may_respond and (membership.can("dispatch.respond") or membership.can("dispatch.manage"))
    form = DispatchCloseForm(dispatch=dispatch)
    return render(
        request,
        "incidents/dispatch.html",
        {
            "dispatch": dispatch,
            "may_respond": may_respond and dispatch.closed_at is None,
            "form": form,
            "salute": [(form[k].label, dispatch.salute.get(k, "")) for k in DispatchCloseForm.SALUTE],
            **where(dispatch),
        },
    )


@require_POST
def dispatch_respond(request: HttpRequest, code: str) -> HttpResponse:
    dispatch = get_dispatch_for_user(request, code, respond=True)
    membership = require_membership(request)
    step = request.POST.get("step", "")
    if dispatch.closed_at is not None:
        messages.error(request, _("This dispatch is already closed."))
    elif step == "acknowledge":
        actions.do_acknowledge_dispatch(dispatch, acting_user(request))
        messages.success(request, _("Acknowledged. Thank you."))
    elif step == "arrive":
        actions.do_mark_arrived(dispatch, acting_user(request))
        messages.success(request, _("Arrival recorded."))
    elif step == "close":
        form = DispatchCloseForm(request.POST, dispatch=dispatch)
        if not form.is_valid():
            return render(
                request,
                "incidents/dispatch.html",
                {"dispatch": dispatch, "may_respond": True, "form": form, "salute": [], **where(dispatch)},
                status=400,
            )
        actions.do_close_dispatch(
            dispatch,
            membership,
            outcome=form.cleaned_data["outcome"],
            salute=form.salute(),
            safety_notes=form.cleaned_data["safety_notes"],
            rationale=form.cleaned_data["rationale"],
            not_on_scene=form.cleaned_data["not_on_scene"],
        )
        messages.success(request, _("Outcome recorded."))
    return redirect("incidents:dispatch", code=dispatch.code)


@capability_required("incidents.view")
def vocabularies(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    from django.db.models import Q

    terms = Term.objects.filter(Q(network=None) | Q(network=membership.network)).order_by(
        "vocabulary", "network_id", "id"
    )
    chosen = request.GET.get("v", "")
    if chosen in codes.Vocabulary.values:
        terms = terms.filter(vocabulary=chosen)
    return render(
        request,
        "incidents/vocabularies.html",
        {
            "terms": terms,
            "chosen": chosen,
            "vocabularies": codes.Vocabulary.choices,
            "can_edit": membership.can("vocabularies.edit"),
        },
    )


@capability_required("vocabularies.edit")
def term_new(request: HttpRequest) -> HttpResponse:
    return _term_form(request, None)


def term_edit(request: HttpRequest, vocabulary: str, code: str) -> HttpResponse:
    term = get_term_for_user(request, vocabulary, code, write="vocabularies.edit")
    return _term_form(request, term)


def _term_form(request: HttpRequest, term: Term | None) -> HttpResponse:
    membership = require_membership(request)
    initial = {}
    if term is not None:
        initial = {
            f: getattr(term, f)
            for f in (
                "vocabulary",
                "code",
                "label_en",
                "label_es",
                "label_de",
                "definition",
                "valid_from",
                "valid_to",
            )
        }
        initial.update(term.flags or {})
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if term is not None and (data["vocabulary"], data["code"]) != (term.vocabulary, term.code):
            form.add_error("code", _("The code of a term cannot change; add a new term instead."))
        else:
            try:
                actions.do_save_term(
                    membership.network,
                    acting_user(request),
                    vocabulary=data["vocabulary"],
                    code=data["code"],
                    label_en=data["label_en"],
                    label_es=data["label_es"],
                    label_de=data["label_de"],
                    definition=data["definition"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    flags=form.flags(),
                )
            except actions.ActionError:
                form.add_error("code", _("That code is built in; choose another."))
            else:
                messages.success(request, _("Vocabulary saved."))
                return redirect("incidents:vocabularies")
    return render(request, "incidents/term_form.html", {"form": form, "term": term})


@capability_required("members.manage")
def gateway(request: HttpRequest) -> HttpResponse:
    """Where dispatch notices go: the network's own webhook (an SMS or Signal gateway) and/or e-mail."""
    membership = require_membership(request)
    current = DispatchGateway.objects.filter(network=membership.network).first()
    initial = (
        {"webhook_url": current.webhook_url, "email_enabled": current.email_enabled}
        if current
        else {"email_enabled": True}
    )
    form = GatewayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        current = actions.do_save_gateway(membership.network, acting_user(request), **form.cleaned_data)
        messages.success(request, _("Dispatch notices saved."))
        return redirect("incidents:gateway")
    return render(request, "incidents/gateway.html", {"form": form, "gateway": current})
