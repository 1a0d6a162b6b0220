"""The evidence vault's Python API for the other parts (intake, incidents, people, legal). See docs/evidence.md.

    ingest(fileobj, *, network, filename="", claimed_type="", actor=None, report=None,
           consent="internal", source="upload", consent_uses=None) -> EvidenceItem
    ingest_path(path, **same) -> EvidenceItem
    store_original(fileobj, *, filename="", claimed_type="") -> Stored   (the file work alone, no database)
    ingest_stored(stored, *, network, actor=None, report=None, consent=..., source=..., consent_uses=None)
    record_custody(item, action, actor, **detail) -> CustodyEvent
    receipt_for(item) -> bytes | None
    build_bundle(items, out, actor, use="legal") -> list   (amparo.evidence.bundle; returns what was withheld)

Every item and every custody event appends a leaf to the transparency log, in the same transaction as its row:

    {"at":"<UTC>","commitment":"<hex>","kind":"evidence.item","v":1}
    {"at":"<UTC>","item":"<item commitment>","kind":"custody.<action>","record":"<hex>","v":1}

where ``commitment = SHA-256(nonce || file_sha256 || metadata_digest)``, ``metadata_digest =
SHA-256(canonical JSON of the metadata)`` and ``record = SHA-256(nonce || canonical JSON of the custody record)``.
The nonce is private, so the public log reveals neither which file nor who handled it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.audit.actions import record as audit
from amparo.evidence import consent as consents
from amparo.evidence import log, store
from amparo.evidence.models import Action, Consent, CustodyEvent, EvidenceItem, Source
from amparo.ledger import canonical_json, commitment, encode_leaf, new_nonce
from amparo.media.hashing import TooLarge
from amparo.media.probe import ProbeResult, probe

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
RECEIPT_LENGTH = 10  # 50 bits: not guessable by trying
_EXT_RE = re.compile(r"[a-z0-9]{1,10}")


class EvidenceTooLarge(ValueError):
    """The file is over ``EVIDENCE_MAX_BYTES``; nothing was stored."""

    def __init__(self, max_size: int) -> None:
        super().__init__(f"file is larger than the limit of {max_size} bytes")
        self.max_size = max_size


def utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_seconds() -> datetime:
    return timezone.now().replace(microsecond=0)


def extension_of(filename: str) -> str:
    """Only the extension of a client's file name is kept (names are personal); lower case, 1-10 [a-z0-9]."""
    ext = os.path.splitext(os.path.basename(filename or ""))[1].lstrip(".").lower()
    return ext if _EXT_RE.fullmatch(ext) else ""


def _plain(value: Any) -> Any:
    """Floats become their shortest exact text: canonical JSON has no floats."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def canonical_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    return _plain(metadata)  # type: ignore[no-any-return]  # a dict in, a dict out


def metadata_digest(metadata: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(metadata)).hexdigest()


def item_leaf(item: EvidenceItem) -> bytes:
    return encode_leaf("evidence.item", {"commitment": item.commitment, "at": utc_text(item.received_at)})


def custody_record(event: CustodyEvent, item: EvidenceItem) -> dict[str, Any]:
    """What a custody leaf commits to; bundles carry it so anyone can recompute the leaf."""
    return {
        "v": 1,
        "item": item.commitment,
        "action": event.action,
        "actor": event.actor_label,
        "at": utc_text(event.at),
        "detail": event.detail,
    }


def record_digest(nonce_hex: str, record: dict[str, Any]) -> str:
    return hashlib.sha256(bytes.fromhex(nonce_hex) + canonical_json(record)).hexdigest()


def custody_leaf(event: CustodyEvent, item: EvidenceItem) -> bytes:
    digest = record_digest(item.nonce, custody_record(event, item))
    payload = {"item": item.commitment, "at": utc_text(event.at), "record": digest}
    if event.action == Action.REDACTED:
        # The redacted copy is published, so its hash is public anyway: in the clear it lets anyone holding the
        # copy find the entry that derives it from the logged original (amparo/redaction, docs/redaction.md).
        payload["copy"] = store.check_sha(str(event.detail.get("copy_sha256", "")))
    return encode_leaf(f"custody.{event.action}", payload)


def _receipt_code() -> str:
    while True:
        raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        if not EvidenceItem.objects.filter(receipt_code=code).exists():
            return code


def normalise_receipt_code(text: str) -> str:
    """Accept what people type: lower case, spaces, O for 0, I/L for 1, with or without the dash."""
    cleaned = text.upper().replace("O", "0").replace("I", "1").replace("L", "1")
    cleaned = "".join(ch for ch in cleaned if ch in RECEIPT_ALPHABET)
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == RECEIPT_LENGTH else ""


def _actor_label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return "system"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _follow_up(item_id: int | None = None, kind: str = "") -> None:
    """Inside the write transaction: integrate the log after the commit, and enqueue an item's background work as
    part of the commit (amparo/outbox), so a server killed right after the commit does not lose the jobs. A queue
    that is down does not turn the acknowledgement into an error either (the client would send it again): the jobs
    wait in the outbox. The hourly maintenance redoes fingerprints lost with Redis itself (evidence/maintenance.py)."""
    # robust: the integration's fallback job goes through the outbox, into the database; one that is gone right
    # after the commit must not turn the acknowledgement into an error (the next ingest or maintenance integrates)
    transaction.on_commit(log.integrate_quietly, robust=True)
    if item_id is not None:
        from amparo.evidence.tasks import compute_fingerprints, make_video_preview
        from amparo.outbox.dispatch import enqueue_on_commit

        enqueue_on_commit(compute_fingerprints, item_id)
        if kind == "video":
            enqueue_on_commit(make_video_preview, item_id)


@dataclass(frozen=True)
class Stored:
    """An original made durable in the store and probed: the file work of an ingest, before its transaction."""

    sha256: str
    size: int
    extension: str
    probe: ProbeResult


def store_original(fileobj: IO[bytes] | Any, *, filename: str = "", claimed_type: str = "") -> Stored:
    """Hash, fsync and store the bytes under their content address, and probe them in a sandbox.

    No database work: a caller that writes several rows for one acknowledgement (a report and its files) does this
    first and only then opens its transaction, so SQLite's one write lock is not held while a file is hashed and
    probed (docs/scaling.md). Raises :class:`EvidenceTooLarge` (nothing kept).
    """
    ext = extension_of(filename)
    try:
        with store.receive(fileobj, max_size=settings.EVIDENCE_MAX_BYTES) as received:
            result = probe(
                received.path, claimed_name=f"file.{ext}" if ext else None, claimed_mime=claimed_type or None
            )
            store.commit(received)
    except TooLarge as exc:
        raise EvidenceTooLarge(exc.max_size) from exc
    return Stored(received.sha256, received.size, ext, result)


def _check_consent(consent: str, source: str, consent_uses: Iterable[str] | None) -> None:
    if consent not in Consent.values or source not in Source.values:
        raise ValueError("unknown consent or source")
    if consent_uses is not None and set(consent_uses) - set(consents.USES):
        raise ValueError("unknown consent use")


def ingest(
    fileobj: IO[bytes] | Any,
    *,
    network: Any,
    filename: str = "",
    claimed_type: str = "",
    actor: Any = None,
    report: Any = None,
    consent: str = Consent.INTERNAL,
    source: str = Source.UPLOAD,
    consent_uses: Iterable[str] | None = None,
) -> EvidenceItem:
    """Store a file (once per distinct content), probe it in a sandbox, log it, and return the new item.

    When this returns, the original is durable and the item, its "received" custody event and both log
    entries are committed; the receipt becomes available once the sequencer has integrated the entries
    (right after the commit). Bad media is kept with ``probe_error`` set; only an over-size file raises
    :class:`EvidenceTooLarge`.

    ``consent_uses`` (internal, legal, public) is what the source allowed; without it, the uses ``consent`` stands
    for. Sources nobody asked (partner API, imports) are stored with no consent recorded (see consent.py).
    """
    _check_consent(consent, source, consent_uses)
    stored = store_original(fileobj, filename=filename, claimed_type=claimed_type)
    return ingest_stored(
        stored,
        network=network,
        actor=actor,
        report=report,
        consent=consent,
        source=source,
        consent_uses=consent_uses,
    )


def ingest_stored(
    stored: Stored,
    *,
    network: Any,
    actor: Any = None,
    report: Any = None,
    consent: str = Consent.INTERNAL,
    source: str = Source.UPLOAD,
    consent_uses: Iterable[str] | None = None,
) -> EvidenceItem:
    """The database half of :func:`ingest`: the item, its custody event and log entries, for an original stored
    by :func:`store_original`. Only milliseconds of work, fit to run inside a caller's transaction."""
    _check_consent(consent, source, consent_uses)
    uses = consents.at_ingest(consent_uses, consent, source)
    result = stored.probe
    metadata = canonical_metadata(result.to_dict())
    digest = metadata_digest(metadata)
    nonce = new_nonce()
    item = EvidenceItem(
        network=network,
        sha256=stored.sha256,
        size=stored.size,
        kind=result.kind,
        mime_sniffed=result.mime,
        extension=stored.extension,
        metadata=metadata,
        metadata_digest=digest,
        nonce=nonce.hex(),
        commitment=commitment(nonce, bytes.fromhex(stored.sha256), bytes.fromhex(digest)).hex(),
        probe_error=result.error or "",
        consent=consents.level_of(uses),
        consent_uses=uses,
        source=source,
        received_at=now_seconds(),
        received_by=_user(actor),
        report=report,
    )
    with transaction.atomic():
        item.receipt_code = _receipt_code()
        item.log_index = log.append(item_leaf(item))
        item.save()
        _custody(item, Action.RECEIVED, actor, {"source": source})
        audit(actor, network, "evidence.received", item, source=source, probe_error=item.probe_error)
        _follow_up(item.pk, item.kind)
    return item


def ingest_path(path: str | os.PathLike[str], **kwargs: Any) -> EvidenceItem:
    """:func:`ingest` a local file; its name supplies only the extension."""
    kwargs.setdefault("filename", Path(path).name)
    with open(path, "rb", buffering=0) as fh:
        return ingest(fh, **kwargs)


def _custody(item: EvidenceItem, action: str, actor: Any, detail: dict[str, Any]) -> CustodyEvent:
    canonical_json(detail)  # refuse floats and other non-canonical values before anything is written
    event = CustodyEvent(item=item, action=action, actor=_user(actor), actor_label=_actor_label(actor))
    event.at = now_seconds()
    event.detail = detail
    event.log_index = log.append(custody_leaf(event, item))
    event.save()
    return event


def record_custody(item: EvidenceItem, action: str, actor: Any, **detail: Any) -> CustodyEvent:
    """Append a custody event (viewed, downloaded, exported, transferred, deleted) with its log entry and an
    audit event. ``detail`` holds codes and short words only (no names): it goes into bundles."""
    if action not in Action.values or action == Action.RECEIVED:
        raise ValueError(f"unknown custody action {action!r}")
    with transaction.atomic():
        event = _custody(item, action, actor, detail)
        audit(actor, item.network, f"evidence.{action}", item, **detail)
        _follow_up()
    return event


def receipt_for(item: EvidenceItem) -> bytes | None:
    """The item's c2sp.org/tlog-proof receipt against the latest checkpoint (None until integrated)."""
    return log.receipt(item.log_index)


def build_bundle(
    items: list[EvidenceItem],
    out: str | os.PathLike[str] | IO[bytes],
    actor: Any,
    *,
    use: str = consents.LEGAL,
) -> list[tuple[EvidenceItem, consents.Decision]]:
    """Write an evidence bundle (zip) of ``items`` to ``out``; see amparo.evidence.bundle. Items whose consent does
    not allow ``use`` are listed as withheld, without their bytes; returns those with the decision on each."""
    from amparo.evidence.bundle import build

    return build(items, out, actor, use=use)
