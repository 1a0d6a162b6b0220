"""The hourly maintenance redoes background work that a lost job left undone: fingerprints, log integration."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from amparo.evidence import log, maintenance, vault
from amparo.evidence.models import EvidenceItem, Fingerprint, LogEntry
from amparo.evidence.samples import jpeg_with_gps
from amparo.testing import Personas


def test_pictures_left_without_fingerprints_are_fingerprinted_by_the_sweep(personas: Personas) -> None:
    # In a test the ingest's on-commit job never runs: exactly the state a job lost with its worker leaves.
    lost = vault.ingest(io.BytesIO(jpeg_with_gps(seed=21)), network=personas.north)
    fresh = vault.ingest(io.BytesIO(jpeg_with_gps(seed=22)), network=personas.north)
    old = vault.ingest(io.BytesIO(jpeg_with_gps(seed=23)), network=personas.north)
    now = timezone.now()
    EvidenceItem.objects.filter(pk=lost.pk).update(received_at=now - timedelta(minutes=30))
    EvidenceItem.objects.filter(pk=old.pk).update(received_at=now - timedelta(days=5))
    assert not Fingerprint.objects.exists()

    done = maintenance.run()  # the test settings run enqueued tasks at once (immediate backend)

    assert done["fingerprints_requeued"] == 1
    assert set(Fingerprint.objects.values_list("item_id", flat=True)) == {lost.pk}
    assert not fresh.fingerprints.exists(), "a job enqueued minutes ago may still be waiting: left alone"
    assert not old.fingerprints.exists(), "not retried hourly forever"
    assert maintenance.run()["fingerprints_requeued"] == 0, "done once"


def test_committed_log_entries_left_unintegrated_are_integrated_by_the_sweep(personas: Personas) -> None:
    vault.ingest(io.BytesIO(jpeg_with_gps(seed=24)), network=personas.north)
    entries = LogEntry.objects.count()
    assert log.fresh_tile_log().size < entries  # its on-commit integration never ran
    done = maintenance.run()
    assert done["log_entries_integrated"] >= 1
    assert log.fresh_tile_log().size == entries
