"""Security review H1: consent is enforced at every door evidence leaves by.

A sweep plants evidence with each consent on one incident and one person, then takes every way out (the case-file
export and the bundle as every role, the command line, the partner API, the public layer's pages and downloads, the
evidence pages a legal partner or a read-only member might try) and looks inside everything that comes back, zips
within zips included. The ``test_h1_*`` tests repeat the review's own requests over real HTTP.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amparo.evidence import log, vault
from amparo.evidence.models import EvidenceItem
from amparo.evidence.offline import verify_bundle
from amparo.evidence.samples import jpeg_with_gps
from amparo.incidents.models import Incident, Report
from amparo.intake import actions as intake_actions
from amparo.legal import actions as legal_actions
from amparo.legal.tests.factories import make_provider
from amparo.people import actions as people_actions
from amparo.people.models import Person
from amparo.people.tests.factories import make_person
from amparo.public.tests.helpers import body, make_incident
from amparo.testing import PERSONAS, Personas

pytestmark = pytest.mark.django_db
ROLES = sorted(PERSONAS)


# --- looking inside what comes back ----------------------------------------------------------------------


def members(blob: bytes) -> Iterator[tuple[str, bytes]]:
    """Every file of a zip, and of the zips inside it; a blob that is not a zip is one file."""
    if not blob.startswith(b"PK"):
        yield "", blob
        return
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            yield name, data
            if name.endswith(".zip"):
                yield from ((f"{name}/{inner}", d) for inner, d in members(data))


def included(blob: bytes, item: EvidenceItem, original: bytes) -> bool:
    """Does anything of ``item`` travel in ``blob``: its bytes, hash, nonce, commitment, receipt, metadata or an
    entry among a manifest's items? (Its code in a manifest's ``withheld`` list is allowed: that is no bytes.)"""
    secrets = [item.sha256, item.nonce, item.commitment, item.receipt_code]
    for name, data in members(blob):
        if original in data or any(s.encode() in data for s in secrets):
            return True
        if name.endswith(f"metadata/{item.code}.json"):
            return True
        if name.endswith("manifest.json"):
            manifest = json.loads(data)
            if str(item.code) in [i["id"] for i in manifest["items"]]:
                return True
    return False


def withheld_ids(blob: bytes) -> set[str]:
    found: set[str] = set()
    for name, data in members(blob):
        if name.endswith("manifest.json"):
            found |= {w["id"] for w in json.loads(data)["withheld"]}
    return found


def download(response: Any) -> bytes:
    return body(response) if response.status_code == 200 else b""


# --- the planted evidence --------------------------------------------------------------------------------


@dataclass
class Planted:
    person: Person
    incident: Incident
    report: Report
    originals: dict[str, bytes]
    items: dict[str, EvidenceItem]  # internal, legal, public (no legal), unrecorded (an import)
    token: str
    partner_report: str


def _ingest(report: Report, seed: int, **consent: Any) -> tuple[EvidenceItem, bytes]:
    original = jpeg_with_gps(seed=seed)
    item = vault.ingest(
        io.BytesIO(original), network=report.network, filename="IMG.jpg", report=report, **consent
    )
    return item, original


@pytest.fixture
def planted(personas: Personas) -> Planted:
    incident = make_incident(personas.north)  # public, confirmed, past its embargo: the public layer shows it
    person = make_person(personas)
    carla = personas.user("carla")
    people_actions.do_link_incident(carla, person, incident, "detained")
    report = Report.objects.create(network=personas.north, channel="web_form", incident=incident)
    items, originals = {}, {}
    kinds: list[tuple[str, dict[str, Any]]] = [
        ("internal", {"consent_uses": ["internal"]}),
        ("legal", {"consent_uses": ["internal", "legal"]}),
        ("public", {"consent_uses": ["internal", "public"]}),
        ("unrecorded", {"consent_uses": ["internal", "legal", "public"], "source": "import"}),
    ]
    for seed, (name, consent) in enumerate(kinds, start=11):
        items[name], originals[name] = _ingest(report, seed, **consent)
    provider = make_provider(personas)
    legal_actions.do_link_partner(personas.user("alice"), personas["lena"], provider)
    referral = legal_actions.do_refer(carla, person, provider)
    legal_actions.do_answer_referral(carla, referral, "accepted")
    _row, token = intake_actions.do_create_token(personas.north, "Partner org", personas.user("alice"))
    sent = Client().post(
        "/api/reports",
        {"text": "Our volunteers saw agents at the clinic."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert sent.status_code == 201
    log.integrate_pending()
    return Planted(person, incident, report, originals, items, token, sent.json()["code"])


def _exit_case_file(planted: Planted, client: Client) -> bytes:
    return download(client.post(reverse("people:export", args=[planted.person.case_code])))


def _exit_bundles(planted: Planted, client: Client) -> bytes:
    blobs = [download(client.post(reverse("evidence:bundle", args=[i.code]))) for i in planted.items.values()]
    return b"".join(blobs)  # only ever searched, never unzipped as one


EXITS: dict[str, Callable[[Planted, Client], bytes]] = {
    "case_file": _exit_case_file,
    "bundle": _exit_bundles,
}


@pytest.mark.parametrize("exit_name", sorted(EXITS))
def test_no_role_takes_evidence_out_beyond_what_its_witness_allowed(
    planted: Planted, client_as: Callable[..., Client], exit_name: str
) -> None:
    got_legal = []
    for role in ROLES:
        blob = EXITS[exit_name](planted, client_as(role))
        for name in ("internal", "public", "unrecorded"):
            assert not included(blob, planted.items[name], planted.originals[name]), (exit_name, role, name)
        if included(blob, planted.items["legal"], planted.originals["legal"]):
            got_legal.append(role)
    # the exits work: those who may export get the legal item (a sweep that finds nothing proves nothing)
    expected = {"case_file": ["alice", "carla", "lena"], "bundle": ["alice", "carla"]}[exit_name]
    assert got_legal == expected


def test_a_case_file_lists_what_was_withheld_and_why(
    planted: Planted, client_as: Callable[..., Client], tmp_path: Path
) -> None:
    blob = _exit_case_file(planted, client_as("lena"))
    assert withheld_ids(blob) == {str(planted.items[n].code) for n in ("internal", "public", "unrecorded")}
    case_file = dict(members(blob))
    assert b"3 of 4 files are not in it" in case_file["README.txt"]
    bundle = case_file["evidence-bundle.zip"]
    manifest = json.loads(case_file["evidence-bundle.zip/manifest.json"])
    reasons = {w["id"]: w["reason"] for w in manifest["withheld"]}
    assert reasons == {
        str(planted.items["internal"].code): "internal_only",
        str(planted.items["public"].code): "no_legal_consent",
        str(planted.items["unrecorded"].code): "no_consent_recorded",
    }
    guide = case_file["evidence-bundle.zip/VERIFY.md"].decode()
    assert (
        str(planted.items["internal"].code) in guide
        and "did not allow this file to be given to lawyers" in guide
    )
    assert "El testigo no permitió entregar este archivo a abogados." in guide  # the Spanish half, in Spanish
    path = tmp_path / "evidence-bundle.zip"
    path.write_bytes(bundle)
    report = verify_bundle(path)
    assert report.ok, report.failures
    assert any(
        "withheld by consent" in line and str(planted.items["internal"].code) in line
        for line in report.checked
    )


def test_the_command_line_bundle_withholds_and_verify_names_it(
    planted: Planted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from amparo.cli import main

    out = tmp_path / "cli.zip"
    codes = [str(planted.items[n].code) for n in ("internal", "legal")]
    assert main(["evidence", "bundle", *codes, "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "with 1 items" in printed and f"withheld {codes[0]}" in printed
    blob = out.read_bytes()
    assert not included(blob, planted.items["internal"], planted.originals["internal"])
    assert included(blob, planted.items["legal"], planted.originals["legal"])
    assert main(["verify", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"withheld by consent, not in this bundle: item {codes[0]} (internal_only)" in printed
    assert "OK: everything verifies" in printed
    assert planted.items["internal"].custody.filter(action="exported").count() == 0


def test_a_bundle_of_only_withheld_items_still_verifies(planted: Planted, tmp_path: Path) -> None:
    out = tmp_path / "none.zip"
    withheld = vault.build_bundle([planted.items["internal"]], out, None)
    assert [d.reason for _i, d in withheld] == ["internal_only"]
    report = verify_bundle(out)
    assert report.ok, report.failures
    assert not included(out.read_bytes(), planted.items["internal"], planted.originals["internal"])


def test_the_partner_api_returns_only_the_partners_own_reports_and_files(
    planted: Planted, personas: Personas
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {planted.token}")
    listing = client.get("/api/reports")
    assert listing.status_code == 200
    assert [r["code"] for r in listing.json()] == [planted.partner_report]
    assert client.get(f"/api/reports/{planted.report.code}").status_code == 404  # a witness's report
    everything = listing.content + client.get(f"/api/reports/{planted.partner_report}").content
    for name, item in planted.items.items():
        assert not included(everything, item, planted.originals[name]), name


def test_the_public_layer_carries_no_evidence(planted: Planted) -> None:
    from amparo.public import anonymise, exports

    anonymise.rebuild()
    client = Client()
    public_id = planted.incident.public_identity.public_id
    pages = [
        reverse("public:home"),
        reverse("public:incidents"),
        reverse("public:incident", args=[public_id]),
    ]
    pages += [reverse("public:points"), reverse("public:charts"), reverse("public:data")]
    pages += [reverse("public:download", args=[name]) for name in exports.DOWNLOADS]
    blob = b""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        blob += body(response)
    assert public_id.encode() in blob  # the incident is published: the sweep looks at a real page
    for name, item in planted.items.items():
        assert not included(blob, item, planted.originals[name]), name
        assert str(item.code).encode() not in blob


@pytest.mark.parametrize("role", ["lena", "rita", "omar", "bob"])
def test_roles_without_download_get_no_original(
    planted: Planted, client_as: Callable[..., Client], role: str
) -> None:
    client = client_as(role)
    for name, item in planted.items.items():
        for url in ("evidence:download", "evidence:bundle"):
            response = client.post(reverse(url, args=[item.code]))
            assert response.status_code in (403, 404), (role, url, name)
            assert not included(download(response), item, planted.originals[name])


# --- the review's own requests ---------------------------------------------------------------------------


def _witness_report(personas: Personas, consent: list[str], seed: int) -> tuple[Report, bytes]:
    original = jpeg_with_gps(seed=seed)
    slug = intake_actions.page_for(personas.north).slug
    response = Client().post(
        reverse("intake:report", args=[slug]),
        {
            "text": "Agentes sacaron a un hombre de su carro frente a la tienda.",
            "files": [SimpleUploadedFile("IMG_0042.JPG", original, content_type="image/jpeg")],
            "consent": consent,
        },
    )
    assert response.status_code == 201, response.content.decode()[:500]
    return Report.objects.filter(network=personas.north).latest("received_at"), original


def _referred_person(personas: Personas, incident: Incident) -> Person:
    person = make_person(personas)
    carla = personas.user("carla")
    people_actions.do_link_incident(carla, person, incident, "detained")
    provider = make_provider(personas)
    legal_actions.do_link_partner(personas.user("alice"), personas["lena"], provider)
    legal_actions.do_answer_referral(carla, legal_actions.do_refer(carla, person, provider), "accepted")
    return person


def test_h1_a_legal_partners_case_file_holds_no_internal_only_evidence(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    report, original = _witness_report(personas, ["internal"], seed=42)
    incident = Incident.objects.create(network=personas.north, title="Detención en la tienda")
    person = _referred_person(personas, incident)
    linked = client_as("alice").post(
        reverse("incidents:report_link", args=[report.code]), {"incident": incident.code}
    )
    assert linked.status_code == 302
    item = EvidenceItem.objects.get(report=report)
    assert item.consent_uses == ["internal"]
    response = client_as("lena").post(reverse("people:export", args=[person.case_code]))
    assert response.status_code == 200
    blob = body(response)
    assert not included(blob, item, original)
    assert withheld_ids(blob) == {str(item.code)}
    manifest = json.loads(dict(members(blob))["evidence-bundle.zip/manifest.json"])
    assert manifest["items"] == [] and manifest["withheld"][0]["reason"] == "internal_only"


def test_h1_internal_and_public_consent_is_not_legal_consent(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    """The vault used to keep only the widest use: "public" then read as "legal too". Each use is its own now."""
    report, original = _witness_report(personas, ["internal", "public"], seed=43)
    incident = Incident.objects.create(network=personas.north, title="Detención en la parada")
    person = _referred_person(personas, incident)
    client_as("alice").post(reverse("incidents:report_link", args=[report.code]), {"incident": incident.code})
    item = EvidenceItem.objects.get(report=report)
    assert item.consent_uses == ["internal", "public"] and item.consent == "public"
    blob = body(client_as("lena").post(reverse("people:export", args=[person.case_code])))
    assert not included(blob, item, original) and withheld_ids(blob) == {str(item.code)}


def test_h1_the_bundle_page_gives_no_bundle_of_internal_only_evidence(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    report, _original = _witness_report(personas, ["internal"], seed=44)
    item = EvidenceItem.objects.get(report=report)
    alice = client_as("alice")
    response = alice.post(reverse("evidence:bundle", args=[item.code]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "evidence:detail", args=[item.code]
    )
    assert item.custody.filter(action="exported").count() == 0
    page = alice.get(response["Location"]).content.decode()
    # alice reads Spanish: the refusal and its reason, in her language
    assert "Sin paquete: El testigo solo permitió el uso interno por la red." in page


def test_h1_a_legal_consent_witness_file_reaches_the_lawyer(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    report, original = _witness_report(personas, ["internal", "legal"], seed=45)
    incident = Incident.objects.create(network=personas.north, title="Detención en el trabajo")
    person = _referred_person(personas, incident)
    client_as("alice").post(reverse("incidents:report_link", args=[report.code]), {"incident": incident.code})
    item = EvidenceItem.objects.get(report=report)
    blob = body(client_as("lena").post(reverse("people:export", args=[person.case_code])))
    assert included(blob, item, original) and withheld_ids(blob) == set()
    assert dict(members(blob))[f"evidence-bundle.zip/originals/{item.stored_name}"] == original


def test_the_partner_api_lists_only_files_the_partner_sent(personas: Personas) -> None:
    """A staff member's file on a partner's report stays in the network; the partner's own upload comes back."""
    _row, token = intake_actions.do_create_token(personas.north, "Partner org", None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    original = jpeg_with_gps(seed=61)
    created = client.post(
        "/uploads/",
        data=original,
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(original)),
    )
    assert created.status_code == 201
    upload_id = created["Location"].rsplit("/", 1)[1]
    sent = client.post(
        "/api/reports",
        {"text": "Two vans at the clinic.", "upload_ids": [upload_id], "consent": ["internal", "legal"]},
        content_type="application/json",
    )
    assert sent.status_code == 201, sent.content
    report = Report.objects.get(code=sent.json()["code"])
    staff_file = jpeg_with_gps(seed=62)
    intake_actions.do_attach_files(
        report,
        [intake_actions.IncomingFile(io.BytesIO(staff_file), "b.jpg", "image/jpeg", len(staff_file))],
        ["internal", "legal"],
        personas.user("omar"),
        "operator",
    )
    own, staff = (EvidenceItem.objects.get(report=report, source=s) for s in ("api", "operator"))
    assert (
        own.consent_uses == []
    )  # the partner's "legal" is its statement, not the witness's recorded consent
    for response in (client.get("/api/reports"), client.get(f"/api/reports/{report.code}")):
        assert response.status_code == 200
        assert str(own.code).encode() in response.content
        assert not included(response.content, staff, staff_file)


def test_the_partner_list_asks_for_consent_in_one_query_for_all_reports(personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _row, token = intake_actions.do_create_token(personas.north, "Partner org", None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/api/reports").status_code == 200
        return len(seen)

    def send(n: int) -> None:
        sent = client.post("/api/reports", {"text": "Agents at the clinic."}, content_type="application/json")
        data = b"a partner's note %d" % n
        report = Report.objects.get(code=sent.json()["code"])
        incoming = intake_actions.IncomingFile(io.BytesIO(data), "n.txt", "text/plain", len(data))
        intake_actions.do_attach_files(report, [incoming], ["internal"], None, "api")

    send(0)
    one = queries()
    for n in range(1, 6):
        send(n)
    listed = client.get("/api/reports").json()
    assert len(listed) == 6 and all(len(r["files"]) == 1 for r in listed)
    assert queries() == one
