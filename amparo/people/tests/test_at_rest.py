"""A stolen database reveals no name, A-number, date of birth or phone number.

The planted values go through the real pages and actions; then the whole database is copied the way a thief would
copy it: the raw SQLite file (every page, free pages included) or a ``pg_dump`` of the PostgreSQL database. Run the
suite on both back ends (docs/people.md) to cover both.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from amparo.legal import actions as legal_actions
from amparo.legal.tests.factories import make_provider
from amparo.people import actions
from amparo.people.tests.factories import PLANTED_CONTACT, PLANTED_NAME, PLANTED_PHONE
from amparo.testing import Personas

PLANTED_A = "A 204-518-733"
NEEDLES = [
    "Xochitl",
    "Quetzalli",
    "Ramírez-Ozuna",
    "Itzamná",
    "Cuauhtli",
    "204518733",
    "204-518-733",
    "555-0199",
    "7735550199",
    "1987-03-14",
    "Tlalli Obligado",
]


def dump_database(tmp_path: Path) -> bytes:
    if connection.vendor == "sqlite":
        target = tmp_path / "stolen.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # page by page, as on disk
        data = target.read_bytes()
        for extra in (Path(f"{target}-wal"), Path(f"{target}-journal")):
            if extra.exists():
                data += extra.read_bytes()
        return data
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [
        "pg_dump",
        "--no-owner",
        "-h",
        settings.get("HOST") or "127.0.0.1",
        "-p",
        str(settings.get("PORT") or 5432),
    ]
    command += ["-U", settings.get("USER") or "postgres", settings["NAME"]]
    return subprocess.run(command, env=env, check=True, capture_output=True, timeout=120).stdout


def contains(dump: bytes, value: bytes) -> bool:
    """Raw bytes, or the hex form pg_dump writes bytea columns in."""
    return value in dump or value.hex().encode("ascii") in dump


def plant(personas: Personas, client: Any) -> str:
    response = client.post(
        reverse("people:create"),
        {
            "legal_name": PLANTED_NAME,
            "aliases": "Xochitl R.",
            "a_number": PLANTED_A,
            "date_of_birth": "1987-03-14",
            "role": "detained",
            "notes": "Xochitl Quetzalli habla náhuatl",
        },
    )
    assert response.status_code == 302
    case_code = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    person = actions.find_by_a_number(personas.north, PLANTED_A)
    assert person is not None and person.case_code == case_code
    response = client.post(
        reverse("people:contact_add", args=[case_code]),
        {
            "relationship": "madre",
            "name": PLANTED_CONTACT,
            "phone": PLANTED_PHONE,
            "notes": "llamar 7735550199",
        },
    )
    assert response.status_code == 302
    client.get(reverse("people:detail", args=[case_code]))  # a view: audited
    assert client.post(reverse("people:list"), {"q": PLANTED_A}).status_code == 302  # a look-up: audited
    provider = make_provider(personas)
    legal_actions.do_refer(personas.user("carla"), person, provider)
    case = legal_actions.do_save_case(personas.user("carla"), person, None, {"court": "Chicago"})
    legal_actions.do_add_bond(
        personas.user("carla"), case, {"ij_decision": "granted", "ij_amount": 1500}, "Tlalli Obligado"
    )
    return case_code


@pytest.mark.django_db(transaction=True)
def test_a_copy_of_the_database_holds_no_planted_personal_value(
    personas: Personas, client_as: Any, tmp_path: Path
) -> None:
    case_code = plant(personas, client_as("carla"))
    person = actions.find_by_a_number(personas.north, PLANTED_A)
    assert person is not None
    assert person.identity()["legal_name"] == PLANTED_NAME
    assert person.date_of_birth(person.dek()) == date(1987, 3, 14)
    dump = dump_database(tmp_path)
    assert case_code.encode() in dump  # the copy does hold the rows
    found = [n for n in NEEDLES if contains(dump, n.encode("utf-8")) or contains(dump, n.encode("utf-16-le"))]
    assert found == []


@pytest.mark.django_db(transaction=True)
def test_a_deleted_person_leaves_no_key_in_the_database_file(
    personas: Personas, client_as: Any, tmp_path: Path
) -> None:
    case_code = plant(personas, client_as("carla"))
    person = actions.find_by_a_number(personas.north, PLANTED_A)
    assert person is not None
    wrapped = bytes(person.key.wrapped)
    (tmp_path / "before").mkdir()
    assert contains(dump_database(tmp_path / "before"), wrapped)
    actions.do_delete_person(personas.user("alice"), person)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM people_personkey")
    (tmp_path / "after").mkdir()
    dump = dump_database(tmp_path / "after")
    assert not contains(dump, wrapped)
    assert case_code.encode() in dump  # only the audit trail keeps the pseudonym
