"""Evidence bundles: they verify offline, by hand with sha256sum, and any changed byte is named."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from amparo.evidence import log, vault
from amparo.evidence.models import EvidenceItem
from amparo.evidence.offline import verify_bundle
from amparo.evidence.tests.media import jpeg_with_gps, short_video
from amparo.testing import Personas


@pytest.fixture
def bundle(personas: Personas, tmp_path: Path) -> Path:
    short_video(tmp_path / "v.mp4")
    items = [
        vault.ingest(
            io.BytesIO(jpeg_with_gps()), network=personas.north, filename="a.jpg", consent="legal_use"
        ),
        vault.ingest_path(tmp_path / "v.mp4", network=personas.north, consent="legal_use"),
    ]
    vault.record_custody(items[0], "downloaded", personas.user("carla"))
    out = tmp_path / "bundle.zip"
    vault.build_bundle(items, out, personas.user("alice"))
    return out


def rewrite(src: Path, dst: Path, name: str, change: object) -> None:
    """Copy the zip, passing the bytes of ``name`` through ``change``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == name:
                data = change(data)  # type: ignore[operator]
            zout.writestr(info, data)


def flip(offset: int) -> object:
    def change(data: bytes) -> bytes:
        b = bytearray(data)
        b[offset % len(b)] ^= 0x01
        return bytes(b)

    return change


def test_a_bundle_verifies_offline(bundle: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok, report.failures
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        guide = zf.read("VERIFY.md").decode()
    assert len(manifest["items"]) == 2
    actions = [e["action"] for e in manifest["items"][0]["custody"]]
    assert actions == ["received", "downloaded", "exported"]
    assert {"SHA256SUMS", "checkpoint", "log-key.txt", "VERIFY.md"} <= names
    assert "sha256sum -c SHA256SUMS" in guide and "Español" in guide and log.verifier_key() in guide
    assert report.ok and verify_bundle(bundle, [log.verifier_key()]).ok


def test_sha256sum_accepts_the_extracted_bundle(bundle: Path, tmp_path: Path) -> None:
    folder = tmp_path / "x"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(folder)
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len((folder / "SHA256SUMS").read_text().splitlines())
    original = next((folder / "originals").iterdir())
    original.write_bytes(original.read_bytes() + b"\0")
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert done.returncode != 0 and f"originals/{original.name}: FAILED" in done.stdout


@pytest.mark.parametrize(
    "target,expected",
    [
        ("original", "the original's SHA-256 or size does not match the manifest"),
        ("manifest.json", "manifest.json: SHA-256 does not match SHA256SUMS"),
        ("proof", "inclusion proof does not verify"),
        ("checkpoint", "checkpoint: "),
        ("metadata", "metadata digest does not match the manifest"),
        ("entry", "entries/0"),
    ],
)
def test_changing_one_byte_is_named(bundle: Path, tmp_path: Path, target: str, expected: str) -> None:
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    item = manifest["items"][0]
    name = {
        "original": item["original"],
        "manifest.json": "manifest.json",
        "proof": item["proof"],
        "checkpoint": "checkpoint",
        "metadata": item["metadata"],
        "entry": item["entry"],
    }[target]
    offset = {"proof": 40, "checkpoint": 30, "entry": 20}.get(target, 100)
    bad = tmp_path / "bad.zip"
    rewrite(bundle, bad, name, flip(offset))
    report = verify_bundle(bad)
    assert not report.ok
    assert any(f.startswith(f"{name}: ") for f in report.failures), report.failures
    assert any(expected in f for f in report.failures), report.failures


def test_a_consistent_forgery_still_fails_on_the_signature(bundle: Path, tmp_path: Path) -> None:
    """Change an original AND fix up SHA256SUMS and the manifest: the signed log still catches it."""
    with zipfile.ZipFile(bundle) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    item = manifest["items"][0]
    forged = files[item["original"]] + b"forged"
    import hashlib

    item["sha256"], item["size"] = hashlib.sha256(forged).hexdigest(), len(forged)
    files[item["original"]] = forged
    files["manifest.json"] = json.dumps(manifest).encode()
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items()) if n != "SHA256SUMS"
    ).encode()
    bad = tmp_path / "forged.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, d in files.items():
            zf.writestr(n, d)
    report = verify_bundle(bad)
    assert any("commitment" in f or item["entry"] in f for f in report.failures), report.failures


def test_the_cli_writes_and_verifies_a_bundle(personas: Personas, tmp_path: Path, capsys: object) -> None:
    from amparo.cli import main

    item = vault.ingest(io.BytesIO(jpeg_with_gps(seed=9)), network=personas.north, consent="legal_use")
    out = tmp_path / "cli.zip"
    assert main(["evidence", "bundle", str(item.code), "-o", str(out)]) == 0
    assert main(["verify", str(out)]) == 0
    rewrite(out, tmp_path / "bad.zip", f"originals/{item.stored_name}", flip(7))
    assert main(["verify", str(tmp_path / "bad.zip")]) == 1
    printed = capsys.readouterr().out  # type: ignore[attr-defined]
    assert f"FAILED: originals/{item.stored_name}: SHA-256 does not match SHA256SUMS" in printed
    assert EvidenceItem.objects.get(pk=item.pk).custody.filter(action="exported").count() == 1


def test_the_by_hand_commands_of_verify_md_work(bundle: Path, tmp_path: Path) -> None:
    """The shell lines VERIFY.md gives recompute the commitment and a custody record digest."""
    folder = tmp_path / "hand"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(folder)
        guide = zf.read("VERIFY.md").decode()
    manifest = json.loads((folder / "manifest.json").read_text())
    item = manifest["items"][0]
    assert "printf '%s%s%s' NONCE SHA256 METADATA_DIGEST | xxd -r -p | sha256sum" in guide
    line = (
        f"printf '%s%s%s' {item['nonce']} {item['sha256']} {item['metadata_digest']} | xxd -r -p | sha256sum"
    )
    out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == item["commitment"]
    out = subprocess.run(
        ["bash", "-c", f"sha256sum {item['metadata']}"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split()[0] == item["metadata_digest"]
    event = item["custody"][-1]
    line = f"(printf '%s' {item['nonce']} | xxd -r -p; cat {event['record']}) | sha256sum"
    assert "(printf '%s' NONCE | xxd -r -p; cat custody/N.json) | sha256sum" in guide
    out = subprocess.run(["bash", "-c", line], cwd=folder, capture_output=True, text=True, check=True).stdout
    entry = json.loads((folder / event["entry"]).read_text())
    assert out.split()[0] == entry["record"]
    key = (folder / "log-key.txt").read_text().strip()
    for args in (
        ["checkpoint", "checkpoint", "--vkey", key],
        ["receipt", item["proof"], "--entry", item["entry"], "--vkey", key],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "amparo.ledger", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
        )
        assert done.returncode == 0 and done.stdout.startswith("OK"), done.stdout + done.stderr
