"""Hostile media in the detector and the renderer (a decompression bomb, a truncated video): a clear message on the
page, no copy, no custody event, and the original byte for byte as it was."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pytest
from django.utils import timezone

from amparo.evidence import store
from amparo.evidence.models import CustodyEvent, EvidenceItem
from amparo.redaction import actions
from amparo.redaction.models import Redaction, State
from amparo.redaction.tests.helpers import face_video, ingest, make_desk
from amparo.testing import Personas, signed_in_client

pytestmark = pytest.mark.django_db


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A 100 KB PNG that claims 900 million pixels (and stops after a few rows)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = zlib.compress(b"\0" * ((width // 8 + 1) * 200), 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def _unchanged(item: EvidenceItem, data: bytes) -> None:
    assert store.rehash(item.sha256) == (hashlib.sha256(data).hexdigest(), len(data))
    assert not CustodyEvent.objects.filter(item=item, action="redacted").exists()


def test_a_decompression_bomb_is_refused_at_the_door_and_fails_clearly_in_the_sandbox(
    personas: Personas,
) -> None:
    desk = make_desk(personas)
    data = png_bomb()
    item = ingest(desk, data, name="bomb.png")
    assert item.kind == "image" and item.probe_error  # the sandboxed probe saw it already

    refused = signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en").post(
        f"/evidence/{item.code}/redact/?lang=en", follow=True
    )
    assert "could not be read safely" in refused.content.decode()
    assert not Redaction.objects.filter(original=item).exists()

    # were it to reach the detector anyway (a probe that missed it), the sandbox stops it with a stable code
    redaction = Redaction.objects.create(network=item.network, original=item, proposed_by=desk.alice.user)
    failed = actions.run_proposal(redaction)
    assert failed.state == State.FAILED and failed.error == "decompression_bomb"
    page = (
        signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en")
        .get(f"/redaction/{redaction.code}/?lang=en")
        .content.decode()
    )
    assert "decompression bomb" in page and "The original is unchanged." in page
    assert 'role="alert"' in page

    # and the renderer, too, after an approval
    Redaction.objects.filter(pk=redaction.pk).update(
        state=State.APPROVED,
        tracks=[{"id": "p1", "label": "face", "source": "person", "boxes": [[0, 1.0, 1.0, 50.0, 50.0, 1.0]]}],
        decided_by=desk.cora.user,
        decided_at=timezone.now(),
    )
    redaction.refresh_from_db()
    done = actions.run_render(redaction)
    assert done.render_error == "decompression_bomb" and done.copy_item is None
    assert EvidenceItem.objects.filter(source="redaction").count() == 0
    _unchanged(item, data)


def test_a_truncated_video_fails_with_a_clear_message(personas: Personas, tmp_path: Path) -> None:
    desk = make_desk(personas)
    whole = face_video(tmp_path / "clip.mp4", seconds=3.0)
    data = whole[: len(whole) // 3]  # cut mid-stream, as an interrupted upload leaves it
    item = ingest(desk, data, name="cut.mp4")
    redaction = Redaction.objects.create(network=item.network, original=item, proposed_by=desk.alice.user)
    done = actions.run_proposal(redaction)
    assert done.state == State.FAILED and done.error == "corrupt"
    assert done.tracks == [] and done.copy_item is None
    page = (
        signed_in_client(desk.alice, HTTP_ACCEPT_LANGUAGE="en")
        .get(f"/redaction/{redaction.code}/?lang=en")
        .content.decode()
    )
    assert "damaged or truncated" in page and "The original is unchanged." in page
    _unchanged(item, data)


def test_bytes_missing_from_the_store_fail_clearly(personas: Personas, tmp_path: Path) -> None:
    desk = make_desk(personas)
    item = ingest(desk, face_video(tmp_path / "clip.mp4"), name="clip.mp4")
    path = store.local_path(item.sha256)
    assert path is not None
    path.chmod(0o600)
    path.unlink()
    redaction = Redaction.objects.create(network=item.network, original=item, proposed_by=desk.alice.user)
    assert actions.run_proposal(redaction).error == "missing"
