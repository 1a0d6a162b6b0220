"""The ``amparo`` command: serve, demo, createuser, check, version, and the commands each part registers.

A part adds commands with a module ``amparo/<part>/command.py`` defining ``register(subparsers)``; the module is listed in
COMMAND_MODULES. Commands that use the database call ``setup_django()`` first.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from amparo import __version__

COMMAND_MODULES = [
    "amparo.evidence.command",
    "amparo.intake.command",
    "amparo.extract.command",
    "amparo.people.command",
    "amparo.public.command",
    "amparo.backup",
]


PASSTHROUGH = {"manage", "log"}  # commands that hand their arguments to another parser
# Everything Amparo creates (data folder, database, keys, evidence) is readable by its own user only; the web server
# and the worker inherit this from `amparo serve` (amparo.W020 and W021 warn about files made looser elsewhere).
PRIVATE_UMASK = 0o077


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django

    django.setup()


def _serve(args: argparse.Namespace) -> int:
    from amparo import server

    return server.serve(args.host, args.port, workers=args.workers, with_worker=not args.no_worker)


def _worker(args: argparse.Namespace) -> int:
    from amparo import server

    return server.run_worker()


def _demo(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from amparo import demo

    call_command("migrate", interactive=False, verbosity=0)
    if args.if_empty and demo.exists():
        print("Demo data already present; nothing added.")
        return 0
    summary = demo.build(seed=args.seed, size=args.size)
    for line in summary:
        print(line)
    return 0


def _createuser(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from amparo.accounts import actions
    from amparo.accounts.models import Membership, Network
    from amparo.accounts.roles import Role
    from amparo.server import site_url  # the address `amparo serve` really listens on, if it runs

    call_command("migrate", interactive=False, verbosity=0)
    if args.role not in Role.values:
        print(f"Unknown role {args.role!r}. Roles: {', '.join(Role.values)}", file=sys.stderr)
        return 2
    network = Network.objects.filter(name=args.network).first()
    if network is None:
        if not args.create_network:
            print(f"No network named {args.network!r}. Add --create-network to create it.", file=sys.stderr)
            return 2
        network = actions.do_create_network(args.network)
    if Membership.objects.filter(user__username=args.username, network=network).exists():
        print(f"{args.username} is already a member of {network.name}.", file=sys.stderr)
        return 2
    if args.instance_admin and args.role != Role.COORDINATOR:
        print(
            "An instance administrator acts through a coordinator membership: use --role coordinator.",
            file=sys.stderr,
        )
        return 2
    membership = actions.do_create_member(network, args.username, args.role)
    if args.instance_admin:
        from amparo.people.facility_actions import do_set_instance_admin

        do_set_instance_admin(membership.user, True)
    token = actions.do_create_signin_link(membership.user)
    print(
        f"Created {args.username} ({args.role}) in {network.name}{', instance administrator' if args.instance_admin else ''}."
    )
    print(f"One-time sign-in link (24 hours): {site_url()}/accounts/link/{token}/")
    return 0


def _check(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _version(args: argparse.Namespace) -> int:
    print(f"amparo {__version__}")
    return 0


def _manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amparo manage", *args.rest])
    return 0


def _log(args: argparse.Namespace) -> int:
    from amparo.ledger.__main__ import main as ledger_main

    return ledger_main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amparo", description="Amparo: evidence and case platform for rapid-response networks."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("serve", help="run the web server and the background worker")
    p.add_argument("--host", default=os.environ.get("AMPARO_HOST", "127.0.0.1"), help="address to listen on")
    p.add_argument(
        "--port", type=int, default=int(os.environ.get("AMPARO_PORT", "8000")), help="port to listen on"
    )
    p.add_argument(
        "--workers", type=int, default=int(os.environ.get("AMPARO_WEB_WORKERS", "2")), help="web processes"
    )
    p.add_argument("--no-worker", action="store_true", help="do not start the background worker here")
    p.set_defaults(func=_serve)

    p = sub.add_parser("worker", help="run only the background worker (for extra machines)")
    p.set_defaults(func=_worker)

    p = sub.add_parser("demo", help="fill the database with realistic demo data")
    p.add_argument("--if-empty", action="store_true", help="do nothing when demo data exists already")
    p.add_argument("--seed", type=int, default=2026, help="random seed (the same seed gives the same data)")
    p.add_argument("--size", type=int, default=1, help="multiply the amount of generated data")
    p.set_defaults(func=_demo)

    p = sub.add_parser("createuser", help="add a member to a network and print a one-time sign-in link")
    p.add_argument("username")
    p.add_argument("--network", required=True, help="network name")
    p.add_argument(
        "--role",
        default="coordinator",
        help="coordinator, verifier, operator, caseworker, legal_partner, readonly",
    )
    p.add_argument("--create-network", action="store_true", help="create the network if it does not exist")
    p.add_argument(
        "--instance-admin",
        action="store_true",
        help="also make them the instance administrator, who alone changes the shared facility directory",
    )
    p.set_defaults(func=_createuser)

    p = sub.add_parser(
        "check", help="check the configuration for unsafe settings (Django deploy checks and Amparo's)"
    )
    p.set_defaults(func=_check)

    p = sub.add_parser("version", help="print the version")
    p.set_defaults(func=_version)

    p = sub.add_parser("manage", help="run a Django management command (migrate, shell, ...)", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_manage)

    p = sub.add_parser(
        "log",
        help="check the transparency log offline: checkpoint, receipt, tiles, consistency (no database needed)",
        add_help=False,
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_log)

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command in PASSTHROUGH:
        args.rest = [*extra, *args.rest]  # e.g. `amparo log --help` reaches the log's own parser
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    from amparo.env import ConfigError

    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if _is_unmigrated(exc):
            print(
                "This data folder's database has no tables yet (or is from an older Amparo). Run "
                "`amparo manage migrate` first (`amparo serve` and `amparo demo` do it themselves).",
                file=sys.stderr,
            )
            return 2
        raise


def _is_unmigrated(exc: BaseException) -> bool:
    """A database error that means the migrations have not run: a missing table or column."""
    from django.db.utils import OperationalError, ProgrammingError

    if not isinstance(exc, (OperationalError, ProgrammingError)):
        return False
    text = str(exc).lower()
    return (
        "no such table" in text
        or "no such column" in text
        or ("does not exist" in text and "relation" in text)
    )


if __name__ == "__main__":
    sys.exit(main())
