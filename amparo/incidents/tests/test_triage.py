"""The triage queue: filters and counts, one-key decisions, linking, incidents made from reports, search, terms."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.incidents import actions, search
from amparo.incidents.codes import ReportStatus
from amparo.incidents.models import Incident, IncidentAgency, Report
from amparo.incidents.tests.factories import make_incident, make_report, make_term
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_queue_filters_counts_and_pages(personas: Personas, client_as: Any) -> None:
    for i in range(55):
        make_report(
            personas.north, place_text=f"Corner {i}", priority="critical" if i % 5 == 0 else "observed"
        )
    make_report(personas.north, place_text="Old spam", status="spam")
    alice = client_as("alice")
    page = alice.get(reverse("incidents:triage")).content.decode()
    assert page.count("data-row>") == 50
    assert "Corner 54" in page and "Old spam" not in page
    assert ">55</span>" in page  # the count of new reports
    critical = alice.get(reverse("incidents:triage"), {"priority": "critical"}).content.decode()
    assert critical.count("data-row>") == 11
    older = alice.get(reverse("incidents:triage"), {"after": _cursor(page)}).content.decode()
    assert older.count("data-row>") == 5 and "Corner 0<" in older and "Corner 54" not in older
    spam = alice.get(reverse("incidents:triage"), {"status": "spam"}).content.decode()
    assert "Old spam" in spam


def _cursor(page: str) -> str:
    import html
    import re

    found = re.search(r'after=([^"&]+)"', page)
    assert found
    from urllib.parse import unquote

    return unquote(html.unescape(found.group(1)))


def test_the_queue_takes_a_constant_number_of_queries(personas: Personas, client_as: Any) -> None:
    alice = client_as("alice")
    make_report(personas.north)
    alice.get(reverse("incidents:triage"))
    with CaptureQueriesContext(connection) as few:
        alice.get(reverse("incidents:triage"))
    for _ in range(60):
        make_report(personas.north, assigned_to=personas["omar"])
    with CaptureQueriesContext(connection) as many:
        alice.get(reverse("incidents:triage"))
    assert len(many) == len(few)


def test_one_key_decisions_move_to_the_next_report(personas: Personas, client_as: Any) -> None:
    older = make_report(personas.north, place_text="older")
    newer = make_report(personas.north, place_text="newer")
    response = client_as("omar").post(
        reverse("incidents:report_triage", args=[newer.code]), {"quick": "spam"}
    )
    assert response["Location"] == reverse("incidents:report", args=[older.code])
    assert Report.objects.get(pk=newer.pk).status == ReportStatus.SPAM
    client_as("omar").post(reverse("incidents:report_triage", args=[older.code]), {"quick": "assign_me"})
    assert Report.objects.get(pk=older.pk).assigned_to == personas["omar"]
    assert AuditEvent.objects.filter(action="report.triage").count() == 2


def test_an_incident_is_made_from_a_report_and_a_second_report_is_linked(
    personas: Personas, client_as: Any
) -> None:
    first = make_report(personas.north)
    response = client_as("omar").post(
        reverse("incidents:report_create_incident", args=[first.code]), {"title": ""}
    )
    incident = Incident.objects.get()
    assert response["Location"] == reverse("incidents:incident", args=[incident.code])
    assert incident.verification_level == "reported"  # a report alone proves nothing
    assert incident.people_detained_low == 2 and incident.location_type == "street_public"
    assert IncidentAgency.objects.get(incident=incident).role == "claimed"
    second = make_report(personas.north, channel="sms", text="Otra llamada: agentes en la 5 y Main")
    page = client_as("omar").get(reverse("incidents:report", args=[second.code])).content.decode()
    assert incident.title in page  # offered as similar or recent
    client_as("omar").post(
        reverse("incidents:report_link", args=[second.code]), {"incident": str(incident.code)}
    )
    assert set(incident.reports.values_list("pk", flat=True)) == {first.pk, second.pk}
    detail = client_as("rita").get(reverse("incidents:incident", args=[incident.code])).content.decode()
    assert detail.count('class="tl-report"') == 2


def test_a_report_cannot_be_linked_to_another_networks_incident(personas: Personas, client_as: Any) -> None:
    theirs = make_incident(personas.south)
    report = make_report(personas.north)
    client_as("alice").post(
        reverse("incidents:report_link", args=[report.code]), {"incident": str(theirs.code)}
    )
    assert Report.objects.get(pk=report.pk).incident is None


def test_similar_incidents_are_offered_for_linking_with_their_reasons(
    personas: Personas, client_as: Any
) -> None:
    near = make_incident(personas.north, title="Agents at 5th and Main bakery")
    far = make_incident(
        personas.north, title="Far away", latitude=34.05, longitude=-118.24, location_type="school"
    )
    report = make_report(personas.north)

    page = client_as("omar").get(reverse("incidents:report", args=[report.code]), HTTP_ACCEPT_LANGUAGE="en")

    similar = page.content.decode().split('<ol class="similar">')[1].split("</ol>")[0]
    assert near.title in similar and far.title not in similar
    assert "m apart" in similar
    assert f'<input type="hidden" name="incident" value="{near.code}">' in similar


@pytest.mark.parametrize(
    "query,hits", [("bakery", 1), ("BAKER", 1), ("panadería", 1), ("unrelated", 0), ("", 2)]
)
def test_full_text_search_finds_words_and_prefixes(personas: Personas, query: str, hits: int) -> None:
    make_report(personas.north, text="Agents outside the bakery on Main", place_text="")
    make_report(personas.north, text="Agentes frente a la panadería de la calle Ocho", place_text="")
    make_report(personas.south, text="bakery panadería in another network")
    found = search.search(Report.objects.filter(network=personas.north), query)
    assert found.count() == hits


def test_search_follows_edits(personas: Personas) -> None:
    incident = make_incident(personas.north, title="Courthouse arrest")
    assert search.search(Incident.objects.all(), "courthouse").count() == 1
    actions.do_update_incident(incident, personas.user("alice"), {"title": "Clinic arrest"})
    assert search.search(Incident.objects.all(), "courthouse").count() == 0
    assert search.search(Incident.objects.all(), "clinic").count() == 1


def test_a_networks_own_term_is_valid_in_its_forms_only(personas: Personas, client_as: Any) -> None:
    from amparo.incidents.forms import IncidentForm

    term = make_term(personas.north, "laundromat")
    term.flags = {"protected_2021": True}
    term.save(update_fields=["flags"])
    data = {
        "title": "At the laundromat",
        "start_at": "2026-11-01T10:00",
        "time_precision": 2,
        "geo_precision": 2,
        "incident_type": "targeted_arrest",
        "location_type": "laundromat",
        "at_or_near": "at",
        "use_of_force": "none",
        "warrant_presented": "none",
        "entry_type": "unknown",
        "publish_status": "draft",
        "ag-TOTAL_FORMS": "0",
        "ag-INITIAL_FORMS": "0",
    }
    assert IncidentForm(data, network_id=personas.north.pk).is_valid()
    assert not IncidentForm(data, network_id=personas.south.pk).is_valid()
    client_as("alice").post(reverse("incidents:incident_new"), data)
    incident = Incident.objects.get(title="At the laundromat")
    assert incident.protected_2021 and not incident.sensitive_2011
    expired = make_term(personas.north, "old-code")
    expired.valid_to = expired.valid_from = None
    from datetime import date

    expired.valid_to = date(2020, 1, 1)
    expired.save(update_fields=["valid_to"])
    assert not IncidentForm({**data, "location_type": "old-code"}, network_id=personas.north.pk).is_valid()


def test_built_in_terms_have_three_languages_and_policy_flags() -> None:
    from amparo.incidents.models import Term

    school = Term.objects.get(vocabulary="location_type", code="school", network=None)
    assert (school.label_en, school.label_es, school.label_de) == (
        "School or university",
        "Escuela o universidad",
        "Schule oder Hochschule",
    )
    assert school.policy_flags == (True, True, False)
    assert not Term.objects.filter(network=None, label_es="").exists()
    assert Term.objects.filter(network=None, vocabulary="agency").count() == 25


def test_facts_from_the_text_are_proposed_and_applied_one_field_at_a_time(
    personas: Personas, client_as: Any
) -> None:
    report = make_report(
        personas.north,
        text="Border Patrol agents detained three workers at the car wash this morning.",
        claimed_agencies=[],
        people_taken_count=None,
        language="en",
    )
    here = reverse("incidents:report", args=[report.code])
    apply_url = reverse("corroboration:report_apply", args=[report.code])
    page = client_as("omar").get(here).content.decode()
    assert "<mark>Border Patrol</mark>" in page  # every proposal shows the words it came from
    assert f'action="{apply_url}"' in page and 'name="field" value="claimed_agencies"' in page
    assert Report.objects.get(pk=report.pk).claimed_agencies == []  # nothing applied by itself

    back = client_as("omar").post(apply_url, {"field": "claimed_agencies", "next": here})

    assert back.status_code == 302 and back["Location"] == here  # straight back to the triage desk
    assert "CBP_USBP" in Report.objects.get(pk=report.pk).claimed_agencies
    assert AuditEvent.objects.filter(action="report.apply_proposal").count() == 1
    assert client_as("rita").post(apply_url, {"field": "people_taken_count"}).status_code == 403


def test_an_incidents_evidence_comes_through_its_reports_and_can_be_compared(
    personas: Personas, client_as: Any
) -> None:
    import io

    from PIL import Image

    from amparo.evidence import vault

    report = make_report(personas.north)
    incident = actions.do_create_incident_from_report(report, personas.user("omar"))
    codes = []
    for colour in ("red", "blue"):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
        buffer.seek(0)
        item = vault.ingest(buffer, network=personas.north, filename="a.jpg", report=report)
        codes.append(str(item.code))
    page = client_as("carla").get(reverse("incidents:incident", args=[incident.code])).content.decode()
    assert page.count('class="tl-evidence"') == 2
    for code in codes:
        assert reverse("evidence:detail", args=[code]) in page
    compare = client_as("carla").get(
        reverse("incidents:incident_compare", args=[incident.code]), {"a": codes[1], "b": codes[0]}
    )
    assert compare.status_code == 200
    html = compare.content.decode()
    assert html.count("compare-side") == 2 and html.index(codes[1]) < html.rindex(codes[0])


def test_a_coordinator_edits_an_incident_with_its_agencies(personas: Personas, client_as: Any) -> None:
    incident = make_incident(personas.north)
    form = client_as("alice").get(reverse("incidents:incident_edit", args=[incident.code]))
    assert form.status_code == 200
    data = {
        "title": "Clinic arrest",
        "start_at": "2026-11-01T10:00",
        "time_precision": 1,
        "geo_precision": 3,
        "incident_type": "targeted_arrest",
        "location_type": "healthcare",
        "at_or_near": "adjacent",
        "use_of_force": "physical",
        "warrant_presented": "admin_I200",
        "entry_type": "no_home_entry",
        "publish_status": "internal",
        "tactics": ["masked_agents", "plainclothes"],
        "agents_count_low": 3,
        "agents_count_high": 5,
        "children_affected": "true",
        "public_label": "health clinic, Cook County",
        "ag-TOTAL_FORMS": "2",
        "ag-INITIAL_FORMS": "0",
        "ag-0-agency": "ICE_ERO",
        "ag-0-role": "lead",
        "ag-0-basis": "markings",
        "ag-1-agency": "LOCAL_POLICE",
        "ag-1-role": "assisting",
        "ag-1-basis": "vehicle",
    }
    response = client_as("alice").post(reverse("incidents:incident_edit", args=[incident.code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    incident.refresh_from_db()
    assert incident.title == "Clinic arrest" and incident.children_affected is True
    assert incident.sensitive_2011 and incident.protected_2021 and not incident.courthouse_policy_2021
    assert (
        incident.tactics == ["masked_agents", "plainclothes"] and incident.warrant_presented == "admin_I200"
    )
    assert set(incident.agencies.values_list("agency", "role", "basis")) == {
        ("ICE_ERO", "lead", "markings"),
        ("LOCAL_POLICE", "assisting", "vehicle"),
    }
    bad = client_as("alice").post(
        reverse("incidents:incident_edit", args=[incident.code]), {**data, "agents_count_low": 9}
    )
    assert bad.status_code == 200 and Incident.objects.get(pk=incident.pk).agents_count_low == 3
