"""``amparo facilities import FILE``: read an updated facility list (the CSV format of amparo/people/data/).

``amparo facilities admin USER [--revoke]``: make a user the instance administrator, the one owner of the shared
directory (review M6, docs/people.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    facilities = subparsers.add_parser("facilities", help="the detention-facility directory")
    sub = facilities.add_subparsers(dest="facilities_command", required=True)
    imp = sub.add_parser("import", help="import an updated facility list (CSV) into the shared directory")
    imp.add_argument(
        "file", type=Path, help="CSV with name, street, city, state, postal_code, facility_type, ..."
    )
    imp.add_argument("--field-offices", action="store_true", help="the file is a field-office list instead")
    imp.add_argument(
        "--snapshot", default="", help="date of the list (default: from the file name, or today)"
    )
    imp.set_defaults(func=_import)
    admin = sub.add_parser(
        "admin",
        help="make a user the instance administrator, who alone changes the shared directory (or --revoke)",
    )
    admin.add_argument("username")
    admin.add_argument("--revoke", action="store_true", help="take the right away again")
    admin.set_defaults(func=_admin)

    people = subparsers.add_parser("people", help="people's encrypted records")
    sub_people = people.add_subparsers(dest="people_command", required=True)
    rewrap = sub_people.add_parser(
        "rewrap",
        help="after a master-key rotation: rewrap every data key under the current master key "
        "(AMPARO_PERSON_MASTER_KEY_PREVIOUS holds the old one until this has run)",
    )
    rewrap.set_defaults(func=_rewrap)


def _rewrap(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from amparo.lib.crypto import CryptoError
    from amparo.people.actions import do_rewrap_keys

    try:
        count = do_rewrap_keys()
    except CryptoError as exc:
        print(f"Not rewrapped: {exc}", file=sys.stderr)
        return 1
    print(f"{count} data keys rewrapped under the current master key.")
    return 0


def _admin(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from django.core.management import call_command

    from amparo.accounts.models import User
    from amparo.people.facility_actions import do_set_instance_admin

    call_command("migrate", interactive=False, verbosity=0)
    user = User.objects.filter(username=args.username).first()
    if user is None:
        print(f"No user named {args.username!r}.", file=sys.stderr)
        return 2
    changed = do_set_instance_admin(user, not args.revoke)
    state = "no longer" if args.revoke else "now"
    print(f"{user.get_username()} is {state} the instance administrator{'' if changed else ' (unchanged)'}.")
    if not args.revoke and not user.memberships.filter(role="coordinator").exists():
        print("They change the shared directory through a coordinator membership: add one.", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from django.db import transaction

    from amparo.people import importer
    from amparo.people.facilities import FieldOffice
    from amparo.people.facility_actions import do_import_shared_facilities

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    snapshot = args.snapshot or importer.snapshot_of(args.file)
    try:
        with transaction.atomic():
            if args.field_offices:
                result = importer.import_field_offices(FieldOffice, data, snapshot)
            else:
                result = do_import_shared_facilities(None, data, snapshot)  # audited in every network
    except importer.FacilityListError as exc:
        print(f"Not imported: {exc}", file=sys.stderr)
        return 1
    print(f"{result.created} added, {result.updated} updated, {result.merged} duplicate rows merged.")
    for error in result.errors:
        print(error, file=sys.stderr)
    return 0
