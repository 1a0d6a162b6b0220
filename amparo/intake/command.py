"""``amparo import FILE`` (monitoring import) and ``amparo intake purge``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _bar(stream: Any) -> Any:
    def show(done: int, total: int) -> None:
        if total and (done == total or done % max(1, total // 100) == 0):
            width = 30
            filled = width * done // total
            stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} rows")
            if done == total:
                stream.write("\n")
            stream.flush()

    return show


def _import(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from amparo.accounts.models import Network
    from amparo.intake.importer import import_file

    path = Path(args.file)
    if not path.is_file():
        print(f"No such file: {args.file}", file=sys.stderr)
        return 2
    networks = Network.objects.filter(name=args.network) if args.network else Network.objects.all()
    if networks.count() != 1:
        print("Name the network with --network (exactly one must match).", file=sys.stderr)
        return 2
    result = import_file(
        path, networks.get(), fmt=args.format, progress=None if args.quiet else _bar(sys.stderr)
    )
    for line, reason in result.errors:
        print(f"line {line}: {reason}", file=sys.stderr)
    print(
        f"{result.created} reports created, {result.duplicates} already imported, {len(result.errors)} rows refused."
    )
    return 1 if result.errors else 0


def _purge(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from amparo.intake.purge import purge_all

    counts = purge_all()
    print(", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items()) + " deleted.")
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import", help="import news articles and social-media posts (JSON Lines or CSV)"
    )
    p.add_argument("file", help="a .jsonl or .csv file: url, text, published, language, type, title, media")
    p.add_argument("--network", help="network name (needed when there is more than one)")
    p.add_argument("--format", choices=["jsonl", "csv"], help="file format (default: from the file name)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_import)

    p = subparsers.add_parser("intake", help="intake upkeep: `amparo intake purge`")
    sub = p.add_subparsers(dest="intake_command", metavar="ACTION")
    sub.required = True
    q = sub.add_parser(
        "purge", help="delete expired contacts and callback numbers, abandoned uploads, old salts"
    )
    q.set_defaults(func=_purge)
