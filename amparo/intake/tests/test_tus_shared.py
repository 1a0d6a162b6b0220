"""tus uploads whose bytes live in the shared store (a real S3 server: SeaweedFS on loopback), not a server's disk."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.evidence import store
from amparo.evidence.models import EvidenceItem, LogEntry
from amparo.intake import actions, uploadstore
from amparo.intake.models import UploadSession
from amparo.intake.purge import purge_all
from amparo.intake.tests.media import photo_bytes
from amparo.intake.tests.test_tus import FORM_TOKEN, OCTETS, TUS, create, patch
from amparo.media.tests import factory
from amparo.seaweed import SeaweedS3

pytestmark = pytest.mark.django_db


def _objects(server: SeaweedS3, bucket: str, under: str = "uploads/") -> dict[str, int]:
    out: dict[str, int] = {}
    for page in server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=under):
        for obj in page.get("Contents", []):
            out[obj["Key"]] = obj["Size"]
    return out


def _bucket(settings: Any) -> str:
    return str(settings.EVIDENCE_S3_BUCKET)


def test_each_patch_is_a_part_in_the_bucket_and_nothing_on_disk(
    s3: SeaweedS3,
    settings: Any,
    personas: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = photo_bytes()
    client = Client()
    created = create(client, len(data), data=data[:100], content_type=OCTETS)
    assert created.status_code == 201 and created["Upload-Offset"] == "100"
    url = created["Location"]
    upload_id = url.rsplit("/", 1)[1]
    assert not actions.upload_path(upload_id).exists(), "no bytes on this server's disk"
    assert patch(client, url, 50, data[100:]).status_code == 409
    rest = patch(client, url, 100, data[100:])
    assert rest.status_code == 204 and rest["Upload-Offset"] == str(len(data))
    assert client.head(url, **TUS)["Upload-Offset"] == str(len(data))
    upload = UploadSession.objects.get()
    assert [p[:2] for p in upload.parts] == [[0, 100], [100, len(data) - 100]]
    assert sorted(_objects(s3, _bucket(settings)).values()) == sorted([100, len(data) - 100])
    form = reverse("intake:report", args=[actions.page_for(personas.north).slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form,
            {"text": "foto", "upload_ids": upload_id, "consent": ["internal"], "form_token": FORM_TOKEN},
        )
    assert response.status_code == 201
    item = personas.north.reports.get().intake_files.get()
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.via == "tus"
    evidence = EvidenceItem.objects.get(sha256=item.sha256)
    assert LogEntry.objects.filter(index=evidence.log_index).exists(), "the log entry is there"
    with store.open_original(evidence.sha256) as original:
        assert original.read() == data, "the original in the bucket, byte for byte"
    assert _objects(s3, _bucket(settings)) == {}, "the parts are deleted once the report is committed"


def test_a_large_patch_is_split_into_bounded_parts(s3: SeaweedS3, settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(uploadstore, "PART_BYTES", 64 * 1024)
    data = os.urandom(200 * 1024 + 7)
    client = Client()
    url = create(client, len(data))["Location"]
    assert patch(client, url, 0, data).status_code == 204
    upload = UploadSession.objects.get()
    assert [p[1] for p in upload.parts] == [65536, 65536, 65536, 8199]
    assert [p[0] for p in upload.parts] == [0, 65536, 131072, 196608]
    with uploadstore.open_upload(upload) as handle:
        assert handle.read() == data


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_a_checksum_mismatch_keeps_no_part(s3: SeaweedS3, settings: Any, algorithm: str) -> None:
    data = photo_bytes()
    client = Client()
    url = create(client, len(data))["Location"]
    bad = base64.b64encode(hashlib.new(algorithm, b"other").digest()).decode()
    assert patch(client, url, 0, data, HTTP_UPLOAD_CHECKSUM=f"{algorithm} {bad}").status_code == 460
    assert _objects(s3, _bucket(settings)) == {} and UploadSession.objects.get().parts == []
    good = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    assert patch(client, url, 0, data, HTTP_UPLOAD_CHECKSUM=f"{algorithm} {good}").status_code == 204
    assert list(_objects(s3, _bucket(settings)).values()) == [len(data)]


def test_of_two_patches_at_one_offset_the_later_answers_409_and_leaves_nothing(
    s3: SeaweedS3,
    settings: Any,
    monkeypatch: Any,
) -> None:
    """Another server counts its bytes at offset 0 while this PATCH is writing its part."""
    client = Client()
    url = create(client, 10)["Location"]
    upload = UploadSession.objects.get()
    real_put = uploadstore.put_part

    def put_while_another_server_wins(storage: Any, upload_id: str, offset: int, handle: Any) -> str:
        name = real_put(storage, upload_id, offset, handle)
        UploadSession.objects.filter(pk=upload.pk).update(offset=4, parts=[[0, 4, "uploads/x/other"]])
        return name

    monkeypatch.setattr(uploadstore, "put_part", put_while_another_server_wins)
    lost = patch(client, url, 0, b"ABCDEFGHIJ")
    assert lost.status_code == 409 and lost["Upload-Offset"] == "4"
    assert _objects(s3, _bucket(settings)) == {}, "the losing part is deleted"
    assert UploadSession.objects.get().parts == [[0, 4, "uploads/x/other"]]


def test_termination_removes_the_parts(s3: SeaweedS3, settings: Any) -> None:
    client = Client()
    url = create(client, 10, data=b"0123", content_type=OCTETS)["Location"]
    assert len(_objects(s3, _bucket(settings))) == 1
    assert client.delete(url, **TUS).status_code == 204
    assert client.head(url, **TUS).status_code == 404
    assert _objects(s3, _bucket(settings)) == {}


def test_expired_and_abandoned_uploads_leave_nothing_in_the_bucket(s3: SeaweedS3, settings: Any) -> None:
    client = Client()
    url = create(client, 10, data=b"0123", content_type=OCTETS)["Location"]
    upload = UploadSession.objects.get()
    storage = uploadstore.shared()
    assert storage is not None
    # a part a server wrote and died before counting, and the bytes of an upload whose row is gone
    storage.save(f"uploads/{upload.upload_id}/00000000000000000004-dead", ContentFile(b"4567"))
    storage.save("uploads/0123456789abcdef0123456789abcdef/00000000000000000000-beef", ContentFile(b"xy"))
    assert len(_objects(s3, _bucket(settings))) == 3
    assert purge_all()["uploads"] == 0, "nothing is due yet: fresh strays wait for the upload lifetime"
    UploadSession.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.head(url, **TUS).status_code == 410
    counted = purge_all(timezone.now() + timedelta(hours=settings.INTAKE_UPLOAD_HOURS, minutes=1))
    assert counted["uploads"] == 2 and not UploadSession.objects.exists()
    assert _objects(s3, _bucket(settings)) == {}


@pytest.mark.django_db(transaction=True)
def test_tuspy_interrupted_four_times_ends_byte_identical_in_the_bucket(
    s3: SeaweedS3, settings: Any, live_server: Any, tmp_path: Any
) -> None:
    from amparo.intake.tests import test_tuspy

    test_tuspy.test_tuspy_upload_interrupted_several_times_ends_byte_identical(live_server, tmp_path)
    upload = UploadSession.objects.get()
    assert len(upload.parts) >= 5 and not actions.upload_path(upload.upload_id).exists()


def test_attaching_reads_the_head_once_ranged_and_each_part_once(
    s3: SeaweedS3, settings: Any, personas: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The sniff of an upload's type asked for its first 64 bytes, and the vault streams each part in one GET: no
    part downloaded twice, none asked for its metadata (Django's S3 file did both, docs/scaling.md)."""
    monkeypatch.setattr(uploadstore, "PART_BYTES", 64 * 1024)
    picture = io.BytesIO()
    factory.photo(1280, 720).save(picture, "JPEG", quality=95)
    data = picture.getvalue()
    client = Client()
    url = create(client, len(data))["Location"]
    assert patch(client, url, 0, data).status_code == 204
    parts = UploadSession.objects.get().parts
    assert len(parts) >= 2
    calls: list[tuple[str, str]] = []

    def count(params: dict[str, Any], model: Any, **_kw: Any) -> None:
        if str(params.get("Key", "")).startswith("uploads/"):
            calls.append((model.name, str(params.get("Range", ""))))

    storage = store.s3_storage(settings.EVIDENCE_S3_BUCKET, settings.EVIDENCE_S3_ENDPOINT)
    events = store.s3_client(storage).meta.events
    events.register("provide-client-params.s3.*", count)
    try:
        form = reverse("intake:report", args=[actions.page_for(personas.north).slug])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                form,
                {
                    "text": "foto",
                    "upload_ids": url.rsplit("/", 1)[1],
                    "consent": ["internal"],
                    "form_token": FORM_TOKEN,
                },
            )
    finally:
        events.unregister("provide-client-params.s3.*", count)
    assert response.status_code == 201
    reads = [c for c in calls if c[0] in ("GetObject", "HeadObject")]
    assert reads == [("GetObject", "bytes=0-63")] + [("GetObject", "")] * len(parts), calls
    item = personas.north.reports.get().intake_files.get()
    assert item.sha256 == hashlib.sha256(data).hexdigest()


def test_an_upload_begun_in_the_local_folder_is_not_resumed_in_the_shared_store(s3: SeaweedS3) -> None:
    """An installation that moved its uploads to S3 mid-upload: the first bytes are on a server's disk, so resuming
    would leave a hole at the start. HEAD and PATCH answer 410 (a tus client then starts afresh), nothing is stored."""
    data = photo_bytes()
    client = Client()
    created = create(client, len(data), data=data[:100], content_type=OCTETS)
    url = created["Location"]
    UploadSession.objects.update(parts=[])  # as the row of an upload whose 100 bytes went to a local folder
    head = client.head(url, **TUS)
    assert head.status_code == 410
    rest = patch(client, url, 100, data[100:])
    assert rest.status_code == 410 and b"add the file again" in rest.content
    upload = UploadSession.objects.get()
    assert upload.offset == 100 and upload.parts == []
    assert client.delete(url, **TUS).status_code == 204, "the witness's client may still give it up"


def test_an_upload_begun_in_the_shared_store_is_not_resumed_in_the_local_folder(settings: Any) -> None:
    data = photo_bytes()
    client = Client()
    created = create(client, len(data), data=data[:100], content_type=OCTETS)
    url = created["Location"]
    upload_id = url.rsplit("/", 1)[1]
    assert client.head(url, **TUS).status_code == 200  # kept here: the local file holds its 100 bytes
    uploadstore.local_path(upload_id).unlink()
    UploadSession.objects.update(parts=[[0, 100, f"uploads/{upload_id}/0"]])  # its bytes went to S3
    assert client.head(url, **TUS).status_code == 410
    assert patch(client, url, 100, data[100:]).status_code == 410
    assert not uploadstore.local_path(upload_id).exists(), "no file with a hole at its start"
