"""Commitments and canonical leaf encoding."""

from __future__ import annotations

import hashlib

import pytest

from amparo.ledger import LedgerError, canonical_json, commitment, decode_leaf, encode_leaf, new_nonce


def test_commitment_is_sha256_of_the_three_parts() -> None:
    nonce, file_hash, meta = new_nonce(), hashlib.sha256(b"video").digest(), hashlib.sha256(b"{}").digest()
    assert len(nonce) == 32 and nonce != new_nonce()
    assert commitment(nonce, file_hash, meta) == hashlib.sha256(nonce + file_hash + meta).digest()
    assert commitment(new_nonce(), file_hash, meta) != commitment(nonce, file_hash, meta)
    with pytest.raises(LedgerError, match="nonce"):
        commitment(nonce[:16], file_hash, meta)


def test_leaf_encoding_is_canonical() -> None:
    leaf = encode_leaf("evidence.received", {"commitment": "ab" * 32, "z": [1, None, True], "a": {"é": "ñ"}})
    assert (
        leaf
        == (
            '{"a":{"é":"ñ"},"commitment":"'
            + "ab" * 32
            + '","kind":"evidence.received","v":1,"z":[1,null,true]}'
        ).encode()
    )
    assert decode_leaf(leaf) == (
        "evidence.received",
        {"a": {"é": "ñ"}, "commitment": "ab" * 32, "z": [1, None, True]},
    )
    assert canonical_json({"b": 1, "a": 2}) == b'{"a":2,"b":1}'


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("Evidence", {}),
        ("evidence..x", {}),
        ("evidence.received", {"v": 2}),
        ("evidence.received", {"kind": "x"}),
        ("evidence.received", {"size": 1.5}),
        ("evidence.received", {"raw": b"bytes"}),
        ("evidence.received", {"nested": {1: "x"}}),
    ],
)
def test_leaf_encoding_rejects(kind: str, payload: dict[str, object]) -> None:
    with pytest.raises(LedgerError):
        encode_leaf(kind, payload)


@pytest.mark.parametrize(
    "data",
    [
        b'{"kind":"x","v":1, "a":1}',
        b'{"v":1,"kind":"x"}',
        b'{"kind":"x","v":2}',
        b"[1]",
        b"\xff",
        b'{"kind":"x"}',
    ],
)
def test_decode_rejects_non_canonical_or_foreign_entries(data: bytes) -> None:
    with pytest.raises(LedgerError):
        decode_leaf(data)
