"""Checking receipts on the public page: by receipt code, or an uploaded c2sp.org/tlog-proof.

Both answer the same question: is this entry in the log, under the current signed checkpoint? The answer
reveals nothing about the file: only the entry's index, the tree size and the date it was received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from amparo.evidence import log, vault
from amparo.evidence.models import EvidenceItem
from amparo.ledger import LedgerError, parse_receipt, verify_receipt


@dataclass
class Result:
    ok: bool
    message: str
    facts: dict[str, Any] = field(default_factory=dict)
    receipt: bytes | None = None


def _keys() -> list[str]:
    return [log.verifier_key(), *log.previous_keys()]


def check_code(text: str) -> Result:
    code = vault.normalise_receipt_code(text)
    item = (
        EvidenceItem.objects.filter(receipt_code=code).only("log_index", "received_at").first()
        if code
        else None
    )
    if item is None:
        return Result(False, _("No receipt has this code. Check the letters and numbers and try again."))
    receipt = vault.receipt_for(item)
    if receipt is None:
        log.integrate_if_pending()
        receipt = vault.receipt_for(item)
    if receipt is None:
        return Result(
            False, _("This receipt exists but is not in the public log yet. Try again in a minute.")
        )
    got = verify_receipt(receipt, log.fresh_tile_log().entry(item.log_index), _keys())
    facts = {"index": got.index, "tree_size": got.tree_size, "received": item.received_at.date().isoformat()}
    return Result(
        True, _("Verified: this file was received and is recorded in the public log."), facts, receipt
    )


def check_proof(data: bytes) -> Result:
    try:
        parsed = parse_receipt(data)
    except LedgerError:
        return Result(False, _("This is not a receipt file (c2sp.org/tlog-proof)."))
    tlog = log.fresh_tile_log()
    if parsed.index >= tlog.size:
        return Result(False, _("The receipt names an entry this log does not have."))
    entry = tlog.entry(parsed.index)
    if parsed.extra is not None and parsed.extra != entry:
        return Result(False, _("The entry inside the receipt differs from the entry in the log."))
    try:
        got = verify_receipt(data, entry, _keys())
    except LedgerError as exc:
        return Result(False, _("The receipt does not verify: %(reason)s") % {"reason": exc})
    if got.tree_size > tlog.size or tlog.root_at(got.tree_size) != got.root:
        return Result(False, _("The receipt's checkpoint is not part of this log's history."))
    facts = {"index": got.index, "tree_size": got.tree_size, "current_size": tlog.size}
    return Result(
        True, _("Verified: the entry is in the log, and the log still contains it today."), facts, data
    )
