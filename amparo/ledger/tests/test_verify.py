"""The offline verifier on a real folder: it passes an intact log and names what changed in a tampered one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from amparo.ledger import (
    DirectoryTileStore,
    NoteSigner,
    TileLog,
    VerificationError,
    verify_checkpoint_consistency,
    verify_leaf,
    verify_tiles,
)
from amparo.ledger.tests.conftest import ORIGIN, entries_for

SIZE = 70000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NoteSigner, bytes, bytes, list[bytes]]:
    root = tmp_path_factory.mktemp("log")
    signer = NoteSigner.generate(ORIGIN)
    log = TileLog(DirectoryTileStore(root), ORIGIN, signer)
    old = log.integrate(entries_for(0, 1000)).note
    new = log.integrate(entries_for(1000, SIZE - 1000)).note
    return root, signer, old, new, log.consistency_proof(1000)


@pytest.fixture
def folder(built, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]  # fixture tuple
    copy = tmp_path / "copy"
    shutil.copytree(built[0], copy)
    return copy


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_an_intact_log_verifies(built, folder: Path) -> None:  # type: ignore[no-untyped-def]
    report = verify_tiles(folder, built[1].vkey, origin=ORIGIN)
    assert (report.entries, report.bundles, report.tiles) == (SIZE, 274, 277)
    assert report.checkpoint.size == SIZE


@pytest.mark.parametrize(
    ("path", "offset", "message"),
    [
        ("tile/0/001", 17 * 32 + 3, "tile tile/0/001 hash 17 does not match entry 273"),
        ("tile/entries/002", 0, "entry bundle tile/entries/002"),
        ("tile/entries/002", 5, "tile tile/0/002 hash 0 does not match entry 512"),
        ("tile/1/000", 2 * 32, "tile tile/1/000 hash 2 does not match the root of tile tile/0/002"),
        ("tile/0/273.p/112", 0, "tile tile/0/273.p/112 hash 0 does not match entry 69888"),
        ("tile/2/000.p/1", 0, "tile tile/2/000.p/1 hash 0 does not match the root of tile tile/1/000"),
        ("checkpoint", 25, "checkpoint signature does not verify for key amparo.example/log"),
    ],
)
def test_a_changed_byte_is_named(built, folder: Path, path: str, offset: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _flip(folder / path, offset)
    with pytest.raises(VerificationError) as caught:
        verify_tiles(folder, built[1].vkey)
    assert message in str(caught.value)


def test_a_missing_file_is_named(built, folder: Path) -> None:  # type: ignore[no-untyped-def]
    (folder / "tile" / "0" / "100").unlink()
    with pytest.raises(VerificationError, match=r"tile tile/0/100 is missing"):
        verify_tiles(folder, built[1].vkey)


def test_an_empty_folder_is_not_a_log(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VerificationError, match="checkpoint file is missing"):
        verify_tiles(tmp_path, built[1].vkey)


def test_consistency_between_checkpoints(built) -> None:  # type: ignore[no-untyped-def]
    _, signer, old, new, proof = built
    old_cp, new_cp = verify_checkpoint_consistency(old, new, proof, signer.vkey)
    assert (old_cp.size, new_cp.size) == (1000, SIZE)
    with pytest.raises(VerificationError):
        verify_checkpoint_consistency(old, new, proof[1:], signer.vkey)
    other = NoteSigner.generate("other.example/log")
    forged_old = TileLog(DirectoryTileStore(Path(built[0]).parent / "forged"), ORIGIN, signer)
    forged = forged_old.integrate([b"rewritten history"] * 1000).note
    with pytest.raises(VerificationError, match="consistency proof"):
        verify_checkpoint_consistency(forged, new, proof, signer.vkey)
    with pytest.raises(VerificationError, match="not signed"):
        verify_checkpoint_consistency(old, new, proof, other.vkey)


def test_verify_leaf(built, folder: Path) -> None:  # type: ignore[no-untyped-def]
    _, signer, _, new, _ = built
    log = TileLog(DirectoryTileStore(folder), ORIGIN, signer)
    proof = log.inclusion_proof(4242)
    assert verify_leaf(new, signer.vkey, 4242, entries_for(4242, 1)[0], proof).size == SIZE
    with pytest.raises(VerificationError):
        verify_leaf(new, signer.vkey, 4242, entries_for(4243, 1)[0], proof)
