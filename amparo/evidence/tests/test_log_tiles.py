"""The published log follows c2sp.org/tlog-tiles: a signed checkpoint from the first start, compressed bundles."""

from __future__ import annotations

import gzip
import io

import pytest
from django.test import Client

from amparo.evidence import log, vault
from amparo.evidence.models import Checkpoint
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.ledger import decode_bundle, verify_checkpoint
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_an_empty_log_already_has_a_signed_checkpoint() -> None:
    anonymous = Client()
    response = anonymous.get("/log/checkpoint")
    assert response.status_code == 200
    cp = verify_checkpoint(response.content, log.verifier_key())
    assert cp.size == 0
    # the empty tree's root is SHA-256 of the empty string (RFC 9162, 2.1.1)
    assert cp.root.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert Checkpoint.objects.filter(size=0).count() == 1
    anonymous.get("/log/checkpoint")
    assert Checkpoint.objects.filter(size=0).count() == 1, "the empty checkpoint is signed once"


def test_the_first_entries_extend_the_empty_checkpoint(personas: Personas) -> None:
    assert log.integrate_pending() == 0
    vault.ingest(io.BytesIO(jpeg_with_gps()), network=personas.north, filename="x.jpg")
    assert log.integrate_pending() == 2
    assert sorted(Checkpoint.objects.values_list("size", flat=True)) == [0, 2]


def test_entry_bundles_are_compressed_for_clients_that_accept_it(personas: Personas) -> None:
    item = vault.ingest(io.BytesIO(jpeg_with_gps()), network=personas.north, filename="x.jpg")
    log.integrate_pending()
    anonymous = Client()
    plain = anonymous.get("/log/tile/entries/000.p/2")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain["Vary"]
    packed = anonymous.get("/log/tile/entries/000.p/2", HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert item.commitment.encode() in decode_bundle(plain.content)[0]
    refused = anonymous.get("/log/tile/entries/000.p/2", HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert "Content-Encoding" not in refused.headers and refused.content == plain.content
    # hash tiles are binary hashes: sent as they are
    tile = anonymous.get("/log/tile/0/000.p/2", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in tile.headers and len(tile.content) == 64
