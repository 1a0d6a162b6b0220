"""``amparo evidence match FILE``: the stored evidence items that show the same footage, as JSON.

The evidence app owns the ``amparo evidence`` command; it wires :func:`register_match` (or :func:`run_match`) in.
Prints one JSON object: ``{"file": ..., "matches": [{id, kind, score, query_matched_pct, target_matched_pct,
distance, mirrored, pairs: [{query_second, item_second, distance}]}]}``; exit 0, or 1 with ``{"error": ...}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register_match(sub: Any) -> None:
    """Add the ``match`` action to the subparsers of ``amparo evidence``."""
    p = sub.add_parser(
        "match", help="list stored evidence showing the same picture or footage as FILE (JSON)"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--network", help="network name (needed when there are several)")
    p.add_argument(
        "--radius", type=int, default=31, help="largest Hamming distance of a frame match (default 31)"
    )
    p.set_defaults(func=run_match)


def _network(name: str | None) -> Any:
    from amparo.accounts.models import Network

    if name:
        network = Network.objects.filter(name=name).first()
        if network is None:
            raise SystemExit(f"no network named {name!r}")
        return network
    networks = list(Network.objects.all()[:2])
    if len(networks) != 1:
        raise SystemExit("give --network NAME: there is not exactly one network")
    return networks[0]


def run_match(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from amparo.corroboration.footage import match_file

    network = _network(getattr(args, "network", None))
    try:
        found = match_file(args.file, network, radius=args.radius)
    except (OSError, ValueError) as exc:
        sys.stdout.write(json.dumps({"file": args.file, "error": str(exc)}) + "\n")
        return 1
    sys.stdout.write(json.dumps({"file": args.file, "matches": found}, indent=2) + "\n")
    return 0
