"""From a witness's picture or video to an approved, signed, logged redacted copy on the public page (service level,
real detector and renderer in the media sandbox, real log, real C2PA)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from amparo.evidence import log, store, vault
from amparo.evidence.checkall import verify_all
from amparo.evidence.models import CustodyEvent, EvidenceItem, LogEntry
from amparo.evidence.offline import verify_bundle
from amparo.ledger import decode_leaf, leaf_hash, parse_receipt, verify_receipt
from amparo.public import anonymise
from amparo.public.tests.helpers import body
from amparo.redaction import actions, signing
from amparo.redaction.models import PublicClip, State
from amparo.redaction.tests.helpers import face_jpeg, face_video, ingest, make_desk
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def _approved(desk: Any, item: EvidenceItem, commit: Any) -> Any:
    with commit(execute=True):  # the tasks run at once after the commit: immediate backend in tests
        redaction = actions.do_request_proposal(item, desk.alice)
    redaction.refresh_from_db()
    assert redaction.state == State.PROPOSED, redaction.error
    redaction = actions.do_save(redaction, desk.alice, tracks=redaction.tracks, style="blur")
    redaction = actions.do_submit(redaction, desk.alice)
    with commit(execute=True):
        actions.do_approve(redaction, desk.cora)
    redaction.refresh_from_db()
    return redaction


def test_a_picture_goes_from_proposal_to_a_signed_logged_public_copy(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    desk = make_desk(personas)
    original_bytes = face_jpeg()
    item = ingest(desk, original_bytes)
    redaction = _approved(desk, item, django_capture_on_commit_callbacks)

    assert redaction.tracks and redaction.tracks[0]["label"] == "face"  # the astronaut's face was found
    copy = redaction.copy_item
    assert copy is not None and copy.pk != item.pk and copy.source == "redaction"
    assert copy.sha256 != item.sha256
    item.refresh_from_db()
    assert store.rehash(item.sha256) == (hashlib.sha256(original_bytes).hexdigest(), len(original_bytes))
    copy_bytes = store.open_original(copy.sha256).read()
    assert b"TestMake" not in copy_bytes and b"GPS" not in copy_bytes  # decoded pixels, no metadata

    # the "redacted" custody event on the original names the copy's hash in the clear, the original by commitment
    event = CustodyEvent.objects.get(item=item, action="redacted")
    assert event.log_index == redaction.custody_log_index
    kind, payload = decode_leaf(bytes(LogEntry.objects.get(index=event.log_index).leaf))
    assert kind == "custody.redacted"
    assert payload["copy"] == copy.sha256 == hashlib.sha256(copy_bytes).hexdigest()
    assert payload["item"] == item.commitment
    assert item.sha256 not in bytes(LogEntry.objects.get(index=event.log_index).leaf).decode()

    # the C2PA manifest, read back with c2pa-python, names the original by its log entry, not its hash
    manifest = signing.read(copy_bytes, "image/jpeg")
    named = signing.original_of(manifest)
    assert named is not None
    assert named.leaf_index == item.log_index
    assert named.leaf_hash == LogEntry.objects.get(index=item.log_index).leaf_hash
    log.integrate_pending()  # and in the published log itself: the entry at that index is the original's leaf
    published = log.fresh_tile_log().entry(named.leaf_index)
    assert published == vault.item_leaf(item) and leaf_hash(published).hex() == named.leaf_hash
    assert decode_leaf(published)[1]["commitment"] == item.commitment
    active = manifest["manifests"][manifest["active_manifest"]]
    actions_done = [
        a["action"]
        for a in next(a for a in active["assertions"] if a["label"].startswith("c2pa.actions"))["data"][
            "actions"
        ]
    ]
    assert actions_done == ["c2pa.opened", "c2pa.edited"]
    assert item.sha256 not in str(manifest)
    failures = [
        s for s in manifest.get("validation_status", []) if s["code"] != "signingCredential.untrusted"
    ]
    assert not failures, (
        failures
    )  # signature and hashes valid; only the self-made chain is unknown to readers

    # the public layer shows it next to what officials said, with its receipt
    anonymise.rebuild()
    clip = PublicClip.objects.get()
    assert clip.sha256 == copy.sha256 and clip.original_log_index == item.log_index
    page = Client().get(f"/public/incidents/{clip.public_id}/?lang=en")
    assert page.status_code == 200
    assert f"/public/clips/{copy.sha256}.jpg".encode() in page.content
    assert b"How to check this" in page.content
    served = Client().get(f"/public/clips/{copy.sha256}.jpg")
    assert body(served) == copy_bytes
    log.integrate_pending()
    receipt = Client().get(f"/public/clips/{copy.sha256}.redaction.tlog-proof")
    assert receipt.status_code == 200
    parsed = parse_receipt(receipt.content)
    assert parsed.index == event.log_index and parsed.extra is not None
    assert decode_leaf(parsed.extra)[1]["copy"] == hashlib.sha256(copy_bytes).hexdigest()
    verify_receipt(receipt.content, parsed.extra, [log.verifier_key()])


def test_a_video_is_redacted_as_a_new_mp4_and_the_original_is_untouched(
    personas: Personas, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    desk = make_desk(personas)
    original = face_video(tmp_path / "clip.mp4")
    item = ingest(desk, original, name="clip.mp4")
    redaction = _approved(desk, item, django_capture_on_commit_callbacks)
    assert redaction.tracks, "the moving face was not proposed"
    assert redaction.media["frames"] == 15 and redaction.media["width"] == 320
    copy = redaction.copy_item
    assert copy is not None and copy.kind == "video"
    data = store.open_original(copy.sha256).read()
    named = signing.original_of(signing.read(data, "video/mp4"))
    assert named is not None and named.leaf_index == item.log_index
    assert store.rehash(item.sha256)[0] == hashlib.sha256(original).hexdigest()
    assert EvidenceItem.objects.filter(pk=item.pk, deleted_at__isnull=True).exists()

    # the whole vault still verifies with the "redacted" entry in it, and so does a lawyer's bundle of the original
    log.integrate_pending()
    report = verify_all()
    assert report.ok, report.failures
    bundle = tmp_path / "bundle.zip"
    vault.build_bundle([item], bundle, desk.alice.user, use="internal")
    checked = verify_bundle(bundle)
    assert checked.ok, checked.failures


@pytest.mark.django_db(transaction=True)
def test_the_networks_signing_key_is_made_at_setup_where_backups_seal_keys(personas: Personas) -> None:
    from django.conf import settings

    key, chain = signing.key_paths(personas.north)  # made when the network was created (after its commit)
    assert key.is_file() and chain.is_file() and key.stat().st_mode & 0o777 == 0o600
    # ``amparo backup`` seals every file directly in KEYS_DIR (amparo/backup.py) and restore refuses sub-folders
    assert key.parent == chain.parent == Path(settings.KEYS_DIR)
    other_key, _chain = signing.key_paths(personas.south)
    assert other_key.is_file() and other_key.read_bytes() != key.read_bytes()  # one key per network
