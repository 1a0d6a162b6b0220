"""The corroboration pages: proposals applied only on a click, similar incidents, same footage side by side,
who may see and do what, and fingerprints kept off every public page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.corroboration.tests import media
from amparo.corroboration.tests.factories import OBJECT_URLS
from amparo.evidence.models import Fingerprint
from amparo.incidents.models import Report
from amparo.incidents.tests.factories import make_incident, make_report
from amparo.testing import Personas

SPANISH = "Ayer agentes de ICE detuvieron a dos personas frente a la escuela en Houston, Texas."


def spanish_report(p: Personas, **fields: Any) -> Report:
    base = {
        "text": SPANISH,
        "language": "es",
        "received_at": datetime(2026, 11, 20, 15, tzinfo=UTC),
        "claimed_time": None,
        "place_text": "",
        "location_type": "",
        "claimed_agencies": [],
        "people_taken_count": None,
        "latitude": None,
        "longitude": None,
    }
    return make_report(p.north, **{**base, **fields})


@pytest.mark.django_db
def test_it_shows_proposals_with_marked_spans_and_applies_nothing_on_get(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    report = spanish_report(personas)
    response = client_as("omar").get(reverse("corroboration:report", args=[report.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>Ayer</mark>" in page and "<mark>escuela</mark>" in page
    assert page.count('name="field"') == 5  # date, place, location type, agencies, people taken
    report.refresh_from_db()
    assert report.location_type == "" and report.people_taken_count is None and report.claimed_time is None
    assert not AuditEvent.objects.filter(action="report.apply_proposal").exists()


@pytest.mark.django_db
def test_it_applies_one_field_on_a_click_with_an_audit_event(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    report = spanish_report(personas)
    client = client_as("omar")
    url = reverse("corroboration:report_apply", args=[report.code])
    assert client.post(url, {"field": "location_type"}).status_code == 302
    back = reverse("incidents:report", args=[report.code])
    response = client.post(url, {"field": "claimed_time", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(url, {"field": "people_taken_count", "next": "//evil.example/"})
    assert response["Location"] == reverse("corroboration:report", args=[report.code])
    report.refresh_from_db()
    assert report.location_type == "school"
    assert report.claimed_time == datetime(2026, 11, 19, 12, tzinfo=UTC)
    assert report.people_taken_count == 2
    assert report.claimed_agencies == []  # not clicked: not applied
    events = AuditEvent.objects.filter(action="report.apply_proposal", object_code=str(report.code))
    assert sorted(e.detail["field"] for e in events) == [
        "claimed_time",
        "location_type",
        "people_taken_count",
    ]
    assert all(e.actor == personas.user("omar") for e in events)
    page = client.get(reverse("corroboration:report", args=[report.code])).content.decode()
    assert page.count('name="field"') == 2


@pytest.mark.django_db
def test_it_compares_with_the_incident_and_flags_conflicts(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    incident = make_incident(personas.north, location_type="worksite", locality="Dallas", admin1="TX")
    report = spanish_report(personas, incident=incident)
    page = client_as("alice").get(reverse("corroboration:report", args=[report.code])).content.decode()
    assert 'class="conflict"' in page and "Dallas, TX" in page


@pytest.mark.django_db
def test_permissions(personas: Personas, client_as: Callable[..., Client]) -> None:
    report = spanish_report(personas)
    view = reverse("corroboration:report", args=[report.code])
    apply = reverse("corroboration:report_apply", args=[report.code])
    assert client_as("bob").get(view).status_code == 404
    assert client_as("bob").post(apply, {"field": "location_type"}).status_code == 404
    assert client_as("rita").get(view).status_code == 200
    assert 'name="field"' not in client_as("rita").get(view).content.decode()
    assert client_as("rita").post(apply, {"field": "location_type"}).status_code == 403
    assert client_as("vera").post(apply, {"field": "location_type"}).status_code == 403
    assert client_as("lena").get(view).status_code == 403  # legal partners do not see reports
    assert Client().get(view).status_code == 302
    report.refresh_from_db()
    assert report.location_type == ""
    for name, make in OBJECT_URLS.items():
        url = make(personas)
        answers = {client_as("bob").get(url).status_code, client_as("bob").post(url, {}).status_code}
        assert 404 in answers and answers <= {404, 405}, name


@pytest.mark.django_db
def test_it_ranks_the_right_incident_first_with_reasons(
    personas: Personas, client_as: Callable[..., Client]
) -> None:
    when = timezone.now() - timedelta(hours=2)
    right = make_incident(
        personas.north,
        title="Detenciones frente a la escuela",
        start_at=when,
        location_type="school",
        latitude=29.7604,
        longitude=-95.3698,
        locality="Houston",
    )
    make_report(
        personas.north,
        incident=right,
        text="Agentes de ICE detuvieron a dos padres frente a la escuela primaria en Houston.",
    )
    near_time = make_incident(
        personas.north,
        title="Traffic stop",
        start_at=when,
        location_type="vehicle_stop",
        latitude=29.90,
        longitude=-95.60,
    )
    make_report(personas.north, incident=near_time, text="Car pulled over on the highway, driver questioned.")
    make_incident(
        personas.north,
        title="Old",
        start_at=when - timedelta(days=10),
        location_type="school",
        latitude=29.7604,
        longitude=-95.3698,
    )
    make_incident(  # the same hour and kind of place, but in another state: not similar for that
        personas.north,
        title="Far away",
        start_at=when,
        location_type="school",
        latitude=41.8781,
        longitude=-87.6298,
    )
    make_incident(
        personas.south,
        title="Other network",
        start_at=when,
        location_type="school",
        latitude=29.7604,
        longitude=-95.3698,
    )
    report = spanish_report(
        personas,
        received_at=when,
        claimed_time=when,
        location_type="school",
        latitude=29.7610,
        longitude=-95.3690,
    )
    from amparo.corroboration.similar import similar_incidents

    found = similar_incidents(report)
    assert [c.incident.title for c in found] == ["Detenciones frente a la escuela", "Traffic stop"]
    best = found[0]
    assert best.score > found[1].score
    text = " | ".join(best.reasons)
    assert "m apart" in text and "same location type" in text and "similar to its reports" in text
    page = client_as("omar").get(reverse("corroboration:report", args=[report.code])).content.decode()
    assert page.index("Detenciones frente a la escuela") < page.index("Traffic stop")
    assert reverse("incidents:report_link", args=[report.code]) in page


@pytest.mark.django_db
def test_same_footage_page_and_frames(
    personas: Personas, client_as: Callable[..., Client], tmp_path: Path, ingest: Any
) -> None:
    original = ingest(media.clip(tmp_path / "a.mp4", seed=5), network=personas.north)
    copy = ingest(media.clip(tmp_path / "b.mp4", seed=5, edit=media.letterboxed), network=personas.north)
    other = ingest(media.clip(tmp_path / "c.mp4", seed=77), network=personas.north)
    client = client_as("vera")
    page = client.get(reverse("corroboration:evidence_matches", args=[original.code])).content.decode()
    assert str(copy.code) in page and str(other.code) not in page
    frame = reverse("corroboration:evidence_frame", args=[copy.code, 1000])
    assert frame in page
    response = client.get(frame)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8"
    assert AuditEvent.objects.filter(action="evidence.frame_viewed", object_code=str(copy.code)).exists()
    assert AuditEvent.objects.filter(
        action="evidence.matches_viewed", object_code=str(original.code)
    ).exists()
    assert client_as("omar").get(frame).status_code == 403  # operators may not view evidence
    assert client_as("bob").get(frame).status_code == 404
    # fingerprints never reach a page, private or public
    hexes = [bytes(b).hex() for b in Fingerprint.objects.values_list("bits", flat=True)]
    assert hexes
    public_pages = [
        reverse("public:home"),
        reverse("public:incidents"),
        reverse("public:charts"),
        reverse("public:data"),
        reverse("public:methodology"),
        reverse("public:points"),
    ]
    for url in public_pages:
        response = Client().get(url)
        assert response.status_code == 200, url
        raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]  # streaming responses
        body = raw.decode(errors="replace")
        assert not any(h in body for h in hexes), url
    assert not any(h in page for h in hexes)


@pytest.mark.django_db
def test_the_panels_render_on_incident_data(
    personas: Personas, client_as: Callable[..., Client], tmp_path: Path, ingest: Any
) -> None:
    from django.template.loader import render_to_string

    incident = make_incident(personas.north, location_type="worksite", locality="Dallas", admin1="TX")
    report = spanish_report(personas, incident=incident)
    elsewhere = spanish_report(personas, text="Video from the school.")
    ingest(media.clip(tmp_path / "a.mp4", seed=6), network=personas.north, report=report)
    ingest(media.clip(tmp_path / "b.mp4", seed=6, bit_rate=150_000), network=personas.north, report=elsewhere)
    html = render_to_string("corroboration/includes/incident_panel.html", {"incident": incident})
    assert reverse("corroboration:report", args=[report.code]) in html
    assert reverse("corroboration:report", args=[elsewhere.code]) in html
    assert "differs" in html
    html = render_to_string(
        "corroboration/includes/report_panel.html",
        {"report": report, "membership": personas["alice"]},
    )
    assert "<mark>" in html and reverse("corroboration:report_apply", args=[report.code]) in html


@pytest.mark.django_db
def test_similar_incidents_use_a_constant_number_of_queries(personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amparo.corroboration.similar import similar_incidents

    when = timezone.now()
    report = spanish_report(personas, received_at=when, location_type="school")

    def add(n: int) -> None:
        for i in range(n):
            incident = make_incident(
                personas.north, title=f"Incident {i}", start_at=when - timedelta(hours=i)
            )
            make_report(personas.north, incident=incident, text=f"Agentes en la escuela {i}")

    counts = []
    for n in (3, 20):
        add(n)
        with CaptureQueriesContext(connection) as ctx:
            found = similar_incidents(report, limit=50)
        counts.append(len(ctx.captured_queries))
        assert len(found) >= n
    assert counts[0] == counts[1]
