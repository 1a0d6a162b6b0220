from __future__ import annotations

import base64
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from amparo.incidents.models import Report
from amparo.intake import actions
from amparo.intake.models import ApiToken
from amparo.intake.tests.media import photo_bytes
from amparo.testing import Personas

OCTETS = "application/offset+octet-stream"


@pytest.fixture
def token(personas: Personas) -> str:
    _row, value = actions.do_create_token(personas.north, "Partner org", personas.user("alice"))
    return value


def auth(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
def test_the_openapi_document_is_public_and_has_no_cdn_docs() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.") and "/api/reports" in doc["paths"]
    assert Client().get("/api/docs").status_code == 404


@pytest.mark.django_db
def test_a_partner_creates_a_report_with_a_tus_upload_and_reads_it(personas: Personas, token: str) -> None:
    client = Client()
    data = photo_bytes()
    created = client.post(
        "/uploads/",
        data=data,
        content_type=OCTETS,
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA=f"filename {base64.b64encode(b'a.jpg').decode()}",
        **auth(token),
    )
    assert created.status_code == 201
    upload_id = created["Location"].rsplit("/", 1)[1]
    body = {
        "text": "Our volunteers saw two vans at the clinic.",
        "place_text": "Clinic on Oak St",
        "agencies": ["ICE_ERO"],
        "agents_count": 4,
        "upload_ids": [upload_id],
        "consent": ["internal", "legal"],
    }
    response = client.post("/api/reports", body, content_type="application/json", **auth(token))
    assert response.status_code == 201, response.content
    out = response.json()
    report = Report.objects.get(code=out["code"])
    assert report.network == personas.north and report.channel == "partner_org" and report.language == "en"
    assert report.claimed_agencies == ["ICE_ERO"] and len(out["files"]) == 1
    assert out["files"][0]["receipt_code"]
    listed = client.get("/api/reports", **auth(token)).json()
    assert [r["code"] for r in listed] == [out["code"]]
    assert client.get(f"/api/reports/{out['code']}", **auth(token)).status_code == 200
    assert "contact" not in response.content.decode()


@pytest.mark.django_db
def test_tokens_are_per_network_and_revocable(personas: Personas, token: str, client_as: Any) -> None:
    _r, south_token = actions.do_create_token(personas.south, "Sur partner", None)
    client = Client()
    sent = client.post(
        "/api/reports", {"text": "south"}, content_type="application/json", **auth(south_token)
    )
    other = Report.objects.get(code=sent.json()["code"])
    assert client.get(f"/api/reports/{other.code}", **auth(token)).status_code == 404
    assert client.get(f"/api/reports/{other.code}", **auth(south_token)).status_code == 200
    assert client.get("/api/reports").status_code == 401
    assert client.get("/api/reports", **auth("amp_wrong")).status_code == 401
    row = ApiToken.objects.get(network=personas.north)
    assert row.digest != token and token not in str(row.__dict__)
    revoke = client_as("alice").post(reverse("intake:revoke_token", args=[row.code]))
    assert revoke.status_code == 302
    assert client.get("/api/reports", **auth(token)).status_code == 401


@pytest.mark.django_db
def test_an_upload_made_with_a_token_is_not_attachable_by_another(personas: Personas, token: str) -> None:
    _r, south_token = actions.do_create_token(personas.south, "Sur partner", None)
    data = photo_bytes()
    created = Client().post(
        "/uploads/",
        data=data,
        content_type=OCTETS,
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(data)),
        **auth(token),
    )
    upload_id = created["Location"].rsplit("/", 1)[1]
    assert Client().head(created["Location"], HTTP_TUS_RESUMABLE="1.0.0").status_code == 404
    body = {"text": "x", "upload_ids": [upload_id]}
    stolen = Client().post("/api/reports", body, content_type="application/json", **auth(south_token))
    assert stolen.status_code == 400 and not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body,status",
    [
        ({"text": "=cmd|' /C calc'!A0"}, 422),
        ({"text": "<script>x</script>"}, 422),
        ({"text": "ok", "agencies": ["NOT_AN_AGENCY"]}, 422),
        ({"text": ""}, 400),
        ({"text": "ok", "upload_ids": ["doesnotexist"]}, 400),
    ],
)
def test_bad_api_input_is_refused_and_saves_nothing(token: str, body: dict[str, Any], status: int) -> None:
    response = Client().post("/api/reports", body, content_type="application/json", **auth(token))
    assert response.status_code == status
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_invalid_utf8_body_is_refused(token: str) -> None:
    response = Client().post(
        "/api/reports", b'{"text": "\xff\xfe"}', content_type="application/json", **auth(token)
    )
    assert response.status_code in (400, 422)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_token_page_shows_a_new_token_once(personas: Personas, client_as: Any) -> None:
    client = client_as("alice")
    response = client.post(reverse("intake:tokens"), {"name": "Clinic partners"})
    assert response.status_code == 200
    shown = response.content.decode().split('id="new-token">')[1].split("<")[0]
    assert shown.startswith("amp_") and ApiToken.objects.get().prefix == shown[:10]
    assert shown not in client.get(reverse("intake:tokens")).content.decode()
    for name in ("rita", "omar", "vera"):
        assert client_as(name).get(reverse("intake:tokens")).status_code == 403


def run_examples(operation: Any, token: str, checked: list[str]) -> None:
    @given(case=operation.as_strategy())
    @hsettings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        # Beyond the schema the API refuses script, spreadsheet formulas and empty reports with 400/422, so
        # "every schema-valid request is accepted" cannot hold; every other check runs.
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
        )
        checked.append(operation.label)

    check()


@pytest.mark.django_db
def test_the_api_conforms_to_its_openapi_document(token: str, settings: Any) -> None:
    """schemathesis generates requests for every operation from the document and checks every answer against it."""
    settings.INTAKE_API_REQUESTS_PER_MINUTE = 100000
    # As Django's test client does: a request must not close the test's database connection (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    checked: list[str] = []
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]  # an Err would raise here, failing the test
        assert len(operations) == 4
        for operation in operations:
            run_examples(operation, token, checked)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert len(set(checked)) == 4


@pytest.mark.django_db
def test_a_coordinator_closes_and_unlists_the_public_page(personas: Personas, client_as: Any) -> None:
    page = actions.page_for(personas.north)
    response = client_as("alice").post(reverse("intake:tokens"), {"page": "1", "listed": "on"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.enabled, page.listed) == (False, True)
    assert Client().get(reverse("intake:report", args=[page.slug])).status_code == 404
    assert client_as("rita").post(reverse("intake:tokens"), {"page": "1", "enabled": "on"}).status_code == 403
    page.refresh_from_db()
    assert not page.enabled
