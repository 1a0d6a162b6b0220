"""Evidence bundles: one zip a lawyer or court can verify offline, by ``amparo verify`` or by hand.

    VERIFY.md                      how to check everything, in plain English and Spanish
    SHA256SUMS                     every other file; ``sha256sum -c SHA256SUMS`` accepts it
    manifest.json                  items: hashes, nonces, metadata digests, commitments, log indices, custody
    checkpoint                     the signed checkpoint every proof is against
    log-key.txt                    the log's verifier key (compare with the network's /log/key)
    originals/<sha256>.<ext>       the original bytes, unchanged
    metadata/<item>.json           the metadata, in the canonical JSON whose SHA-256 is the metadata digest
    custody/<index>.json           each custody record, in the canonical JSON its log entry commits to
    entries/<index>                each log entry's exact bytes
    proofs/<index>.tlog-proof      each entry's inclusion proof (c2sp.org/tlog-proof)

Building a bundle is itself custody: each item gets an "exported" event first, so the bundle holds its own
export in the log.

Consent decides what goes in (``amparo.evidence.consent.may_leave``, for legal use unless told otherwise): an item
whose witness did not allow that use is listed under ``withheld`` in manifest.json and VERIFY.md, with the reason,
and nothing else of it — no bytes, no hash, no metadata, no custody. Its withholding is audited
(``evidence.withheld``), not logged as custody: nothing of it left.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from pathlib import Path
from string import Template
from typing import IO, Any

from django.utils import translation

from amparo.audit.actions import record
from amparo.evidence import consent, log, store
from amparo.evidence.models import CustodyEvent, EvidenceItem, LogEntry
from amparo.evidence.offline import CHECKPOINT_FILE, FORMAT, KEY_FILE, MANIFEST, SUMS
from amparo.ledger import canonical_json, make_receipt

GUIDE = Path(__file__).with_name("bundle_guide.md")


class _Writer:
    """Adds files to the zip and remembers their SHA-256 for SHA256SUMS."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.sums: dict[str, str] = {}

    def add(self, name: str, data: bytes) -> None:
        self.zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        self.sums[name] = hashlib.sha256(data).hexdigest()

    def add_original(self, name: str, item: EvidenceItem) -> None:
        hasher = hashlib.sha256()
        info = zipfile.ZipInfo(name, date_time=item.received_at.timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED  # media is compressed already
        with store.open_original(item.sha256) as src, self.zf.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(1 << 20):
                hasher.update(chunk)
                dst.write(chunk)
        if hasher.hexdigest() != item.sha256:
            raise store.StoreError(f"stored original of item {item.code} does not match its SHA-256")
        self.sums[name] = item.sha256


def _proof(note: bytes, size: int, index: int) -> tuple[bytes, bytes]:
    tlog = log.fresh_tile_log()
    entry = tlog.entry(index)
    return entry, make_receipt(note, index, tlog.inclusion_proof(index, size))


def _entry_files(w: _Writer, note: bytes, size: int, index: int) -> dict[str, Any]:
    entry, proof = _proof(note, size, index)
    stored = LogEntry.objects.get(index=index)
    if bytes(stored.leaf) != entry:
        raise RuntimeError(f"log entry {index} in the tiles differs from the database")
    w.add(f"entries/{index}", entry)
    w.add(f"proofs/{index}.tlog-proof", proof)
    return {"log_index": index, "entry": f"entries/{index}", "proof": f"proofs/{index}.tlog-proof"}


def _item_manifest(w: _Writer, item: EvidenceItem, note: bytes, size: int) -> dict[str, Any]:
    from amparo.evidence.vault import custody_record, utc_text

    original = f"originals/{item.stored_name}"
    if original not in w.sums:
        w.add_original(original, item)
    meta_name = f"metadata/{item.code}.json"
    w.add(meta_name, canonical_json(item.metadata))
    custody = []
    for event in CustodyEvent.objects.filter(item=item, log_index__lt=size).order_by("log_index"):
        record_name = f"custody/{event.log_index}.json"
        w.add(record_name, canonical_json(custody_record(event, item)))
        custody.append(
            {
                "action": event.action,
                "actor": event.actor_label,
                "at": utc_text(event.at),
                "detail": event.detail,
                "record": record_name,
                **_entry_files(w, note, size, event.log_index),
            }
        )
    return {
        "id": str(item.code),
        "sha256": item.sha256,
        "size": item.size,
        "mime": item.mime_sniffed,
        "original": original,
        "received_at": utc_text(item.received_at),
        "consent": item.consent,
        "probe_error": item.probe_error,
        "nonce": item.nonce,
        "metadata": meta_name,
        "metadata_digest": item.metadata_digest,
        "commitment": item.commitment,
        **_entry_files(w, note, size, item.log_index),
        "custody": custody,
    }


def _withheld_entry(item: EvidenceItem, decision: consent.Decision) -> dict[str, Any]:
    return {
        "id": str(item.code),
        "reason": decision.reason,
        "explanation": decision.explanation_en,
        "consent": consent.uses_of(item),
    }


def _withheld_lines(withheld: list[tuple[EvidenceItem, consent.Decision]], language: str) -> str:
    if not withheld:
        return {"es": "Ninguno.", "en": "None."}[language]
    with translation.override(language):
        return "\n".join(f"- `{item.code}`: {decision.explanation}" for item, decision in withheld)


def guide_text(
    origin: str,
    key: str,
    size: int,
    withheld: list[tuple[EvidenceItem, consent.Decision]] = (),  # type: ignore[assignment]  # an empty tuple is a fine read-only default
) -> str:
    return Template(GUIDE.read_text(encoding="utf-8")).safe_substitute(
        origin=origin,
        key=key,
        size=size,
        withheld_en=_withheld_lines(list(withheld), "en"),
        withheld_es=_withheld_lines(list(withheld), "es"),
    )


def build(
    items: list[EvidenceItem],
    out: str | os.PathLike[str] | IO[bytes],
    actor: Any,
    *,
    use: str = consent.LEGAL,
) -> list[tuple[EvidenceItem, consent.Decision]]:
    """Record an "exported" custody event per item that may leave by ``use``, integrate the log, then write the zip
    to ``out``. The others are listed as withheld (and returned, each with its decision)."""
    from amparo.evidence.vault import record_custody

    if not items:
        raise ValueError("a bundle needs at least one item")
    items, withheld = consent.split(items, use)
    bundle_id = str(uuid.uuid4())
    for item in items:
        record_custody(item, "exported", actor, bundle=bundle_id)
    for item, decision in withheld:
        record(
            actor, item.network, "evidence.withheld", item, bundle=bundle_id, use=use, reason=decision.reason
        )
    log.integrate_pending()
    tlog = log.fresh_tile_log()
    cp = tlog.checkpoint
    assert cp is not None  # just integrated
    key = log.verifier_key()
    target: Any = out
    tmp: Path | None = None
    if isinstance(out, str | os.PathLike):
        tmp = Path(out).with_name(f".{Path(out).name}.{bundle_id[:8]}.part")
        target = tmp
    try:
        with zipfile.ZipFile(target, "w", allowZip64=True) as zf:
            w = _Writer(zf)
            entries = [_item_manifest(w, item, cp.note, cp.size) for item in items]
            w.add(CHECKPOINT_FILE, cp.note)
            w.add(KEY_FILE, (key + "\n").encode("ascii"))
            manifest = {
                "format": FORMAT,
                "version": 1,
                "bundle": bundle_id,
                "log": {
                    "origin": cp.origin,
                    "tree_size": cp.size,
                    "checkpoint": CHECKPOINT_FILE,
                    "key": KEY_FILE,
                },
                "items": entries,
                "withheld": [_withheld_entry(item, decision) for item, decision in withheld],
            }
            w.add(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
            w.add("VERIFY.md", guide_text(cp.origin, key, cp.size, withheld).encode("utf-8"))
            sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(w.sums.items()))
            zf.writestr(SUMS, sums)
        if tmp is not None:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, out)  # type: ignore[arg-type]  # out is a path in this branch
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
    return withheld
