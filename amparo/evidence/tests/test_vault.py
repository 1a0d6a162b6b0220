"""Ingest round trips with real media, dedupe, custody, the log and receipts."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings

from amparo.audit.models import AuditEvent
from amparo.evidence import log, store, vault
from amparo.evidence.models import CustodyEvent, EvidenceItem, Fingerprint, LogEntry
from amparo.evidence.tests.media import jpeg_with_gps, short_video
from amparo.ledger import decode_leaf, verify_receipt
from amparo.testing import Personas


def test_it_ingests_a_jpeg_with_exif_and_gps(personas: Personas) -> None:
    data = jpeg_with_gps()
    item = vault.ingest(
        io.BytesIO(data), network=personas.north, filename="Maria Lopez raid.JPG", actor=personas.user("omar")
    )
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.size == len(data)
    assert item.extension == "jpg" and "Maria" not in str(EvidenceItem.objects.values().get(pk=item.pk))
    assert item.kind == "image" and item.mime_sniffed == "image/jpeg" and item.probe_error == ""
    assert item.metadata["gps"]["lat"].startswith("41.875")
    assert item.metadata["device_model"] == "TestPhone 1"
    assert item.metadata["captured_at"] == "2026-11-20T13:15:00+00:00"
    assert item.metadata_digest == vault.metadata_digest(EvidenceItem.objects.get(pk=item.pk).metadata)
    with store.open_original(item.sha256) as fh:
        assert fh.read() == data
    assert len(item.receipt_code) == 11 and item.receipt_code[5] == "-"
    received = CustodyEvent.objects.get(item=item)
    assert received.action == "received" and received.actor_label == "omar"
    assert AuditEvent.objects.filter(action="evidence.received", object_code=str(item.code)).exists()


def test_it_ingests_a_real_video_and_fingerprints_it(personas: Personas, tmp_path: Path) -> None:
    data = short_video(tmp_path / "clip.mp4")
    item = vault.ingest_path(tmp_path / "clip.mp4", network=personas.north)
    assert item.kind == "video" and item.metadata["video_codec"] in ("h264", "mpeg4")
    assert item.metadata["duration_s"] == "2.0"
    assert item.size == len(data)
    from amparo.evidence.tasks import fingerprint_item

    stored = fingerprint_item(item)
    rows = Fingerprint.objects.filter(item=item, kind="video_frame")
    assert stored == rows.count() >= 4 * 7  # per sample: the whole picture and at least six regions
    assert len(set(rows.values_list("second", flat=True))) == 4  # two samples a second
    assert all(len(bytes(f.bits)) == 32 for f in Fingerprint.objects.filter(item=item))


def test_identical_bytes_are_stored_once_but_each_submission_gets_its_own_receipt(personas: Personas) -> None:
    data = jpeg_with_gps(seed=5)
    a = vault.ingest(io.BytesIO(data), network=personas.north)
    b = vault.ingest(io.BytesIO(data), network=personas.north)
    assert a.sha256 == b.sha256
    assert a.receipt_code != b.receipt_code and a.nonce != b.nonce and a.commitment != b.commitment
    base = Path(settings.EVIDENCE_DIR)
    files = [p for p in base.rglob("*") if p.is_file() and p.relative_to(base).parts[0] != "tmp"]
    assert [p.name for p in files] == [a.sha256]


def test_log_entries_are_gapless_and_receipts_verify(personas: Personas) -> None:
    items = [vault.ingest(io.BytesIO(jpeg_with_gps(seed=s)), network=personas.north) for s in range(3)]
    vault.record_custody(items[0], "viewed", personas.user("alice"), page="detail")
    assert vault.receipt_for(items[0]) is None  # not integrated yet
    size = log.integrate_pending()
    indices = list(LogEntry.objects.values_list("index", flat=True))
    assert indices == list(range(7)) and size == 7
    for item in items:
        receipt = vault.receipt_for(item)
        assert receipt is not None
        got = verify_receipt(
            receipt, bytes(LogEntry.objects.get(index=item.log_index).leaf), log.verifier_key()
        )
        assert got.index == item.log_index and got.tree_size == 7
        kind, payload = decode_leaf(got.extra or b"")
        assert kind == "evidence.item" and payload["commitment"] == item.commitment
        assert item.sha256 not in (got.extra or b"").decode()


def test_it_refuses_to_change_log_rows(personas: Personas) -> None:
    vault.ingest(io.BytesIO(b"x"), network=personas.north)
    entry = LogEntry.objects.get(index=0)
    with pytest.raises(ValueError):
        entry.save()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(index=0).update(leaf=b"evil")
