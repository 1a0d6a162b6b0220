"""Staff pages, downloads and the public log and receipt pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.evidence import log, vault
from amparo.evidence.models import CustodyEvent, EvidenceItem
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.ledger import verify_checkpoint, verify_receipt
from amparo.testing import Personas


@pytest.fixture
def item(personas: Personas) -> EvidenceItem:
    item = vault.ingest(
        io.BytesIO(jpeg_with_gps()),
        network=personas.north,
        filename="x.jpg",
        consent_uses=["internal", "legal"],
    )
    log.integrate_pending()
    return item


# who may: list/detail (evidence.view), download (evidence.download), bundle (evidence.bundle)
MATRIX = {
    "alice": (200, 200, 200),
    "vera": (200, 200, 403),
    "carla": (200, 200, 200),
    "rita": (200, 403, 403),
    "omar": (403, 403, 403),
    "lena": (403, 403, 403),
    "bob": (404, 404, 404),
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name: str, item: EvidenceItem, client_as: Callable[..., Client]) -> None:
    view, download, bundle = MATRIX[name]
    client = client_as(name)
    assert client.get(reverse("evidence:detail", args=[item.code])).status_code == view
    assert client.get(reverse("evidence:receipt_file", args=[item.code])).status_code == view
    assert client.post(reverse("evidence:download", args=[item.code])).status_code == download
    assert client.post(reverse("evidence:bundle", args=[item.code])).status_code == bundle
    listing = client.get(reverse("evidence:list"))
    assert listing.status_code == (403 if view == 403 else 200)
    if name == "bob":
        assert str(item.code) not in listing.content.decode()


def test_download_is_a_custody_event_and_audited(
    item: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    response = client_as("carla").post(reverse("evidence:download", args=[item.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == jpeg_with_gps()  # type: ignore[attr-defined]
    assert response["Content-Disposition"].endswith(f'filename="{item.stored_name}"')
    assert CustodyEvent.objects.filter(item=item, action="downloaded", actor_label="carla").count() == 1
    assert AuditEvent.objects.filter(action="evidence.downloaded", object_code=str(item.code)).count() == 1
    assert client_as("carla").get(reverse("evidence:download", args=[item.code])).status_code == 405


def test_detail_shows_metadata_custody_and_receipt(
    item: EvidenceItem, client_as: Callable[..., Client]
) -> None:
    page = client_as("vera").get(reverse("evidence:detail", args=[item.code])).content.decode()
    assert item.sha256 in page and item.receipt_code in page and "TestPhone 1" in page and "41.875" in page
    assert CustodyEvent.objects.filter(item=item, action="viewed", actor_label="vera").count() == 1
    client_as("vera").get(reverse("evidence:detail", args=[item.code]))
    assert CustodyEvent.objects.filter(item=item, action="viewed").count() == 1  # one per ten minutes


def test_list_uses_a_constant_number_of_queries(personas: Personas, client_as: Callable[..., Client]) -> None:
    client = client_as("alice")
    vault.ingest(io.BytesIO(b"one"), network=personas.north)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("evidence:list")).status_code == 200
    for n in range(6):
        vault.ingest(io.BytesIO(b"more %d" % n), network=personas.north)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("evidence:list") + "?kind=unknown").content.decode()
    assert len(many) == len(few)
    assert page.count("/evidence/") >= 7


def test_staff_can_add_evidence(personas: Personas, client_as: Callable[..., Client]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("Juan Perez.jpg", jpeg_with_gps(seed=4), content_type="image/jpeg")
    response = client_as("omar").post(reverse("evidence:add"), {"file": upload, "consent": "legal_use"})
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.consent == "legal_use" and item.extension == "jpg" and item.source == "operator"
    assert client_as("rita").get(reverse("evidence:add")).status_code == 403


def test_log_endpoints_serve_a_checkpoint_that_verifies(item: EvidenceItem) -> None:
    anonymous = Client()
    key = anonymous.get("/log/key").content.decode().strip()
    assert key == log.verifier_key() and "PRIVATE" not in key
    note = anonymous.get("/log/checkpoint").content
    cp = verify_checkpoint(note, key)
    assert cp.size == 2
    tile = anonymous.get("/log/tile/0/000.p/2")
    assert tile.status_code == 200 and len(tile.content) == 64
    entries = anonymous.get("/log/tile/entries/000.p/2")
    assert entries.status_code == 200 and item.commitment.encode() in entries.content
    for bad in ("/log/tile/../keys/log_signing_key", "/log/tile/0/%2e%2e/x", "/log/tile/0/000.p/9"):
        assert anonymous.get(bad).status_code == 404


def test_receipt_page_checks_a_code_anonymously(item: EvidenceItem) -> None:
    anonymous = Client()
    assert anonymous.get("/receipt/").status_code == 200
    page = anonymous.post("/receipt/", {"code": item.receipt_code.lower().replace("-", " ")}).content.decode()
    assert "entry number 0" in page.lower() or "entrada" in page.lower()
    assert item.sha256 not in page and "TestPhone" not in page
    download = anonymous.post("/receipt/", {"code": item.receipt_code, "download": "1"})
    got = verify_receipt(download.content, bytes(item_leaf(item)), log.verifier_key())
    assert got.index == item.log_index
    wrong = anonymous.post("/receipt/", {"code": "ZZZZZ-ZZZZZ"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No receipt has this code" in wrong or "Ningún" in wrong or "ning" in wrong.lower()


def test_receipt_page_checks_an_uploaded_proof(item: EvidenceItem, personas: Personas) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    receipt = vault.receipt_for(item)
    assert receipt is not None
    vault.ingest(io.BytesIO(b"later"), network=personas.north)
    log.integrate_pending()  # the log grew; the old receipt must still check out
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    ok = anonymous.post("/receipt/", {"proof": SimpleUploadedFile("r.tlog-proof", receipt)}).content.decode()
    assert "the log still contains it today" in ok
    broken = receipt.replace(b"index 0", b"index 1")
    bad = anonymous.post("/receipt/", {"proof": SimpleUploadedFile("r.tlog-proof", broken)}).content.decode()
    assert "Verified" not in bad


def item_leaf(item: EvidenceItem) -> Any:
    from amparo.evidence.models import LogEntry

    return LogEntry.objects.get(index=item.log_index).leaf


def test_dashboard_card_and_nav(personas: Personas, client_as: Callable[..., Client]) -> None:
    vault.ingest(io.BytesIO(b""), network=personas.north)
    page = client_as("alice").get("/").content.decode()
    assert reverse("evidence:list") in page and "?problem=yes" in page
    assert reverse("evidence:list") not in client_as("omar").get("/").content.decode()
