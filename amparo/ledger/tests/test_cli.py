"""The offline command line, end to end on a real log folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from amparo.ledger import DirectoryTileStore, NoteSigner, TileLog, leaf_hash
from amparo.ledger.__main__ import main
from amparo.ledger.tests.conftest import ORIGIN, entries_for


@pytest.fixture
def folder(tmp_path: Path, signer: NoteSigner) -> Path:
    log = TileLog(DirectoryTileStore(tmp_path / "log"), ORIGIN, signer)
    (tmp_path / "old-checkpoint").write_bytes(log.integrate(entries_for(0, 300)).note)
    log.integrate(entries_for(300, 700))
    (tmp_path / "receipt.tlog-proof").write_bytes(log.receipt(42))
    (tmp_path / "entry").write_bytes(entries_for(42, 1)[0])
    return tmp_path


def test_keygen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "amparo.example/log"]) == 0
    lines = capsys.readouterr().out.splitlines()
    skey, vkey = lines[1], lines[3]
    assert NoteSigner.from_skey(skey).vkey == vkey


def test_verifications_pass(folder: Path, signer: NoteSigner, capsys: pytest.CaptureFixture[str]) -> None:
    vkey = ["--vkey", signer.vkey]
    assert main(["checkpoint", str(folder / "log" / "checkpoint"), *vkey]) == 0
    assert main(["tiles", str(folder / "log"), *vkey]) == 0
    receipt = str(folder / "receipt.tlog-proof")
    assert main(["receipt", receipt, "--entry", str(folder / "entry"), *vkey]) == 0
    assert main(["receipt", receipt, "--leaf-hash", leaf_hash(entries_for(42, 1)[0]).hex(), *vkey]) == 0
    old, new = str(folder / "old-checkpoint"), str(folder / "log" / "checkpoint")
    assert main(["consistency", old, new, "--tiles", str(folder / "log"), *vkey]) == 0
    out = capsys.readouterr().out
    assert out.count("OK: ") == 5 and "entry 42 is in amparo.example/log at tree size 1000" in out


def test_failures_are_reported(folder: Path, signer: NoteSigner, capsys: pytest.CaptureFixture[str]) -> None:
    vkey = ["--vkey", signer.vkey]
    (folder / "entry").write_bytes(b"changed")
    assert main(["receipt", str(folder / "receipt.tlog-proof"), "--entry", str(folder / "entry"), *vkey]) == 1
    tile = folder / "log" / "tile" / "0" / "001"
    tile.write_bytes(tile.read_bytes()[:-1] + b"\x00")
    assert main(["tiles", str(folder / "log"), *vkey]) == 1
    other = ["--vkey", NoteSigner.generate(ORIGIN).vkey]
    assert main(["checkpoint", str(folder / "log" / "checkpoint"), *other]) == 1
    err = capsys.readouterr().err
    assert "receipt inclusion proof failed" in err
    assert "tile tile/0/001 hash 255 does not match entry 511" in err
    assert "not signed by any trusted key" in err
