"""The case-file export: one zip for the person's lawyer, with the evidence bundle of their arrest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from amparo.audit.models import AuditEvent
from amparo.evidence import vault
from amparo.incidents.models import Incident, Report
from amparo.legal import actions as legal_actions
from amparo.people import actions
from amparo.people.tests.factories import PLANTED_NAME, make_person
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def photo() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (64, 48), (30, 90, 160))
    for x in range(64):
        image.putpixel((x, x % 48), (250, 250, 250))
    image.save(out, format="PNG")
    return out.getvalue()


def test_the_case_file_holds_the_summary_custody_legal_case_and_evidence_bundle(
    personas: Personas, client_as: Any
) -> None:
    person = make_person(personas)
    user = personas.user("carla")
    incident = Incident.objects.create(network=personas.north, title="Arresto en la calle 26")
    actions.do_link_incident(user, person, incident, "detained")
    report = Report.objects.create(network=personas.north, channel="web_form", incident=incident)
    original = photo()
    item = vault.ingest(
        io.BytesIO(original),
        network=personas.north,
        filename="IMG_0001.png",
        report=report,
        actor=user,
        consent_uses=["internal", "legal"],
    )
    actions.do_record_custody(user, person, custodian="ice", status="in_ice_hold_room", source="family")
    legal_actions.do_save_case(user, person, None, {"court": "Chicago Immigration Court"})

    client = client_as("carla")
    assert (
        client.get(reverse("people:export", args=[person.case_code])).status_code == 200
    )  # a page, not a download
    response = client.post(reverse("people:export", args=[person.case_code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert PLANTED_NAME not in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {
        "README.txt",
        "person.json",
        "custody.json",
        "legal.json",
        "summary.txt",
        "evidence-bundle.zip",
    } <= names
    summary = json.loads(archive.read("person.json"))
    assert summary["legal_name"] == PLANTED_NAME and summary["incidents"][0]["role"] == "detained"
    assert json.loads(archive.read("custody.json"))["episodes"][0]["status"] == "in_ice_hold_room"
    assert json.loads(archive.read("legal.json"))["cases"][0]["court"] == "Chicago Immigration Court"
    bundle = zipfile.ZipFile(io.BytesIO(archive.read("evidence-bundle.zip")))
    originals = [n for n in bundle.namelist() if n.startswith("originals/")]
    assert originals == [f"originals/{item.sha256}.png"]
    assert hashlib.sha256(bundle.read(originals[0])).hexdigest() == hashlib.sha256(original).hexdigest()
    assert AuditEvent.objects.filter(action="person.exported", object_code=person.case_code).exists()


def test_a_read_only_member_cannot_export(personas: Personas, client_as: Any) -> None:
    person = make_person(personas)
    assert client_as("rita").post(reverse("people:export", args=[person.case_code])).status_code == 403
    assert client_as("bob").post(reverse("people:export", args=[person.case_code])).status_code == 404
