"""Every case of the transparency-dev/merkle test vectors: accept wantErr false, reject wantErr true."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from amparo.ledger import VerificationError, verify_consistency, verify_inclusion

# A copy of ../shared/testvectors/merkle kept with the tests (vectors/merkle/README.md), or AMPARO_MERKLE_VECTORS.
VECTORS = Path(
    os.environ.get("AMPARO_MERKLE_VECTORS") or Path(__file__).resolve().parent / "vectors" / "merkle"
)

INCLUSION = sorted((VECTORS / "inclusion").rglob("*.json"))
CONSISTENCY = sorted((VECTORS / "consistency").rglob("*.json"))


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _name(path: Path) -> str:
    return str(path.relative_to(VECTORS))


def test_it_found_the_vectors() -> None:
    assert len(INCLUSION) > 50
    assert len(CONSISTENCY) > 50


@pytest.mark.parametrize("path", INCLUSION, ids=_name)
def test_inclusion_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    args = (
        case["leafIdx"],
        case["treeSize"],
        _b64(case["leafHash"]),
        [_b64(p) for p in case["proof"] or []],
        _b64(case["root"]),
    )
    if case["wantErr"]:
        with pytest.raises(VerificationError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", CONSISTENCY, ids=_name)
def test_consistency_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    args = (
        case["size1"],
        case["size2"],
        _b64(case["root1"]),
        _b64(case["root2"]),
        [_b64(p) for p in case["proof"] or []],
    )
    if case["wantErr"]:
        with pytest.raises(VerificationError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)
