"""Authorised deletion of an original: bytes and copies gone from every store, a tombstone in the log and audit."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from amparo.audit.models import AuditEvent
from amparo.evidence import consent, deletion, derived, log, store, vault
from amparo.evidence.checkall import verify_all
from amparo.evidence.models import CustodyEvent, EvidenceItem, Fingerprint
from amparo.evidence.tasks import fingerprint_item
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.ledger import verify_receipt
from amparo.seaweed import SeaweedS3
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def _item(personas: Personas, seed: int = 21) -> EvidenceItem:
    item = vault.ingest(
        io.BytesIO(jpeg_with_gps(seed=seed)), network=personas.north, filename="w.jpg", consent="legal_use"
    )
    fingerprint_item(item)
    assert derived.get(item, "thumb") is not None
    log.integrate_pending()
    return item


def _post_delete(client: Client, item: EvidenceItem, **overrides: str) -> object:
    data = {"reason": "court_order", "authority": "Case 26-CV-0142", "confirm": item.sha256[:12], **overrides}
    return client.post(f"/evidence/{item.code}/delete/", data)


def test_a_coordinator_deletes_an_original_and_the_log_keeps_a_tombstone(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    item = _item(personas)
    thumb = derived.path_for(item.sha256, item.kind, "thumb")
    receipt = vault.receipt_for(item)
    assert store.exists(item.sha256) and thumb.exists() and Fingerprint.objects.filter(item=item).exists()

    response = _post_delete(client_as("alice"), item)
    assert response.status_code == 302  # type: ignore[attr-defined]
    item.refresh_from_db()
    assert item.deleted_at is not None and item.deletion_reason == "court_order"
    assert not store.exists(item.sha256) and not thumb.exists()
    assert not Fingerprint.objects.filter(item=item).exists()
    tombstone = CustodyEvent.objects.get(item=item, action="deleted")
    assert tombstone.detail == {"reason": "court_order", "authority": "Case 26-CV-0142"}
    assert AuditEvent.objects.filter(action="evidence.deleted").count() == 1
    log.integrate_pending()
    # The receipt the witness got still verifies: the item's leaf is still in the log.
    from amparo.evidence.models import LogEntry

    assert receipt is not None
    later = log.receipt(item.log_index)
    assert later is not None
    verify_receipt(
        later,
        bytes(LogEntry.objects.get(index=item.log_index).leaf),
        log.verifier_key(),
    )
    report = verify_all()
    assert report.ok, report.failures
    assert any("1 deleted items" in line for line in report.checked)

    # No door is open any more, and the page says what happened.
    alice = client_as("alice")
    assert alice.post(f"/evidence/{item.code}/download/").status_code == 410
    assert alice.get(f"/evidence/{item.code}/thumbnail/").status_code == 404
    page = alice.get(f"/evidence/{item.code}/").content.decode()
    assert item.deleted_at is not None and item.deleted_at.strftime("%Y-%m-%d %H:%M") in page
    assert f"/evidence/{item.code}/delete/" not in page and f"/evidence/{item.code}/download/" not in page
    assert not consent.may_leave(item, consent.LEGAL) and not consent.may_leave(item, consent.INTERNAL)


def test_a_bundle_made_afterwards_explains_the_gap(personas: Personas, tmp_path: Path) -> None:
    kept, gone = _item(personas, 1), _item(personas, 2)
    deletion.delete_original(
        gone, reason="witness_withdrew", authority="follow-up code", actor=personas.user("alice")
    )
    gone.refresh_from_db()
    out = tmp_path / "b.zip"
    withheld = vault.build_bundle([kept, gone], out, personas.user("alice"))
    assert [(w.code, d.reason) for w, d in withheld] == [(gone.code, "deleted")]
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
    assert not any(gone.sha256 in n for n in names) and any(kept.sha256 in n for n in names)
    assert "deleted" in json.dumps(manifest)


def test_deletion_refuses_a_wrong_confirmation_a_reader_and_a_second_try(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    item = _item(personas)
    alice = client_as("alice")
    _post_delete(alice, item, confirm="000000000000")
    _post_delete(alice, item, reason="")
    _post_delete(alice, item, authority="   ")
    item.refresh_from_db()
    assert item.deleted_at is None and store.exists(item.sha256), "a bad form deletes nothing"
    for name in ("vera", "carla", "rita"):
        assert _post_delete(client_as(name), item).status_code == 403  # type: ignore[attr-defined]
    assert _post_delete(client_as("bob"), item).status_code == 404  # type: ignore[attr-defined]
    assert store.exists(item.sha256)
    _post_delete(alice, item)
    with pytest.raises(deletion.DeletionError):
        deletion.delete_original(item, reason="court_order", authority="again", actor=personas.user("alice"))
    assert CustodyEvent.objects.filter(item=item, action="deleted").count() == 1


def test_identical_bytes_another_witness_sent_are_kept(personas: Personas) -> None:
    first = _item(personas, 7)
    second = vault.ingest(io.BytesIO(jpeg_with_gps(seed=7)), network=personas.north, filename="x.jpg")
    assert second.sha256 == first.sha256
    done = deletion.delete_original(first, reason="witness_withdrew", authority="follow-up", actor=None)
    assert not done.bytes_removed and store.exists(first.sha256), "the other witness's copy is theirs"
    log.integrate_pending()
    assert verify_all().ok


def test_verify_reports_bytes_that_survived_a_deletion(personas: Personas, settings: object) -> None:
    item = _item(personas)
    data = jpeg_with_gps(seed=21)
    deletion.delete_original(item, reason="court_order", authority="Case 1", actor=None)
    log.integrate_pending()
    # Put the bytes back behind Amparo's back: verify must say so.
    with store.receive(io.BytesIO(data)) as received:
        store.commit(received)
    report = verify_all()
    assert any("still stored" in f for f in report.failures), report.failures


def test_deleting_in_s3_removes_the_object_and_the_shared_copies(
    personas: Personas, s3: SeaweedS3, settings: object
) -> None:
    item = _item(personas, 31)
    bucket = settings.EVIDENCE_S3_BUCKET  # type: ignore[attr-defined]
    keys = {o["Key"] for o in s3.client().list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert store.relative_name(item.sha256) in keys and any(k.startswith("derived/") for k in keys)
    done = deletion.delete_original(item, reason="court_order", authority="Case 2", actor=None)
    assert done.bytes_removed and done.copies_removed >= 2  # the local cache and the shared object
    assert s3.client().list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
    log.integrate_pending()
    assert verify_all().ok


def test_the_command_line_deletes_and_names_earlier_backups(personas: Personas, settings: object) -> None:
    import time

    from amparo.cli import main

    item = _item(personas)
    (Path(settings.DATA_DIR) / "backups.jsonl").write_text(  # type: ignore[attr-defined]
        json.dumps({"at": time.time() + 1, "out": "/media/usb/amparo-backup", "originals": 1}) + "\n"
    )
    assert (
        main(
            [
                "evidence",
                "delete",
                str(item.code),
                "--reason",
                "court_order",
                "--authority",
                "Case 3",
                "--confirm",
                "nope",
            ]
        )
        == 2
    )
    assert store.exists(item.sha256)
    assert deletion.backups_before(item) == [
        {"at": pytest.approx(time.time() + 1, abs=60), "out": "/media/usb/amparo-backup", "originals": 1}
    ]
    assert (
        main(
            [
                "evidence",
                "delete",
                str(item.code),
                "--reason",
                "court_order",
                "--authority",
                "Case 3",
                "--confirm",
                item.sha256[:12],
            ]
        )
        == 0
    )
    assert not store.exists(item.sha256)


def test_the_footage_searchs_crops_and_cached_fingerprints_go_with_the_original(
    personas: Personas, client_as: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the footage search derived from the original's pixels (its zoomed crops and this server's cached query
    fingerprints) is deleted with it; another server's cached copy goes with the hourly maintenance."""
    from amparo.corroboration import footage
    from amparo.corroboration import maintenance as footage_maintenance
    from amparo.corroboration.models import ZoomedCrops

    item, other = _item(personas), _item(personas, seed=22)
    for each in (item, other):
        assert footage.item_query(each) is not None
        ZoomedCrops.objects.create(item=each, **ZoomedCrops.packed([(0.0, bytes(32), 80)]))
    cached = footage.index_dir() / footage.CACHE_DIR / f"{item.sha256}.json"
    kept = footage.index_dir() / footage.CACHE_DIR / f"{other.sha256}.json"
    assert cached.exists() and kept.exists()

    assert _post_delete(client_as("alice"), item).status_code == 302  # type: ignore[attr-defined]
    assert not cached.exists() and kept.exists()
    assert not ZoomedCrops.objects.filter(item=item).exists()
    assert ZoomedCrops.objects.filter(item=other).exists()

    # another server cached it before the deletion: its next maintenance removes it, and keeps the living item's
    # (asked about one file a query, as a cache larger than a query's parameters is)
    monkeypatch.setattr(footage, "SWEEP_BATCH", 1)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(kept.read_text(encoding="utf-8"), encoding="utf-8")
    done = footage_maintenance.run()
    assert done["cached_fingerprints_of_deleted_removed"] == 1
    assert not cached.exists() and kept.exists()
