"""The desk's redaction pages (list, review, approve) and the public side (the copy, its receipts, how to check).

Staff views fetch through ``amparo.access.get_for_member`` (another network's redaction is a 404, a role without the
capability a 403), validate, and call one ``do_*`` action; refusals come back as messages in the user's language.
Public views read only ``PublicClip`` (the public layer's row), never a redaction or an evidence item.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.access import capability_required, get_for_member, require_membership
from amparo.evidence import derived, log, store
from amparo.evidence.models import EvidenceItem
from amparo.public.views import public_page
from amparo.redaction import actions, publish, rules
from amparo.redaction.models import PublicClip, Redaction, State, Style

MAX_BODY = 8 << 20  # a save carries every box of every track


def _redaction(request: HttpRequest, code: Any, *, write: str | None = None) -> Redaction:
    return get_for_member(
        request,
        Redaction.objects.select_related("original", "network", "copy_item", "decided_by", "submitted_by"),
        read="evidence.view",
        write=write,
        code=code,
    )


@capability_required("evidence.view")
@require_GET
def redaction_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    rows = Redaction.objects.filter(network=membership.network).select_related("original", "copy_item")
    state = request.GET.get("state", "")
    if state in State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "redaction/list.html", {"page": page, "state": state, "states": State.choices})


@require_POST
def redaction_request(request: HttpRequest, code: Any) -> HttpResponse:
    item = get_for_member(
        request, EvidenceItem.objects.select_related("network"), read="evidence.view", code=code
    )
    membership = require_membership(request)
    try:
        redaction = actions.do_request_proposal(item, membership)
    except actions.RedactionError as exc:
        messages.error(request, exc.message)
        return redirect("evidence:detail", code=item.code)
    return redirect("redaction:review", code=redaction.code)


def _review_data(redaction: Redaction) -> dict[str, Any]:
    item = redaction.original
    copies = derived.urls(item)
    return {
        "kind": item.kind,
        "media": redaction.media,
        "tracks": redaction.tracks,
        "style": redaction.style,
        "src": copies["view"] or copies["thumb"],
        "editable": redaction.state in (State.PROPOSED, State.IN_REVIEW),
    }


def _strings() -> dict[str, str]:
    """The editor's words, in the page's language (the script has no catalogue of its own)."""
    return {
        "frame": _("Frame %(n)s of %(total)s"),
        "picture": _("Picture"),
        "selected": _("Selected: %(label)s %(id)s"),
        "none": _("No region selected."),
        "added": _("Region added. Move it with the arrow keys, resize it with Shift and the arrow keys."),
        "deleted": _("Region deleted."),
        "from": _("%(id)s now starts at frame %(n)s."),
        "to": _("%(id)s now ends at frame %(n)s."),
        "unsaved": _("Changes not saved yet."),
        "frames": _("frames %(a)s to %(b)s"),
        "face": _("face"),
        "plate": _("licence plate"),
        "text": _("text"),
        "select": _("Select"),
    }


@require_GET
def redaction_review(request: HttpRequest, code: Any) -> HttpResponse:
    redaction = _redaction(request, code)
    membership = require_membership(request)
    item = redaction.original
    copies = derived.urls(item)
    context = {
        "redaction": redaction,
        "item": item,
        "copies": copies,
        "data": _review_data(redaction),
        "error": actions.error_message(redaction.error) if redaction.error else "",
        "render_error": actions.error_message(redaction.render_error) if redaction.render_error else "",
        "can_edit": rules.may_edit(redaction, membership),
        "can_submit": rules.may_submit(redaction, membership),
        "can_approve": rules.may_approve(redaction, membership),
        "can_reject": rules.may_reject(redaction, membership),
        "approve_refusal": rules.may_approve(redaction, membership).explanation
        if redaction.state == State.IN_REVIEW
        else "",
        "can_retry": membership.can("redaction.approve"),
        "view_failed": item.kind == "video" and derived.failed(item, "view"),
        "styles": Style.choices,
        "strings": _strings(),
        "public": rules.publishable(redaction),
        "clip": PublicClip.objects.filter(redaction=redaction).first(),
        "waiting": redaction.state == State.PROPOSING
        or (redaction.state == State.APPROVED and not redaction.copy_item_id and not redaction.render_error)
        or (item.kind == "video" and not copies["view"] and not derived.failed(item, "view")),
    }
    return render(request, "redaction/review.html", context)


def _tracks_from(request: HttpRequest, redaction: Redaction) -> Any:
    """The edited tracks: the script's JSON, or (without a script) the current tracks minus those unticked."""
    raw = request.POST.get("tracks", "")
    if raw:
        if len(raw) > MAX_BODY:
            raise actions.RedactionError(_("Too many regions to save at once."))
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise actions.RedactionError(
                _("The regions could not be read (too many, or not a list).")
            ) from exc
    keep = set(request.POST.getlist("keep"))
    return [t for t in redaction.tracks if str(t.get("id")) in keep]


@require_POST
def redaction_save(request: HttpRequest, code: Any) -> HttpResponse:
    redaction = _redaction(request, code, write="redaction.propose")
    membership = require_membership(request)
    try:
        tracks = _tracks_from(request, redaction)
        redaction = actions.do_save(
            redaction, membership, tracks=tracks, style=request.POST.get("style", redaction.style)
        )
        if request.POST.get("then") == "submit":
            actions.do_submit(redaction, membership)
            messages.success(request, _("Saved and sent to a second coordinator for approval."))
        else:
            messages.success(request, _("Regions saved."))
    except actions.RedactionError as exc:
        messages.error(request, exc.message)
    return redirect("redaction:review", code=redaction.code)


@require_POST
def redaction_submit(request: HttpRequest, code: Any) -> HttpResponse:
    redaction = _redaction(request, code, write="redaction.propose")
    try:
        actions.do_submit(redaction, require_membership(request))
        messages.success(request, _("Sent to a second coordinator for approval."))
    except actions.RedactionError as exc:
        messages.error(request, exc.message)
    return redirect("redaction:review", code=redaction.code)


@require_POST
def redaction_decide(request: HttpRequest, code: Any) -> HttpResponse:
    redaction = _redaction(request, code, write="redaction.approve")
    membership = require_membership(request)
    decision = request.POST.get("decision", "")
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            actions.do_approve(redaction, membership, note=note)
            messages.success(request, _("Approved. The redacted copy is being made, signed and logged."))
        elif decision == "reject":
            actions.do_reject(redaction, membership, note=note)
            messages.success(request, _("Rejected. Nothing was published."))
        elif decision == "retry":
            actions.do_retry_render(redaction, membership)
            messages.success(request, _("Trying again to make the redacted copy."))
        else:
            messages.error(request, _("Choose approve or reject."))
    except actions.RedactionError as exc:
        messages.error(request, exc.message)
    return redirect("redaction:review", code=redaction.code)


# ---- public ----------------------------------------------------------------------------------------------------


def _clip(sha256: str) -> PublicClip:
    try:
        store.check_sha(sha256)
    except store.StoreError as exc:
        raise Http404 from exc
    clip = get_object_or_404(
        PublicClip.objects.select_related("redaction", "redaction__original", "redaction__copy_item"),
        sha256=sha256,
    )
    if not publish.still_public(clip):
        raise Http404
    return clip


@login_not_required
@require_GET
def public_clip(request: HttpRequest, sha256: str, ext: str) -> FileResponse:
    """The redacted copy itself, byte for byte as logged (its SHA-256 is in the log entry of the redaction)."""
    clip = _clip(sha256)
    if ext != clip.extension:
        raise Http404
    response = FileResponse(store.open_original(clip.sha256), content_type=clip.content_type)
    response["Cache-Control"] = (
        "public, no-cache"  # asked again each time: a withdrawn consent stops it at once
    )
    response["Content-Disposition"] = f'inline; filename="{clip.sha256[:16]}.{clip.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def public_receipt(request: HttpRequest, sha256: str, which: str) -> HttpResponse:
    """The c2sp.org/tlog-proof receipt of the redaction entry (names the copy) or of the original's entry."""
    clip = _clip(sha256)
    index = clip.log_index if which == "redaction" else clip.original_log_index
    receipt = log.receipt(index)
    if receipt is None:
        log.integrate_if_pending()
        receipt = log.receipt(index)
    if receipt is None:
        raise Http404(_("The receipt is not ready yet."))
    response = HttpResponse(receipt, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{which}-{index}.tlog-proof"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@public_page
def how_to_check(request: HttpRequest) -> HttpResponse:
    from amparo.public.views import context

    clip = None
    sha = request.GET.get("clip", "")
    if sha:
        clip = PublicClip.objects.filter(sha256=sha).first()
    return render(request, "redaction/how_to_check.html", context(request, "incidents", clip=clip))
