"""c2sp.org/tlog-proof receipts: round trip, format and tamper detection."""

from __future__ import annotations

import base64

import pytest

from amparo.ledger import (
    MemoryTileStore,
    NoteSigner,
    TileLog,
    VerificationError,
    leaf_hash,
    make_receipt,
    parse_receipt,
    verify_receipt,
)
from amparo.ledger.tests.conftest import ORIGIN, entries_for


@pytest.fixture
def log(signer: NoteSigner) -> TileLog:
    log = TileLog(MemoryTileStore(), ORIGIN, signer)
    log.integrate(entries_for(0, 1000))
    return log


def test_receipt_format_and_round_trip(log: TileLog, signer: NoteSigner) -> None:
    receipt = log.receipt(273, extra=b"bundle-7")
    assert log.checkpoint is not None
    lines = receipt.split(b"\n")
    assert lines[:3] == [b"c2sp.org/tlog-proof@v1", b"extra " + base64.b64encode(b"bundle-7"), b"index 273"]
    proof = log.inclusion_proof(273)
    assert lines[3 : 3 + len(proof)] == [base64.b64encode(h) for h in proof]
    assert receipt.endswith(b"\n\n" + log.checkpoint.note)
    parsed = parse_receipt(receipt)
    assert (parsed.index, list(parsed.proof), parsed.checkpoint, parsed.extra) == (
        273,
        proof,
        log.checkpoint.note,
        b"bundle-7",
    )
    got = verify_receipt(receipt, entries_for(273, 1)[0], signer.vkey, origin=ORIGIN)
    assert (got.index, got.tree_size, got.root, got.key_name) == (273, 1000, log.root, ORIGIN)
    assert got.leaf_hash == leaf_hash(entries_for(273, 1)[0]) and got.extra == b"bundle-7"
    by_hash = verify_receipt(receipt, got.leaf_hash, signer.vkey, leaf_is_hash=True)
    assert by_hash.index == 273
    assert make_receipt(log.checkpoint.note, 273, proof, extra=b"bundle-7") == receipt


def test_receipt_without_extra(log: TileLog, signer: NoteSigner) -> None:
    receipt = log.receipt(0)
    assert receipt.split(b"\n")[1] == b"index 0"
    assert parse_receipt(receipt).extra is None
    verify_receipt(receipt, entries_for(0, 1)[0], signer.vkey)


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


def test_every_changed_byte_outside_extra_is_rejected(log: TileLog, signer: NoteSigner) -> None:
    receipt = log.receipt(700, extra=b"x")
    leaf = entries_for(700, 1)[0]
    extra_line = receipt.split(b"\n")[1]
    start = receipt.index(extra_line)
    rejected = 0
    for i in range(len(receipt)):
        if start <= i < start + len(extra_line):
            continue  # extra data is not authenticated, by design of the format
        with pytest.raises(VerificationError):
            verify_receipt(_flip(receipt, i), leaf, signer.vkey)
        rejected += 1
    assert rejected > 500


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.replace(b"index 700", b"index 701"), "inclusion proof"),
        (lambda r: r.replace(b"c2sp.org/tlog-proof@v1", b"c2sp.org/tlog-proof@v2"), "does not start with"),
        (lambda r: r.replace(b"\n\n", b"\n"), "no empty line"),
        (lambda r: r.replace(b"index 700", b"index 0700"), "index"),
    ],
)
def test_named_failures(log: TileLog, signer: NoteSigner, change, message: str) -> None:  # type: ignore[no-untyped-def]  # lambdas
    receipt = log.receipt(700)
    with pytest.raises(VerificationError, match=message):
        verify_receipt(change(receipt), entries_for(700, 1)[0], signer.vkey)


def test_wrong_leaf_and_wrong_key(log: TileLog, signer: NoteSigner) -> None:
    receipt = log.receipt(700)
    with pytest.raises(VerificationError, match="inclusion proof"):
        verify_receipt(receipt, b"another entry", signer.vkey)
    with pytest.raises(VerificationError, match="not signed by any trusted key"):
        verify_receipt(receipt, entries_for(700, 1)[0], NoteSigner.generate("other.example/log").vkey)
    with pytest.raises(VerificationError, match="32"):
        verify_receipt(receipt, b"short", signer.vkey, leaf_is_hash=True)
