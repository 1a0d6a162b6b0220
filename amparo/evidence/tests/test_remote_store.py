"""The S3 path goes through Django's storage API; here the same code runs against Django's InMemoryStorage."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.storage import InMemoryStorage

from amparo.evidence import derived, log, store, vault
from amparo.evidence.checkall import verify_all
from amparo.evidence.tasks import fingerprint_item
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.testing import Personas


def test_remote_storage_round_trip(personas: Personas, settings: object) -> None:
    remote = InMemoryStorage()
    settings.EVIDENCE_STORAGE = remote  # type: ignore[attr-defined]
    data = jpeg_with_gps(seed=11)
    first = vault.ingest(io.BytesIO(data), network=personas.north)
    second = vault.ingest(io.BytesIO(data), network=personas.north)
    assert remote.exists(store.relative_name(first.sha256))
    assert first.metadata["device_make"] == "TestMake" and second.sha256 == first.sha256
    with store.open_original(first.sha256) as fh:
        assert fh.read() == data
    local = [p for p in Path(settings.EVIDENCE_DIR).rglob("*") if p.is_file()]  # type: ignore[attr-defined]
    assert local == []  # only the temporary file was local, and it is gone
    assert fingerprint_item(first) == 1
    thumb = derived.get(first, "thumb")  # decoded from a temporary local copy of the remote original
    assert thumb is not None and thumb.read_bytes().startswith(b"\xff\xd8")
    assert [p for p in Path(settings.EVIDENCE_DIR).rglob("*") if p.is_file()] == []  # type: ignore[attr-defined]
    log.integrate_pending()
    assert verify_all().ok
