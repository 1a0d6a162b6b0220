"""Hourly clean-up (amparo.tasks.maintenance): zoomed crops of stored videos that no job made (a job lost, or items
stored before crops were kept), and crops of deleted originals (the index leaves those out already)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

# An item's crop job follows its fingerprint job; one still missing after this long was lost, not slow.
OVERDUE = timedelta(minutes=10)
BATCH = 100  # each is a decode of the original: a backlog of older items is worked off a hundred an hour


def requeue_crops() -> int:
    """Enqueue the zoomed crops of videos that have fingerprint rows but no crops; returns how many."""
    from amparo.corroboration.tasks import store_zoomed_crops
    from amparo.evidence.models import EvidenceItem

    ids = list(
        EvidenceItem.objects.filter(
            kind="video",
            probe_error="",
            deleted_at__isnull=True,
            fingerprints__isnull=False,
            zoomed_crops__isnull=True,
            received_at__lt=timezone.now() - OVERDUE,
        )
        .distinct()
        .order_by("-received_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in ids:
        store_zoomed_crops.enqueue(pk)
    return len(ids)


def purge_deleted() -> int:
    from amparo.corroboration.models import ZoomedCrops

    removed, _per_model = ZoomedCrops.objects.filter(item__deleted_at__isnull=False).delete()
    return removed


def run() -> dict[str, int]:
    from amparo.corroboration.footage import sweep_cached

    return {
        "zoomed_crops_requeued": requeue_crops(),
        "zoomed_crops_of_deleted_removed": purge_deleted(),
        "cached_fingerprints_of_deleted_removed": sweep_cached(),
    }
