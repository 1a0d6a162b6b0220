"""Command line of the evidence vault.

amparo evidence add FILE... [--report CODE] [--network NAME] [--consent USES]   one JSON line per file
amparo evidence bundle ID... -o OUT.zip            write an evidence bundle (items without legal consent: withheld)
amparo evidence derive [--retry]          make missing thumbnails and viewing copies (after an upgrade, say)
amparo verify BUNDLE.zip [--key VKEY]     verify a bundle offline (no database); exit 1 naming each failure
amparo verify --all                       rehash every original, recompute every leaf, check every checkpoint
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from amparo.cli import setup_django
from amparo.progress import Progress


def _network(args: argparse.Namespace) -> Any:
    from amparo.accounts.models import Network

    if args.report:
        from amparo.incidents.models import Report

        report = Report.objects.select_related("network").filter(code=args.report).first()
        if report is None:
            raise SystemExit(f"no report with code {args.report}")
        return report.network, report
    if args.network:
        network = Network.objects.filter(name=args.network).first()
        if network is None:
            raise SystemExit(f"no network named {args.network!r}")
        return network, None
    networks = list(Network.objects.all()[:2])
    if len(networks) != 1:
        raise SystemExit("give --network NAME (or --report CODE): there is not exactly one network")
    return networks[0], None


def _add(args: argparse.Namespace) -> int:
    setup_django()
    from amparo.evidence import log, vault

    network, report = _network(args)
    status = 0
    for path in args.files:
        try:
            item = vault.ingest_path(
                path, network=network, report=report, consent_uses=args.consent, source="cli"
            )
        except (OSError, vault.EvidenceTooLarge) as exc:
            print(json.dumps({"file": path, "error": str(exc)}), flush=True)
            status = 1
            continue
        from amparo.evidence.tasks import compute_fingerprints

        compute_fingerprints.call(
            item.pk
        )  # now, not later by the worker: `amparo evidence match` finds it at once
        line = {
            "id": str(item.code),
            "sha256": item.sha256,
            "size": item.size,
            "receipt_code": item.receipt_code,
            "log_index": item.log_index,
            "probe_error": item.probe_error or None,
        }
        print(json.dumps(line), flush=True)
    log.integrate_pending()
    return status


def _bundle(args: argparse.Namespace) -> int:
    setup_django()
    from amparo.evidence.models import EvidenceItem
    from amparo.evidence.vault import build_bundle

    items = []
    for code in args.ids:
        item = EvidenceItem.objects.filter(code=code).first() if _is_uuid(code) else None
        if item is None:
            print(f"no evidence item {code}", file=sys.stderr)
            return 2
        items.append(item)
    withheld = build_bundle(items, args.output, None, use="legal")
    print(f"wrote {args.output} with {len(items) - len(withheld)} items")
    for item, decision in withheld:
        print(f"withheld {item.code}: {decision.explanation_en}")
    return 0


def _match(args: argparse.Namespace) -> int:
    from amparo.corroboration.command import run_match  # the footage index kept in step with the vault

    return run_match(args)


def _consent_uses(text: str) -> list[str]:
    """``internal,legal``; the older single levels (none, internal, legal_use, public) still work."""
    from amparo.evidence.consent import LEVEL_USES, USES

    if text in LEVEL_USES:
        return list(LEVEL_USES[text])
    uses = [u.strip() for u in text.split(",") if u.strip()]
    if not uses or set(uses) - set(USES):
        raise argparse.ArgumentTypeError(f"give uses among {', '.join(USES)}, separated by commas")
    return uses


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _derive(args: argparse.Namespace) -> int:
    setup_django()
    from amparo.evidence import derived
    from amparo.evidence.models import EvidenceItem

    if args.retry:
        print(json.dumps({"failure_markers_cleared": derived.clear_failures()}))
    made = missing = 0
    items = EvidenceItem.objects.filter(kind__in=derived.VISUAL_KINDS, probe_error="").order_by("pk")
    progress = Progress("derive", items.count())
    for item in items.iterator():
        copies = derived.make(item)
        made += sum(path is not None for path in copies.values())
        missing += sum(path is None for path in copies.values())
        progress.step()
    progress.close()
    print(json.dumps({"copies": made, "could_not_make": missing}))
    return 0 if not missing else 1


def _verify(args: argparse.Namespace) -> int:
    if args.all == bool(args.bundle):
        print("give a bundle to verify, or --all", file=sys.stderr)
        return 2
    if args.all:
        setup_django()
        from amparo.evidence.checkall import verify_all

        report = verify_all()
    else:
        from amparo.evidence.offline import verify_bundle  # no Django, no database

        report = verify_bundle(args.bundle, args.key or None)
    for line in report.checked:
        print(f"checked: {line}")
    for line in report.failures:
        print(f"FAILED: {line}")
    print("OK: everything verifies" if report.ok else f"FAILED: {len(report.failures)} problem(s)")
    return 0 if report.ok else 1


def _delete(args: argparse.Namespace) -> int:
    setup_django()
    from amparo.evidence import log
    from amparo.evidence.deletion import REASONS, DeletionError, delete_original
    from amparo.evidence.models import EvidenceItem

    item = EvidenceItem.objects.filter(code=args.code).first() if _is_uuid(args.code) else None
    if item is None:
        print(f"amparo evidence delete: no evidence item {args.code}", file=sys.stderr)
        return 1
    if args.confirm != item.sha256[:12]:
        print(
            f"amparo evidence delete: to confirm, give --confirm with the first 12 characters of its SHA-256 "
            f"({item.sha256[:12]})",
            file=sys.stderr,
        )
        return 2
    try:
        done = delete_original(item, reason=args.reason, authority=args.authority, actor=None)
    except DeletionError as exc:
        print(f"amparo evidence delete: {exc}", file=sys.stderr)
        return 1
    log.integrate_pending()
    print(
        json.dumps(
            {
                "id": str(item.code),
                "deleted_at": done.item.deleted_at.isoformat() if done.item.deleted_at else None,
                "reason": str(REASONS[args.reason]),
                "bytes_removed": done.bytes_removed,
                "copies_removed": done.copies_removed,
                "backups_still_holding_it": [b.get("out") for b in done.backups_holding],
            }
        )
    )
    return 0


def register(subparsers: Any) -> None:
    evidence = subparsers.add_parser("evidence", help="add evidence files and write evidence bundles")
    sub = evidence.add_subparsers(dest="evidence_command", metavar="ACTION")
    sub.required = True
    p = sub.add_parser("add", help="store files as evidence; prints one JSON line per file")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--report", help="code of the report the files belong to")
    p.add_argument("--network", help="network name (needed when there are several and no --report)")
    p.add_argument(
        "--consent",
        default=["internal"],
        type=_consent_uses,
        metavar="USES",
        help="what the source allowed, as you record it: internal (the default), or e.g. internal,legal,public",
    )
    p.set_defaults(func=_add)
    p = sub.add_parser("bundle", help="write an evidence bundle (zip) for a lawyer or court")
    p.add_argument("ids", nargs="+", metavar="ID", help="evidence item codes")
    p.add_argument("-o", "--output", required=True, metavar="OUT.zip")
    p.set_defaults(func=_bundle)

    p = sub.add_parser("match", help="suggest stored items showing the same picture or footage as FILE")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--network", help="network name (needed when there are several)")
    p.add_argument("--radius", type=int, default=31, help="largest Hamming distance of a match (default 31)")
    p.set_defaults(func=_match)

    p = sub.add_parser("derive", help="make missing thumbnails and viewing copies of pictures and videos")
    p.add_argument("--retry", action="store_true", help="try again files whose copies failed before")
    p.set_defaults(func=_derive)

    p = sub.add_parser(
        "delete", help="delete an original on an authorised request; the log keeps a tombstone"
    )
    p.add_argument("code", help="the evidence item's id")
    p.add_argument("--reason", required=True, choices=["witness_withdrew", "court_order", "legal_request"])
    p.add_argument(
        "--authority", required=True, help="who asked: a court's case number, how the witness asked"
    )
    p.add_argument("--confirm", required=True, help="the first 12 characters of the item's SHA-256")
    p.set_defaults(func=_delete)

    p = subparsers.add_parser("verify", help="verify an evidence bundle offline, or the whole vault (--all)")
    p.add_argument("bundle", nargs="?", metavar="BUNDLE.zip")
    p.add_argument("--all", action="store_true", help="rehash every original and check every checkpoint")
    p.add_argument("--key", action="append", help="trusted log verifier key (as published at /log/key)")
    p.set_defaults(func=_verify)
