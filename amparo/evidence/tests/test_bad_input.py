"""Bad input keeps its bytes and records why; the store refuses path tricks; verify --all finds tampering."""

from __future__ import annotations

import io
import json
import os
import zlib
from pathlib import Path

import pytest
from django.conf import settings

from amparo.evidence import log, store, vault
from amparo.evidence.checkall import verify_all
from amparo.evidence.tests.media import jpeg_with_gps
from amparo.testing import Personas


def png_bomb(side: int = 30000) -> bytes:
    """A tiny PNG that declares side x side pixels (900 megapixels) of zeros."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\0" * (side + 1) * 64, 9)  # only the first rows; the decoder must refuse before
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


CASES = {
    "empty": (b"", "empty"),
    "truncated": (jpeg_with_gps()[:3000], "truncated"),
    "bomb": (png_bomb(), "decompression_bomb"),
    "lying": (b"\x89PNG\r\n\x1a\n" + jpeg_with_gps()[8:], None),  # PNG magic, JPEG inside
    "garbage": (os.urandom(5000), "unsupported_type"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_media_is_kept_with_a_clear_reason(case: str, personas: Personas) -> None:
    data, expected = CASES[case]
    item = vault.ingest(
        io.BytesIO(data), network=personas.north, filename="clip.mp4", claimed_type="video/mp4"
    )
    assert item.probe_error, item.metadata
    if expected:
        assert item.probe_error == expected, item.metadata
    assert item.metadata["message"]
    with store.open_original(item.sha256) as fh:
        assert fh.read() == data  # evidence is evidence: the bytes are kept whatever they are
    assert item.log_index is not None and item.receipt_code


def test_a_file_that_lies_about_its_type_is_flagged(personas: Personas) -> None:
    item = vault.ingest(
        io.BytesIO(jpeg_with_gps()), network=personas.north, filename="v.mp4", claimed_type="video/mp4"
    )
    assert item.probe_error == "" and item.kind == "image"
    assert item.metadata["claimed_type_mismatch"] is True


def test_files_over_the_limit_are_refused_and_leave_nothing(personas: Personas, settings: object) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000  # type: ignore[attr-defined]
    with pytest.raises(vault.EvidenceTooLarge):
        vault.ingest(io.BytesIO(b"x" * 1001), network=personas.north)
    leftovers = [p for p in Path(settings.EVIDENCE_DIR).rglob("*") if p.is_file()]  # type: ignore[attr-defined]
    assert leftovers == []
    assert vault.ingest(io.BytesIO(b"x" * 1000), network=personas.north).size == 1000


@pytest.mark.parametrize("name", ["../../etc/passwd", "ab/../cd", "A" * 64, "", "0" * 63, "/" + "0" * 63])
def test_the_store_refuses_names_that_are_not_hashes(name: str) -> None:
    with pytest.raises(store.StoreError):
        store.open_original(name)
    with pytest.raises(store.StoreError):
        store.relative_name(name)


def test_the_store_refuses_symlinks(personas: Personas, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not evidence")
    sha = "ab" * 32
    folder = Path(settings.EVIDENCE_DIR) / "ab" / "ab"
    folder.mkdir(parents=True)
    (folder / sha).symlink_to(secret)
    with pytest.raises(store.StoreError):
        store.open_original(sha)
    other = "cd" * 32
    (Path(settings.EVIDENCE_DIR) / "cd").symlink_to(tmp_path)
    (tmp_path / "cd").mkdir()
    (tmp_path / "cd" / other).write_text("planted")
    with pytest.raises(store.StoreError):
        store.open_original(other)


def test_verify_all_passes_and_then_names_a_changed_original(personas: Personas) -> None:
    item = vault.ingest(io.BytesIO(jpeg_with_gps()), network=personas.north)
    vault.record_custody(item, "viewed", personas.user("alice"))
    log.integrate_pending()
    report = verify_all()
    assert report.ok, report.failures
    path = Path(settings.EVIDENCE_DIR) / store.relative_name(item.sha256)
    os.chmod(path, 0o640)
    data = bytearray(path.read_bytes())
    data[500] ^= 1
    path.write_bytes(bytes(data))
    failures = verify_all().failures
    assert failures == [
        f"item {item.code}: stored original no longer has its SHA-256 and size (it was changed)"
    ]


def test_verify_all_catches_a_rewritten_tile_history(personas: Personas) -> None:
    vault.ingest(io.BytesIO(b"first"), network=personas.north)
    log.integrate_pending()
    tiles = log.tiles_dir()
    entry = tiles / "tile" / "entries" / "000.p" / "2"
    data = bytearray(entry.read_bytes())
    data[-3] ^= 1
    entry.write_bytes(bytes(data))
    failures = verify_all().failures
    assert any(f.startswith("tiles:") for f in failures), failures


def test_cli_add_prints_one_json_line_per_file(personas: Personas, tmp_path: Path, capsys: object) -> None:
    from amparo.cli import main

    paths = []
    for n in range(2):
        path = tmp_path / f"photo{n}.jpg"
        path.write_bytes(jpeg_with_gps(seed=n + 20))
        paths.append(str(path))
    assert main(["evidence", "add", *paths, "--network", "Red Norte"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]  # type: ignore[attr-defined]
    assert [set(line) >= {"id", "sha256", "receipt_code"} for line in lines] == [True, True]
    assert vault.receipt_for(personas.north.evidence.get(code=lines[0]["id"])) is not None
    assert main(["verify", "--all"]) == 0


def test_verify_all_reports_originals_left_by_an_interrupted_ingest(personas: Personas) -> None:
    vault.ingest(io.BytesIO(b"kept"), network=personas.north)
    with store.receive(io.BytesIO(b"stored, then the process died")) as received:
        store.commit(received)
    log.integrate_pending()
    report = verify_all()
    assert report.ok
    assert "1 stored originals belong to no item (interrupted ingests)" in report.checked
