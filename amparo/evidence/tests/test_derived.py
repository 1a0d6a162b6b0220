"""Thumbnails and viewing copies: who may see them, what they contain, and that looking is audited, not custody."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from amparo.audit.models import AuditEvent
from amparo.cli import main
from amparo.evidence import derived, store, vault
from amparo.evidence.models import CustodyEvent, EvidenceItem
from amparo.evidence.samples import jpeg_with_gps, short_video
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

pytestmark = pytest.mark.django_db

# evidence.view: coordinator, verifier, caseworker, read-only; not the operator nor the legal partner
MATRIX = {"alice": 200, "vera": 200, "carla": 200, "rita": 200, "omar": 403, "lena": 403, "bob": 404}


@pytest.fixture
def photo(personas: Personas) -> EvidenceItem:
    return vault.ingest(
        io.BytesIO(jpeg_with_gps(size=(1600, 1200))), network=personas.north, filename="p.jpg"
    )


@pytest.fixture
def video(personas: Personas, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> EvidenceItem:
    data = short_video(tmp_path / "clip.mp4", seconds=3.0)
    with django_capture_on_commit_callbacks(execute=True):  # runs the after-ingest tasks, as a worker would
        return vault.ingest(io.BytesIO(data), network=personas.north, filename="clip.mp4")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_see_a_thumbnail(name: str, photo: EvidenceItem, client_as: Callable[..., Client]) -> None:
    client = client_as(name)
    for url_name in ("evidence:thumbnail", "evidence:view"):
        response = client.get(reverse(url_name, args=[photo.code]))
        assert response.status_code == MATRIX[name], (url_name, response.status_code)
        if response.status_code == 200:
            assert response["Content-Type"] == "image/jpeg"


def test_a_thumbnail_is_a_small_copy_without_metadata_and_looking_is_audited_not_custody(
    photo: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    client = client_as("vera")
    custody_before = CustodyEvent.objects.filter(item=photo).count()

    first = client.get(reverse("evidence:thumbnail", args=[photo.code]))
    again = client.get(reverse("evidence:thumbnail", args=[photo.code]))

    data = b"".join(first.streaming_content)  # type: ignore[attr-defined]
    image = Image.open(io.BytesIO(data))
    assert max(image.size) == 320 and not image.getexif() and b"TestPhone" not in data
    assert b"".join(again.streaming_content) == data  # type: ignore[attr-defined]
    assert first["Cache-Control"] == "no-store, private"
    assert derived.existing(photo, "thumb") is not None
    assert CustodyEvent.objects.filter(item=photo).count() == custody_before  # not a custody event
    seen = AuditEvent.objects.filter(action="evidence.copy_viewed", object_code=str(photo.code))
    assert seen.count() == 1  # one per person, item and copy in ten minutes
    assert seen.get().detail == {"copy": "thumb"}
    client.get(reverse("evidence:view", args=[photo.code]))
    assert seen.count() == 2


def test_a_video_gets_a_playable_preview_after_ingest_with_byte_ranges(
    video: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    preview = derived.existing(video, "view")  # made by the background task (immediate in tests)
    assert preview is not None
    urls = derived.urls(video)
    assert urls["view"] == reverse("evidence:view", args=[video.code]) and urls["thumb"]
    client = client_as("alice")
    whole = client.get(urls["view"])
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    assert whole["Accept-Ranges"] == "bytes"
    content = preview.read_bytes()
    assert b"".join(whole.streaming_content) == content  # type: ignore[attr-defined]

    part = client.get(urls["view"], HTTP_RANGE="bytes=10-109")
    assert part.status_code == 206 and part.content == content[10:110]
    assert part["Content-Range"] == f"bytes 10-109/{len(content)}"
    tail = client.get(urls["view"], HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and tail.content == content[-50:]
    beyond = client.get(urls["view"], HTTP_RANGE=f"bytes={len(content)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(content)}"


def test_no_copy_of_sound_or_unreadable_files(personas: Personas, client_as: Callable[..., Client]) -> None:
    note = vault.ingest(io.BytesIO(b"just some words"), network=personas.north, filename="note.txt")
    assert derived.urls(note) == {"thumb": "", "view": ""}
    response = client_as("alice").get(
        reverse("evidence:thumbnail", args=[note.code]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.copy_viewed").exists()


def _spoil(item: EvidenceItem, data: bytes) -> bytes:
    """Overwrite a stored original in place (what tampering or a bad disk would do); returns the old bytes."""
    path = store.local_path(item.sha256)
    assert path is not None
    before = path.read_bytes()
    os.chmod(path, 0o640)
    path.write_bytes(data)
    return before


def test_a_failed_decode_is_remembered_and_retried_on_request(
    photo: EvidenceItem, client_as: Callable[..., Client], capsys: pytest.CaptureFixture[str]
) -> None:
    original = _spoil(photo, b"\xff\xd8\xff\xe0 these are not pixels")
    client = client_as("alice")

    assert client.get(reverse("evidence:thumbnail", args=[photo.code])).status_code == 404
    assert derived.failed(photo, "thumb")
    assert derived.urls(photo)["thumb"] == ""  # pages stop asking for it
    _spoil(photo, original)
    thumbnail = reverse("evidence:thumbnail", args=[photo.code])
    assert client.get(thumbnail).status_code == 404  # the marker stops a second decode

    assert main(["evidence", "derive", "--retry"]) == 0
    assert '"failure_markers_cleared": 1' in capsys.readouterr().out
    assert not derived.failed(photo, "thumb")
    assert client.get(reverse("evidence:thumbnail", args=[photo.code])).status_code == 200


def test_incident_page_and_side_by_side_viewer_show_the_copies(
    personas: Personas, photo: EvidenceItem, video: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    incident = make_incident(personas.north)
    report = make_report(personas.north, incident=incident)
    EvidenceItem.objects.filter(pk__in=[photo.pk, video.pk]).update(report=report)
    client = client_as("vera")

    page = client.get(reverse("incidents:incident", args=[incident.code])).content.decode()
    for item in (photo, video):
        assert f'src="{reverse("evidence:thumbnail", args=[item.code])}"' in page
    compare = client.get(
        reverse("incidents:incident_compare", args=[incident.code]) + f"?a={photo.code}&b={video.code}"
    ).content.decode()
    assert f'<img src="{reverse("evidence:view", args=[photo.code])}"' in compare
    assert f'<video src="{reverse("evidence:view", args=[video.code])}"' in compare
    assert f'poster="{reverse("evidence:thumbnail", args=[video.code])}"' in compare
    assert reverse("evidence:download", args=[photo.code]) not in compare  # never the original

    detail = client.get(reverse("evidence:detail", args=[video.code])).content.decode()
    assert f'<video src="{reverse("evidence:view", args=[video.code])}"' in detail
    listing = client.get(reverse("evidence:list")).content.decode()
    for item in (photo, video):
        assert f'src="{reverse("evidence:thumbnail", args=[item.code])}"' in listing
