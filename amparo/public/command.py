"""``amparo public rebuild``: rebuild the public layer now (cron it, or let the coordinator's button queue it)."""

from __future__ import annotations

import argparse
import sys


def _rebuild(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from amparo.public import anonymise

    build = anonymise.rebuild()
    sys.stdout.write(
        f"Public layer rebuilt: {build.published} incidents published, {build.embargoed} still under embargo, "
        f"{build.suppressed} held back as small cells (k={build.k}).\n"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]  # argparse's private type
    p = subparsers.add_parser(
        "public", help="the public layer: rebuild the anonymised map, charts and open data"
    )
    sub = p.add_subparsers(dest="public_command", metavar="ACTION")
    sub.required = True
    r = sub.add_parser("rebuild", help="rebuild the public layer from scratch now")
    r.set_defaults(func=_rebuild)
