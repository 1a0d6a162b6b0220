"""Every change to a redaction: atomic and audited. Views validate and call one ``do_*`` function.

The detector and the renderer (``amparo.media.redact``) run in the media sandbox from background tasks
(:mod:`amparo.redaction.tasks`); here are the bodies those tasks call (:func:`run_proposal`, :func:`run_render`), so a
failure of hostile media is caught, stored as a code the page explains, and never touches the original.
"""

from __future__ import annotations

import logging
import math
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.audit.actions import record
from amparo.evidence import store, vault
from amparo.evidence.models import EvidenceItem, LogEntry
from amparo.outbox.dispatch import enqueue_on_commit
from amparo.redaction import rules, signing
from amparo.redaction.models import Redaction, State, Style

logger = logging.getLogger("amparo.redaction")

MAX_TRACKS = 500
MAX_BOXES = 200_000
MAX_FRAMES = 10_000_000

# What the page says when the detector or the renderer could not finish (codes from amparo.media.sandbox and
# amparo.media.redact); anything else is "failed".
ERRORS = {
    "timeout": _(
        "The file took too long to decode; it may be built to exhaust the server. The original is unchanged."
    ),
    "out_of_memory": _(
        "Decoding the file needed too much memory; it may be built to exhaust the server. The original is unchanged."
    ),
    "decompression_bomb": _(
        "The picture claims to be far larger than a real photo (a decompression bomb). The original is unchanged."
    ),
    "too_large": _("The picture or video is too large to redact here. The original is unchanged."),
    "too_long": _("The video is too long to redact here. The original is unchanged."),
    "corrupt": _("The file is damaged or truncated and could not be decoded. The original is unchanged."),
    "truncated": _("The file is damaged or truncated and could not be decoded. The original is unchanged."),
    "unsupported": _("This kind of file cannot be decoded for redaction. The original is unchanged."),
    "crashed": _(
        "The decoder stopped on this file; it may be damaged or hostile. The original is unchanged."
    ),
    "no_video": _("The file has no picture that could be decoded. The original is unchanged."),
    "bad_tracks": _("The regions could not be used to make the copy; edit and save them again."),
    "missing": _("The original's bytes are not in the store. Nothing was changed."),
    "signing": _("The redacted copy could not be signed; nothing was published."),
    "failed": _("The file could not be processed. The original is unchanged."),
}


class RedactionError(ValueError):
    """Refused: ``message`` is for people (in their language)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def error_message(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["failed"]))


def _refuse(decision: rules.Decision) -> None:
    if not decision:
        raise RedactionError(decision.explanation)


def _media_code(exc: BaseException) -> str:
    code = str(getattr(exc, "code", "") or "")
    return code if code in ERRORS else "failed"


# ---- proposing -------------------------------------------------------------------------------------------------


def do_request_proposal(item: EvidenceItem, membership: Any) -> Redaction:
    """Open a redaction of ``item`` and queue the detector (a background task in the media sandbox)."""
    from amparo.redaction.tasks import propose_regions

    with transaction.atomic():
        EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()  # one open redaction per item
        _refuse(rules.may_propose(item, membership))
        redaction = Redaction.objects.create(
            network=item.network, original=item, proposed_by=membership.user, state=State.PROPOSING
        )
        record(membership.user, item.network, "redaction.requested", redaction, item=str(item.code))
        enqueue_on_commit(propose_regions, redaction.pk)
    return redaction


def run_proposal(redaction: Redaction) -> Redaction:
    """The task's body: run the detector on a local copy of the original; store tracks, or the failure's code."""
    from amparo.media import redact

    item = redaction.original
    try:
        with store.as_local_file(item.sha256) as path:
            proposal = redact.propose(path, kind=item.kind)
        found = proposal.to_dict()
    except store.StoreError:
        return _fail(redaction, "missing")
    except Exception as exc:  # hostile or damaged media: a code for the page, never a crash of the worker
        logger.warning("redaction proposal failed: %s", type(exc).__name__)
        return _fail(redaction, _media_code(exc))
    raw = found.get("tracks", [])
    if len(raw) > MAX_TRACKS:  # a grainy or hostile file: keep what a page holds, not fail
        found["tracks_dropped"] = len(raw) - MAX_TRACKS
        found["tracks"] = raw = _reviewable(raw)
    tracks = clean_tracks(raw, _dims(found, item))
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().get(pk=redaction.pk)
        if locked.state != State.PROPOSING:
            return locked
        locked.proposed = found
        locked.tracks = tracks
        locked.media = _dims(found, item)
        locked.state = State.PROPOSED
        locked.error = ""
        locked.save()
        record(None, locked.network, "redaction.proposed", locked, tracks=len(tracks))
    return locked


def _reviewable(tracks: list[Any]) -> list[Any]:
    """The :data:`MAX_TRACKS` a page holds of a proposal's ``tracks``: faces first, then by their strongest box."""
    return sorted(tracks, key=lambda t: (t.get("label") != "face", -max(b[5] for b in t["boxes"])))[
        :MAX_TRACKS
    ]


def _dims(found: dict[str, Any], item: EvidenceItem) -> dict[str, Any]:
    meta = item.metadata or {}
    width = found.get("width") or meta.get("width") or 0
    height = found.get("height") or meta.get("height") or 0
    fps = found.get("fps") or meta.get("fps") or meta.get("frame_rate") or 0
    frames = found.get("frames") or found.get("frame_count") or 0
    return {"width": _int(width), "height": _int(height), "fps": _float(fps), "frames": _int(frames)}


def _int(value: Any) -> int:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def _fail(redaction: Redaction, code: str) -> Redaction:
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().get(pk=redaction.pk)
        locked.state, locked.error = State.FAILED, code
        locked.save(update_fields=["state", "error"])
        record(None, locked.network, "redaction.failed", locked, code=code)
    return locked


# ---- editing ---------------------------------------------------------------------------------------------------


def clean_tracks(raw: Any, media: dict[str, Any]) -> list[dict[str, Any]]:
    """Tracks as the page and the renderer use them (``amparo.media.redact.Track.to_dict``), or
    :class:`RedactionError` naming what is wrong.

    ``[{"id", "label", "source", "boxes": [[frame, x, y, w, h, score], ...]}]``: key boxes in the original's pixels,
    interpolated between (the renderer's rule); boxes are clipped to the picture and to its frames.
    """
    from amparo.media.redact.model import LABELS, SOURCES, Track

    if not isinstance(raw, list) or len(raw) > MAX_TRACKS:
        raise RedactionError(_("The regions could not be read (too many, or not a list)."))
    width, height = int(media.get("width") or 0), int(media.get("height") or 0)
    frames = int(media.get("frames") or 0) or MAX_FRAMES
    out: list[dict[str, Any]] = []
    total = 0
    seen: set[str] = set()
    for n, track in enumerate(raw):
        unreadable = RedactionError(_("Region %(n)s could not be read.") % {"n": n + 1})
        if not isinstance(track, dict) or not isinstance(track.get("boxes", []), list):
            raise unreadable
        tid = (
            "".join(ch for ch in str(track.get("id") or "") if ch.isalnum() or ch in "-_")[:60] or f"p{n + 1}"
        )
        while tid in seen:
            tid = f"{tid[:56]}-{n + 1}"
        seen.add(tid)
        label = track.get("label") if track.get("label") in LABELS else "face"
        source = track.get("source") if track.get("source") in SOURCES else "person"
        boxes: dict[int, list[Any]] = {}
        for box in track.get("boxes", []):
            if not isinstance(box, list | tuple) or len(box) not in (5, 6):
                raise unreadable
            try:
                frame = int(box[0])
                x, y, w, h = (float(v) for v in box[1:5])
                score = float(box[5]) if len(box) == 6 else 1.0
            except (TypeError, ValueError) as exc:
                raise unreadable from exc
            if not all(math.isfinite(v) for v in (x, y, w, h, score)) or not 0 <= frame < frames:
                raise unreadable
            if width and height:  # clip to the picture
                x0, y0 = max(0.0, min(x, width)), max(0.0, min(y, height))
                x1, y1 = max(0.0, min(x + w, width)), max(0.0, min(y + h, height))
                x, y, w, h = x0, y0, x1 - x0, y1 - y0
            if w < 1 or h < 1:
                continue  # a box moved off the picture hides nothing
            score = min(max(score, 0.0), 1.0)
            boxes[frame] = [frame, round(x, 2), round(y, 2), round(w, 2), round(h, 2), round(score, 4)]
        total += len(boxes)
        if total > MAX_BOXES:
            raise RedactionError(_("Too many regions to save at once."))
        if boxes:
            cleaned = {
                "id": tid,
                "label": label,
                "source": source,
                "boxes": [boxes[f] for f in sorted(boxes)],
            }
            try:
                Track.from_dict(cleaned)  # the renderer's own rules, so an approved track always renders
            except ValueError as exc:
                raise unreadable from exc
            out.append(cleaned)
    return out


def _note_editor(redaction: Redaction, user: Any) -> None:
    if user.pk not in redaction.editors:
        redaction.editors = [*redaction.editors, user.pk]


def do_save(redaction: Redaction, membership: Any, *, tracks: Any, style: str) -> Redaction:
    """A person's edit of the regions and the style; they become an editor (who then cannot approve)."""
    if style not in Style.values:
        raise RedactionError(_("Choose blur or a solid box."))
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().select_related("original").get(pk=redaction.pk)
        _refuse(rules.may_edit(locked, membership))
        cleaned = clean_tracks(tracks, locked.media)
        locked.tracks, locked.style = cleaned, style
        locked.edited_by, locked.edited_at = membership.user, timezone.now()
        _note_editor(locked, membership.user)
        locked.save()
        record(membership.user, locked.network, "redaction.edited", locked, tracks=len(cleaned), style=style)
    return locked


def do_submit(redaction: Redaction, membership: Any) -> Redaction:
    """Send the regions for approval by a second coordinator."""
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().select_related("original").get(pk=redaction.pk)
        _refuse(rules.may_submit(locked, membership))
        locked.state = State.IN_REVIEW
        locked.submitted_by, locked.submitted_at = membership.user, timezone.now()
        _note_editor(locked, membership.user)
        locked.save()
        record(membership.user, locked.network, "redaction.submitted", locked)
    return locked


def do_approve(redaction: Redaction, membership: Any, *, note: str = "") -> Redaction:
    """Four eyes: a second coordinator approves; the copy is rendered, signed and logged by a background task."""
    from amparo.redaction.tasks import render_copy

    with transaction.atomic():
        locked = Redaction.objects.select_for_update().select_related("original").get(pk=redaction.pk)
        _refuse(rules.may_approve(locked, membership))
        if not locked.tracks:
            raise RedactionError(_("There are no regions to hide. Reject it, or add regions first."))
        locked.state = State.APPROVED
        locked.decided_by, locked.decided_at = membership.user, timezone.now()
        locked.decision_note = " ".join(note.split())[:500]
        locked.render_error = ""
        locked.save()
        record(
            membership.user,
            locked.network,
            "redaction.approved",
            locked,
            editors=len(locked.editors),
            regions=locked.region_count,
        )
        enqueue_on_commit(render_copy, locked.pk)
    return locked


def do_reject(redaction: Redaction, membership: Any, *, note: str = "") -> Redaction:
    with transaction.atomic():
        locked = Redaction.objects.select_for_update().get(pk=redaction.pk)
        _refuse(rules.may_reject(locked, membership))
        locked.state = State.REJECTED
        locked.decided_by, locked.decided_at = membership.user, timezone.now()
        locked.decision_note = " ".join(note.split())[:500]
        locked.save()
        record(membership.user, locked.network, "redaction.rejected", locked)
    return locked


# ---- the copy --------------------------------------------------------------------------------------------------


def commitment_of(item: EvidenceItem) -> signing.Commitment:
    """The original as the copy names it: its ``evidence.item`` entry in the log (public), not its hash."""
    from django.conf import settings

    entry = LogEntry.objects.get(index=item.log_index)
    return signing.Commitment(str(settings.LOG_ORIGIN), int(item.log_index), entry.leaf_hash)


def _labels(tracks: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for track in tracks:
        counts[track["label"]] = counts.get(track["label"], 0) + 1
    return counts


def run_render(redaction: Redaction) -> Redaction:
    """The task's body after approval: render from decoded pixels, sign the C2PA manifest, store the copy as a new
    evidence item, and log a ``redacted`` custody event on the original naming the copy's SHA-256."""
    from amparo.media import redact
    from amparo.media.redact.model import Track

    locked = Redaction.objects.select_related("original", "network").get(pk=redaction.pk)
    if locked.state != State.APPROVED or locked.copy_item_id is not None:
        return locked
    item = locked.original
    ext, content_type = ("jpg", "image/jpeg") if item.kind == "image" else ("mp4", "video/mp4")
    with tempfile.TemporaryDirectory(prefix="amparo-redact-") as tmp:
        rendered, signed = Path(tmp) / f"rendered.{ext}", Path(tmp) / f"signed.{ext}"
        try:
            with store.as_local_file(item.sha256) as path:
                tracks = [Track.from_dict(t) for t in locked.tracks]
                redact.render(path, tracks, rendered, style=locked.style, kind=item.kind)
        except store.StoreError:
            return _render_failed(locked, "missing")
        except Exception as exc:  # hostile media: the original is only read, and the page says why
            logger.warning("redaction render failed: %s", type(exc).__name__)
            return _render_failed(locked, _media_code(exc))
        original = commitment_of(item)
        definition = signing.manifest(
            kind=item.kind,
            content_type=content_type,
            original=original,
            style=locked.style,
            labels=_labels(locked.tracks),
            regions=locked.region_count,
        )
        try:
            signing.sign(locked.network, rendered, signed, definition)
        except Exception:
            logger.exception("signing a redacted copy failed")
            return _render_failed(locked, "signing")
        with transaction.atomic():
            again = Redaction.objects.select_for_update().get(pk=locked.pk)
            if again.copy_item_id is not None:
                return again
            copy = vault.ingest_path(
                signed,
                network=item.network,
                actor=None,
                report=item.report,
                source="redaction",
                consent_uses=vault.consents.uses_of(item),
            )
            event = vault.record_custody(
                item,
                "redacted",
                again.decided_by,
                copy_sha256=copy.sha256,
                copy_receipt=copy.receipt_code,
                style=again.style,
                regions=again.region_count,
            )
            again.copy_item = copy
            again.custody_log_index = event.log_index
            again.render_error = ""
            again.save(update_fields=["copy_item", "custody_log_index", "render_error"])
            record(None, again.network, "redaction.rendered", again, copy=copy.sha256)
            from amparo.public.tasks import rebuild_public_layer

            enqueue_on_commit(rebuild_public_layer)
    return again


def _render_failed(redaction: Redaction, code: str) -> Redaction:
    Redaction.objects.filter(pk=redaction.pk).update(render_error=code)
    record(None, redaction.network, "redaction.render_failed", redaction, code=code)
    redaction.render_error = code
    return redaction


def do_retry_render(redaction: Redaction, membership: Any) -> None:
    from amparo.redaction.tasks import render_copy

    if not membership.can("redaction.approve"):
        raise RedactionError(rules.REASONS["no_role"])
    if redaction.state != State.APPROVED or redaction.copy_item_id is not None:
        raise RedactionError(rules.REASONS["wrong_state"])
    Redaction.objects.filter(pk=redaction.pk).update(render_error="")
    record(membership.user, redaction.network, "redaction.render_retried", redaction)
    enqueue_on_commit(render_copy, redaction.pk)
