"""Evidence on a real S3 server (SeaweedFS on loopback, through django-storages and boto3)."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path

import pytest
from django.test import Client

from amparo.evidence import derived, log, store, vault
from amparo.evidence.checkall import verify_all
from amparo.evidence.models import EvidenceItem
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.ledger import verify_checkpoint
from amparo.seaweed import SeaweedS3
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def _objects(s3: SeaweedS3, bucket: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for page in s3.client().get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for obj in page.get("Contents", []):
            out[obj["Key"]] = obj["Size"]
    return out


def test_originals_go_to_the_bucket_whole_and_once(
    personas: Personas, s3: SeaweedS3, settings: object
) -> None:
    data = jpeg_with_gps(seed=5)
    first = vault.ingest(io.BytesIO(data), network=personas.north, filename="a.jpg")
    again = vault.ingest(io.BytesIO(data), network=personas.north, filename="b.jpg")
    bucket = settings.EVIDENCE_S3_BUCKET  # type: ignore[attr-defined]
    name = store.relative_name(first.sha256)
    assert _objects(s3, bucket) == {name: len(data)}, "identical bytes are stored once"
    body = s3.client().get_object(Bucket=bucket, Key=name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == first.sha256 == again.sha256
    with store.open_original(first.sha256) as fh:
        assert fh.read() == data
    local = [p for p in Path(settings.EVIDENCE_DIR).rglob("*") if p.is_file()]  # type: ignore[attr-defined]
    assert local == [], "only the temporary file was local, and it is gone"


def test_a_large_original_is_never_visible_half_uploaded(
    personas: Personas, s3: SeaweedS3, settings: object
) -> None:
    data = os.urandom(24 << 20)  # over boto3's multipart threshold: uploaded in parts
    sha = hashlib.sha256(data).hexdigest()
    bucket = settings.EVIDENCE_S3_BUCKET  # type: ignore[attr-defined]
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        client = s3.client()
        while not done.is_set():
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                seen.extend(obj["Size"] for obj in page.get("Contents", []))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        item = vault.ingest(io.BytesIO(data), network=personas.north, filename="long.mp4")
    finally:
        done.set()
        watcher.join()
    assert item.sha256 == sha
    assert set(seen) <= {len(data)}, f"a partial object was listed: sizes {sorted(set(seen))}"
    assert _objects(s3, bucket) == {store.relative_name(sha): len(data)}


def test_derived_copies_are_made_once_and_shared_by_every_server(
    personas: Personas, s3: SeaweedS3, settings: object, tmp_path: Path
) -> None:
    item = vault.ingest(io.BytesIO(jpeg_with_gps(seed=9)), network=personas.north, filename="c.jpg")
    made = derived.get(item, "thumb")
    assert made is not None and made.read_bytes().startswith(b"\xff\xd8")
    bucket = settings.EVIDENCE_S3_BUCKET  # type: ignore[attr-defined]
    shared = [k for k in _objects(s3, bucket) if k.startswith("derived/")]
    assert shared == [f"derived/{item.sha256[:2]}/{item.sha256}.thumb.jpg"]
    # Another server, with an empty cache of its own: it finds the copy without decoding anything.
    settings.DERIVED_DIR = tmp_path / "derived-server-b"  # type: ignore[attr-defined]
    fetched = derived.existing(item, "thumb")  # existing() never decodes: a stat or a fetch
    assert fetched is not None and fetched.read_bytes() == made.read_bytes()
    assert fetched.is_relative_to(tmp_path / "derived-server-b")
    assert derived.existing(item, "view") is None and not derived.failed(item, "view")


def test_a_copy_that_failed_on_one_server_is_not_decoded_again_on_another(
    personas: Personas, s3: SeaweedS3, settings: object, tmp_path: Path
) -> None:
    item = vault.ingest(
        io.BytesIO(b"\xff\xd8\xff\xe0 not really a jpeg"), network=personas.north, filename="x.jpg"
    )
    item.kind, item.probe_error = "image", ""  # as if the probe had let it through: the decoder fails
    assert derived.get(item, "thumb") is None and derived.failed(item, "thumb")
    settings.DERIVED_DIR = tmp_path / "derived-server-b"  # type: ignore[attr-defined]
    assert derived.failed(item, "thumb"), "the other server knows from the shared marker"
    assert derived.clear_failures() >= 1
    settings.DERIVED_DIR = tmp_path / "derived-server-c"  # type: ignore[attr-defined]
    assert not derived.failed(item, "thumb")


def test_the_log_tiles_live_in_the_bucket_and_verify(
    personas: Personas, s3: SeaweedS3, settings: object
) -> None:
    item = vault.ingest(io.BytesIO(jpeg_with_gps(seed=3)), network=personas.north, filename="d.jpg")
    assert log.integrate_pending() == 2
    objects = _objects(s3, settings.LOG_S3_BUCKET)  # type: ignore[attr-defined]
    assert {"checkpoint", "tile/0/000.p/2", "tile/entries/000.p/2"} <= set(objects)
    assert not log.tiles_dir().exists() or not any(log.tiles_dir().rglob("*.p")), "nothing written locally"
    note = Client().get("/log/checkpoint").content
    assert verify_checkpoint(note, log.verifier_key()).size == 2
    entries = Client().get("/log/tile/entries/000.p/2")
    assert entries.status_code == 200 and item.commitment.encode() in entries.content
    report = verify_all()
    assert report.ok, report.failures
    assert EvidenceItem.objects.count() == 1
