from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.incidents.models import Report
from amparo.intake import actions, words
from amparo.intake.models import IntakeFile
from amparo.intake.tests.media import photo_bytes, video_bytes
from amparo.testing import Personas

pytestmark = pytest.mark.django_db


def form_url(p: Personas) -> str:
    return reverse("intake:report", args=[actions.page_for(p.north).slug])


def code_in(html: str) -> str:
    found = re.search(r'id="followup-code">([a-z-]+)<', html)
    assert found, "no follow-up code on the page"
    return found.group(1)


def test_it_lists_networks_or_goes_straight_to_the_only_one(personas: Personas) -> None:
    response = Client().get(reverse("intake:report_start"))
    assert response.status_code == 200
    assert "Red Norte" in response.content.decode() and "Red Sur" in response.content.decode()
    personas.south.delete()
    response = Client().get(reverse("intake:report_start"))
    assert response.status_code == 302 and response["Location"] == form_url(personas)


def test_it_files_a_report_without_javascript_and_shows_a_code_once(
    personas: Personas, tmp_path: Path
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.77")
    page = client.get(form_url(personas))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    video = SimpleUploadedFile("clip.mp4", video_bytes(tmp_path), content_type="video/mp4")
    photo = SimpleUploadedFile("p.jpg", photo_bytes(), content_type="image/jpeg")
    response = client.post(
        form_url(personas),
        {
            "text": "Tres agentes con chalecos detuvieron a un hombre frente a la tienda.",
            "place_text": "Calle 5 y Main",
            "agents_count_low": "3",
            "claimed_agencies": ["ICE_ERO", "LOCAL_POLICE"],
            "people_taken_count": "1",
            "children_present": "yes",
            "warrant_observed": "refused_to_show",
            "reporter_role": "witness",
            "consent": ["internal", "legal"],
            "contact": "+1 555 0100",
            "files": [video, photo],
        },
    )
    assert response.status_code == 201, response.context["form"].errors
    code = code_in(response.content.decode())
    report = Report.objects.get()
    assert report.network == personas.north and report.channel == "web_form"
    assert report.language == "es"
    assert report.followup_digest == words.digest(code) and code not in str(report.__dict__)
    assert report.claimed_agencies == ["ICE_ERO", "LOCAL_POLICE"] and report.children_present is True
    assert report.warrant_observed == "refused_to_show" and report.agents_count_low == 3
    assert report.contact_sealed and "555" not in report.contact_sealed and report.contact_purge_after
    files = list(IntakeFile.objects.filter(report=report))
    assert len(files) == 2 and all(f.receipt_code and len(f.sha256) == 64 for f in files)
    assert {f.consent for f in files} == {"legal_use"}
    assert report.intake_extra.consent_uses == ["internal", "legal"]
    # the code is not shown again: opening the form again shows a fresh form
    assert code not in client.get(form_url(personas)).content.decode()
    assert AuditEvent.objects.filter(action="report.received", object_code=str(report.code)).exists()


def test_it_stores_no_ip_address_anywhere(personas: Personas, tmp_path: Path, caplog: Any) -> None:
    ip = "198.51.100.203"
    client = Client(REMOTE_ADDR=ip)
    response = client.post(form_url(personas), {"text": "Agents at the bus stop", "consent": ["internal"]})
    assert response.status_code == 201, response.context["form"].errors
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names come from introspection)
            for row in cursor.fetchall():
                assert ip not in repr(row), table
    assert ip not in caplog.text


@pytest.mark.parametrize(
    "data,expected",
    [
        ({"text": '=HYPERLINK("http://x")'}, "formula"),
        ({"text": "<script>alert(1)</script>"}, "script"),
        ({"text": "bad \ufffd bytes"}, "UTF-8"),
        ({"text": ""}, "Tell us what happened"),
        ({"text": "ok", "agents_count_low": "-4"}, "greater than or equal"),
    ],
)
def test_it_rejects_bad_text_clearly_and_saves_nothing(
    personas: Personas, data: dict[str, str], expected: str
) -> None:
    response = Client().post(form_url(personas), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Report.objects.exists()


def test_it_rejects_unsupported_files_and_saves_nothing(personas: Personas) -> None:
    fake = SimpleUploadedFile("clip.mp4", b"MZ\x90\x00 not a video at all", content_type="video/mp4")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        form_url(personas), {"text": "see file", "files": [fake], "consent": ["internal"]}
    )
    assert response.status_code == 400
    assert "not a photo, video" in response.content.decode()
    assert not Report.objects.exists() and not IntakeFile.objects.exists()


def test_it_rejects_oversized_files(personas: Personas, settings: Any) -> None:
    settings.INTAKE_MAX_FILE_BYTES = 1000
    big = SimpleUploadedFile("p.jpg", photo_bytes() + b"\0" * 2000, content_type="image/jpeg")
    response = Client().post(form_url(personas), {"text": "x", "files": [big], "consent": ["internal"]})
    assert response.status_code in (400, 413)
    assert not Report.objects.exists()


def test_it_answers_malformed_multipart_in_the_users_language(personas: Personas) -> None:
    body = b'--XYZ\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello'  # no closing boundary
    response = Client().generic(
        "POST",
        form_url(personas),
        body,
        content_type="multipart/form-data; boundary=",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Report.objects.exists()


def test_it_quietly_drops_what_a_bot_sends(personas: Personas) -> None:
    response = Client().post(form_url(personas), {"text": "buy pills", "website": "http://spam"})
    assert response.status_code == 201  # looks like a success
    code = code_in(response.content.decode())
    assert not Report.objects.exists() and actions.find_by_code(code) is None


def test_it_rate_limits_by_a_salted_hash(personas: Personas, settings: Any) -> None:
    settings.INTAKE_REPORTS_PER_HOUR = 2
    one = Client(REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en")
    other = Client(REMOTE_ADDR="192.0.2.2", HTTP_ACCEPT_LANGUAGE="en")
    for n in range(2):
        assert one.post(form_url(personas), {"text": f"agents here {n}"}).status_code == 201
    limited = one.post(form_url(personas), {"text": "agents here 3"})
    assert limited.status_code == 400 and "Too many reports" in limited.content.decode()
    assert other.post(form_url(personas), {"text": "agents here 4"}).status_code == 201
    assert Report.objects.count() == 3


def test_it_speaks_the_witness_language(personas: Personas) -> None:
    for lang in ("en", "es", "de"):
        response = Client().get(form_url(personas), HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
    english = Client().post(form_url(personas), {"text": "=1+1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "spreadsheets would run it" in english.content.decode()


def test_unknown_or_disabled_network_is_not_found(personas: Personas) -> None:
    page = actions.page_for(personas.north)
    page.enabled = False
    page.save(update_fields=["enabled"])
    assert Client().get(reverse("intake:report", args=[page.slug])).status_code == 404
    assert Client().get(reverse("intake:report", args=["no-such-network"])).status_code == 404


def test_raw_invalid_utf8_in_the_form_gets_a_clear_error(personas: Personas) -> None:
    boundary = "AmparoBoundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'.encode()
        + b"agentes en la esquina \xff\xfe\xc3"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = Client().generic(
        "POST",
        form_url(personas),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Report.objects.exists()


def test_vocabularies_are_shown_in_the_witness_language(personas: Personas) -> None:
    spanish = Client().get(form_url(personas), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Patrulla Fronteriza" in spanish
    german = Client().get(form_url(personas), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Grenzpatrouille" in german
    english = Client().get(form_url(personas), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Border Patrol" in english
