"""Nothing personal in public output: plant names, A-numbers, plates, phones, e-mails and addresses in every private
field (and in the public text, where the scrubber must catch them), publish, rebuild, and search every public page and
every download for them."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.allowlist import PUBLIC_URL_NAMES
from amparo.incidents.models import Dispatch, Report, VerificationEvent
from amparo.people.actions import Identity, do_create_person
from amparo.public import anonymise
from amparo.public.exports import DOWNLOADS
from amparo.public.models import PublicIncident
from amparo.public.tests.helpers import body, make_incident
from amparo.testing import Personas

NAME = "Xochitl Ramirez-Quintanilla"
A_NUMBER = "A-207-318-449"
PLATE = "7XKD492"
ADDRESS = "4821 N Kedzie Ave"
PHONE = "(773) 555-0199"
EMAIL = "xochitl.rq@example.org"
LAT, LON = 41.968312, -87.708841
PLANTED = [
    NAME, "Xochitl", "Quintanilla", "207-318-449", "207318449", "318-449", PLATE, "7XKD", ADDRESS, "Kedzie",
    "555-0199", "5550199", EMAIL, "example.org", "41.9683", "-87.7088", "Agent Brackley", "Brackley",
]  # fmt: skip
PUBLIC_TEXT = f"Witness said agents took a man. Reach {PHONE} or {EMAIL}. A-number {A_NUMBER}, plate {PLATE}, at {ADDRESS}."


def plant(personas: Personas) -> list[str]:
    """Published incidents of many kinds carrying the planted values everywhere; returns internal codes too."""
    network = personas.north
    start = timezone.now() - dt.timedelta(days=90)
    private = {
        "title": f"Arrest of {NAME} ({A_NUMBER})",
        "place_name": f"{NAME}'s home",
        "address": ADDRESS,
        "latitude": LAT,
        "longitude": LON,
        "notes_private": f"{NAME}, {A_NUMBER}, plate {PLATE}, {PHONE}, {EMAIL}, Agent Brackley",
        "notes_public": PUBLIC_TEXT,
        "official_claims": f"DHS said {A_NUMBER} resisted; call {PHONE}.",
        "evidence_response": f"Video of plate {PLATE} at {ADDRESS} shows no resistance.",
        "operation_name": f"Operation {PLATE}",
    }
    codes = []
    for location_type in ("residence", "residence", "residence", "healthcare", "school", "unknown"):
        incident = make_incident(
            network,
            start_at=start,
            location_type=location_type,
            public_label=f"{NAME}'s house at {ADDRESS}"
            if location_type == "residence"
            else f"clinic near {ADDRESS}",
            locality="Chicago" if location_type != "residence" else NAME,
            sources=[
                {
                    "source_type": "direct_witness",
                    "title": f"Statement of {NAME}",
                    "url": f"https://x.example/{NAME}",
                    "public": True,
                },
                {
                    "source_type": "court_record",
                    "title": f"{NAME} v. Noem",
                    "url": "https://court.example/207318449",
                    "public": True,
                },
                {
                    "source_type": "local_news",
                    "title": f"Private tip from {NAME}",
                    "url": "https://news.example/p",
                    "public": False,
                },
                {
                    "source_type": "local_news",
                    "title": f"Call {PHONE} about {PLATE}",
                    "url": f"https://news.example/{PLATE}",
                    "public": True,
                },
            ],
            **private,
        )
        codes.append(str(incident.code))
        report = Report.objects.create(
            network=network,
            channel="hotline_voice",
            text=f"{NAME} was taken at {ADDRESS}, {A_NUMBER}, by Agent Brackley",
            place_text=ADDRESS,
            latitude=LAT,
            longitude=LON,
            activity=f"arrest of {NAME}",
            uniform="vests ERO, name tag Brackley",
            equipment=f"plate {PLATE}",
            vehicles=[{"make": "Ford", "plate": PLATE, "plate_state": "IL"}],
            contact_sealed=f"{PHONE} {EMAIL}",
            incident=incident,
        )
        codes.append(str(report.code))
        dispatch = Dispatch.objects.create(
            network=network,
            report=report,
            incident=incident,
            responder=personas["vera"],
            salute={"location": ADDRESS, "vehicles": PLATE},
            safety_notes=f"{NAME} lives at {ADDRESS}",
        )
        VerificationEvent.objects.create(
            incident=incident,
            from_level="reported",
            to_level="confirmed",
            method="on_scene_responder",
            rationale=f"saw {NAME} taken, plate {PLATE}",
            dispatch=dispatch,
        )
        person = do_create_person(
            None, network, Identity(legal_name=NAME, a_number="207318449", notes=ADDRESS), incident=incident
        )
        codes.append(person.case_code)
    return codes


def public_urls() -> list[str]:
    urls = []
    for name in sorted(n for n in PUBLIC_URL_NAMES if n.startswith("public:")):
        if name == "public:incident":
            urls += [
                reverse(name, args=[pid])
                for pid in PublicIncident.objects.values_list("public_id", flat=True)
            ]
        elif name == "public:download":
            urls += [reverse(name, args=[d]) for d in DOWNLOADS]
        else:
            urls.append(reverse(name))
    return urls


@pytest.mark.django_db
def test_no_planted_value_reaches_any_public_page_or_download(personas: Personas) -> None:
    internal_codes = plant(personas)
    build = anonymise.rebuild()
    assert (
        build.published >= 4
    )  # the test looks at real rows: the clinic, the school, and residences at some level
    urls = public_urls()
    assert len(urls) >= 6 + len(DOWNLOADS) + build.published
    client = Client()
    seen = 0
    for url in urls:
        for lang in ("es", "en", "de"):
            response = client.get(url, {"lang": lang})
            assert response.status_code == 200, url
            text = body(response).decode()
            seen += len(text)
            for value in PLANTED + internal_codes:
                assert value.lower() not in text.lower(), (value, url)
    assert seen > 10_000
    # the scrubbed public text still says what it should
    clinic = PublicIncident.objects.get(location_type="healthcare")
    assert clinic.note.startswith("Witness said agents took a man.")
    assert "[…]" in clinic.note and "resisted" in clinic.official_claims
    # citable news sources keep their title only when it is clean; witness and court sources show only their kind
    assert {s["type"] for s in clinic.sources} == {"direct_witness", "court_record", "local_news"}
    assert all(s["title"] in ("", "Call […] about […]") for s in clinic.sources)


@pytest.mark.django_db
def test_a_home_shows_its_sources_only_by_kind(personas: Personas) -> None:
    day = timezone.now() - dt.timedelta(days=100)
    news = {
        "source_type": "local_news",
        "title": "Family taken from their home on Elm",
        "url": "https://news.example/elm",
        "published_at": day,
        "public": True,
    }
    for _ in range(3):
        make_incident(
            personas.north,
            location_type="residence",
            start_at=day,
            sources=[news],
            notes_public="Agents came on Tuesday, October 3, before dawn.",
        )
    make_incident(personas.north, location_type="worksite", start_at=day, sources=[news])
    anonymise.rebuild()
    homes = PublicIncident.objects.filter(location_type="residence")
    assert homes.count() == 3
    for home in homes:
        assert home.sources == [{"type": "local_news", "title": "", "url": "", "date": ""}]
        assert home.date_precision in ("week", "month")
        assert home.note == "Agents came on […], […], before dawn."
    worksite = PublicIncident.objects.get(location_type="worksite")
    assert worksite.sources[0]["url"] == "https://news.example/" and worksite.sources[0]["date"]


@pytest.mark.django_db
def test_a_deleted_or_withdrawn_incident_leaves_the_public_layer_at_the_next_rebuild(
    personas: Personas,
) -> None:
    kept = make_incident(personas.north, location_type="school")
    withdrawn = make_incident(personas.north, location_type="healthcare")
    deleted = make_incident(personas.north, location_type="worksite")
    anonymise.rebuild()
    assert PublicIncident.objects.count() == 3
    kept_id = PublicIncident.objects.get(location_type="school").public_id
    withdrawn.publish_status = "withheld"
    withdrawn.save(update_fields=["publish_status"])
    deleted.delete()
    anonymise.rebuild()
    assert list(PublicIncident.objects.values_list("location_type", flat=True)) == ["school"]
    assert PublicIncident.objects.get().public_id == kept_id  # public ids stay stable across rebuilds
    assert kept_id not in str(kept.code).upper()


@pytest.mark.django_db
def test_only_publishable_levels_past_embargo_are_published(personas: Personas, settings: object) -> None:
    settings.AMPARO_PUBLIC_EMBARGO_HOURS = 48  # type: ignore[attr-defined]
    now = timezone.now()
    make_incident(personas.north, verification_level="reported")
    make_incident(personas.north, verification_level="false_alarm")
    make_incident(personas.north, verification_level="corroborated", publish_status="internal")
    make_incident(personas.north, verification_level="corroborated", start_at=now - dt.timedelta(hours=30))
    make_incident(
        personas.north, verification_level="confirmed", embargo_until=now + dt.timedelta(days=1)
    )  # coordinator's own embargo
    make_incident(personas.north, location_type="residence", start_at=now - dt.timedelta(days=3))
    ok = make_incident(
        personas.north, verification_level="confirmed_after_fact", start_at=now - dt.timedelta(hours=50)
    )
    build = anonymise.rebuild()
    assert build.published == 1 and build.embargoed == 3
    assert PublicIncident.objects.get().verification_level == ok.verification_level


def test_only_the_anonymisation_module_reads_private_models() -> None:
    """Every other module of the public app imports no private model; anonymise imports no people, legal or evidence."""
    root = Path(__file__).resolve().parent.parent
    private = ("amparo.incidents.models", "amparo.people", "amparo.legal", "amparo.evidence", "amparo.intake")
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
        reads = {m for m in imported if m.startswith(private)}
        if path.name == "anonymise.py":
            assert reads == {"amparo.incidents.models"}, reads
        elif path.name == "labels.py":  # vocabulary labels (the Term table), not incident data
            assert reads <= {"amparo.incidents.models"}, reads
        else:
            assert not reads, (path.name, reads)
