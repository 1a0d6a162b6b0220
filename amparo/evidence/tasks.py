"""Background work of the evidence app (django-tasks): log integration, perceptual fingerprints, video previews."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from amparo.evidence import derived, log, sandbox, store
from amparo.evidence.models import EvidenceItem, Fingerprint
from amparo.outage import outage_kind, patiently

logger = logging.getLogger("amparo.evidence")


@task()
def integrate_log() -> int:
    """Integrate pending log entries into the tiles and publish a checkpoint; returns the log size. Many of these
    can wait at once (each web server that found the sequencer busy enqueued one): all but the first find nothing
    left and cost a read."""
    return patiently(log.integrate_if_pending)


def fingerprint_item(item: EvidenceItem) -> int:
    """PDQ of an image, or of one video frame a second; stored as Fingerprint rows. Returns how many.

    Only items the sandboxed probe could read are decoded, and then in a sandbox of their own (sandbox.py).
    """
    if item.probe_error or item.kind not in ("image", "video"):
        logger.info(
            "evidence item %s not fingerprinted: kind %s, probe error %r",
            item.pk,
            item.kind,
            item.probe_error,
        )
        return 0
    if item.fingerprints.exists():
        return 0
    with store.as_local_file(item.sha256) as path:
        found = sandbox.fingerprint(path, item.kind)
    kind = Fingerprint.Kind.IMAGE if item.kind == "image" else Fingerprint.Kind.VIDEO_FRAME
    rows = [Fingerprint(item=item, kind=kind, second=s, bits=b, quality=q) for s, b, q in found]
    # A job can run twice (retried after its worker died, or re-enqueued by the maintenance sweep while the first
    # copy still waited): the item's row lock makes the second one see the first one's rows and add none.
    with transaction.atomic():
        EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
        if item.fingerprints.exists():
            return 0
        Fingerprint.objects.bulk_create(rows)
    return len(rows)


@task()
def compute_fingerprints(item_id: int) -> int:
    return patiently(lambda: _fingerprint(item_id))


def _fingerprint(item_id: int) -> int:
    item = EvidenceItem.objects.filter(pk=item_id).first()
    if item is None:
        logger.info("evidence item %s to fingerprint is not there", item_id)
        return 0
    try:
        return fingerprint_item(item)
    except Exception as exc:  # a file the probe accepted but the hasher cannot read: recorded, never fatal
        if outage_kind(exc) is not None:
            raise  # the database or store is down for a moment: try again (patiently, then RQ's retries)
        logger.exception("fingerprinting failed for an evidence item")
        return 0


@task()
def make_video_preview(item_id: int) -> bool:
    """The thumbnail and viewing copy of a video, made once after ingest (pictures get theirs on first view)."""
    return patiently(lambda: _preview(item_id))


def _preview(item_id: int) -> bool:
    item = EvidenceItem.objects.filter(pk=item_id).first()
    if item is None or item.kind != "video":
        return False
    try:
        return derived.make(item)["view"] is not None
    except Exception as exc:  # a copy is a convenience: its failure must never touch the evidence
        if outage_kind(exc) is not None:
            raise
        logger.exception("no viewing copy for an evidence item")
        return False
