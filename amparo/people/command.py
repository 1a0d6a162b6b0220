"""``amparo facilities import FILE``: read an updated facility list (the CSV format of amparo/people/data/)."""

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


def _import(args: argparse.Namespace) -> int:
    from amparo.cli import setup_django

    setup_django()
    from django.db import transaction

    from amparo.people import importer
    from amparo.people.facilities import Facility, FieldOffice

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
                result = importer.import_facilities(Facility, FieldOffice, data, snapshot)
    except importer.FacilityListError as exc:
        print(f"Not imported: {exc}", file=sys.stderr)
        return 1
    print(f"{result.created} added, {result.updated} updated, {result.merged} duplicate rows merged.")
    for error in result.errors:
        print(error, file=sys.stderr)
    return 0
