"""The facility directory: the shipped seed, its provenance, and imports of updated lists."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from amparo.people import importer
from amparo.people.facilities import Facility, FieldOffice
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_shipped_list_is_seeded_with_its_provenance() -> None:
    with importer.FACILITIES_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 242
    assert Facility.objects.filter(network=None).count() == 238  # four facilities listed twice are merged
    assert FieldOffice.objects.count() == 24
    adelanto = Facility.objects.get(name="ADELANTO ICE PROCESSING CENTER")
    assert adelanto.type_detailed == "CDF" and adelanto.type_grouped == "dedicated"
    assert adelanto.field_office is not None and adelanto.field_office.aor_code == "LOS"
    assert "openstreetmap.org" in adelanto.coord_source and "ODbL" in adelanto.coord_license
    assert adelanto.snapshot == "2026-02-18" and "ice.gov" in adelanto.source_urls
    readme = (importer.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "CC0" in readme and "OpenStreetMap contributors" in readme and "17 U.S.C. §105" in readme


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(
        [
            "name",
            "other_names",
            "street",
            "city",
            "state",
            "postal_code",
            "phone",
            "facility_type",
            "facility_type_name",
            "field_office",
            "latitude",
            "longitude",
            "coord_source_url",
            "source_urls",
        ],
        "",
    )
    row.update(values)
    return row


def test_an_import_updates_a_facility_and_keeps_notes_written_by_hand() -> None:
    adelanto = Facility.objects.get(name="ADELANTO ICE PROCESSING CENTER")
    adelanto.legal_access_notes = "Legal visits 8-16h"
    adelanto.save(update_fields=["legal_access_notes"])
    data = _csv(
        [
            _row(
                name="Adelanto ICE Processing Center",
                street="10250 Rancho Rd",
                city="Adelanto",
                state="CA",
                postal_code="92301",
                phone="(760) 561-6100",
                facility_type="CDF",
                field_office="LOS",
            ),
            _row(
                name="New Hold Site",
                city="Nowhere",
                state="TX",
                postal_code="79999",
                facility_type="HOLD",
                field_office="ELP",
            ),
        ]
    )
    result = importer.import_facilities(Facility, FieldOffice, data, "2026-06-01")
    assert (result.created, result.updated) == (1, 1)
    adelanto.refresh_from_db()
    assert adelanto.phone == "(760) 561-6100" and adelanto.legal_access_notes == "Legal visits 8-16h"
    assert Facility.objects.get(name="New Hold Site").type_grouped == "hold_staging"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"name,city\nX,Y\n", "missing columns"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"x" * (importer.MAX_BYTES + 1), "20 MB"),
    ],
)
def test_a_bad_list_is_refused_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(importer.FacilityListError, match=message):
        importer.import_facilities(Facility, FieldOffice, data, "2026-06-01")


def test_the_import_page_takes_a_file_from_the_instance_admin(personas: Personas, client_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "list.csv", _csv([_row(name="Brand New Center", state="IL", postal_code="60601")])
    )
    assert client_as("alice").post(reverse("people:facility_import"), {"file": upload}).status_code == 403
    alice = personas.user("alice")
    alice.is_superuser = True  # the instance administrator (review M6)
    alice.save(update_fields=["is_superuser"])
    upload.seek(0)
    response = client_as("alice").post(reverse("people:facility_import"), {"file": upload})
    assert response.status_code == 302
    assert Facility.objects.filter(name="Brand New Center").exists()
    bad = SimpleUploadedFile("list.csv", b"a,b\n1,2\n")
    response = client_as("alice").post(reverse("people:facility_import"), {"file": bad})
    assert response.status_code == 400 and "missing columns" in response.content.decode()


def test_the_command_line_import(tmp_path: Path, capsys: Any) -> None:
    from amparo.cli import main

    path = tmp_path / "facilities-2026-07-01.csv"
    path.write_bytes(
        _csv([_row(name="Command Line Center", state="IL", postal_code="60602", facility_type="IGSA")])
    )
    assert main(["facilities", "import", str(path)]) == 0
    assert "1 added" in capsys.readouterr().out
    assert Facility.objects.get(name="Command Line Center").snapshot == "2026-07-01"
    (tmp_path / "bad.csv").write_bytes(b"nothing,useful\n")
    assert main(["facilities", "import", str(tmp_path / "bad.csv")]) == 1
    assert "missing columns" in capsys.readouterr().err
