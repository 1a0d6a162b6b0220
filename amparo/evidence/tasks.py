"""Background work of the evidence app (django-tasks): log integration and perceptual fingerprints."""

from __future__ import annotations

import logging

from django_tasks import task

from amparo.evidence import log, store
from amparo.evidence.models import EvidenceItem, Fingerprint

logger = logging.getLogger("amparo.evidence")
MAX_VIDEO_SECONDS = 600.0  # fingerprints cover the first ten minutes


@task()
def integrate_log() -> int:
    """Integrate pending log entries into the tiles and publish a checkpoint; returns the log size."""
    return log.integrate_pending()


def fingerprint_item(item: EvidenceItem) -> int:
    """PDQ of an image, or of one video frame a second; stored as Fingerprint rows. Returns how many.

    Only items the sandboxed probe could read are decoded here, with Pillow's pixel limit in force.
    """
    if item.probe_error or item.kind not in ("image", "video") or item.fingerprints.exists():
        return 0
    rows: list[Fingerprint] = []
    with store.as_local_file(item.sha256) as path:
        if item.kind == "image":
            from PIL import Image, ImageOps

            from amparo.media.pdq import image_hash

            with Image.open(path) as img:
                bits, quality = image_hash(ImageOps.exif_transpose(img) or img)
            rows.append(Fingerprint(item=item, kind=Fingerprint.Kind.IMAGE, bits=bits, quality=quality))
        else:
            from amparo.media.video import fingerprint_video

            fp = fingerprint_video(path, max_seconds=MAX_VIDEO_SECONDS)
            for second, bits, quality in fp.frames:
                rows.append(
                    Fingerprint(
                        item=item,
                        kind=Fingerprint.Kind.VIDEO_FRAME,
                        second=second,
                        bits=bits,
                        quality=quality,
                    )
                )
    Fingerprint.objects.bulk_create(rows)
    return len(rows)


@task()
def compute_fingerprints(item_id: int) -> int:
    item = EvidenceItem.objects.filter(pk=item_id).first()
    if item is None:
        return 0
    try:
        return fingerprint_item(item)
    except Exception:  # a file the probe accepted but the hasher cannot read: recorded, never fatal
        logger.exception("fingerprinting failed for an evidence item")
        return 0
