"""Intake pages: the public report form and follow-up page (no account, no JavaScript needed), the hotline
operator's form and the coordinators' partner-token page.

Public pages store no address (rate limits use privacy.client_key) and load nothing from anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from amparo.access import acting_user, capability_required, get_for_member, require_membership
from amparo.accounts.models import Network
from amparo.incidents import codes
from amparo.intake import actions, conf, privacy, words
from amparo.intake.forms import (
    FollowupAddForm,
    FollowupCodeForm,
    OperatorCallForm,
    PageForm,
    TokenForm,
    WitnessReportForm,
)
from amparo.intake.models import ApiToken, IntakePage

DETAIL_FIELDS = [
    "location_type",
    "agents_count_low",
    "activity",
    "uniform",
    "observed_duration",
    "equipment",
    "vehicles_text",
    "people_taken_count",
    "children_present",
    "warrant_observed",
    "warrant_text",
]


def _max_mb() -> int:
    return conf.max_file_bytes() // (1024 * 1024)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _guard_multipart(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read the request body ourselves so a malformed or oversized upload gets a clear page, not a crash."""

    protected = csrf_protect(view)

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            limit = conf.max_form_files() * conf.max_file_bytes() + (1 << 20)
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > limit:
                return _no_store(
                    render(
                        request,
                        "intake/bad_request.html",
                        {"reason": _("The files are too large.")},
                        status=413,
                    )
                )
            try:
                request.POST  # noqa: B018  (parse now, inside the try)
                request.FILES  # noqa: B018
            except MultiPartParserError:
                reason = _("The form arrived damaged. Please try sending it again.")
                return _no_store(render(request, "intake/bad_request.html", {"reason": reason}, status=400))
        return protected(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


def _incoming_files(form: Any) -> list[actions.IncomingFile]:
    files = [
        actions.IncomingFile(f, f.name, getattr(f, "sniffed_type", ""), f.size)
        for f in form.cleaned_data["files"]
    ]
    return files


def _uploads(form: Any, network: Network) -> list[actions.IncomingFile] | None:
    try:
        return actions.incoming_uploads(actions.attachable_uploads(form.upload_id_list(), network=network))
    except LookupError:
        form.add_error(
            None,
            _("One of your uploads is unfinished, expired or not a supported file. Please add it again."),
        )
        return None


@login_not_required
def report_start(request: HttpRequest) -> HttpResponse:
    """/report/: the networks taking public reports, or straight to the only network there is."""
    networks = list(Network.objects.order_by("name")[:2])
    if len(networks) == 1:
        page = actions.page_for(networks[0])
        if page.enabled:
            return redirect("intake:report", slug=page.slug)
    for network in Network.objects.filter(intake_page=None):
        actions.page_for(network)
    pages = (
        IntakePage.objects.filter(enabled=True, listed=True)
        .select_related("network")
        .order_by("network__name")
    )
    return render(request, "intake/report_start.html", {"pages": pages})


@login_not_required
@_guard_multipart
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """/report/<slug>/: the witness report form."""
    page = get_object_or_404(IntakePage.objects.select_related("network"), slug=slug, enabled=True)
    form = WitnessReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            # a bot filled the hidden field: answer like a success, keep nothing
            fake = {"page": page, "code": words.new_code()}  # the bot cannot tell; the code opens nothing
            return _no_store(render(request, "intake/report_thanks.html", fake, status=201))
        uploads = _uploads(form, page.network)
        if uploads is not None:
            if not privacy.allow(request, "report", conf.reports_per_hour()):
                form.add_error(
                    None, _("Too many reports from here in the last hour. Please try again later.")
                )
            else:
                created, code = actions.do_create_report(
                    page.network,
                    form.report_fields(),
                    channel=codes.Channel.WEB_FORM,
                    language=request.LANGUAGE_CODE,
                    files=_incoming_files(form) + uploads,
                    consent_uses=form.cleaned_data["consent"],
                    contact=form.cleaned_data.get("contact", ""),
                    reporter_role=form.cleaned_data.get("reporter_role") or "anonymous",
                    followup_code=True,
                    warrant_text=form.cleaned_data.get("warrant_text", ""),
                )
                context = {"page": page, "code": code, "files": created.intake_files.all()}
                return _no_store(render(request, "intake/report_thanks.html", context, status=201))
    status = 400 if form.errors else 200
    context = {
        "page": page,
        "form": form,
        "details": [form[name] for name in DETAIL_FIELDS],
        "max_mb": _max_mb(),
    }
    return _no_store(render(request, "intake/report_form.html", context, status=status))


@login_not_required
@_guard_multipart
def followup(request: HttpRequest) -> HttpResponse:
    """/followup/: the witness enters their code, sees their receipts and adds words or files."""
    step = request.POST.get("step", "")
    if request.method != "POST" or step not in ("open", "add"):
        return _no_store(render(request, "intake/followup_code.html", {"form": FollowupCodeForm()}))
    code_form = FollowupCodeForm(request.POST)
    found = None
    if code_form.is_valid():
        if not privacy.allow(request, "followup", conf.followup_tries_per_hour(), count=False):
            code_form.add_error(None, _("Too many attempts from here. Please try again in an hour."))
        else:
            found = actions.find_by_code(code_form.cleaned_data["code"])
            if found is None:
                privacy.allow(request, "followup", conf.followup_tries_per_hour())
                code_form.add_error(
                    "code", _("We found no report with that code. Check the words and try again.")
                )
    if found is None:
        return _no_store(render(request, "intake/followup_code.html", {"form": code_form}, status=400))
    code = code_form.cleaned_data["code"]
    add_form = FollowupAddForm(initial={"code": code})
    added = False
    if step == "add":
        add_form = FollowupAddForm(request.POST, request.FILES)
        if add_form.is_valid():
            uploads = _uploads(add_form, found.network)
            if uploads is not None:
                actions.do_add_followup(
                    found,
                    text=add_form.cleaned_data.get("text", ""),
                    files=_incoming_files(add_form) + uploads,
                    consent_uses=add_form.cleaned_data["consent"],
                    language=request.LANGUAGE_CODE,
                )
                add_form = FollowupAddForm(initial={"code": code})
                added = True
    context = {
        "report": found,
        "files": [(f, _receipt_url(f.receipt_code)) for f in found.intake_files.all()],
        "form": add_form,
        "added": added,
        "max_mb": _max_mb(),
    }
    status = 400 if add_form.errors else 200
    return _no_store(render(request, "intake/followup_report.html", context, status=status))


def _receipt_url(receipt_code: str) -> str:
    try:
        return reverse("evidence:receipt")
    except NoReverseMatch:
        return ""


@capability_required("reports.create")
def call(request: HttpRequest) -> HttpResponse:
    """/intake/call/: the hotline operator types in a call (SALUTE order, keyboard only)."""
    membership = require_membership(request)
    form = OperatorCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.report_fields()
        fields["priority"] = form.cleaned_data["priority"]
        created, _code = actions.do_create_report(
            membership.network,
            fields,
            channel=codes.Channel.HOTLINE_VOICE,
            language=form.cleaned_data["caller_language"],
            contact=form.cleaned_data.get("callback", ""),
            reporter_role=codes.ReporterRole.UNKNOWN,
            actor=acting_user(request),
            warrant_text=form.cleaned_data.get("warrant_text", ""),
            via="operator",
        )
        messages.success(
            request, _("Call saved to the triage queue (%(code)s).") % {"code": str(created.code)[:8]}
        )
        return redirect("intake:call")
    return render(request, "intake/call.html", {"form": form}, status=400 if form.errors else 200)


@capability_required("api.manage")
def tokens(request: HttpRequest) -> HttpResponse:
    """/intake/api-tokens/: coordinators give partner organisations a key to the API of their network."""
    membership = require_membership(request)
    page = actions.page_for(membership.network)
    page_form = PageForm(initial={"enabled": page.enabled, "listed": page.listed})
    form = TokenForm(request.POST if "name" in request.POST else None)
    new_token = ""
    if request.method == "POST" and "page" in request.POST:
        page_form = PageForm(request.POST)
        if page_form.is_valid():
            actions.do_update_page(page, **page_form.cleaned_data, actor=acting_user(request))
            messages.success(request, _("Saved."))
            return redirect("intake:tokens")
    elif request.method == "POST" and form.is_valid():
        _row, new_token = actions.do_create_token(
            membership.network, form.cleaned_data["name"], acting_user(request)
        )
        form = TokenForm()
    rows = ApiToken.objects.filter(network=membership.network).order_by("-created_at")
    context = {"form": form, "rows": rows, "new_token": new_token, "page": page, "page_form": page_form}
    response = render(request, "intake/tokens.html", context, status=400 if form.errors else 200)
    return _no_store(response)


@require_POST
def revoke_token(request: HttpRequest, code: str) -> HttpResponse:
    row = get_for_member(request, ApiToken.objects.all(), read="api.manage", code=code)
    if row.revoked_at is None:
        actions.do_revoke_token(row, acting_user(request))
        messages.success(request, _("The token no longer works."))
    return redirect("intake:tokens")
