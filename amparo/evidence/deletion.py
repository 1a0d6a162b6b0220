"""Authorised deletion of an original: the witness withdrew consent, or a court ordered it.

:func:`delete_original` removes the bytes from the store (local folder or S3) and every derived copy (this server's
cache and the shared ``derived/`` objects), the item's fingerprints and zoomed crops, and this server's cached query
fingerprints of the footage search (other servers' go when they next start and with the hourly maintenance), unless
another item that is not deleted holds the same bytes (content addressing stores identical files once: another
witness's copy is theirs). What stays is the proof that the item existed and was deleted, which is what a court
needs and nothing a witness withdrew:

- the row, with its commitment, receipt code and ``deleted_at``/``deletion_reason``;
- a ``deleted`` custody event in the transparency log (the tombstone: reason and authority, never a name), so the
  log keeps no gap and every receipt ever given still verifies;
- an ``evidence.deleted`` audit event.

Bundles made afterwards list the item as withheld with the reason (``consent.may_leave`` refuses every door to a
deleted item), and ``amparo verify --all`` checks the tombstone instead of rehashing bytes that are gone. Backups
made before the deletion still hold the bytes: the deletion says which ones (``DATA_DIR/backups.jsonl``, written by
``amparo backup``) so an operator can destroy them or make them again.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.evidence import derived, store
from amparo.evidence.models import EvidenceItem, Fingerprint

REASONS = {
    "witness_withdrew": _("The witness withdrew their consent"),
    "court_order": _("A court ordered it"),
    "legal_request": _("Another lawful request"),
}


class DeletionError(Exception):
    pass


@dataclass
class Deleted:
    item: EvidenceItem
    bytes_removed: bool  # False when another item still holds the same bytes
    copies_removed: int
    backups_holding: list[dict[str, Any]]


def _remove_bytes(sha256: str) -> bool:
    name = store.relative_name(sha256)
    remote = store._remote()
    if remote is not None:
        existed = bool(remote.exists(name))
        if existed:
            remote.delete(name)
        return existed
    path = store.root() / name
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise DeletionError("the content address holds something other than a file")
    except FileNotFoundError:
        return False
    os.chmod(path, 0o600)  # originals are 0440: make the unlink's intent explicit
    path.unlink()
    store._fsync_dir(path.parent)
    return True


def _remove_copies(item: EvidenceItem) -> int:
    removed = 0
    if item.kind not in derived.VISUAL_KINDS:
        return 0
    shared = store.shared_storage()
    for variant in derived.VARIANTS:
        path = derived.path_for(item.sha256, item.kind, variant)
        for candidate in (path, path.with_name(path.name + ".failed")):
            if candidate.exists():
                candidate.unlink()
                removed += 1
            if shared is not None:
                name = "derived/" + candidate.relative_to(derived.root()).as_posix()
                if shared.exists(name):
                    shared.delete(name)
                    removed += 1
    return removed


def backups_before(item: EvidenceItem) -> list[dict[str, Any]]:
    """Backups made after the item arrived (so they hold its bytes), from ``DATA_DIR/backups.jsonl``."""
    path = Path(settings.DATA_DIR) / "backups.jsonl"
    if not path.is_file():
        return []
    found = []
    received = item.received_at.timestamp()
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, KeyError):
            entry = json.loads(line)
            if float(entry["at"]) >= received:
                found.append(entry)
    return found


def delete_original(item: EvidenceItem, *, reason: str, authority: str, actor: Any) -> Deleted:
    """Delete ``item``'s bytes and copies for ``reason`` (a key of REASONS); ``authority`` says who asked (a court's
    case number, "witness by follow-up code"): short words, no names. Leaves the tombstone described above."""
    from amparo.corroboration import footage
    from amparo.corroboration.models import ZoomedCrops
    from amparo.evidence import vault

    if reason not in REASONS:
        raise DeletionError(f"unknown reason {reason!r}")
    authority = " ".join(authority.split())[:200]
    if not authority:
        raise DeletionError("say who asked for the deletion")
    with transaction.atomic():
        locked = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        if locked.deleted_at is not None:
            raise DeletionError("this original was deleted already")
        locked.deleted_at = timezone.now()
        locked.deletion_reason = reason
        locked.save(update_fields=["deleted_at", "deletion_reason"])
        Fingerprint.objects.filter(item=locked).delete()  # the footage index rebuilds without them
        ZoomedCrops.objects.filter(item=locked).delete()  # the footage search's crops of its pixels
        vault.record_custody(locked, "deleted", actor, reason=reason, authority=authority)
        shared_by_others = (
            EvidenceItem.objects.filter(sha256=locked.sha256, deleted_at__isnull=True)
            .exclude(pk=locked.pk)
            .exists()
        )
    bytes_removed = copies = 0
    if not shared_by_others:  # after the commit: a rolled-back deletion leaves the bytes in place
        bytes_removed = _remove_bytes(locked.sha256)
        copies = _remove_copies(locked)
        footage.forget_cached(locked.sha256)  # this server's; the others' go at their next start
    copies += _delete_redacted_copies(locked, reason=reason, authority=authority, actor=actor)
    return Deleted(locked, bool(bytes_removed), copies, backups_before(locked))


def _delete_redacted_copies(item: EvidenceItem, *, reason: str, authority: str, actor: Any) -> int:
    """A redacted copy is made of the original's pixels: when the witness withdraws or a court orders the original
    gone, its redacted copies go the same way (each with its own tombstone), and leave the public page with it."""
    from amparo.redaction.models import Redaction

    done = 0
    for redaction in Redaction.objects.filter(
        original=item, copy_item__deleted_at__isnull=True
    ).select_related("copy_item"):
        copy = redaction.copy_item
        if copy is None:
            continue
        delete_original(
            copy,
            reason=reason,
            authority=f"{authority} (redacted copy of a deleted original)"[:200],
            actor=actor,
        )
        done += 1
    return done
