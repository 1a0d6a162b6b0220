"""Redacted copies on the public layer: rebuilt with it, from scratch, in the same transaction.

:func:`rebuild_clips` is called by ``amparo.public.anonymise.rebuild`` with the incidents it has just published, so
a copy appears only next to an incident the public layer shows (marked public by a coordinator, a publishable
verification level, past its embargo, not held back as a small cell), and only if :func:`rules.publishable` says so
(approved by a second coordinator, publication consent still given, the copy made). A withdrawn consent, a deletion
or an unpublished incident removes the copy at the next rebuild.
"""

from __future__ import annotations

from amparo.evidence import consent
from amparo.evidence.models import LogEntry
from amparo.redaction import rules
from amparo.redaction.models import PublicClip, Redaction, State

CONTENT_TYPES = {"image": ("image/jpeg", "jpg"), "video": ("video/mp4", "mp4")}
BATCH = 2000


def rebuild_clips(published: dict[int, str]) -> int:
    """Replace every public clip with those of the ``published`` incidents (incident id -> public id)."""
    PublicClip.objects.all().delete()
    rows: list[PublicClip] = []
    ids = list(published)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        candidates = (
            Redaction.objects.filter(
                state=State.APPROVED, copy_item__isnull=False, original__report__incident_id__in=chunk
            )
            .select_related("original", "original__report", "copy_item")
            .order_by("pk")
        )
        for redaction in candidates:
            copy, original = redaction.copy_item, redaction.original
            report = original.report
            if (
                copy is None
                or report is None
                or report.incident_id is None
                or redaction.custody_log_index is None
            ):
                continue
            if not rules.publishable(redaction) or not consent.may_leave(copy, consent.PUBLIC):
                continue
            if original.network_id != redaction.network_id or copy.kind not in CONTENT_TYPES:
                continue
            entry = LogEntry.objects.filter(index=original.log_index).only("leaf_hash").first()
            if entry is None:
                continue
            content_type, ext = CONTENT_TYPES[copy.kind]
            rows.append(
                PublicClip(
                    public_id=published[report.incident_id],
                    redaction=redaction,
                    sha256=copy.sha256,
                    kind=copy.kind,
                    content_type=content_type,
                    extension=ext,
                    size=copy.size,
                    log_index=redaction.custody_log_index,
                    original_log_index=original.log_index,
                    original_leaf_hash=entry.leaf_hash,
                )
            )
    PublicClip.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def still_public(clip: PublicClip) -> bool:
    """Checked again when a clip is shown or served: a consent withdrawn or a file deleted since the last rebuild
    takes it off at once, not at the next rebuild."""
    redaction = clip.redaction
    copy = redaction.copy_item
    return (
        bool(rules.publishable(redaction))
        and copy is not None
        and copy.sha256 == clip.sha256
        and bool(consent.may_leave(copy, consent.PUBLIC))
    )


def clips_of(public_id: str) -> list[PublicClip]:
    """The clips the public page of incident ``public_id`` shows."""
    rows = PublicClip.objects.filter(public_id=public_id).select_related(
        "redaction", "redaction__original", "redaction__copy_item"
    )
    return [clip for clip in rows if still_public(clip)]
