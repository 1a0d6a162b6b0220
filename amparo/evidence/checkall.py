"""``amparo verify --all``: the whole vault checked against itself and against every published checkpoint.

1. every stored original is read again and its SHA-256 and size compared with its items;
2. every item's metadata digest, commitment and log entry are recomputed from its row;
3. every custody event's log entry is recomputed from its row;
4. the log's indices are gapless and every entry's leaf hash is right;
5. the tiles are recomputed from the entry bundles (``amparo.ledger.verify_tiles``) and every entry in the
   tiles is compared with the database;
6. every checkpoint ever published is verified with the log key and its root compared with the tree of
   that size, so a rewritten history cannot hide behind a newer checkpoint.
"""

from __future__ import annotations

from amparo.evidence import log, store
from amparo.evidence.models import Checkpoint, CustodyEvent, EvidenceItem, LogEntry
from amparo.evidence.offline import Report
from amparo.ledger import LedgerError, commitment, leaf_hash, verify_checkpoint, verify_tiles
from amparo.progress import Progress


def _check_items(report: Report, leaves: dict[int, bytes]) -> None:
    from amparo.evidence.vault import custody_leaf, item_leaf, metadata_digest

    rehashed: dict[str, tuple[str, int] | None] = {}
    count = deleted = 0
    progress = Progress(
        "verify: originals", EvidenceItem.objects.count()
    )  # re-reading every byte takes a while
    for item in EvidenceItem.objects.order_by("pk").iterator():
        count += 1
        progress.step()
        where = f"item {item.code}"
        if item.deleted_at is not None:
            deleted += 1
            if not CustodyEvent.objects.filter(item=item, action="deleted").exists():
                report.fail(where, "marked deleted without a deletion custody event in the log")
        elif item.sha256 not in rehashed:
            try:
                rehashed[item.sha256] = store.rehash(item.sha256)
            except (store.StoreError, OSError) as exc:
                rehashed[item.sha256] = None
                report.fail(where, f"original cannot be read: {exc}")
        got = rehashed.get(item.sha256)
        if got is not None and got != (item.sha256, item.size):
            report.fail(where, "stored original no longer has its SHA-256 and size (it was changed)")
        if metadata_digest(item.metadata) != item.metadata_digest:
            report.fail(where, "metadata does not match its digest")
        computed = commitment(
            bytes.fromhex(item.nonce), bytes.fromhex(item.sha256), bytes.fromhex(item.metadata_digest)
        ).hex()
        if computed != item.commitment:
            report.fail(where, "commitment does not match nonce, SHA-256 and metadata digest")
        if leaves.get(item.log_index) != item_leaf(item):
            report.fail(f"log entry {item.log_index}", f"does not match {where}")
    progress.close()
    items = {i.pk: i for i in EvidenceItem.objects.all()} if count < 100_000 else {}
    events = 0
    for event in CustodyEvent.objects.order_by("log_index").iterator():
        events += 1
        item = items.get(event.item_id) or EvidenceItem.objects.get(pk=event.item_id)
        if leaves.get(event.log_index) != custody_leaf(event, item):
            report.fail(f"log entry {event.log_index}", f"does not match custody event {event.action}")
    report.checked.append(f"{count} items ({len(rehashed)} originals rehashed) and {events} custody events")
    if deleted:
        gone = {i.sha256 for i in EvidenceItem.objects.filter(deleted_at__isnull=False)} - set(rehashed)
        kept = [sha for sha in sorted(gone) if store.exists(sha)]
        for sha in kept:
            report.fail(
                f"original {sha[:12]}", "deleted by an authorised request, but its bytes are still stored"
            )
        report.checked.append(
            f"{deleted} deleted items: their tombstones are in the log and their bytes are gone"
        )
    left, left_bytes = store.abandoned_temporary()
    if left:  # witness bytes nobody acknowledged; removed at the next start or hourly maintenance
        report.fail(
            "evidence/tmp",
            f"{left} temporary files ({left_bytes} bytes) left by interrupted ingests; "
            "they are removed when Amparo starts and by the hourly maintenance",
        )
    if store.is_local():
        unreferenced = sum(1 for sha in store.stored_hashes() if sha not in rehashed)
        if unreferenced:  # stored, then the process stopped before the item was committed: harmless
            report.checked.append(f"{unreferenced} stored originals belong to no item (interrupted ingests)")


def verify_all() -> Report:
    report = Report()
    leaves: dict[int, bytes] = {}
    expected = 0
    for index, leaf, lh in (
        LogEntry.objects.order_by("index").values_list("index", "leaf", "leaf_hash").iterator()
    ):
        if index != expected:
            report.fail(f"log entry {expected}", f"missing (next entry is {index})")
            expected = index
        leaf = bytes(leaf)
        if leaf_hash(leaf).hex() != lh:
            report.fail(f"log entry {index}", "stored leaf hash does not match the entry")
        leaves[index] = leaf
        expected += 1
    report.checked.append(f"{len(leaves)} log entries, gapless")
    _check_items(report, leaves)
    keys = [log.verifier_key(), *log.previous_keys()]
    tlog = log.fresh_tile_log()
    try:
        tiles = verify_tiles(log.tile_log().store, keys)
        report.checked.append(f"tiles recomputed from {tiles.entries} entries match the checkpoint root")
    except LedgerError as exc:
        report.fail("tiles", str(exc))
    for index in range(tlog.size):
        if leaves.get(index) != tlog.entry(index):
            report.fail(f"log entry {index}", "the published tiles differ from the database")
    checkpoints = 0
    for cp_row in Checkpoint.objects.order_by("size").iterator():
        checkpoints += 1
        where = f"checkpoint at size {cp_row.size}"
        try:
            cp = verify_checkpoint(cp_row.note.encode("utf-8"), keys)
        except LedgerError as exc:
            report.fail(where, f"signature does not verify: {exc}")
            continue
        if cp.size != cp_row.size or cp.root.hex() != cp_row.root:
            report.fail(where, "stored size or root differs from the signed note")
        try:
            if cp.size > tlog.size or tlog.root_at(cp.size) != cp.root:
                report.fail(where, "the log's tree of that size has a different root (history was rewritten)")
        except LedgerError as exc:
            report.fail(where, str(exc))
    report.checked.append(f"{checkpoints} checkpoints consistent with the log")
    pending = len(leaves) - tlog.size
    if pending > 0:
        report.checked.append(f"{pending} entries not integrated yet")
    return report
