"""Intake pages: the public report form and follow-up page (no account, no JavaScript needed), the hotline
operator's form and the coordinators' partner-token page.

Public pages store no address (rate limits use privacy.client_key) and load nothing from anyone else.

The public form is guarded before its body is read (``_guard_multipart``): a Content-Length that is not plain digits
or is over the real limit, or an address that has used up its hour, is refused unread; while the body streams, the
first file part stops the read when no "internal" consent came before it (the page puts the consent boxes first) or
when one file passes the size limit. Every refusal counts as junk against the sender's hourly budget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from amparo.access import acting_user, capability_required, get_for_member, require_membership
from amparo.accounts.models import Network
from amparo.incidents import codes
from amparo.intake import actions, conf, formtoken, privacy, tus, words
from amparo.intake import followup as witness_view
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


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    """A form we would not read to the end: counted as junk against the sender, answered with a clear page."""
    count_junk(request)
    return _no_store(render(request, "intake/bad_request.html", {"reason": reason}, status=status))


def count_junk(request: HttpRequest) -> None:
    """Junk (honeypot, repeated body, refused or broken form, reused or instant token) costs its sender dearly.

    A request is junk once, however many reasons it gives."""
    if request.META.get("amparo.intake.junk"):
        return
    request.META["amparo.intake.junk"] = True
    privacy.charge("report.form", privacy.client_key(request, "report.form"), conf.JUNK_COST)
    privacy.charge("report", privacy.client_key(request, "report"), 1)


def _spent_hour(request: HttpRequest) -> bool:
    """The address has used its whole hour (fresh-token reports and junk): nothing more is read from it."""
    return not privacy.allow(request, "report.form", conf.form_reports_per_hour(), count=False)


class _ConsentFirst(FileUploadHandler):
    """Stops reading a form at its first file part unless "internal" consent came before it, and at any file that
    grows past the size limit; the rest of the body is never read (``StopUpload(connection_reset=True)``).

    Bodies up to ``SMALL_BODY`` are read whole whatever their order (a client may put its files first; the form
    validates consent afterwards); larger ones must follow the page, whose consent boxes come before the files."""

    def __init__(self, request: HttpRequest, *, consent_first: bool) -> None:
        super().__init__(request)
        self.consent_first = consent_first
        self.parser: MultiPartParser | None = None
        self.size = 0
        self.refusal = ""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.size = 0
        # the fields parsed so far: MultiPartParser keeps them in _post until parse() returns (Django 5.2)
        fields = getattr(self.parser, "_post", None)
        if self.consent_first and (fields is None or "internal" not in fields.getlist("consent")):
            self.refusal = "consent"
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.size += len(raw_data)
        if self.size > conf.max_file_bytes():
            self.refusal = "size"
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


SMALL_BODY = 8 << 20


def _parse_consent_first(request: HttpRequest, length: int) -> _ConsentFirst:
    guard = _ConsentFirst(request, consent_first=length > SMALL_BODY)

    def parse(meta: Any, data: Any) -> Any:
        parser = MultiPartParser(meta, data, [guard, *request.upload_handlers], request.encoding)
        guard.parser = parser
        return parser.parse()

    request.parse_file_upload = parse  # type: ignore[method-assign,assignment]  # this request only: the guard sees the fields
    request.POST  # noqa: B018  (parse now, inside the caller's try)
    request.FILES  # noqa: B018
    return guard


def _guard_multipart(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Check a public form before and while its body is read, so floods and oversized or consent-less bodies are
    refused early with a clear page, never a crash, and counted against their sender."""

    protected = csrf_protect(view)

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            limit = conf.max_form_files() * conf.max_file_bytes() + (1 << 20)
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not (length.isascii() and length.isdigit()):
                return _refused(request, _("The form arrived damaged. Please try sending it again."), 400)
            if int(length) > limit:
                return _refused(request, _("The files are too large."), 413)
            if _spent_hour(request):
                reason = _("Too many reports from here in the last hour. Please try again later.")
                return _no_store(render(request, "intake/bad_request.html", {"reason": reason}, status=429))
            try:
                guard = _parse_consent_first(request, int(length))
            except MultiPartParserError:
                return _refused(request, _("The form arrived damaged. Please try sending it again."), 400)
            if guard.refusal == "consent":
                reason = _(
                    "We can only keep your files if the network may look at them to verify what happened. "
                    "Tick that box and send the form again."
                )
                return _refused(request, reason, 400)
            if guard.refusal == "size":
                return _refused(request, _("The files are too large."), 413)
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


UPLOAD_UNUSABLE = gettext_lazy(
    "One of your uploads is unfinished, expired or not a supported file. Please add it again."
)


def _uploads(request: HttpRequest, form: Any, network: Network) -> list[actions.IncomingFile] | None:
    bindings = tus.request_bindings(request, form.cleaned_data.get("form_token"))
    try:
        return actions.incoming_uploads(
            actions.attachable_uploads(form.upload_id_list(), network=network, bindings=bindings)
        )
    except LookupError:
        form.add_error(None, UPLOAD_UNUSABLE)
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
    form = WitnessReportForm(
        request.POST or None, request.FILES or None, initial={"form_token": formtoken.issue()}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            # a bot filled the hidden field: answer like a success, keep nothing
            count_junk(request)
            fake = {"page": page, "code": words.new_code()}  # the bot cannot tell; the code opens nothing
            return _no_store(render(request, "intake/report_thanks.html", fake, status=201))
        uploads = _uploads(request, form, page.network)
        if uploads is not None:
            refusal = _report_budget(request, form)
            if refusal:
                form.add_error(None, refusal)
            else:
                try:
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
                except actions.UploadTaken:  # the same form sent twice: the first send has the report
                    form.add_error(None, UPLOAD_UNUSABLE)
                else:
                    context = {"page": page, "code": code, "files": created.intake_files.all()}
                    return _no_store(render(request, "intake/report_thanks.html", context, status=201))
    if form.errors:
        count_junk(request)
        data = request.POST.copy()  # a fresh token for the next try; uploads stay bound to the browser
        data["form_token"] = formtoken.issue()
        form.data = data
    status = 400 if form.errors else 200
    context = {
        "page": page,
        "form": form,
        "details": [form[name] for name in DETAIL_FIELDS],
        "max_mb": _max_mb(),
    }
    return _no_store(render(request, "intake/report_form.html", context, status=status))


def _report_budget(request: HttpRequest, form: WitnessReportForm) -> str:
    """Count the report against its sender's hour; the reason it is refused, or "" when it may be kept.

    A fresh, unused form token draws on the large per-address budget; no token (or one past its lifetime) on the
    small one. A token sent within seconds of its page is junk and falls back to the small budget; a token spent
    already and a body already received this hour are junk and refused.
    """
    token = formtoken.read(form.cleaned_data.get("form_token"))
    if token is not None and token.age_seconds > conf.form_lifetime().total_seconds():
        token = None
    if token is not None and not token.fresh:
        count_junk(request)
        token = None
    if token is not None and not formtoken.spend(token):
        count_junk(request)
        return _("This form was sent already. To send another report, open the report page again.")
    if token is not None:
        allowed = privacy.allow(request, "report.form", conf.form_reports_per_hour())
    else:
        allowed = privacy.allow(request, "report", conf.reports_per_hour())
    if not allowed:
        return _("Too many reports from here in the last hour. Please try again later.")
    text = " ".join(str(form.cleaned_data.get(name) or "") for name in ("text", "place_text")).split()
    body = " ".join(text).casefold()
    if body and not privacy.take("report.body", privacy.keyed("body", body), 1):
        count_junk(request)
        return _("This report was already received. Thank you; there is no need to send it again.")
    return ""


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
        # every attempt is counted before the look-up, atomically (parallel guesses cannot pass the limit);
        # an attempt that finds its report is given back, so only misses use up the hour
        if not privacy.allow(request, "followup", conf.followup_tries_per_hour()):
            code_form.add_error(None, _("Too many attempts from here. Please try again in an hour."))
        else:
            found = actions.find_by_code(code_form.cleaned_data["code"])
            if found is not None:
                privacy.give_back(request, "followup")
            else:
                code_form.add_error(
                    "code", _("We found no report with that code. Check the words and try again.")
                )
    if found is None:
        return _no_store(render(request, "intake/followup_code.html", {"form": code_form}, status=400))
    code = code_form.cleaned_data["code"]
    add_form = FollowupAddForm(initial={"code": code, "form_token": formtoken.issue()})
    added = False
    if step == "add":
        add_form = FollowupAddForm(request.POST, request.FILES)
        if add_form.is_valid():
            uploads = _uploads(request, add_form, found.network)
            if uploads is not None:
                try:
                    actions.do_add_followup(
                        found,
                        text=add_form.cleaned_data.get("text", ""),
                        files=_incoming_files(add_form) + uploads,
                        consent_uses=add_form.cleaned_data["consent"],
                        language=request.LANGUAGE_CODE,
                    )
                except actions.UploadTaken:  # sent twice: the first send added the files
                    add_form.add_error(None, UPLOAD_UNUSABLE)
                else:
                    add_form = FollowupAddForm(initial={"code": code, "form_token": formtoken.issue()})
                    added = True
    intake_files = list(found.intake_files.all())
    kinds = witness_view.file_kinds(intake_files)
    context = {
        "report": found,
        "status_words": witness_view.plain_status(found.status),
        "files": [(f, _receipt_url(f.receipt_code), kinds.get(str(f.evidence_code))) for f in intake_files],
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
    from amparo.incidents.where import allow_tiles, map_tiles

    tiles = map_tiles()
    context = {"form": form, "map_tiles": tiles}
    return allow_tiles(
        render(request, "intake/call.html", context, status=400 if form.errors else 200), tiles
    )


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
