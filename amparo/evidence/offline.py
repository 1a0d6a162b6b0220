"""Offline verification of an evidence bundle: no Django, no database, no network.

``verify_bundle(path, keys=None)`` checks, and reports every failure by the file it concerns:

1. every file against ``SHA256SUMS`` (and that no file is missing from it or unlisted);
2. the signed checkpoint against the log's verifier key (the one given, else the bundle's own ``log-key.txt``:
   compare it with the key the network publishes at ``/log/key``);
3. for each item: the original's SHA-256 and size, the metadata digest, the commitment
   ``SHA-256(nonce || file_sha256 || metadata_digest)``, the log entry that holds the commitment, and the
   entry's inclusion proof under the checkpoint;
4. for each custody event: the record digest ``SHA-256(nonce || record)``, its log entry and inclusion proof;
5. the items withheld by consent (``withheld`` in the manifest): named in the report, none of them among the items.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from amparo.ledger import (
    LedgerError,
    NoteVerifier,
    canonical_json,
    commitment,
    decode_leaf,
    parse_receipt,
    verify_checkpoint,
    verify_receipt,
)

FORMAT = "amparo-evidence-bundle"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"
KEY_FILE = "log-key.txt"
CHECKPOINT_FILE = "checkpoint"
MAX_SMALL_FILE = 16 << 20  # manifest, metadata, proofs: anything larger is not ours
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, where: str, why: str) -> None:
        self.failures.append(f"{where}: {why}")


def _hash_member(zf: zipfile.ZipFile, name: str) -> tuple[str, int]:
    hasher = hashlib.sha256()
    size = 0
    with zf.open(name) as fh:
        while chunk := fh.read(1 << 20):
            hasher.update(chunk)
            size += len(chunk)
    return hasher.hexdigest(), size


def _small(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_SMALL_FILE:
        raise ValueError("file is too large for its kind")
    return zf.read(name)


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return not (name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts))


def _check_sums(zf: zipfile.ZipFile, report: Report) -> None:
    names = [i.filename for i in zf.infolist() if not i.is_dir()]
    for name in names:
        if not _safe_name(name):
            report.fail(name, "unsafe file name in the bundle")
    if SUMS not in names:
        report.fail(SUMS, "missing")
        return
    listed: dict[str, str] = {}
    for number, line in enumerate(_small(zf, SUMS).decode("utf-8", "replace").splitlines(), 1):
        match = _SUM_LINE.fullmatch(line)
        if not match:
            report.fail(SUMS, f"line {number} is not '<sha256>  <file>'")
            continue
        listed[match.group(2)] = match.group(1)
    for name, expected in listed.items():
        if name not in names:
            report.fail(name, "listed in SHA256SUMS but missing from the bundle")
        elif _hash_member(zf, name)[0] != expected:
            report.fail(name, "SHA-256 does not match SHA256SUMS (the file was changed)")
    for name in names:
        if name != SUMS and name not in listed:
            report.fail(name, "not listed in SHA256SUMS")
    report.checked.append(f"{len(listed)} files against SHA256SUMS")


def _verifiers(zf: zipfile.ZipFile, keys: Iterable[str] | None, report: Report) -> list[NoteVerifier]:
    given = list(keys or [])
    if not given:
        try:
            given = [line.strip() for line in _small(zf, KEY_FILE).decode().splitlines() if line.strip()]
        except (KeyError, ValueError, UnicodeDecodeError):
            report.fail(KEY_FILE, "missing or unreadable")
    out = []
    for key in given:
        try:
            out.append(NoteVerifier.from_vkey(key))
        except LedgerError as exc:
            report.fail(KEY_FILE if not keys else "--key", f"not a verifier key: {exc}")
    return out


def _check_entry(
    zf: zipfile.ZipFile,
    entry: dict[str, Any],
    expected_kind: str,
    expected: dict[str, str],
    keys: list[NoteVerifier],
    checkpoint: bytes | None,
    report: Report,
) -> None:
    """The log entry file holds the expected leaf, and its proof includes it under the bundle checkpoint."""
    entry_name, proof_name, index = entry.get("entry", ""), entry.get("proof", ""), entry.get("log_index")
    try:
        leaf = _small(zf, entry_name)
        kind, payload = decode_leaf(leaf)
    except (KeyError, ValueError, LedgerError) as exc:
        report.fail(entry_name or "manifest.json", f"log entry missing or unreadable ({exc})")
        return
    if kind != expected_kind or any(payload.get(k) != v for k, v in expected.items()):
        report.fail(entry_name, f"log entry does not record this {expected_kind} (kind or values differ)")
    try:
        proof = _small(zf, proof_name)
        parsed = parse_receipt(proof)
        if parsed.index != index:
            report.fail(proof_name, f"proof is for entry {parsed.index}, the manifest says {index}")
        if checkpoint is not None and parsed.checkpoint != checkpoint:
            report.fail(proof_name, "proof is against a different checkpoint than the bundle's")
        verify_receipt(proof, leaf, keys)
    except KeyError:
        report.fail(proof_name or "manifest.json", "inclusion proof missing")
    except (ValueError, LedgerError) as exc:
        report.fail(proof_name, f"inclusion proof does not verify for {entry_name}: {exc}")


def _check_item(
    zf: zipfile.ZipFile,
    item: dict[str, Any],
    keys: list[NoteVerifier],
    checkpoint: bytes | None,
    report: Report,
) -> None:
    original = str(item.get("original", ""))
    where = original or f"item {item.get('id')}"
    try:
        sha, size = _hash_member(zf, original)
        if sha != item.get("sha256") or size != item.get("size"):
            report.fail(original, "the original's SHA-256 or size does not match the manifest")
    except KeyError:
        report.fail(where, "original missing from the bundle")
    meta_name = str(item.get("metadata", ""))
    try:
        meta = _small(zf, meta_name)
        if hashlib.sha256(meta).hexdigest() != item.get("metadata_digest"):
            report.fail(meta_name, "metadata digest does not match the manifest")
        elif canonical_json(json.loads(meta)) != meta:
            report.fail(meta_name, "metadata is not in canonical JSON form")
    except (KeyError, ValueError, LedgerError):
        report.fail(meta_name or where, "metadata missing or unreadable")
    nonce_hex, digest = str(item.get("nonce", "")), str(item.get("metadata_digest", ""))
    if not all(_HEX64.fullmatch(v) for v in (nonce_hex, digest, str(item.get("sha256", "")))):
        report.fail(MANIFEST, f"item {item.get('id')}: nonce, sha256 or metadata digest is not 64 hex digits")
        return
    nonce = bytes.fromhex(nonce_hex)
    computed = commitment(nonce, bytes.fromhex(item["sha256"]), bytes.fromhex(digest)).hex()
    if computed != item.get("commitment"):
        report.fail(MANIFEST, f"item {item.get('id')}: commitment is not SHA-256(nonce || sha256 || digest)")
    _check_entry(zf, item, "evidence.item", {"commitment": computed}, keys, checkpoint, report)
    for event in item.get("custody", []):
        record_name = str(event.get("record", ""))
        try:
            record_bytes = _small(zf, record_name)
            record = json.loads(record_bytes)
        except (KeyError, ValueError):
            report.fail(record_name or MANIFEST, "custody record missing or unreadable")
            continue
        if record.get("item") != computed or record.get("action") != event.get("action"):
            report.fail(record_name, "custody record is not about this item or this action")
        record_digest = hashlib.sha256(nonce + record_bytes).hexdigest()
        _check_entry(
            zf,
            event,
            f"custody.{event.get('action')}",
            {"item": computed, "record": record_digest},
            keys,
            checkpoint,
            report,
        )


def verify_bundle(path: str | os.PathLike[str], keys: Iterable[str] | None = None) -> Report:
    """Verify a bundle; the report lists every failure, each beginning with the file it concerns."""
    report = Report()
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.fail(os.fspath(path), f"not a readable zip file ({exc})")
        return report
    with zf:
        _check_sums(zf, report)
        verifiers = _verifiers(zf, keys, report)
        checkpoint: bytes | None = None
        try:
            checkpoint = _small(zf, CHECKPOINT_FILE)
            cp = verify_checkpoint(checkpoint, verifiers)
            report.checked.append(f"checkpoint of {cp.origin} at tree size {cp.size}, signature valid")
        except KeyError:
            report.fail(CHECKPOINT_FILE, "missing")
        except (ValueError, LedgerError) as exc:
            report.fail(CHECKPOINT_FILE, f"signature or format does not verify: {exc}")
        try:
            manifest = json.loads(_small(zf, MANIFEST))
            if manifest.get("format") != FORMAT:
                raise ValueError("not an Amparo evidence bundle")
            items = list(manifest["items"])
        except (KeyError, ValueError, TypeError) as exc:
            report.fail(MANIFEST, f"missing or unreadable ({exc})")
            return report
        for item in items:
            _check_item(zf, item, verifiers, checkpoint, report)
        report.checked.append(f"{len(items)} items: originals, metadata, commitments, log entries, proofs")
        _check_withheld(manifest.get("withheld", []), {str(i.get("id")) for i in items}, report)
    return report


def _check_withheld(withheld: Any, included: set[str], report: Report) -> None:
    """Name each item the bundle leaves out because its witness did not allow the use (its bytes are not here)."""
    if not isinstance(withheld, list) or not all(isinstance(w, dict) for w in withheld):
        report.fail(MANIFEST, "withheld is not a list of items")
        return
    for entry in withheld:
        code, reason = str(entry.get("id", "")), str(entry.get("reason", ""))
        if code in included:
            report.fail(MANIFEST, f"item {code} is listed as withheld and also included")
        report.checked.append(f"withheld by consent, not in this bundle: item {code} ({reason})")
