"""Staff pages of the vault (list, detail, add, download, receipt, bundle) and the public log and receipt pages.

Every evidence row is fetched through ``amparo.access.get_for_member``: another network's item is a 404,
a role without the capability a 403. Downloads, receipts and bundles are custody events and audited. Thumbnails
and viewing copies (``derived.py``) are not the original: looking at them is audited, not logged.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.access import acting_user, capability_required, get_for_member, require_membership
from amparo.audit.actions import record
from amparo.audit.models import AuditEvent
from amparo.evidence import consent, deletion, derived, log, store, vault
from amparo.evidence.forms import AddEvidenceForm, DeleteOriginalForm, ReceiptCheckForm, RecordConsentForm
from amparo.evidence.models import Consent, CustodyEvent, EvidenceItem
from amparo.evidence.receipts import check_code, check_proof
from amparo.ledger import CHECKPOINT_PATH

PAGE_SIZE = 50
VIEW_EVENT_EVERY = timedelta(minutes=10)  # one "viewed" custody event per person and item in this window
_TILE_RE = re.compile(r"tile/(?:entries|[0-9]{1,2})/(?:x[0-9]{3}/)*[0-9]{3}(?:\.p/[0-9]{1,3})?")


def _item(request: HttpRequest, code: Any, *, write: str | None = None) -> EvidenceItem:
    return get_for_member(
        request, EvidenceItem.objects.select_related("network"), read="evidence.view", write=write, code=code
    )


@capability_required("evidence.view")
@require_GET
def evidence_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    rows = EvidenceItem.objects.filter(network=membership.network).only(
        "code",
        "kind",
        "size",
        "sha256",
        "received_at",
        "consent",
        "probe_error",
        "extension",
        "mime_sniffed",
        "deleted_at",
    )
    kind = request.GET.get("kind", "")
    if kind in ("image", "video", "audio", "unknown"):
        rows = rows.filter(kind=kind)
    consent = request.GET.get("consent", "")
    if consent in Consent.values:
        rows = rows.filter(consent=consent)
    problem = request.GET.get("problem", "")
    if problem == "yes":
        rows = rows.exclude(probe_error="")
    query = request.GET.get("q", "").strip().lower()
    if query:
        code = vault.normalise_receipt_code(query)
        if code:
            rows = rows.filter(receipt_code=code)
        elif re.fullmatch(r"[0-9a-f]{6,64}", query):
            rows = rows.filter(sha256__startswith=query)
        else:
            rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.thumb = derived.urls(item)["thumb"]  # type: ignore[attr-defined]  # for the template only
    filters = {"kind": kind, "consent": consent, "problem": problem, "q": query}
    query_string = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "evidence/list.html",
        {"page": page, "filters": filters, "query_string": query_string, "consents": Consent.choices},
    )


@require_GET
def evidence_detail(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    user = acting_user(request)
    recent = CustodyEvent.objects.filter(
        item=item, action="viewed", actor=user, at__gte=timezone.now() - VIEW_EVENT_EVERY
    )
    if not recent.exists():
        vault.record_custody(item, "viewed", user)
    membership = require_membership(request)
    copies = derived.urls(item)
    custody = item.custody.select_related("actor").order_by("log_index")
    same = (
        EvidenceItem.objects.filter(network=item.network, sha256=item.sha256)
        .exclude(pk=item.pk)
        .values_list("code", flat=True)[:20]
    )
    # the reports the file came with, and their incidents: the way back from the file (review 2026-12 item 22)
    from amparo.incidents.models import Report

    came_with = (
        Report.objects.filter(network=item.network, intake_files__evidence_code=str(item.code))
        .select_related("incident")
        .distinct()
        .order_by("received_at")
        if membership.can("reports.view")
        else Report.objects.none()
    )
    return render(
        request,
        "evidence/detail.html",
        {
            "item": item,
            "custody": custody,
            "same": list(same),
            "came_with": list(came_with[:20]),
            "can_see_incidents": membership.can("incidents.view"),
            "integrated": item.log_index < log.fresh_tile_log().size,
            "can_download": membership.can("evidence.download"),
            "can_bundle": membership.can("evidence.bundle"),
            "metadata_rows": _metadata_rows(item.metadata),
            "copies": copies,
            "legal": consent.may_leave(item, consent.LEGAL),
            "public": consent.may_leave(item, consent.PUBLIC),
            "consent_form": RecordConsentForm(initial={"uses": consent.uses_of(item)})
            if membership.can("evidence.bundle") and item.deleted_at is None
            else None,
            "delete_form": DeleteOriginalForm(sha256=item.sha256)
            if membership.can("evidence.delete") and item.deleted_at is None
            else None,
            "deletion_reason": deletion.REASONS.get(item.deletion_reason, ""),
        },
    )


@require_POST
def evidence_delete(request: HttpRequest, code: Any) -> HttpResponse:
    """An authorised deletion of the original (the witness withdrew consent, a court ordered it)."""
    item = _item(request, code, write="evidence.delete")
    form = DeleteOriginalForm(request.POST, sha256=item.sha256)
    if item.deleted_at is not None:
        messages.error(request, _("This original was deleted already."))
        return redirect("evidence:detail", code=item.code)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("evidence:detail", code=item.code)
    done = deletion.delete_original(
        item,
        reason=form.cleaned_data["reason"],
        authority=form.cleaned_data["authority"],
        actor=acting_user(request),
    )
    messages.success(
        request, _("The original and its copies are deleted. The log keeps its record and the deletion.")
    )
    if done.backups_holding:
        messages.warning(
            request,
            _("%(n)d backups made before today still hold it: destroy them or make them again.")
            % {"n": len(done.backups_holding)},
        )
    return redirect("evidence:detail", code=item.code)


@require_POST
def evidence_consent(request: HttpRequest, code: Any) -> HttpResponse:
    """Record the consent the source gave (audited): who may record it may also let the item leave in a bundle."""
    item = _item(request, code, write="evidence.bundle")
    form = RecordConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Consent not recorded: say how the source gave it."))
        return redirect("evidence:detail", code=item.code)
    consent.record_consent(
        item, form.cleaned_data["uses"], acting_user(request), basis=form.cleaned_data["basis"]
    )
    messages.success(request, _("Consent recorded."))
    return redirect("evidence:detail", code=item.code)


def _metadata_rows(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    from amparo import vocab

    return vocab.metadata_rows(metadata)  # labels and values in the reader's language


@require_POST
def evidence_download(request: HttpRequest, code: Any) -> HttpResponseBase:
    item = _item(request, code, write="evidence.download")
    if item.deleted_at is not None:
        return HttpResponse(_("This original was deleted on an authorised request."), status=410)
    if not consent.may_leave(item, consent.INTERNAL):  # members of the network: always, today
        raise PermissionDenied
    vault.record_custody(item, "downloaded", acting_user(request))
    fh = store.open_original(item.sha256)
    response = FileResponse(fh, as_attachment=True, filename=item.stored_name)
    response["Content-Type"] = "application/octet-stream"  # never rendered by the browser
    return response


@require_GET
def evidence_receipt(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    receipt = vault.receipt_for(item)
    if receipt is None:
        log.integrate_if_pending()
        receipt = vault.receipt_for(item)
    if receipt is None:
        raise Http404(_("The receipt is not ready yet."))
    response = HttpResponse(receipt, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{item.receipt_code}.tlog-proof"'
    return response


@require_POST
def evidence_bundle(request: HttpRequest, code: Any) -> HttpResponseBase:
    item = _item(request, code, write="evidence.bundle")
    decision = consent.may_leave(item, consent.LEGAL)
    if not decision:  # a bundle of nothing helps no one; the page says why, and the consent form is there
        messages.error(request, _("No bundle: %(reason)s") % {"reason": decision.explanation})
        return redirect("evidence:detail", code=item.code)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    vault.build_bundle([item], out, acting_user(request), use=consent.LEGAL)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"evidence-{item.code}.zip")


def _copy_viewed(request: HttpRequest, item: EvidenceItem, variant: str) -> None:
    """One audit event per person, item and copy in VIEW_EVENT_EVERY: a page of thumbnails is one look, not fifty."""
    user = acting_user(request)
    seen = AuditEvent.objects.filter(
        actor=user,
        action="evidence.copy_viewed",
        object_code=str(item.code),
        at__gte=timezone.now() - VIEW_EVENT_EVERY,
        detail__copy=variant,
    )
    if not seen.exists():
        record(user, item.network, "evidence.copy_viewed", item, copy=variant)


def _serve_copy(request: HttpRequest, code: Any, variant: str) -> HttpResponseBase:
    item = _item(request, code)
    if item.deleted_at is not None:
        raise Http404(_("There is no picture of this evidence to show."))
    path = derived.get(item, variant)
    if path is None:
        raise Http404(_("There is no picture of this evidence to show."))
    _copy_viewed(request, item, variant)
    return ranged_file(request, path, derived.content_type(item.kind, variant))


@require_GET
def evidence_thumbnail(request: HttpRequest, code: Any) -> HttpResponseBase:
    """A small JPEG of a picture or of a video's first second: no metadata of the original, never the original."""
    return _serve_copy(request, code, "thumb")


@require_GET
def evidence_view(request: HttpRequest, code: Any) -> HttpResponseBase:
    """A viewing copy: a JPEG of at most 1280 px, or a small MP4 of a video (supports Range for seeking)."""
    return _serve_copy(request, code, "view")


_RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")


def ranged_file(request: HttpRequest, path: Any, content_type: str) -> HttpResponseBase:
    """The file, or the one byte range a video player asks for (206); private and never cached."""
    size = path.stat().st_size
    match = _RANGE_RE.fullmatch(request.headers.get("Range", "").strip())
    response: HttpResponseBase
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # a suffix: the last N bytes
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with path.open("rb") as fh:
            fh.seek(start)
            data = fh.read(end - start + 1)
        response = HttpResponse(data, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "no-store, private"
    return response


@capability_required("evidence.add")
@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = AddEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            item = vault.ingest(
                upload,
                network=membership.network,
                filename=upload.name or "",
                claimed_type=upload.content_type or "",
                actor=acting_user(request),
                consent=form.cleaned_data["consent"],
                source="operator",
            )
        except vault.EvidenceTooLarge:
            form.add_error("file", _("The file is larger than this server accepts."))
        else:
            messages.success(request, _("Stored. Receipt code: %(code)s") % {"code": item.receipt_code})
            if membership.can("evidence.view"):
                return redirect("evidence:detail", code=item.code)
            return redirect("evidence:add")
    return render(request, "evidence/add.html", {"form": form})


# --- public: the log and receipts -------------------------------------------------------------------------


def _plain(data: bytes, *, cache: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # monitors and verifiers elsewhere may fetch it
    return response


@login_not_required
@require_GET
def log_checkpoint(request: HttpRequest) -> HttpResponse:
    log.integrate_if_pending()
    data = log.tile_log().store.read(CHECKPOINT_PATH)
    if data is None:
        raise Http404("no checkpoint yet")
    return _plain(data, cache="no-cache")


@login_not_required
@require_GET
def log_key(request: HttpRequest) -> HttpResponse:
    return _plain((log.verifier_key() + "\n").encode("ascii"), cache="max-age=3600")


def _accepts_gzip(request: HttpRequest) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _sep, params = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "x-gzip", "*"}:
            q = params.strip().removeprefix("q=")
            return not (params.strip().startswith("q=") and q.replace(".", "", 1).strip("0") == "")
    return False


@login_not_required
@require_GET
def log_tile(request: HttpRequest, path: str) -> HttpResponse:
    full = f"tile/{path}"
    if not _TILE_RE.fullmatch(full):
        raise Http404("no such tile")
    data = log.tile_log().store.read(full)
    if data is None:
        raise Http404("no such tile")
    compress = full.startswith("tile/entries/") and _accepts_gzip(request)
    if compress:  # tlog-tiles: entry bundles go compressed to clients that accept it
        data = gzip.compress(data, compresslevel=6, mtime=0)
    response = HttpResponse(data, content_type="application/octet-stream")
    if compress:
        response["Content-Encoding"] = "gzip"
    if full.startswith("tile/entries/"):
        response["Vary"] = "Accept-Encoding"
    # Full tiles never change; partial ones are replaced by their full tile but never change either.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def receipt_check(request: HttpRequest) -> HttpResponse:
    """Anyone checks a receipt code, or an uploaded tlog-proof, against the current checkpoint."""
    form = ReceiptCheckForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("proof")
        if upload:
            result = check_proof(upload.read(form.MAX_PROOF + 1))
        else:
            result = check_code(form.cleaned_data["code"])
        if result.ok and request.POST.get("download") and result.receipt:
            response = HttpResponse(result.receipt, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="receipt.tlog-proof"'
            return response
    return render(
        request, "evidence/receipt.html", {"form": form, "result": result, "key": log.verifier_key()}
    )
