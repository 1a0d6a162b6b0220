"""Hourly clean-up (amparo.tasks.maintenance): temporary files of ingests that were killed mid-write, and work that
background jobs should have done but did not (a job lost with Redis, or failed on every retry: amparo/tasks_rq.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from amparo.evidence import log, store

# An item's fingerprint job is enqueued at ingest; one still missing after this long was lost, not slow.
OVERDUE = timedelta(minutes=10)
# Items received longer ago than this are not retried hourly forever (a file whose decode always fails).
WINDOW = timedelta(days=2)
BATCH = 500


def requeue_fingerprints() -> int:
    """Enqueue the fingerprinting of recent pictures and videos that have none; returns how many."""
    from amparo.evidence.models import EvidenceItem
    from amparo.evidence.tasks import compute_fingerprints

    now = timezone.now()
    ids = list(
        EvidenceItem.objects.filter(
            kind__in=("image", "video"),
            probe_error="",
            deleted_at__isnull=True,
            fingerprints__isnull=True,
            received_at__lt=now - OVERDUE,
            received_at__gte=now - WINDOW,
        ).values_list("pk", flat=True)[:BATCH]
    )
    for pk in ids:
        compute_fingerprints.enqueue(pk)
    return len(ids)


def run() -> dict[str, int]:
    integrated_before = log.fresh_tile_log().size
    size = log.integrate_pending()  # entries committed but never integrated (their task was lost)
    return {
        "evidence_temporary_removed": store.sweep_temporary(),
        "log_entries_integrated": size - integrated_before,
        "fingerprints_requeued": requeue_fingerprints(),
    }
